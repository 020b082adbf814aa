"""Benchmark: who held each point on its date, for many dated points.

Ours: ``Layer.locate`` (each distinct point tested once against the features of all
periods with one STRtree; each record picks, vectorised, the feature valid on its day).
Peer: the plain alternative, a ``geopandas.sjoin`` of the points of each distinct
date against the polities valid on that date.

Both run on the same points in the same process; the script prints both times,
the ratio and whether the answers agree.

Usage: python benchmarks/bench_borders.py [--points 200000] [--dates 1000] [--peer-points 50000]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.borders import load_borders  # noqa: E402


def _points(n: int, n_dates: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # a few hundred "towns" between the Rhine and the Irtysh, as archive records would name them
    towns_lon = rng.uniform(5.0, 85.0, 400)
    towns_lat = rng.uniform(40.0, 62.0, 400)
    pick = rng.integers(0, 400, n)
    first, last = np.datetime64("1918-11-11"), np.datetime64("1950-12-31")
    days = first + rng.integers(0, int((last - first).astype(int)) + 1, n_dates).astype("timedelta64[D]")
    return towns_lon[pick], towns_lat[pick], days[rng.integers(0, n_dates, n)]


def _peer(borders, lon, lat, days) -> np.ndarray:
    import geopandas as gpd

    pol = borders["polities"]
    frame = gpd.GeoDataFrame(pol.props[["name"]].copy(), geometry=list(pol.geoms), crs=4326)
    pts = gpd.GeoDataFrame({"i": np.arange(len(lon))}, geometry=gpd.points_from_xy(lon, lat), crs=4326)
    out = np.full(len(lon), "", dtype=object)
    for day in np.unique(days):
        valid = frame[(pol.start <= day) & (day <= pol.end)]
        sub = pts[days == day]
        joined = gpd.sjoin(sub, valid, how="left", predicate="intersects")
        joined = joined[~joined.index.duplicated(keep="first")]
        out[joined["i"].to_numpy()] = joined["name"].fillna("").to_numpy()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=200_000)
    ap.add_argument("--dates", type=int, default=1_000)
    ap.add_argument("--peer-points", type=int, default=None, help="points for the peer (default: all)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    borders = load_borders()
    t_load = time.perf_counter() - t0
    lon, lat, days = _points(args.points, args.dates)
    pol = borders["polities"]
    t0 = time.perf_counter()
    idx = pol.locate(lon, lat, days)
    t_ours = time.perf_counter() - t0
    ours = np.where(idx >= 0, pol.props["name"].to_numpy()[np.maximum(idx, 0)], "")
    m = args.peer_points or args.points
    t0 = time.perf_counter()
    peer = _peer(borders, lon[:m], lat[:m], days[:m])
    t_peer = time.perf_counter() - t0
    agree = float(np.mean(ours[:m] == peer))
    per_point_ours = t_ours / args.points
    per_point_peer = t_peer / m
    print(f"machine: {platform.machine()} {platform.python_implementation()} {platform.python_version()}, "
          f"date {time.strftime('%Y-%m-%d')}")
    print(f"border layers loaded in {t_load:.2f} s")
    print(f"{'method':44} {'points':>9} {'dates':>6} {'seconds':>9} {'us/point':>9}")
    print(f"{'ours: Layer.locate (distinct points x periods)':44} {args.points:>9,} {len(np.unique(days)):>6} {t_ours:>9.3f} {per_point_ours * 1e6:>9.2f}")
    print(f"{'peer: geopandas.sjoin per distinct date':44} {m:>9,} {len(np.unique(days[:m])):>6} {t_peer:>9.3f} {per_point_peer * 1e6:>9.2f}")
    print(f"speed-up per point: {per_point_peer / per_point_ours:.1f}x; answers agree on {agree:.2%} of the peer's points")


if __name__ == "__main__":
    main()
