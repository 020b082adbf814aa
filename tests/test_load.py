"""Load, in CI: 20 browser sessions use the app for a minute against one server on loopback.

Each session changes the grouping (a rerun and a new map) and steps years in the map, over and
over. Asserted: no error in any session, every session got updated maps, the server's memory
stays bounded. Reported (artifacts/load.txt and the test output): the time to an updated map.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_load import report, run  # noqa: E402

SESSIONS = int(os.environ.get("ATLAS_LOAD_SESSIONS", "20"))
SECONDS = float(os.environ.get("ATLAS_LOAD_SECONDS", "60"))


def test_twenty_sessions_for_a_minute(artifacts, capsys):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # its own event loop: the test session's Playwright has one already
        r = pool.submit(asyncio.run, run(SESSIONS, SECONDS)).result()
    text = report(r)
    (artifacts / "load.txt").write_text(text + "\n" + "\n".join(r["errors"]), "utf-8")
    with capsys.disabled():
        print("\n" + text)
    assert not r["errors"], r["errors"][:5]
    assert len(r["first"]) == SESSIONS and r["updates"] >= SESSIONS
    assert r["rss_peak"] < 1500 and r["rss_end"] <= r["rss_peak"]  # bounded: no growth past the peak of the run
