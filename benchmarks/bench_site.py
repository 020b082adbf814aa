"""The static site measured as a visitor receives it: total size and the first view of ``/en/`` in Chromium.

Builds the site (``geo.site.build_site``) into a temporary folder, or measures ``--site DIR`` already built,
serves it with ``python -m http.server`` (which does not compress) and counts the bytes Chromium receives
(headers and bodies, from its network log) until the first map is drawn and the network is idle; beside it,
the bytes of the files the first view loads, as ``python -m geo site`` prints them.

Usage: python benchmarks/bench_site.py [--site site/]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Chromium's flags (as the tests launch it).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"]


def first_view_bytes(browser, url: str) -> int:
    """Bytes received (headers and bodies, as Chromium's network log counts them) until the first map of
    ``url`` is drawn and the network is idle; a fresh context, so nothing comes from a cache."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        got: dict[str, float] = {}
        cdp.on("Network.loadingFinished", lambda e: got.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.goto(url, wait_until="networkidle")
        page.wait_for_function("() => window.atlasMap && window.atlasMap.drawn && window.atlasMap.drawn().length > 0")
        page.wait_for_load_state("networkidle")
        return int(sum(got.values()))
    finally:
        ctx.close()


def measure(site: Path) -> int:
    """What Chromium receives for the first view of ``site``'s ``/en/``."""
    from playwright.sync_api import sync_playwright

    from geo.site import serve

    with serve(site) as base, sync_playwright() as p:
        br = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        try:
            return first_view_bytes(br, base + "en/")
        finally:
            br.close()


def main() -> None:
    from geo.site import FIRST_VIEW_BUDGET, TOTAL_BUDGET, build_site

    ap = argparse.ArgumentParser()
    ap.add_argument("--site", type=Path, help="a site already built by python -m geo site (default: build one)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if a.site:
            site = a.site
            total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
            files = None
        else:
            site = Path(tmp) / "site"
            t0 = time.perf_counter()
            report = build_site(site)
            print(f"build: {time.perf_counter() - t0:.1f} s")
            total, files = report.total_bytes, report.first_view_bytes
        got = measure(site)
        print(f"site: {total:,} bytes in all (budget {TOTAL_BUDGET:,}); first view of /en/ received by Chromium: "
              f"{got:,} bytes (budget {FIRST_VIEW_BUDGET:,})" + (f"; the files it loads: {files:,} bytes" if files else ""))


if __name__ == "__main__":
    main()
