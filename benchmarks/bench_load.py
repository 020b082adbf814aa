"""Load on the server, measured with clients that speak Streamlit's protocol (no browsers).

Scenarios, each against a freshly started server on loopback:

* ``class``: N visitors (default 30) open the home page within one second, as a class does when a
  lecturer shows the link. Time from each visitor's request to its map element, p50/p95/max, errors.
* ``sustained``: S sessions (default 100) stay connected; A of them (default 50) change a filter every
  5 s for T seconds (default 120). Time from each change to the new map, p95; errors; the server's
  resident memory at start, peak, and after the sessions disconnect (sampled for ``--settle`` s).
* ``cold``: from an empty cache folder, ``python -m geo prepare`` builds the caches (timed apart, as the README's
  start command and the Dockerfile run it before the server), then a server starts; time from the server
  process's start to the first map.

With ``--browser``, one real Chromium session opens the same page while the protocol clients load
the server, and the time it takes for the map to be drawn in the browser is printed beside the
protocol client's time to the map element, so "map arrived" is checked against what a person sees.

The server is started as the README's first command and the Dockerfile start it (``MALLOC_ARENA_MAX=2``);
``--plain`` starts it as a bare ``streamlit run app.py`` (the app then limits the arenas itself, later).

Usage: python benchmarks/bench_load.py [--scenario class|sustained|cold|all] [--visitors 30]
       [--sessions 100] [--active 50] [--seconds 120] [--settle 300] [--browser] [--json] [--plain]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from stclient import ProtocolError, Visitor  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync"]
#: What the active sessions of ``sustained`` cycle through: (widget, value) in the English interface.
CHANGES = (("group", "polity"), ("group", "oblast"), ("group", "place"))


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (``nan`` when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


@contextmanager
def server(cache_dir: str | None = None, env: dict | None = None):
    """A Streamlit server for the app on a free loopback port; yields (url, process, seconds to healthy)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    e = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    if cache_dir is not None:
        e["ATLAS_CACHE_DIR"] = cache_dir
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=ROOT, env=e,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.05)
        yield url, proc, time.perf_counter() - t0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _labels() -> dict[str, str]:
    """The English labels of the widgets the scenarios change (from the catalog, as the page shows them)."""
    from geo.i18n import t

    return {"group": t("filters.group", "en"), **{f"group.{g}": t(f"group.{g}", "en") for g in ("place", "polity", "oblast")}}


async def _visitor_opens(url: str, query: str, delay: float, out: dict) -> Visitor | None:
    await asyncio.sleep(delay)
    v = Visitor(url, query)
    try:
        r = await v.open(timeout=300)
    except (ProtocolError, OSError) as exc:
        out["errors"].append(f"open: {exc}")
        await v.close()
        return None
    out["errors"] += r.errors
    if r.map_s is None:
        out["errors"].append("no map element in the page")
    else:
        out["first"].append(r.map_s)
        out["finished"].append(r.finished_s)
        out["bytes"].append(r.map_bytes)
    return v


async def _browser_time(url: str, query: str) -> float:
    """Seconds until a real Chromium shows a drawn flow map for the page (``window.atlasMap`` with arrows)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        br = await p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = await (await br.new_context(viewport={"width": 1366, "height": 768})).new_page()
        t0 = time.perf_counter()
        await page.goto(url + "/?" + query, timeout=300_000)
        await page.wait_for_function(
            """() => Array.from(document.querySelectorAll('iframe')).some(f => { try {
                 const m = f.contentWindow.atlasMap; return !!(m && m.drawn && m.drawn().length);
           } catch (e) { return false; } })""",
            polling=50, timeout=300_000)
        seconds = time.perf_counter() - t0
        await br.close()
    return seconds


async def class_opens(url: str, visitors: int, query: str = "", browser: bool = False) -> dict:
    """``visitors`` open the page within one second; the time each waits for its map."""
    out: dict = {"first": [], "finished": [], "bytes": [], "errors": []}
    delays = sorted(random.Random(1).uniform(0, 1) for _ in range(visitors))
    tasks = [asyncio.create_task(_visitor_opens(url, query, d, out)) for d in delays]
    if browser:
        tasks.append(asyncio.create_task(_browser_time(url, query)))
    done = await asyncio.gather(*tasks)
    if browser:
        out["browser_s"] = done[-1]
        done = done[:-1]
    for v in done:
        if v is not None:
            await v.close()
    return out


async def sustained(url: str, pid: int, sessions: int, active: int, seconds: float, settle: float) -> dict:
    """``sessions`` connected, ``active`` of them changing a filter every 5 s; memory until ``settle`` s after."""
    labels = _labels()
    out: dict = {"first": [], "finished": [], "bytes": [], "errors": [], "changes": [], "rss": [(0.0, rss_mb(pid))]}
    t_start = time.perf_counter()
    opened = await asyncio.gather(*(_visitor_opens(url, "", k * 0.1, out) for k in range(sessions)))
    visitors = [v for v in opened if v is not None]
    stop = time.perf_counter() + seconds

    async def use(k: int, v: Visitor) -> None:
        await asyncio.sleep(5 * k / max(1, active))  # spread the changes over the 5 s period
        i = k
        while time.perf_counter() < stop:
            widget, value = CHANGES[i % len(CHANGES)]
            t_next = time.perf_counter() + 5
            try:
                r = await v.change(labels[widget], labels[f"{widget}.{value}"], timeout=120)
                out["errors"] += r.errors
                if r.map_s is None:
                    out["errors"].append("a change brought no map")
                else:
                    out["changes"].append(r.map_s)
            except ProtocolError as exc:
                out["errors"].append(f"change: {exc}")
                return
            i += 1
            await asyncio.sleep(max(0.0, t_next - time.perf_counter()))

    async def sample(until: float) -> None:
        while time.perf_counter() < until:
            out["rss"].append((time.perf_counter() - t_start, rss_mb(pid)))
            await asyncio.sleep(2)

    sampler = asyncio.create_task(sample(stop + 5))
    await asyncio.gather(*(use(k, v) for k, v in enumerate(visitors[:active])))
    await sampler
    out["rss_peak"] = max(m for _, m in out["rss"])
    for v in visitors:
        await v.close()
    t_closed = time.perf_counter() - t_start
    await sample(time.perf_counter() + settle)
    out["rss_start"] = out["rss"][0][1]
    out["rss_after"] = out["rss"][-1][1]
    out["settle_s"] = out["rss"][-1][0] - t_closed
    return out


#: The environment the README's start command and the Dockerfile give the server (``--plain`` leaves it out).
START_ENV = {"MALLOC_ARENA_MAX": "2"}


def run(scenario: str, visitors: int = 30, sessions: int = 100, active: int = 50, seconds: float = 120,
        settle: float = 300, browser: bool = False, query: str = "", plain: bool = False) -> dict:
    """Run one scenario against a fresh server started as the README starts it; returns its figures."""
    env = {} if plain else START_ENV
    if scenario == "cold":
        with tempfile.TemporaryDirectory() as cache:
            # as the README's start command and the Dockerfile do: the caches are built ahead of the first visitor
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "geo", "prepare"], cwd=ROOT, check=True, capture_output=True,
                           env=dict(os.environ, PYTHONPATH=str(ROOT), ATLAS_CACHE_DIR=cache))
            prepare_s = time.perf_counter() - t0
            with server(cache, env) as (url, proc, healthy_s):
                t0 = time.perf_counter()
                r = asyncio.run(class_opens(url, 1, query))
                r["cold_first_map_s"] = healthy_s + (time.perf_counter() - t0 if not r["first"] else r["first"][0])
                r["healthy_s"], r["prepare_s"] = healthy_s, prepare_s
                return r
    with server(env=env) as (url, proc, _):
        if scenario == "class":
            asyncio.run(class_opens(url, 1, query))  # the lecturer opened it first: caches warm, as in class
            r = asyncio.run(class_opens(url, visitors, query, browser))
        elif scenario == "sustained":
            asyncio.run(class_opens(url, 1, query))
            r = asyncio.run(sustained(url, proc.pid, sessions, active, seconds, settle))
        else:
            raise ValueError(scenario)
        r["rss_end"] = rss_mb(proc.pid)
        return r


def report(scenario: str, r: dict, **kw) -> str:
    """One paragraph per scenario, the figures the README quotes."""
    f, e = r["first"], len(r["errors"])
    if scenario == "class":
        s = (f"class: {kw.get('visitors', 30)} visitors opening the home page within 1 s: map element after "
             f"p50 {_pct(f, .5):.2f} s, p95 {_pct(f, .95):.2f} s, max {max(f, default=float('nan')):.2f} s "
             f"(target p95 <= 4 s); {len(f)} maps, {e} errors; "
             f"map element {statistics.mean(r['bytes']) if r['bytes'] else 0:,.0f} bytes")
        if "browser_s" in r:
            s += f"; one Chromium alongside drew its map after {r['browser_s']:.2f} s"
        return s
    if scenario == "sustained":
        c = r["changes"]
        return (f"sustained: {kw.get('sessions', 100)} sessions, {kw.get('active', 50)} changing a filter every 5 s for "
                f"{kw.get('seconds', 120):.0f} s: {len(c)} changes, "
                f"rerun to map p50 {_pct(c, .5):.2f} s, p95 {_pct(c, .95):.2f} s "
                f"(target <= 2 s), {e} errors; first maps p95 {_pct(f, .95):.2f} s; server memory {r['rss_start']:.0f} MB "
                f"at start, {r['rss_peak']:.0f} MB peak (target <= 1,500), {r['rss_after']:.0f} MB {r['settle_s']:.0f} s after "
                f"they disconnected ({(r['rss_after'] / r['rss_start'] - 1) * 100:+.0f} % of the start; target within 20 %)")
    return (f"cold: first map {r['cold_first_map_s']:.2f} s after the server process started (healthy after "
            f"{r['healthy_s']:.2f} s; target <= 5 s); before it, `python -m geo prepare` built the caches from empty in "
            f"{r['prepare_s']:.1f} s; {e} errors")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="all", choices=("class", "sustained", "cold", "all"))
    ap.add_argument("--visitors", type=int, default=30)
    ap.add_argument("--sessions", type=int, default=100)
    ap.add_argument("--active", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--settle", type=float, default=300)
    ap.add_argument("--query", default="", help="query string of the page opened (e.g. nat=German&years=1941-1941)")
    ap.add_argument("--browser", action="store_true", help="one Chromium session alongside the class")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--plain", action="store_true", help="start the server without MALLOC_ARENA_MAX=2 (plain `streamlit run`)")
    a = ap.parse_args()
    kw = dict(visitors=a.visitors, sessions=a.sessions, active=a.active, seconds=a.seconds, settle=a.settle)
    for sc in (("cold", "class", "sustained") if a.scenario == "all" else (a.scenario,)):
        r = run(sc, browser=a.browser, query=a.query, plain=a.plain, **kw)
        print(report(sc, r, **kw), flush=True)
        for err in r["errors"][:5]:
            print("  error:", err)
        if a.json:
            print(json.dumps({"scenario": sc, **{k: v for k, v in r.items() if k != "rss"}}, default=str))


if __name__ == "__main__":
    main()
