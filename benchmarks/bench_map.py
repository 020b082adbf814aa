"""Map payload and build time for the flow map, beside the same layers as plain GeoJSON.

Prints, for one year (1941) and for the default period (1936-1944): the bytes of the page
the app sends (borders + Kazakh oblasts + flows + records, Leaflet inlined) and the time to
build it; and, measured in the same run, the peer: ``GeoDataFrame.explore()`` of the same
layers (the polities and oblasts of the period and the flows as lines) rendered to HTML by
folium, as a notebook or a quick Streamlit page would do it. explore() links Leaflet from a
CDN instead of inlining it, so its page is also offline-blind; the byte count is its HTML
alone.

Run: python benchmarks/bench_map.py
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import warnings

import geopandas as gpd

warnings.filterwarnings("ignore", message="GeoJsonTooltip is not configured")

from geo.borders import bundled_borders  # noqa: E402
from geo.dataset import bundled_dataset  # noqa: E402
from geo.flows import Filters, aggregate, filter_records, flows_by_year  # noqa: E402
from geo.mapview import flow_map_html  # noqa: E402


def _leaflet_bytes() -> int:
    from geo.mapview import _leaflet

    js, css = _leaflet()
    return len(js.encode()) + len(css.encode())


def _page(b, rec, y0: int, y1: int) -> tuple[int, float]:
    t = time.perf_counter()
    f = filter_records(rec, Filters(y0, y1))
    html = flow_map_html(b, flows_by_year(f, range(y0, y1 + 1), "place"), {}, first=dt.date(y0, 1, 1),
                         last=dt.date(min(y1, 1950), 12, 31), all_years=aggregate(f, "place"))
    return len(html.encode()), time.perf_counter() - t


def _peer(b, rec, y0: int, y1: int) -> tuple[int, float]:
    import numpy as np
    from shapely.geometry import LineString

    t = time.perf_counter()
    m = None
    for layer in ("polities", "kazakh_regions"):
        lay = b[layer]
        keep = (lay.start <= np.datetime64(dt.date(min(y1, 1950), 12, 31))) & (lay.end >= np.datetime64(dt.date(y0, 1, 1)))
        props = lay.props[keep].reset_index(drop=True)[["name", "valid_from", "valid_to", "source"]].astype(str)
        gdf = gpd.GeoDataFrame(props, geometry=list(lay.geoms[keep]), crs=4326)
        m = gdf.explore(m=m, tiles=None)
    fl = aggregate(filter_records(rec, Filters(y0, y1)), "place")
    lines = gpd.GeoDataFrame(fl[["origin", "destination", "people", "records"]],
                             geometry=[LineString([(a, b_), (c, d)]) for a, b_, c, d in
                                       zip(fl["origin_lon"], fl["origin_lat"], fl["destination_lon"], fl["destination_lat"])],
                             crs=4326)
    m = lines.explore(m=m, column="people", tiles=None)
    html = m.get_root().render()
    return len(html.encode()), time.perf_counter() - t


def main() -> None:
    t = time.perf_counter()
    b = bundled_borders()
    rec = bundled_dataset().records
    print(f"load borders + join bundled records: {time.perf_counter() - t:.2f} s")
    lf = _leaflet_bytes()
    print("ours: flow_map_html, Leaflet inlined (the 'without Leaflet' column drops those "
          f"{lf:,} bytes, since explore() links Leaflet from a CDN instead of counting it)")
    print("peer: GeoDataFrame.explore() of the same layers (polities, oblasts, flows), HTML rendered by folium")
    print(f"{'period':<12}{'page bytes':>12}{'w/o Leaflet':>13}{'build s':>9}{'peer bytes':>13}{'peer s':>8}"
          f"{'ratio':>8}{'ratio w/o L.':>14}")
    for y0, y1 in ((1941, 1941), (1936, 1944)):
        ours, t_ours = _page(b, rec, y0, y1)
        peer, t_peer = _peer(b, rec, y0, y1)
        print(f"{y0}-{y1:<7}{ours:>12,}{ours - lf:>13,}{t_ours:>9.2f}{peer:>13,}{t_peer:>8.2f}"
              f"{peer / ours:>7.1f}x{peer / (ours - lf):>13.1f}x")


if __name__ == "__main__":
    main()
