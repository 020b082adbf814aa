"""Map payload and build time for the flow map, beside the same layers as plain GeoJSON.

Prints, for one year (1941) and for the default period (1936-1944), the bytes of the flow page
(borders + Kazakh oblasts + flows + records + area outlines) as the app sends it (``linked``:
Leaflet and the map scripts are static files the browser fetches once and keeps, so they are not
in the page) and as an export carries it (``inline``: everything in the file), and the time to
build it; and, measured in the same run, the peer: ``GeoDataFrame.explore()`` of the same layers
(the polities and oblasts of the period and the flows as lines) rendered to HTML by folium, as a
notebook or a quick Streamlit page would do it. explore() links Leaflet, jQuery and Bootstrap
from CDNs, so its page as sent is its HTML alone (and it works only online). The static files
the linked page fetches once are printed too.

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

from geo.assets import asset_text  # noqa: E402
from geo.borders import bundled_borders  # noqa: E402
from geo.dataset import bundled_dataset  # noqa: E402
from geo.flows import Filters, aggregate, filter_records  # noqa: E402
from geo.mapview import flows_page  # noqa: E402


def _static_bytes() -> int:
    return sum(len(asset_text(n).encode()) for n in ("leaflet.js", "leaflet.css", "atlas.js", "atlas.css", "player.js"))


def _page(b, rec, sources, y0: int, y1: int, assets: str) -> tuple[int, float]:
    t = time.perf_counter()
    html = flows_page(rec, b, Filters(y0, y1), sources=sources, assets=assets, url_state=assets == "linked")
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
    ds = bundled_dataset()
    rec = ds.records
    print(f"load borders + join bundled records: {time.perf_counter() - t:.2f} s")
    print("ours: geo.mapview.flows_page; 'inline' = an export (Leaflet and the map scripts in the file), "
          "'linked' = the page the app sends (those files linked from /app/static, fetched once: "
          f"{_static_bytes():,} bytes)")
    print("peer: GeoDataFrame.explore() of the same layers (polities, oblasts, flows), HTML rendered by folium")
    print(f"{'period':<12}{'inline':>12}{'linked':>13}{'build s':>9}{'peer bytes':>13}{'peer s':>8}"
          f"{'ratio':>8}{'ratio linked':>14}")
    for y0, y1 in ((1941, 1941), (1936, 1944)):
        inline, _ = _page(b, rec, ds.sources, y0, y1, "inline")
        linked, t_ours = _page(b, rec, ds.sources, y0, y1, "linked")
        peer, t_peer = _peer(b, rec, y0, y1)
        print(f"{y0}-{y1:<7}{inline:>12,}{linked:>13,}{t_ours:>9.2f}{peer:>13,}{t_peer:>8.2f}"
              f"{peer / inline:>7.1f}x{peer / linked:>13.1f}x")


if __name__ == "__main__":
    main()
