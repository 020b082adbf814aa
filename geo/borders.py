"""Borders through time: which polity, republic, oblast and occupier held a place on a date.

The layers are the GeoJSON files of ``data/shapes`` (see ``data/shapes/README.md``).
Every feature is valid from ``valid_from`` to ``valid_to`` inclusive. Lookups are
vectorised: each distinct point is tested once against the features of every
period, and each record takes the candidate valid on its day.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from geo.paths import SHAPES_DIR

if TYPE_CHECKING:
    import geopandas as gpd

#: A point in no polity (at sea after coastline simplification) is moved to the
#: nearest polity border within this distance (degrees) before every lookup.
SNAP_DISTANCE = 0.3

#: Layer files, in lookup order.
LAYER_NAMES = ("polities", "republics", "kazakh_regions", "occupation")

_DAY = np.timedelta64(1, "D")


def _distinct_points(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of distinct (lon, lat) pairs and the pairs themselves (hash-based, no sort)."""
    a, ua = pd.factorize(lon)
    b, ub = pd.factorize(lat)
    width = len(ub) + 1
    codes, uc = pd.factorize(a.astype(np.int64) * width + b)
    uc = np.asarray(uc)
    return codes, np.column_stack([np.asarray(ua)[uc // width], np.asarray(ub)[uc % width]])


class BordersError(ValueError):
    """A border file is missing, unreadable or not in the expected form."""


@dataclass
class Layer:
    """One border layer: its features' properties, geometries and validity."""

    name: str
    props: pd.DataFrame
    geoms: np.ndarray
    start: np.ndarray  # datetime64[D], inclusive
    end: np.ndarray  # datetime64[D], inclusive
    _trees: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.geoms)

    @property
    def breaks(self) -> np.ndarray:
        """Sorted days on which some feature of the layer starts or ends."""
        return np.unique(np.concatenate([self.start, self.end + _DAY]))

    def subset(self, mask: np.ndarray) -> Layer:
        """A layer of the features selected by a boolean mask."""
        return Layer(self.name, self.props[mask].reset_index(drop=True), self.geoms[mask], self.start[mask], self.end[mask])

    def valid_on(self, day: dt.date | str | np.datetime64) -> np.ndarray:
        """Boolean mask of the features valid on ``day``."""
        d = np.datetime64(day, "D")
        return (self.start <= d) & (d <= self.end)

    def _tree(self, interval: int) -> tuple[shapely.STRtree, np.ndarray]:
        """STRtree of the features valid in one interval between breaks."""
        if interval not in self._trees:
            day = self.breaks[interval]
            idx = np.flatnonzero(self.valid_on(day))
            self._trees[interval] = (shapely.STRtree(self.geoms[idx]), idx)
        return self._trees[interval]

    @property
    def tree(self) -> shapely.STRtree:
        """One STRtree over the features of every period."""
        if "all" not in self._trees:
            shapely.prepare(self.geoms)  # point-in-polygon on prepared outlines: once, not per query
            self._trees["all"] = shapely.STRtree(self.geoms)
        return self._trees["all"]

    def _candidates(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Features of any period containing each point.

        Each distinct point is tested once. Returns the candidate feature indices
        (grouped by point, lower index first) and, per input point, the position
        of its first candidate and how many it has.
        """
        inv, uniq = _distinct_points(lon, lat)
        points = shapely.points(uniq)
        p_i, f_i = self.tree.query(points)  # candidates by bounding box
        # then the exact test on the prepared outlines (an STRtree predicate would prepare the points instead)
        hit = shapely.intersects(self.geoms[f_i], points[p_i])
        p_i, f_i = p_i[hit], f_i[hit]
        order = np.lexsort((f_i, p_i))
        p_i, f_i = p_i[order], f_i[order]
        counts = np.bincount(p_i, minlength=len(uniq))
        first = np.concatenate([[0], np.cumsum(counts)[:-1]])
        return f_i, first[inv], counts[inv]

    def locate(self, lon: np.ndarray, lat: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Index of the feature containing each point on its day, or -1.

        Each distinct point is tested once against the features of all periods
        (one STRtree query); each record then takes, vectorised, the candidate
        whose validity covers its day. Archive records name a few hundred
        places, so the polygon tests do not grow with the number of records.

        Parameters
        ----------
        lon, lat : numpy.ndarray
            Coordinates in degrees (NaN for unknown).
        days : numpy.ndarray
            ``datetime64[D]`` per point (NaT for unknown).

        Returns
        -------
        numpy.ndarray
            Feature index per point; -1 where no feature of the layer holds the
            point on that day (outside the layer, unknown point or date). On a
            border shared by two features the lower index wins.
        """
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        days = np.asarray(days, dtype="datetime64[D]")
        out = np.full(len(lon), -1, dtype=np.int64)
        ok = ~(np.isnan(lon) | np.isnan(lat) | np.isnat(days))
        if not ok.any() or len(self.geoms) == 0:
            return out
        f_i, rec_first, rec_count = self._candidates(lon[ok], lat[ok])
        d = days[ok]
        res = np.full(len(d), -1, dtype=np.int64)
        for k in range(int(rec_count.max()) if len(rec_count) else 0):
            todo = np.flatnonzero((rec_count > k) & (res < 0))
            if len(todo) == 0:
                break
            f = f_i[rec_first[todo] + k]
            hit = (self.start[f] <= d[todo]) & (d[todo] <= self.end[f])
            res[todo[hit]] = f[hit]
        out[ok] = res
        return out

    def locate_span(self, lon: np.ndarray, lat: np.ndarray, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every feature holding each point at some day between ``first`` and ``last``.

        Returns
        -------
        tuple of numpy.ndarray
            ``(point, feature)`` index pairs, sorted by point and then by the
            feature's first day: one pair for a point whose span sees no border
            change, several (in chronological order) when it does.
        """
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        first = np.asarray(first, dtype="datetime64[D]")
        last = np.asarray(last, dtype="datetime64[D]")
        ok = ~(np.isnan(lon) | np.isnan(lat) | np.isnat(first) | np.isnat(last))
        empty = np.array([], dtype=np.int64)
        if not ok.any() or len(self.geoms) == 0:
            return empty, empty
        rows = np.flatnonzero(ok)
        f_i, rec_first, rec_count = self._candidates(lon[ok], lat[ok])
        f0, l0 = first[ok], last[ok]
        recs, feats = [], []
        for k in range(int(rec_count.max()) if len(rec_count) else 0):
            todo = np.flatnonzero(rec_count > k)
            if len(todo) == 0:
                break
            f = f_i[rec_first[todo] + k]
            hit = (self.start[f] <= l0[todo]) & (f0[todo] <= self.end[f])
            recs.append(rows[todo[hit]])
            feats.append(f[hit])
        if not recs:
            return empty, empty
        recs_a, feats_a = np.concatenate(recs), np.concatenate(feats)
        order = np.lexsort((feats_a, self.start[feats_a], recs_a))
        return recs_a[order], feats_a[order]

    def snap(self, lon: np.ndarray, lat: np.ndarray, days: np.ndarray,
             max_distance: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Move points held by no feature onto the nearest feature within ``max_distance``.

        Returns
        -------
        tuple of numpy.ndarray
            New longitudes, latitudes, and a boolean mask of the points moved.
        """
        lon = np.array(lon, dtype=float)
        lat = np.array(lat, dtype=float)
        days = np.asarray(days, dtype="datetime64[D]")
        miss = self.locate(lon, lat, days) < 0
        miss &= ~(np.isnan(lon) | np.isnan(lat) | np.isnat(days))
        moved = np.zeros(len(lon), dtype=bool)
        if not miss.any():
            return lon, lat, moved
        breaks = self.breaks
        interval = np.searchsorted(breaks, days, side="right") - 1
        miss &= (interval >= 0) & (interval < len(breaks) - 1)
        points = shapely.points(lon, lat)
        for k in np.unique(interval[miss]):
            sel = np.flatnonzero(miss & (interval == k))
            tree, idx = self._tree(int(k))
            if len(idx) == 0:
                continue
            p_i, f_i = tree.query_nearest(points[sel], max_distance=max_distance, all_matches=False)
            ends = shapely.get_point(shapely.shortest_line(points[sel[p_i]], self.geoms[idx[f_i]]), 1)
            dx, dy = shapely.get_x(ends) - lon[sel[p_i]], shapely.get_y(ends) - lat[sel[p_i]]
            norm = np.hypot(dx, dy)
            norm[norm == 0] = 1.0
            # step 1e-4 degrees past the border so the point lies inside, not on the edge
            lon[sel[p_i]] = shapely.get_x(ends) + dx / norm * 1e-4
            lat[sel[p_i]] = shapely.get_y(ends) + dy / norm * 1e-4
            moved[sel[p_i]] = True
        return lon, lat, moved


def _read_layer(path: Path, name: str) -> Layer:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BordersError(f"border layer {name!r} not found at {path}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BordersError(f"border layer {name!r} at {path} is not readable GeoJSON: {exc}") from exc
    feats = data.get("features") if isinstance(data, dict) else None
    if not isinstance(feats, list):
        raise BordersError(f"border layer {name!r} at {path} has no feature list")
    try:
        props = pd.DataFrame([f["properties"] for f in feats])
        geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in feats]) if feats else np.array([])
        start = pd.to_datetime(props["valid_from"]).to_numpy("datetime64[D]") if feats else np.array([], "datetime64[D]")
        end = pd.to_datetime(props["valid_to"]).to_numpy("datetime64[D]") if feats else np.array([], "datetime64[D]")
    except (KeyError, TypeError, ValueError, shapely.errors.GEOSException) as exc:
        raise BordersError(f"border layer {name!r} at {path}: malformed feature ({exc})") from exc
    return Layer(name=name, props=props, geoms=np.asarray(geoms, dtype=object), start=start, end=end)


class Borders:
    """The border layers, queried by date.

    Parameters
    ----------
    layers : dict of str to Layer
        Layers by name (``polities``, ``republics``, ``kazakh_regions``, ``occupation``).
    """

    def __init__(self, layers: dict[str, Layer]) -> None:
        self.layers = layers

    def __getitem__(self, name: str) -> Layer:
        return self.layers[name]

    def on(self, day: dt.date | str, layer: str = "polities") -> gpd.GeoDataFrame:
        """The features of ``layer`` valid on ``day``.

        Parameters
        ----------
        day : datetime.date or str
            The date (ISO text such as ``"1939-09-01"``).
        layer : str
            ``polities``, ``republics``, ``kazakh_regions`` or ``occupation``.

        Returns
        -------
        geopandas.GeoDataFrame
            One row per feature: its properties (``id``, ``unit``, ``name``, ``name_ru``,
            ``name_kk``, ``valid_from``, ``valid_to``, ``precision``, ``source`` ...) and
            ``geometry`` ((Multi)Polygons), in EPSG:4326.
        """
        from geo.frames import layer_frame

        lay = self.layers[layer]
        return layer_frame(lay, lay.valid_on(day))

    def locate(
        self,
        lon: Iterable[float] | gpd.GeoSeries | gpd.GeoDataFrame,
        lat: Iterable[float] | None = None,
        days: Iterable[object] | str | None = None,
        layers: Iterable[str] = LAYER_NAMES,
    ) -> pd.DataFrame:
        """Who held each point on its day, per layer.

        Parameters
        ----------
        lon : iterable of float, or geopandas.GeoSeries or geopandas.GeoDataFrame
            Point longitudes (degrees, WGS84); or the points themselves as a
            GeoSeries/GeoDataFrame (any CRS; ``lat`` is then omitted).
        lat : iterable of float, optional
            Point latitudes, when ``lon`` holds longitudes.
        days : iterable or str
            One date per point (``datetime.date``, ISO string or ``datetime64``); with
            a GeoDataFrame, also the name of its date column.
        layers : iterable of str
            Layers to look up.

        Returns
        -------
        pandas.DataFrame
            Columns ``polity``, ``republic`` (union-level Soviet republic),
            ``autonomy`` (autonomous republic such as the Kazakh ASSR),
            ``kz_region``, ``occupation`` and ``occupier``, each name with an
            ``*_id`` column (feature id, ``UNIT@valid_from``); empty strings
            where nothing holds the point. ``snapped`` is True where a point
            at sea (a coastal town after simplification) was moved to the
            nearest coast, at most :data:`SNAP_DISTANCE` degrees. Indexed like
            the points when they are a GeoSeries/GeoDataFrame, else from 0.
            :func:`geo.frames.join_dated` returns the points with these columns.
        """
        from geo.frames import is_geo, points_and_days

        index = None
        if is_geo(lon):
            if lat is not None:
                raise TypeError("give either points (a GeoSeries/GeoDataFrame) or longitudes and latitudes, not both")
            index = lon.index
            lon, lat, days = points_and_days(lon, days)
        else:
            if lat is None or days is None:
                raise TypeError("locate needs longitudes, latitudes and dates (or points and dates)")
            lon = np.asarray(list(lon), dtype=float)
            lat = np.asarray(list(lat), dtype=float)
            days = pd.to_datetime(pd.Series(list(days)), errors="coerce").to_numpy("datetime64[D]")
        out = pd.DataFrame(index=range(len(lon)))
        lon, lat, moved = self.layers["polities"].snap(lon, lat, days, SNAP_DISTANCE)
        out["snapped"] = moved
        for name in layers:
            lay = self.layers[name]
            if name == "republics":
                level = lay.props["level"].to_numpy()
                self._fill(out, "republic", lay.subset(level == "union"), lon, lat, days)
                self._fill(out, "autonomy", lay.subset(level == "autonomous"), lon, lat, days)
            elif name == "polities":
                self._fill(out, "polity", lay, lon, lat, days)
            elif name == "kazakh_regions":
                self._fill(out, "kz_region", lay, lon, lat, days)
            elif name == "occupation":
                self._fill(out, "occupation", lay, lon, lat, days, extra=("occupier",))
            else:
                raise ValueError(f"unknown layer {name!r}; the layers are {', '.join(LAYER_NAMES)}")
        if index is not None:
            out.index = index
        return out

    @staticmethod
    def _fill(
        out: pd.DataFrame, col: str, lay: Layer, lon: np.ndarray, lat: np.ndarray, days: np.ndarray,
        extra: tuple[str, ...] = (),
    ) -> None:
        hit = lay.locate(lon, lat, days)
        found = hit >= 0
        for name, src in ((col, "name"), (f"{col}_id", "id"), *((e, e) for e in extra)):
            values = np.full(len(hit), "", dtype=object)
            if found.any():
                values[found] = lay.props[src].to_numpy()[hit[found]]
            out[name] = values


def load_borders(folder: Path = SHAPES_DIR) -> Borders:
    """Read the border layers of ``folder``.

    Raises :class:`BordersError` with a one-line reason when a file is missing
    or malformed.
    """
    return Borders({name: _read_layer(Path(folder) / f"{name}.geojson", name) for name in LAYER_NAMES})


@lru_cache(maxsize=2)
def bundled_borders() -> Borders:
    """The bundled border layers, read once per process."""
    return load_borders(SHAPES_DIR)
