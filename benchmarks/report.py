"""Every benchmark of the atlas in one go, as one table: figure, ours, target, peer, ratio.

Runs the scripts in benchmarks/ (each measures its peer in the same run) and collects their
printed figures. Usage: python benchmarks/report.py [--quick]   (--quick: smaller inputs, no load run)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _run(script: str, *args: str) -> str:
    r = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True, text=True, timeout=3600,
                       cwd=HERE.parent)
    return r.stdout + r.stderr


def _num(pattern: str, text: str, group: int = 1) -> float:
    m = re.search(pattern, text)
    return float(m.group(group).replace(",", "")) if m else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    quick = ap.parse_args().quick
    rows = []
    b = _run("bench_borders.py")
    cols = r"\s+([\d,]+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)"
    rows.append(("border lookup, 200,000 dated points (s)", _num(r"ours: Layer\.locate.*?" + cols, b, 3), "",
                 _num(r"peer: geopandas\.sjoin.*?" + cols, b, 3)))
    j = _run("bench_join.py", *(["--records", "200000", "--cli-rows", "50000"] if quick else []))
    n_rec = int(_num(r"join of ([\d,]+) records", j)) if j else 0
    rows.append((f"join: one lookup of {n_rec:,} records (s)", _num(r"ours: per lookup \(one layer, one end\)\s+([\d.]+)", j), "",
                 _num(r"peer: per-year geopandas\.sjoin, one lookup\s+([\d.]+)", j)))
    i = _run("bench_import.py", *(["--rows", "20000"] if quick else []))
    n_rows = int(_num(r"([\d,]+) rows, ", i)) if i else 0
    rows.append((f"import of a {n_rows:,}-row register, all steps (s)", _num(r"import total: ([\d.]+) s", i),
                 10.0 if n_rows >= 100_000 else "", float("nan")))
    rows.append(("  of which reading, detected (s)", _num(r"read \(detect[^:]*: ([\d.]+) s", i), "",
                 _num(r"told both: ([\d.]+) s", i)))
    m = _run("bench_map.py")
    line = next((ln for ln in m.splitlines() if ln.startswith("1941-1941")), "")
    parts = line.split()
    if len(parts) >= 8:
        rows.append(("map page for one year, bytes: export (inline)", float(parts[1].replace(",", "")), 1_000_000,
                     float(parts[4].replace(",", ""))))
        rows.append(("  as the app sends it (scripts linked, cached)", float(parts[2].replace(",", "")), "",
                     float(parts[4].replace(",", ""))))
    w = _run("bench_browser.py")
    rows.append(("cold start to the first map in Chromium (s)", _num(r"cold start to the first flow map: ([\d.]+) s", w), 5.0, float("nan")))
    rows.append(("year step played in the browser, p95 (s)", _num(r"p95 (\d+) ms", w) / 1000, 0.3, float("nan")))
    rows.append(("change needing a rerun, cached (s)", _num(r"cached median ([\d.]+) s", w), 1.5,
                 _num(r"browser step \(median ([\d.]+) s\)", w)))
    if not quick:
        ld = _run("bench_load.py", "--browser")
        rows.append(("30 visitors open the home page within 1 s: p95 to the map (s)",
                     _num(r"class: .*?p95 ([\d.]+) s", ld), 4.0, float("nan")))
        rows.append(("100 sessions, 50 changing a filter every 5 s: p95 rerun to map (s)",
                     _num(r"sustained: .*?rerun to map p50 [\d.]+ s, p95 ([\d.]+) s", ld), 2.0, float("nan")))
        rows.append(("  server memory peak (MB)", _num(r"([\d.]+) MB peak", ld), 1500, float("nan")))
        rows.append(("first map after a cold start, empty cache (s)", _num(r"cold: first map ([\d.]+) s", ld), 5.0, float("nan")))
    print(f"Benchmarks of {dt.date.today()} on {platform.node()} ({platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores), Python {platform.python_version()}")
    print(f"| figure | ours | target | peer | peer / ours |\n|---|---|---|---|---|")
    for name, ours, target, peer in rows:
        ratio = f"{peer / ours:.1f}×" if isinstance(peer, float) and peer == peer and ours else ""
        fmt = lambda v: "" if v == "" or (isinstance(v, float) and v != v) else (f"{v:,.0f}" if v >= 1000 else f"{v:.2f}")  # noqa: E731
        print(f"| {name} | {fmt(ours)} | {fmt(target)} | {fmt(peer)} | {ratio} |")


if __name__ == "__main__":
    main()
