"""Every benchmark of the atlas in one go, as one table: figure, ours, target, peer, ratio.

Runs the scripts in benchmarks/ (each measures its peers in the same run) and collects their
printed figures. The README's speed table is this output: ``--readme`` rewrites it between the
markers ``<!-- speed-table:begin -->`` and ``<!-- speed-table:end -->``.

Usage: python benchmarks/report.py [--quick] [--readme]   (--quick: smaller inputs, no load run)
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
README = HERE.parent / "README.md"
BEGIN, END = "<!-- speed-table:begin -->", "<!-- speed-table:end -->"


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
    ap.add_argument("--readme", action="store_true", help="rewrite the README's speed table with this run's")
    args = ap.parse_args()
    quick = args.quick
    rows = []
    b = _run("bench_borders.py")
    cols = r"\s+([\d,]+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)"
    ours_b = _num(r"ours: Layer\.locate.*?" + cols, b, 3)
    rows.append(("border lookup, 200,000 dated points (s); peer: one sjoin of the distinct points, then a date filter",
                 ours_b, "", _num(r"plain: geopandas\.sjoin of distinct points.*?" + cols, b, 3)))
    rows.append(("  the same; peer: an sjoin per distinct date", ours_b, "",
                 _num(r"loop: geopandas\.sjoin per distinct date" + cols, b, 3)))
    j = _run("bench_join.py", *(["--records", "200000", "--cli-rows", "50000"] if quick else []))
    n_rec = int(_num(r"join of ([\d,]+) records", j)) if j else 0
    ours_j = _num(r"ours: per lookup \(one layer, one end\)\s+([\d.]+)", j)
    rows.append((f"join: one lookup of {n_rec:,} records (s); peer: one sjoin of the distinct points, then a date filter",
                 ours_j, "", _num(r"peer: geopandas one sjoin \+ date filter, one lookup\s+([\d.]+)", j)))
    rows.append(("  the same; peer: an sjoin per year on 1 July borders (wrong for changes within a year)", ours_j, "",
                 _num(r"peer: per-year geopandas\.sjoin, one lookup\s+([\d.]+)", j)))
    rows.append((f"  the whole join: names resolved + 10 lookups, {n_rec:,} records (s)",
                 _num(r"ours: resolve \+ 10 lookups \(2 ends x 5 layers\)\s+([\d.]+)", j), 3.0, float("nan")))
    n_cli = int(_num(r"CLI on ([\d,]+) rows", j)) if j else 0
    rows.append((f"  command line: read + resolve + join + write {n_cli:,} rows (s)",
                 _num(r"CLI on [\d,]+ rows .*?: ([\d.]+) s", j), 12.0, _num(r"\(target <= 12 s; ([\d.]+) s before", j)))
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
    rows.append(("cold start to the first map in Chromium (s)", _num(r"cold start to the first flow map: ([\d.]+) s", w), 5.0,
                 float("nan")))
    rows.append(("year step played in the browser, page settled, p95 (s)",
                 _num(r"\(page settled\): .*?p95 (\d+) ms", w) / 1000, 0.1, float("nan")))
    rows.append(("  the same, stepped the moment the map appears, p95 (s)",
                 _num(r"\(as the map appears\): .*?p95 (\d+) ms", w) / 1000, "", float("nan")))
    rows.append(("change needing a rerun, cached (s)", _num(r"cached median ([\d.]+) s", w), 1.5,
                 _num(r"browser step \(median ([\d.]+) s\)", w)))
    if not quick:
        ld = _run("bench_load.py", "--browser")
        rows.append(("30 visitors open the home page within 1 s: p95 to the map (s)",
                     _num(r"class: .*?p95 ([\d.]+) s", ld), 4.0, float("nan")))
        rows.append(("100 sessions, 50 changing a filter every 5 s: p95 rerun to map (s)",
                     _num(r"sustained: .*?rerun to map p50 [\d.]+ s, p95 ([\d.]+) s", ld), 2.0, float("nan")))
        start = _num(r"server memory ([\d.]+) MB at start", ld)
        rows.append(("  server memory at start (MB)", start, "", float("nan")))
        rows.append(("  server memory peak (MB)", _num(r"([\d.]+) MB peak", ld), 1500, float("nan")))
        rows.append(("  server memory after they disconnected and the settle time (MB); target: start + 20 %",
                     _num(r"([\d.]+) MB [\d.]+ s after", ld), round(start * 1.2) if start == start else "", float("nan")))
        rows.append(("first map after a cold start, caches built by `python -m geo prepare` (s)",
                     _num(r"cold: first map ([\d.]+) s", ld), 5.0, float("nan")))
        rows.append(("  `python -m geo prepare` from an empty cache (s)", _num(r"from empty in ([\d.]+) s", ld), "",
                     float("nan")))
    table = _table(rows, quick)
    print(table)
    if args.readme:
        _rewrite_readme(table)
        print(f"rewrote the speed table of {README}")


def _fmt(v: object) -> str:
    if v == "" or (isinstance(v, float) and v != v):
        return ""
    return f"{v:,.0f}" if v >= 1000 else f"{v:.2f}"


def _table(rows: list[tuple], quick: bool) -> str:
    """The Markdown table of one run, with the machine and the date under it."""
    lines = ["| figure | ours | target | peer | peer / ours |", "|---|---|---|---|---|"]
    for name, ours, target, peer in rows:
        ratio = f"{peer / ours:.1f}×" if isinstance(peer, float) and peer == peer and ours else ""
        lines.append(f"| {name} | {_fmt(ours)} | {_fmt(target)} | {_fmt(peer)} | {ratio} |")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines += ["", f"_`python benchmarks/report.py{' --quick' if quick else ''}` of {dt.date.today()} on "
                  f"{platform.machine()}, {os.cpu_count()} cores (load average {load:.1f} at the end: other work on the "
                  f"machine slows every figure alike), Python {platform.python_version()}._"]
    return "\n".join(lines)


def _rewrite_readme(table: str) -> None:
    """Put ``table`` between the README's markers (atomically); the markers must be there once each."""
    text = README.read_text("utf-8")
    if text.count(BEGIN) != 1 or text.count(END) != 1:
        raise SystemExit(f"{README} needs the markers {BEGIN} and {END} once each")
    head, rest = text.split(BEGIN)
    _, tail = rest.split(END)
    tmp = README.with_suffix(".md.part")
    tmp.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", "utf-8")
    tmp.replace(README)


if __name__ == "__main__":
    main()
