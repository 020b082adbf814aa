"""Historical migration atlas: the core library (no Streamlit here).

The public API takes and gives :class:`geopandas.GeoDataFrame` objects (EPSG:4326):

>>> import geo
>>> borders = geo.load_borders()
>>> borders.on("1939-09-01", "polities")                        # GeoDataFrame of that day's states
>>> geo.join_dated(points, "date", layers=["polities"])          # who held each point on its own date
>>> joined = geo.join_records(records, borders, geo.bundled_gazetteer(), geometry="flow")
>>> geo.flow_lines(geo.aggregate(joined.accepted, "oblast"))     # curved arrows with their totals

Modules
-------
atoms
    Natural Earth admin-1 pieces, simplified as one coverage and split by cut lines.
ledger
    The reviewable ledger of territorial change and its area expressions.
builder
    ``python -m geo build-shapes``: the border layers of ``data/shapes``.
borders
    The border layers at a date: which polity, republic, oblast and occupier held a point.
frames
    GeoDataFrames in and out: layers, dated points, joined records, lines; writing geodata files.
join
    The time-aware join of movement records (every row accepted or rejected with its reason).
flows
    Records filtered, grouped and summed into flows; flows as lines.
reference
    Agreement of the project's polities with external snapshot maps.
"""

from __future__ import annotations

from typing import Any

from geo.borders import Borders, BordersError, load_borders

__all__ = ["Borders", "BordersError", "aggregate", "bundled_gazetteer", "flow_lines", "join_dated", "join_records",
           "load_borders", "load_gazetteer", "load_user_borders", "read_table", "records_frame", "to_canonical",
           "write_frame"]

_LAZY = {  # imported on first use: ``import geo`` stays light for the app's pages
    "aggregate": "geo.flows", "flow_lines": "geo.flows",
    "join_dated": "geo.frames", "records_frame": "geo.frames", "write_frame": "geo.frames",
    "join_records": "geo.join", "bundled_gazetteer": "geo.gazetteer", "load_gazetteer": "geo.gazetteer",
    "load_user_borders": "geo.userborders", "read_table": "geo.records", "to_canonical": "geo.records",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
