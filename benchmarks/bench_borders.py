"""Benchmark: who held each point on its date, for many dated points.

Three methods on the same points, in the same process; the script prints each time, both ratios
and whether the answers agree:

* ours: ``Layer.locate`` -- each distinct point tested once against the features of all periods
  (one STRtree over prepared outlines); each record then picks, vectorised with numpy, the
  feature valid on its day;
* best plain geopandas: one ``geopandas.sjoin`` of the distinct points against the features of
  all periods, then a date filter (a merge of the records with the point-feature pairs, keeping
  the pairs valid on each record's day);
* per-date loop: a ``geopandas.sjoin`` of the points of each distinct date against the polities
  valid on that date (what one writes first).

Usage: python benchmarks/bench_borders.py [--points 200000] [--dates 1000] [--peer-points N]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.borders import load_borders


def _points(n: int, n_dates: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # a few hundred "towns" between the Rhine and the Irtysh, as archive records would name them
    towns_lon = rng.uniform(5.0, 85.0, 400)
    towns_lat = rng.uniform(40.0, 62.0, 400)
    pick = rng.integers(0, 400, n)
    first, last = np.datetime64("1918-11-11"), np.datetime64("1950-12-31")
    days = first + rng.integers(0, int((last - first).astype(int)) + 1, n_dates).astype("timedelta64[D]")
    return towns_lon[pick], towns_lat[pick], days[rng.integers(0, n_dates, n)]


def _frame(borders):
    import geopandas as gpd

    pol = borders["polities"]
    return gpd.GeoDataFrame({"name": pol.props["name"].to_numpy(), "start": pol.start, "end": pol.end},
                            geometry=list(pol.geoms), crs=4326)


def plain_sjoin_then_filter(frame, lon: np.ndarray, lat: np.ndarray, days: np.ndarray) -> np.ndarray:
    """The best plain geopandas approach: one sjoin of the distinct points against all periods, then a date filter.

    Returns the row of ``frame`` holding each point on its day, or -1 (as ``Layer.locate`` does).

    The outlines are the left frame: sjoin then tests each outline, prepared, against the points its
    box holds (with the points on the left it prepares the points instead, and is about 10x slower).
    """
    import geopandas as gpd

    recs = pd.DataFrame({"lon": lon, "lat": lat, "day": days})
    recs["pt"] = recs.groupby(["lon", "lat"], sort=False).ngroup()
    distinct = recs.drop_duplicates("pt")
    pts = gpd.GeoDataFrame({"pt": distinct["pt"].to_numpy()},
                           geometry=gpd.points_from_xy(distinct["lon"], distinct["lat"]), crs=4326)
    hits = gpd.sjoin(frame, pts, how="inner", predicate="intersects").reset_index(names="feature")
    pairs = recs.reset_index(names="rec").merge(hits[["pt", "feature", "start", "end"]], on="pt")
    valid = pairs[(pairs["start"] <= pairs["day"]) & (pairs["day"] <= pairs["end"])]
    first = valid.sort_values(["rec", "feature"]).drop_duplicates("rec")  # on a shared border the lower index wins
    out = np.full(len(lon), -1, dtype=np.int64)
    out[first["rec"].to_numpy()] = first["feature"].to_numpy()
    return out


def per_date_loop(frame, lon: np.ndarray, lat: np.ndarray, days: np.ndarray) -> np.ndarray:
    """The first thing one writes: an sjoin of each distinct date's points against that date's polities (row or -1)."""
    import geopandas as gpd

    pts = gpd.GeoDataFrame({"i": np.arange(len(lon))}, geometry=gpd.points_from_xy(lon, lat), crs=4326)
    out = np.full(len(lon), -1, dtype=np.int64)
    for day in np.unique(days):
        valid = frame[(frame["start"] <= day) & (day <= frame["end"])]
        joined = gpd.sjoin(pts[days == day], valid, how="inner", predicate="intersects")
        joined = joined.sort_values("index_right")
        joined = joined[~joined.index.duplicated(keep="first")]
        out[joined["i"].to_numpy()] = joined["index_right"].to_numpy()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=200_000)
    ap.add_argument("--dates", type=int, default=1_000)
    ap.add_argument("--peer-points", type=int, default=None, help="points for the per-date loop (default: all)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    borders = load_borders()
    t_load = time.perf_counter() - t0
    lon, lat, days = _points(args.points, args.dates)
    t0 = time.perf_counter()
    borders["polities"].tree  # noqa: B018  the first lookup of a process builds it: reported apart
    t_tree = time.perf_counter() - t0
    pol = borders["polities"]
    frame = _frame(borders)
    w = slice(0, 1000)  # each method runs once on a few points first: its index and prepared outlines exist, as
    pol.locate(lon[w], lat[w], days[w])  # they would for every lookup after a process's first (timed separately)
    plain_sjoin_then_filter(frame, lon[w], lat[w], days[w])
    per_date_loop(frame, lon[w][:50], lat[w][:50], days[w][:50])
    t0 = time.perf_counter()
    idx = pol.locate(lon, lat, days)
    t_ours = time.perf_counter() - t0
    names = np.append(pol.props["name"].to_numpy(), "")  # index -1: held by nothing
    ours = names[idx]
    t0 = time.perf_counter()
    plain = names[plain_sjoin_then_filter(frame, lon, lat, days)]
    t_plain = time.perf_counter() - t0
    m = args.peer_points or args.points
    t0 = time.perf_counter()
    loop = names[per_date_loop(frame, lon[:m], lat[:m], days[:m])]
    t_loop = time.perf_counter() - t0
    us = lambda t, n: t / n * 1e6  # noqa: E731
    print(f"machine: {platform.machine()} {platform.python_implementation()} {platform.python_version()}, "
          f"date {time.strftime('%Y-%m-%d')}")
    print(f"border layers loaded in {t_load:.2f} s; one STRtree over the prepared polities built in {t_tree:.2f} s "
          f"(once per process); {len(np.unique(np.column_stack([lon, lat]), axis=0))} distinct points")
    print(f"{'method':56} {'points':>9} {'dates':>6} {'seconds':>9} {'us/point':>9}")
    print(f"{'ours: Layer.locate (distinct points x periods)':56} {args.points:>9,} {len(np.unique(days)):>6} "
          f"{t_ours:>9.3f} {us(t_ours, args.points):>9.2f}")
    print(f"{'plain: geopandas.sjoin of distinct points, date filter':56} {args.points:>9,} {len(np.unique(days)):>6} "
          f"{t_plain:>9.3f} {us(t_plain, args.points):>9.2f}")
    print(f"{'loop: geopandas.sjoin per distinct date':56} {m:>9,} {len(np.unique(days[:m])):>6} "
          f"{t_loop:>9.3f} {us(t_loop, m):>9.2f}")
    print(f"ours vs plain sjoin + date filter: {t_plain / t_ours:.1f}x faster; "
          f"answers agree on {np.mean(ours == plain):.2%} of points")
    print(f"ours vs per-date loop (per point): {us(t_loop, m) / us(t_ours, args.points):.1f}x faster; "
          f"answers agree on {np.mean(ours[:m] == loop):.2%} of the loop's points")


if __name__ == "__main__":
    main()
