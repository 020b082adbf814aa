"""Map payload and build time for the flow map, beside the same layers as plain GeoJSON.

Prints, for one year (1941) and for the default period (1936-1944): the bytes of the page
the app sends (borders + Kazakh oblasts + flows + records, Leaflet inlined) and the time to
build it; and, measured in the same run, the peer: the same border features written by
geopandas ``to_json()`` at full precision, which is what ``GeoDataFrame.explore()`` embeds
before adding folium's own assets (folium is not a dependency here, so explore() itself is
not run).

Run: python benchmarks/bench_map.py
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import geopandas as gpd  # noqa: E402

from geo.borders import bundled_borders  # noqa: E402
from geo.dataset import bundled_dataset  # noqa: E402
from geo.flows import Filters, aggregate, filter_records, flows_by_year  # noqa: E402
from geo.mapview import flow_map_html  # noqa: E402


def _page(b, rec, y0: int, y1: int) -> tuple[int, float]:
    t = time.perf_counter()
    f = filter_records(rec, Filters(y0, y1))
    html = flow_map_html(b, flows_by_year(f, range(y0, y1 + 1), "place"), {}, first=dt.date(y0, 1, 1),
                         last=dt.date(min(y1, 1950), 12, 31), all_years=aggregate(f, "place"))
    return len(html.encode()), time.perf_counter() - t


def _peer(b, y0: int, y1: int) -> tuple[int, float]:
    t = time.perf_counter()
    size = 0
    for layer in ("polities", "kazakh_regions"):
        lay = b[layer]
        import numpy as np

        keep = (lay.start <= np.datetime64(dt.date(min(y1, 1950), 12, 31))) & (lay.end >= np.datetime64(dt.date(y0, 1, 1)))
        gdf = gpd.GeoDataFrame(lay.props[keep].reset_index(drop=True), geometry=list(lay.geoms[keep]), crs=4326)
        size += len(gdf.to_json().encode())
    return size, time.perf_counter() - t


def main() -> None:
    t = time.perf_counter()
    b = bundled_borders()
    rec = bundled_dataset().records
    print(f"load borders + join bundled records: {time.perf_counter() - t:.2f} s")
    print(f"{'period':<12}{'page bytes':>12}{'build s':>9}{'peer bytes':>13}{'peer s':>8}{'ratio':>8}")
    for y0, y1 in ((1941, 1941), (1936, 1944)):
        ours, t_ours = _page(b, rec, y0, y1)
        peer, t_peer = _peer(b, y0, y1)
        print(f"{y0}-{y1:<7}{ours:>12,}{t_ours:>9.2f}{peer:>13,}{t_peer:>8.2f}{peer / ours:>7.1f}x")


if __name__ == "__main__":
    main()
