"""Load: N concurrent browser sessions using the app against one server on loopback.

Each session (its own browser context in Debian's Chromium) opens the Flows page and, for the
whole run, changes the grouping (a rerun: a new map is sent) and steps years in the map (no
rerun). Reports the time from a change to the updated map (median, p95, max), errors, and the
server's resident memory before, during and after. ``tests/test_load.py`` runs it in CI.

Usage: python benchmarks/bench_load.py [--sessions 20] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


async def _session(browser, url: str, clock: dict, barrier, times: list, errors: list, k: int, first: list) -> None:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await ctx.new_page()
    page.on("pageerror", lambda e: errors.append(f"session {k}: {e}"))
    groups = ["polity", "oblast", "place"]
    try:
        t0 = time.perf_counter()
        try:
            await page.goto(url + f"/?years={1936 + k % 5}-{1941 + k % 5}", timeout=240000)
            await _wait_map(page, "", 240)
            first.append(time.perf_counter() - t0)
        finally:
            await barrier.wait()  # the minute of use starts when every session has its first map
        i = 0
        while time.time() < clock["until"]:
            g = groups[i % 3]
            t0 = time.perf_counter()
            await page.get_by_text(g, exact=True).first.click()
            await _wait_map(page, f"grouped by {g}", 120)
            times.append(time.perf_counter() - t0)
            for f in page.frames[1:]:  # and a few years stepped inside the map, as a lecturer would
                try:
                    await f.evaluate("() => window.atlasMap && [0, 1, 2].forEach(i => window.atlasMap.setYear(i))")
                except Exception:
                    pass
            i += 1
    except Exception as exc:  # a session that cannot go on is an error of the run
        errors.append(f"session {k}: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await ctx.close()


async def _wait_map(page, title: str, timeout: float) -> None:
    """Wait inside the browser (no polling over the wire) for a map whose title contains ``title``."""
    await page.wait_for_function(
        """(t) => Array.from(document.querySelectorAll('iframe')).some(f => { try {
             const w = f.contentWindow; return !!(w.atlasMap && w.atlasMap.setYear)
               && w.atlasMap.map.getContainer().getAttribute('aria-label').includes(t); } catch (e) { return false; } })""",
        arg=title, polling=100, timeout=timeout * 1000)


async def run(sessions: int, seconds: float) -> dict:
    from playwright.async_api import async_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.1)
        times, errors, rss, first = [], [], [_rss_mb(proc.pid)], []
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            clock = {"until": float("inf")}
            barrier = asyncio.Barrier(sessions + 1)
            tasks = [asyncio.create_task(_session(browser, url, clock, barrier, times, errors, k, first))
                     for k in range(sessions)]
            await barrier.wait()
            clock["until"] = time.time() + seconds
            while not all(t.done() for t in tasks):
                rss.append(_rss_mb(proc.pid))
                await asyncio.sleep(2)
            await asyncio.gather(*tasks)
            await browser.close()
        rss.append(_rss_mb(proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    times.sort()
    return {"sessions": sessions, "seconds": seconds, "updates": len(times), "errors": errors, "first": sorted(first),
            "median": statistics.median(times) if times else float("nan"),
            "p95": times[int(0.95 * (len(times) - 1))] if times else float("nan"), "max": max(times, default=float("nan")),
            "rss_start": rss[0], "rss_peak": max(rss), "rss_end": rss[-1]}


def report(r: dict) -> str:
    first = r["first"]
    return (f"{r['sessions']} sessions for {r['seconds']:.0f} s: first map after {first[0] if first else float('nan'):.1f}-"
            f"{first[-1] if first else float('nan'):.1f} s ({len(first)} sessions); {r['updates']} map updates after a rerun, "
            f"{len(r['errors'])} errors; time to the updated map median {r['median']:.2f} s, p95 {r['p95']:.2f} s, "
            f"max {r['max']:.2f} s; server memory {r['rss_start']:.0f} MB at start, {r['rss_peak']:.0f} MB peak, "
            f"{r['rss_end']:.0f} MB at the end")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    a = ap.parse_args()
    r = asyncio.run(run(a.sessions, a.seconds))
    print(report(r))
    for e in r["errors"][:10]:
        print("error:", e)


if __name__ == "__main__":
    main()
