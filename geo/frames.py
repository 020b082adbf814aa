"""GeoDataFrames at the library's edges: every conversion between the atlas's tables and geopandas.

The atlas computes on numpy arrays and plain tables (fast, see :mod:`geo.borders`); a historian
working in Jupyter gets and gives :class:`geopandas.GeoDataFrame` objects in EPSG:4326:

* :func:`layer_frame` -- the features of a border layer (what :meth:`geo.borders.Borders.on` returns);
* :func:`points_and_days` -- longitudes, latitudes and days out of a GeoSeries/GeoDataFrame of points;
* :func:`join_dated` -- an ``sjoin``-like join of dated points to the borders of their dates;
* :func:`records_frame` -- joined records with their origin and destination points and the record's line;
* :func:`lines_frame` -- a table with line coordinates as a GeoDataFrame of LineStrings;
* :func:`write_frame` -- a GeoPackage, GeoParquet or GeoJSON file written atomically.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

if TYPE_CHECKING:
    from geo.borders import Borders, Layer

#: The coordinate reference system of every frame the library returns: longitude/latitude on WGS84.
CRS = "EPSG:4326"

#: Geometry kinds of :func:`records_frame`: the column each names, and what it holds.
RECORD_GEOMETRIES = {"origin": "origin_point", "destination": "destination_point", "flow": "flow_line"}

#: Output formats :func:`write_frame` writes, by file ending: (pyogrio driver or "parquet", one geometry column only).
GEO_FORMATS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".parquet": "parquet", ".geoparquet": "parquet"}


def layer_frame(layer: Layer, mask: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """The features of a border layer as a GeoDataFrame.

    Parameters
    ----------
    layer : geo.borders.Layer
        A border layer.
    mask : numpy.ndarray of bool, optional
        The features to keep (all when omitted).

    Returns
    -------
    geopandas.GeoDataFrame
        The layer's properties (``id``, ``unit``, ``name``, ``valid_from``, ``valid_to``, ...)
        and ``geometry``, in EPSG:4326, indexed from 0.
    """
    keep = np.ones(len(layer), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    props = layer.props[keep].reset_index(drop=True)
    return gpd.GeoDataFrame(props, geometry=gpd.GeoSeries(list(layer.geoms[keep]), crs=CRS), crs=CRS)


def is_geo(obj: object) -> bool:
    """True for a GeoSeries or GeoDataFrame."""
    return isinstance(obj, (gpd.GeoSeries, gpd.GeoDataFrame))


def points_and_days(points: gpd.GeoSeries | gpd.GeoDataFrame, days: str | Iterable[object] | None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Longitude, latitude and day of each point of a GeoSeries/GeoDataFrame.

    Parameters
    ----------
    points : geopandas.GeoSeries or geopandas.GeoDataFrame
        Points (empty or missing geometries count as unknown places). Any CRS: they are
        brought to EPSG:4326; without a CRS they are taken to be longitude/latitude already.
    days : str or iterable
        The name of a date column of ``points``, or one date per point (``datetime.date``,
        ISO text, ``datetime64``; unreadable dates count as unknown).

    Returns
    -------
    tuple of numpy.ndarray
        ``lon``, ``lat`` (NaN where unknown) and ``days`` as ``datetime64[D]`` (NaT where unknown).

    Raises
    ------
    ValueError
        When a geometry is not a point (a polygon has no single holder on a date), or
        when ``days`` names no column.
    """
    geo = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    if geo.crs is not None and not geo.crs.equals(CRS):
        geo = geo.to_crs(CRS)
    arr = np.asarray(geo.to_numpy(), dtype=object)
    known = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    kinds = set(shapely.get_type_id(arr[known]).tolist())
    if kinds - {0}:
        bad = sorted({shapely.GeometryType(k).name.title() for k in kinds - {0}})
        raise ValueError(f"only points can be located on a date; got {', '.join(bad)} "
                         "(take a representative point yourself if that is what you mean)")
    lon = np.full(len(arr), np.nan)
    lat = np.full(len(arr), np.nan)
    lon[known], lat[known] = shapely.get_x(arr[known]), shapely.get_y(arr[known])
    if days is None:
        raise ValueError("give the dates: the name of a date column, or one date per point")
    if isinstance(days, str):
        if not isinstance(points, gpd.GeoDataFrame) or days not in points.columns:
            raise ValueError(f"no date column {days!r} in the points")
        days = points[days]
    values = days.to_numpy() if isinstance(days, pd.Series) else list(days)
    day = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce", format="mixed").to_numpy("datetime64[D]")
    if len(day) != len(arr):
        raise ValueError(f"{len(day)} dates for {len(arr)} points")
    return lon, lat, day


def join_dated(points: gpd.GeoDataFrame, date_col: str, layers: Sequence[str] | None = None,
               borders: Borders | None = None, rsuffix: str = "right") -> gpd.GeoDataFrame:
    """Join dated points to the border units that held them on their dates, like ``geopandas.sjoin``.

    Each point is looked up in the borders valid on its own date (one query for all the
    dates; see :meth:`geo.borders.Borders.locate`), not in one map of one year.

    Parameters
    ----------
    points : geopandas.GeoDataFrame
        Points with a date column. Any CRS (looked up in EPSG:4326; the result keeps
        the input's geometry and CRS).
    date_col : str
        The column with each point's date (``datetime64``, ``datetime.date`` or ISO text).
    layers : sequence of str, optional
        Which of ``polities``, ``republics``, ``kazakh_regions``, ``occupation`` to look
        up (default all four).
    borders : geo.borders.Borders, optional
        The border layers (default: the bundled ones).
    rsuffix : str
        Suffix for a looked-up column whose name the points already use.

    Returns
    -------
    geopandas.GeoDataFrame
        ``points`` (same index, geometry and CRS) with, per layer, the name and ``*_id``
        of the holder: ``polity``; ``republic`` and ``autonomy``; ``kz_region``;
        ``occupation`` and ``occupier`` -- empty text where nothing held the point on its
        date, or the point or date is unknown -- and ``snapped`` (a point just offshore on
        the simplified coast was moved to the nearest coast).

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> pts = gpd.GeoDataFrame({"when": ["1938-06-01", "1940-06-01"]},
    ...                        geometry=gpd.points_from_xy([24.03, 24.03], [49.84, 49.84]), crs=4326)
    >>> join_dated(pts, "when", layers=["polities"])["polity"].tolist()
    ['Poland', 'USSR']
    """
    from geo.borders import LAYER_NAMES, bundled_borders

    if not isinstance(points, gpd.GeoDataFrame):
        raise TypeError("join_dated takes a GeoDataFrame of points with a date column")
    borders = bundled_borders() if borders is None else borders
    found = borders.locate(points, days=date_col, layers=tuple(layers or LAYER_NAMES))
    clash = {c: f"{c}_{rsuffix}" for c in found.columns if c in points.columns}
    out = points.copy()
    for col in found.columns:
        out[clash.get(col, col)] = found[col].to_numpy()
    return out


def _points(lon: pd.Series, lat: pd.Series) -> np.ndarray:
    """Shapely points; None where a coordinate is missing."""
    x, y = lon.astype(float).to_numpy(), lat.astype(float).to_numpy()
    ok = ~(np.isnan(x) | np.isnan(y))
    out = np.full(len(x), None, dtype=object)
    out[ok] = shapely.points(x[ok], y[ok])
    return out


def records_frame(records: pd.DataFrame, geometry: str = "origin") -> gpd.GeoDataFrame:
    """Joined records as a GeoDataFrame: the origin, the destination, and the record's line.

    Parameters
    ----------
    records : pandas.DataFrame
        Accepted rows of :func:`geo.join.join_records` (``origin_lat``, ``origin_lon``,
        ``destination_lat``, ``destination_lon``).
    geometry : {"origin", "destination", "flow"}
        The active geometry: ``origin_point``, ``destination_point`` or ``flow_line`` (a
        straight line from origin to destination).

    Returns
    -------
    geopandas.GeoDataFrame
        The records (same index and columns) plus the three geometry columns, EPSG:4326.
        An end that was not placed (unresolved, ambiguous) has no point, and its record no line.
    """
    if geometry not in RECORD_GEOMETRIES:
        raise ValueError(f"geometry must be one of {', '.join(RECORD_GEOMETRIES)}, not {geometry!r}")
    origin = _points(records["origin_lon"], records["origin_lat"])
    dest = _points(records["destination_lon"], records["destination_lat"])
    line = np.full(len(records), None, dtype=object)
    both = np.array([o is not None and d is not None for o, d in zip(origin, dest, strict=True)], dtype=bool)
    if both.any():
        coords = np.stack([shapely.get_coordinates(list(origin[both])), shapely.get_coordinates(list(dest[both]))], axis=1)
        line[both] = shapely.linestrings(coords)
    out = gpd.GeoDataFrame(records.copy())
    for kind, values in (("origin", origin), ("destination", dest), ("flow", line)):
        out[RECORD_GEOMETRIES[kind]] = gpd.GeoSeries(values, index=records.index, crs=CRS)
    return out.set_geometry(RECORD_GEOMETRIES[geometry], crs=CRS)


def lines_frame(table: pd.DataFrame, coords: Sequence[np.ndarray]) -> gpd.GeoDataFrame:
    """A table with one line per row as a GeoDataFrame of LineStrings (EPSG:4326).

    Parameters
    ----------
    table : pandas.DataFrame
        The rows (their columns are kept).
    coords : sequence of numpy.ndarray
        Per row, an ``(n, 2)`` array of longitude/latitude vertices.
    """
    lines = [shapely.linestrings(c) for c in coords]
    return gpd.GeoDataFrame(table.copy(), geometry=gpd.GeoSeries(lines, index=table.index, crs=CRS), crs=CRS)


def write_frame(frame: gpd.GeoDataFrame, path: Path, layer: str | None = None) -> None:
    """Write a GeoDataFrame atomically as GeoPackage, GeoJSON or GeoParquet, by the file's ending.

    The file is written next to ``path`` under a temporary name and then renamed, so a
    full disk or an error never leaves a half-written file in its place.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        What to write. GeoPackage and GeoJSON hold one geometry column: the active one is
        written and other geometry columns are dropped (their coordinates stay in the
        table's own columns). Columns of Python lists are written as ``;``-joined text.
    path : pathlib.Path
        ``.gpkg``, ``.geojson``, ``.parquet`` or ``.geoparquet``.
    layer : str, optional
        The GeoPackage layer name (default: the file's stem).

    Raises
    ------
    ValueError
        For any other ending (the caller says which formats exist).
    """
    path = Path(path)
    kind = GEO_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ValueError(f"cannot write {path.suffix or 'a file without an ending'} as geodata; "
                         f"use one of {', '.join(GEO_FORMATS)}")
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    if kind != "parquet":
        extra = [c for c in out.columns if c != out.geometry.name and isinstance(out[c].dtype, gpd.array.GeometryDtype)]
        out = out.drop(columns=extra)
        for col in out.columns:  # GDAL has no nullable-float or pandas string types: plain ones
            if isinstance(out[col].dtype, pd.StringDtype):
                out[col] = out[col].astype(object)
            elif isinstance(out[col].dtype, pd.Float64Dtype):
                out[col] = out[col].astype(float)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part{path.suffix}")
    try:
        if kind == "parquet":
            out.to_parquet(tmp, index=False)
        else:
            out.to_file(tmp, driver=kind, layer=layer or path.stem, index=False, engine="pyogrio")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
