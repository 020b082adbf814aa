"""Benchmark: the time-aware join on a million records, and the whole CLI on 300,000 rows.

Records as issue 12 describes them: 36 place names as archives write them (Latin and Cyrillic,
old and new names, shared names such as Odessa and Petropavlovsk, an oblast and the Kazakh
republic), dates on random days of every month 1920-1950, random origin/destination pairs.

1. Resolve + join, after reading: both ends resolved (:func:`geo.join.resolve_ends`: each distinct
   name once per era and per state of the other end) and the ten lookups (polity, union republic,
   autonomy, Kazakh oblast, occupier; both ends) over each record's date. Target <= 3 s for 1,000,000.
   Beside it, the best plain alternative for one of the ten lookups, in the same run: geopandas,
   one ``sjoin`` of the distinct points against the features of every period, then a date filter
   (the approach issue 15 names), and the per-year ``sjoin`` loop the README used to compare with.
2. The whole ``join_records`` (dates and counts parsed, vocabulary, warnings, the output table).
3. The CLI: ``python -m geo join`` on a 300,000-row cp1251 ``;`` CSV: read + resolve + join + write.
   Target <= 12 s (38 s before issue 12). The same steps are also timed one by one in this process,
   to say where the remaining time goes.

Usage: python benchmarks/bench_join.py [--records 1000000] [--cli-rows 300000]
Timings on the shared 2-core machine vary with the other work on it; CPU seconds are printed too.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.borders import bundled_borders  # noqa: E402
from geo.gazetteer import bundled_gazetteer  # noqa: E402
from geo.join import _Where, join_records, resolve_ends  # noqa: E402

NAMES = ["Москва", "Львов", "Алма-Ата", "Karaganda", "Semipalatinsk", "Odessa", "Pokrovsk", "Kuibyshev", "Samara",
         "Berlin", "Warszawa", "Kiev", "Минск", "Tashkent", "Frunze", "Akmolinsk", "Гурьев", "Kustanai", "Pavlodar",
         "Petropavlovsk", "Leningrad", "Stalino", "Kharkov", "Riga", "Tallinn", "Vilnius", "Кенигсберг", "Breslau",
         "Vienna", "Prague", "Budapest", "Bucharest", "Chisinau", "Karlag", "Северо-Казахстанская обл.", "Казахстан"]
LOOKUPS = (("polities", None, "name"), ("republics", "union", "name"), ("republics", "autonomous", "name"),
           ("kazakh_regions", None, "name"), ("occupation", None, "occupier"))


def records(n: int, seed: int = 5) -> pd.DataFrame:
    """n records: random origin/destination pairs of the 36 names, a random day of a random month 1920-1950."""
    rng = np.random.default_rng(seed)
    months = np.arange(np.datetime64("1920-01"), np.datetime64("1951-01"))
    month = months[rng.integers(0, len(months), n)]
    days = month.astype("datetime64[D]") + rng.integers(0, 28, n).astype("timedelta64[D]")
    names = np.asarray(NAMES, dtype=object)
    return pd.DataFrame({"origin": names[rng.integers(0, len(names), n)],
                         "destination": names[rng.integers(0, len(names), n)],
                         "date": days.astype(str), "count": rng.integers(1, 2000, n).astype(str)})


def _clock():
    return time.perf_counter(), time.process_time()


def _since(t) -> tuple[float, float]:
    return time.perf_counter() - t[0], time.process_time() - t[1]


def ours(df: pd.DataFrame, gaz, borders) -> tuple[float, float, dict]:
    days = df["date"].to_numpy("datetime64[D]")
    t = _clock()
    ends = resolve_ends(df["origin"].to_numpy(object), df["destination"].to_numpy(object), days, days, borders, gaz)
    out = {}
    for end, (codes, places) in ends.items():
        lon = np.array([p.lon for p in places], dtype=float)
        lat = np.array([p.lat for p in places], dtype=float)
        where = _Where(borders, codes, lon, lat, days)
        for layer, level, field in LOOKUPS:
            out[(end, layer, level)] = where.names(layer, days, days, level=level, field_name=field)
        out[end] = (lon[codes], lat[codes])
    wall, cpu = _since(t)
    return wall, cpu, out


def peer_one_sjoin(lon: np.ndarray, lat: np.ndarray, days: np.ndarray, borders) -> tuple[float, np.ndarray]:
    """geopandas: one sjoin of the distinct points against every period's features, then a date filter."""
    import geopandas as gpd

    pol = borders["polities"]
    t0 = time.perf_counter()
    ok = ~np.isnan(lon)
    pts = pd.DataFrame({"lon": lon[ok], "lat": lat[ok], "day": days[ok], "row": np.flatnonzero(ok)})
    distinct = pts[["lon", "lat"]].drop_duplicates().reset_index(drop=True)
    g = gpd.GeoDataFrame(distinct, geometry=gpd.points_from_xy(distinct["lon"], distinct["lat"]), crs=4326)
    feats = gpd.GeoDataFrame({"name": pol.props["name"].to_numpy(), "start": pol.start, "end": pol.end},
                             geometry=list(pol.geoms), crs=4326)
    hits = gpd.sjoin(g, feats, how="inner", predicate="intersects")[["lon", "lat", "name", "start", "end"]]
    m = pts.merge(hits, on=["lon", "lat"], how="left")
    m = m[(m["start"] <= m["day"]) & (m["day"] <= m["end"])].drop_duplicates("row")
    result = np.full(len(lon), "", dtype=object)
    result[m["row"].to_numpy()] = m["name"].to_numpy()
    return time.perf_counter() - t0, result


def peer_per_year(lon: np.ndarray, lat: np.ndarray, days: np.ndarray, borders) -> tuple[float, np.ndarray]:
    """geopandas: the borders of 1 July of each year, one sjoin per year (the README's former peer)."""
    import geopandas as gpd

    pol = borders["polities"]
    t0 = time.perf_counter()
    frame = gpd.GeoDataFrame({"name": pol.props["name"].to_numpy()}, geometry=list(pol.geoms), crs=4326)
    years = days.astype("datetime64[Y]").astype(int) + 1970
    result = np.full(len(lon), "", dtype=object)
    ok = ~np.isnan(lon)
    pts = gpd.GeoDataFrame({"i": np.arange(len(lon))}, geometry=gpd.points_from_xy(lon, lat), crs=4326)
    for y in np.unique(years):
        mid = np.datetime64(f"{y}-07-01")
        valid = frame[(pol.start <= mid) & (mid <= pol.end)]
        j = gpd.sjoin(pts[(years == y) & ok], valid, how="left", predicate="intersects")
        j = j[~j.index.duplicated(keep="first")]
        result[j["i"].to_numpy()] = j["name"].fillna("").to_numpy()
    return time.perf_counter() - t0, result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--cli-rows", type=int, default=300_000)
    args = ap.parse_args()
    print(f"machine: {platform.machine()} CPython {platform.python_version()}, date {time.strftime('%Y-%m-%d')}")
    t = _clock()
    borders, gaz = bundled_borders(), bundled_gazetteer()
    wall, cpu = _since(t)
    print(f"borders and gazetteer loaded in {wall:.2f} s ({cpu:.2f} s CPU; once per process)")
    df = records(args.records)
    gaz_run = gaz.fork()
    wall, cpu, res = ours(df, gaz_run, borders)
    days = df["date"].to_numpy("datetime64[D]")
    lon, lat = res["origin"]
    t_one, peer1 = peer_one_sjoin(lon, lat, days, borders)
    t_year, peer2 = peer_per_year(lon, lat, days, borders)
    mine = res[("origin", "polities", None)]
    ok = ~np.isnan(lon)
    print(f"{'join of ' + format(args.records, ',') + ' records':52} {'seconds':>9} {'CPU s':>7}")
    print(f"{'ours: resolve + 10 lookups (2 ends x 5 layers)':52} {wall:>9.2f} {cpu:>7.2f}   target <= 3")
    print(f"{'ours: per lookup (one layer, one end)':52} {wall / 10:>9.2f}")
    print(f"{'peer: geopandas one sjoin + date filter, one lookup':52} {t_one:>9.2f}")
    print(f"{'peer: per-year geopandas.sjoin, one lookup':52} {t_year:>9.2f}")
    print(f"ten lookups and both ends resolved vs the best plain peer's single lookup: {t_one / wall:.1f}x; "
          f"origin polity agrees with it on {np.mean(peer1[ok] == mine[ok]):.2%} "
          f"(the per-year loop: {np.mean(peer2[ok] == mine[ok]):.2%}, its 1 July borders miss changes within a year)")
    t = _clock()
    result = join_records(df, borders, gaz.fork())
    wall_j, cpu_j = _since(t)
    print(f"{'ours: join_records (parse dates and counts, resolve, 10 lookups, warnings, table)':52} "
          f"{wall_j:>9.2f} {cpu_j:>7.2f}   ({len(result.accepted):,} rows)")
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "records.csv", Path(tmp) / "out.csv"
        cli = records(args.cli_rows, seed=7)
        cli["date"] = [f"{d[8:10]}.{d[5:7]}.{d[:4]}" for d in cli["date"]]  # archive style dd.mm.yyyy
        cli.to_csv(src, sep=";", index=False, encoding="cp1251")
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "geo", "join", str(src), "--out", str(out),
                            "--rejects", str(Path(tmp) / "rej.csv")], cwd=ROOT, capture_output=True, text=True, check=False)
        t_cli = time.perf_counter() - t0
        if r.returncode != 0:
            raise SystemExit(r.stderr)
        with open(out, encoding="utf-8") as f:
            rows_out = sum(1 for _ in f) - 1
        print(f"CLI on {args.cli_rows:,} rows (cp1251, ';', read + resolve + join + write): {t_cli:.1f} s, "
              f"{rows_out:,} rows out (target <= 12 s; 38 s before issue 12)")
        # where the CLI's time goes: the same steps, timed one by one in a fresh process
        steps = subprocess.run([sys.executable, "-c", _STEPS, str(src), str(Path(tmp) / "out2.csv")], cwd=ROOT,
                               capture_output=True, text=True, check=False)
        print(steps.stdout.strip() or steps.stderr.strip()[-500:])


_STEPS = """
import sys, time
t0 = time.perf_counter()
from geo.cli import _write_csv
from geo.borders import bundled_borders
from geo.gazetteer import load_gazetteer
from geo.join import join_records, neutralise_formulas
from geo.records import read_table, to_canonical
c0 = time.process_time()
marks = [("imports", time.perf_counter(), time.process_time())]
table = read_table(sys.argv[1]); frame, _ = to_canonical(table.frame)
marks.append(("read and map the CSV", time.perf_counter(), time.process_time()))
b = bundled_borders(); marks.append(("load the borders", time.perf_counter(), time.process_time()))
g = load_gazetteer(b); marks.append(("load the gazetteer", time.perf_counter(), time.process_time()))
r = join_records(frame, b, g)
marks.append(("join (parse, resolve, 10 lookups, warnings)", time.perf_counter(), time.process_time()))
_write_csv(neutralise_formulas(r.accepted), sys.argv[2])
marks.append(("neutralise formulas and write", time.perf_counter(), time.process_time()))
prev, prev_c = t0, c0
print("where the CLI's time goes (same steps, one process; seconds, CPU seconds):")
for label, t, c in marks:
    print(f"  {label:48} {t - prev:6.2f} {c - prev_c:6.2f}")
    prev, prev_c = t, c
print(f"  {'total':48} {prev - t0:6.2f} {prev_c - c0:6.2f}")
"""


if __name__ == "__main__":
    main()
