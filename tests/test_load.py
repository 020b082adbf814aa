"""Load, in CI: a class of visitors opens the home page within one second, measured on the server's own protocol.

30 protocol clients (benchmarks/stclient.py: Streamlit's WebSocket messages, no browsers) and one
real Chromium open the page together against one server on loopback. Asserted: every visitor gets
its map element, no error, and the browser alongside draws its map. Reported (artifacts/load.txt
and the output): the time each visitor waited. The longer sustained run and the cold start are in
``benchmarks/bench_load.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_load import _pct, report, run  # noqa: E402

VISITORS = int(os.environ.get("ATLAS_LOAD_VISITORS", "30"))


def test_a_class_opens_the_home_page_at_once(artifacts, capsys):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # its own event loop: the test session's Playwright has one already
        r = pool.submit(run, "class", visitors=VISITORS, browser=True).result()
    text = report("class", r, visitors=VISITORS)
    (artifacts / "load.txt").write_text(text + "\n" + "\n".join(r["errors"]), "utf-8")
    with capsys.disabled():
        print("\n" + text)
    assert not r["errors"], r["errors"][:5]
    assert len(r["first"]) == VISITORS
    assert r["browser_s"] > 0
    assert _pct(r["first"], 0.95) <= 4.0  # issue 16: p95 time to the first map <= 4 s (0.96 s measured)
