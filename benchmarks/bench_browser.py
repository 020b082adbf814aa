"""Time to a map in Chromium: cold start, a year step in the browser, a change that needs a rerun.

Starts the app (``streamlit run app.py``) on a loopback port and drives Debian's Chromium
(``/usr/bin/chromium``) with Playwright. Prints, in the same run:

- cold start: from launching the server to the first flow map drawn;
- a year step played in the browser (``setYear``, the path of Play and the arrow keys), per step;
- the peer path for the same change of view: a widget change that reruns the script and sends a
  new map (grouping toggled; first time uncached, then from ``st.cache_data``).

Run: python benchmarks/bench_browser.py
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _map_frame(page, title_part: str = "", timeout: float = 60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for f in page.frames[1:]:
            try:
                if f.evaluate("(t) => !!(window.atlasMap && window.atlasMap.setYear) && "
                              "window.atlasMap.map.getContainer().getAttribute('aria-label').includes(t)", title_part):
                    return f
            except Exception:
                continue
        page.wait_for_timeout(20)  # lets Playwright process events (time.sleep would not)
    raise RuntimeError("no map")


# each year in turn, timed from setYear to the frame after the one it drew (two animation frames): painted
STEPS = """async (rounds) => {
    const n = window.atlasMap.years.length, out = [];
    for (let r = 0; r < rounds; r++) for (let i = 0; i < n; i++) {
        const t = performance.now(); window.atlasMap.setYear(i);
        await new Promise(res => requestAnimationFrame(() => requestAnimationFrame(res)));
        out.push(performance.now() - t);
    }
    return out; }"""
# resolves once the app's page has not changed for 0.5 s (at most 20 s)
SETTLE = """() => new Promise(res => {
    let last = performance.now(); const t0 = last;
    const mo = new MutationObserver(() => { last = performance.now(); });
    mo.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    const tick = () => { const now = performance.now();
        if (now - last > 500 || now - t0 > 20000) { mo.disconnect(); res(now - t0); } else setTimeout(tick, 50); };
    tick(); })"""


def main() -> None:
    port = _port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            while True:
                try:
                    if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    time.sleep(0.05)
            t_server = time.perf_counter() - t0
            page.goto(url + "/?years=1936-1944")
            frame = _map_frame(page)
            t_cold = time.perf_counter() - t0
            print(f"cold start to the first flow map: {t_cold:.2f} s (server healthy after {t_server:.2f} s)")

            # one round the moment the map appears (Streamlit is still drawing the rest of the page), then three
            # once the page has settled (no change to the page for 0.5 s): the budget is about the step, and the
            # first figure says what the page's own loading adds to it
            early = frame.evaluate(STEPS, 1)
            page.evaluate(SETTLE)
            steps = frame.evaluate(STEPS, 3)
            for name, v in (("as the map appears", early), ("page settled", steps)):
                v.sort()
                print(f"year step in the browser ({name}): median {statistics.median(v):.0f} ms, "
                      f"p95 {v[int(0.95 * (len(v) - 1))]:.0f} ms, max {v[-1]:.0f} ms over {len(v)} steps (painted)")

            reruns = []
            for group in ("polity", "oblast", "place", "polity", "oblast", "place"):
                t = time.perf_counter()
                page.get_by_text(group, exact=True).click()
                _map_frame(page, f"grouped by {group}")
                reruns.append(time.perf_counter() - t)
            print("change needing a rerun (grouping toggled): first time "
                  + ", ".join(f"{x:.2f}" for x in reruns[:3]) + " s; cached " + ", ".join(f"{x:.2f}" for x in reruns[3:]) + " s")
            print(f"peer ratio: a rerun (cached median {statistics.median(reruns[3:]):.2f} s) against a browser step "
                  f"(median {statistics.median(steps) / 1000:.3f} s): "
                  f"{statistics.median(reruns[3:]) / (statistics.median(steps) / 1000):.0f}x")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
