"""Flow ends that are areas: never drawn more precisely than the source names them.

A source that names only a republic, an oblast, a region or a country ("Kazakhstan", "Western
Ukraine", "Arkhangelsk Oblast", "Spain") gives no town. Such an end is drawn **to that area**:

- where the border layers hold the area (a Soviet republic or the Kazakh ASSR, a Kazakh oblast,
  a state), the arrow is aimed at the area's centre and **stops at the area's edge**; the map
  outlines the area while the arrow is hovered;
- where they do not (a historical region, an oblast of the RSFSR), the end is a **labelled area
  symbol** at the gazetteer's label point (``data/movements/README.md``, "Label points") and the
  arrow stops at the symbol's rim;
- never at the capital's point.

What an end is comes from the join (``*_match`` is ``region`` for the gazetteer's Kazakh oblasts
and republic) and from the curated gazetteer's ``kind`` (``republic``, ``oblast``, ``region``,
``country``). The rules are the small functions below, applied in order.

Curves are the quadratic Bézier the pages draw (``Atlas.bezier`` in ``geo/static/atlas.js``), so
the clipping parameters computed here hold in the browser and in the static exports alike.
"""

from __future__ import annotations

import csv
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from geo.borders import Borders
from geo.paths import MOVEMENTS_DIR

#: Kinds of curated places that stand for a whole unit, not a town.
AREA_KINDS = ("republic", "oblast", "region", "country")
#: ``*_area`` value of an area the border layers do not hold: drawn as a labelled symbol.
SYMBOL = "symbol"
#: Display simplification (degrees) of the area outlines sent to the page (the least; large areas get more).
AREA_TOLERANCE = 0.05
#: The smallest share of the curve (in its parameter) left visible after clipping at both edges;
#: below it the origin is drawn as a symbol at its area's centre (neighbouring areas).
MIN_VISIBLE = 0.15
#: Bend of the first flow on a route and the step between categories sharing a route.
BEND, BEND_STEP = 0.2, 0.14
_FIRST_DAY, _LAST_DAY = np.datetime64("1918-11-11"), np.datetime64("1950-12-31")


@lru_cache(maxsize=1)
def _curated_kinds() -> dict[str, str]:
    """Curated place id -> its kind (``city``, ``camp``, ``republic`` ...), from ``places.csv``."""
    path = MOVEMENTS_DIR / "places.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["id"]: r.get("kind", "") for r in csv.DictReader(fh)}


def _first_name(values: pd.Series) -> pd.Series:
    """For a span such as "Poland → USSR", the unit at the start of the record's dates."""
    return values.fillna("").astype(str).str.split(" → ").str[0]


def _days(records: pd.DataFrame) -> np.ndarray:
    day = pd.to_datetime(records["date_from"], errors="coerce").to_numpy("datetime64[D]")
    return np.clip(np.where(np.isnat(day), _LAST_DAY, day), _FIRST_DAY, _LAST_DAY)


def end_kind(records: pd.DataFrame, end: str) -> pd.Series:
    """What each record's ``end`` is: ``""`` (a place) or the kind of area the source names.

    Rules, in order: the gazetteer's Kazakh oblast (``match`` ``region`` with an oblast) is an
    ``oblast``; its Kazakh republic (``match`` ``region``, no oblast) a ``republic``; a curated place
    of kind republic, oblast, region or country is that kind; anything else is a place.
    """
    match = records.get(f"{end}_match", pd.Series("", index=records.index)).fillna("").astype(str)
    pid = records.get(f"{end}_place_id", pd.Series("", index=records.index)).fillna("").astype(str)
    kz = records.get(f"{end}_kz_region", pd.Series("", index=records.index)).fillna("").astype(str)
    curated = pid.map(_curated_kinds()).fillna("")
    kind = curated.where(curated.isin(AREA_KINDS), "")
    kind = kind.mask((match == "region") & (kz == ""), "republic")
    return kind.mask((match == "region") & (kz != ""), "oblast")


def _lookup(borders: Borders, layer: str, column: str, values: pd.Series, days: np.ndarray) -> pd.Series:
    """The id of the feature of ``layer`` whose ``column`` equals each value on each day ("" if none)."""
    lay = borders[layer]
    out = pd.Series("", index=values.index, dtype=object)
    if not len(lay.props) or column not in lay.props:
        return out
    col = lay.props[column].fillna("").astype(str).to_numpy()
    ids = lay.props["id"].astype(str).to_numpy()
    for (value, day), idx in pd.Series(range(len(values)), index=values.index).groupby([values.to_numpy(), days]).groups.items():
        if not value:
            continue
        hit = np.flatnonzero((col == value) & (lay.start <= day) & (lay.end >= day))
        if len(hit):
            out.loc[idx] = f"{layer}:{ids[hit[-1]]}"
    return out


def _unit_area(borders: Borders, names: pd.Series, days: np.ndarray) -> pd.Series:
    """A republic or autonomy of the republics layer by name, else a state of the polities layer."""
    rep = _lookup(borders, "republics", "name", names, days)
    pol = _lookup(borders, "polities", "name", names, days)
    return rep.where(rep != "", pol)


def end_areas(records: pd.DataFrame, borders: Borders, end: str, group: str = "place") -> pd.Series:
    """The area each record's ``end`` is drawn to under ``group``: a feature ``layer:id``, :data:`SYMBOL`, or ""."""
    from geo.flows import _republic, destination_region

    days = _days(records)
    if group == "polity":
        area = _unit_area(borders, _republic(records, end), days)
        return area  # every polity end is a unit; one the layers lack is drawn at its members' mean point
    if group == "oblast" and end == "destination":
        region = destination_region(records)
        kz = _lookup(borders, "kazakh_regions", "name", region, days)
        return kz.where(kz != "", _unit_area(borders, region, days))
    kind = end_kind(records, end)
    out = pd.Series("", index=records.index, dtype=object)
    oblast = kind == "oblast"
    if oblast.any():
        out[oblast] = _lookup(borders, "kazakh_regions", "id", records.loc[oblast, f"{end}_place_id"].astype(str),
                              days[oblast.to_numpy()])
        rest = oblast & (out == "")  # an RSFSR oblast: no outline in the layers
        out[rest] = SYMBOL
    rep = kind == "republic"
    if rep.any():
        names = _republic(records[rep], end)
        found = _unit_area(borders, names, days[rep.to_numpy()])
        out[rep] = found.where(found != "", SYMBOL)
    country = kind == "country"
    if country.any():
        names = _first_name(records.loc[country, f"{end}_polity"])
        found = _lookup(borders, "polities", "name", names, days[country.to_numpy()])
        out[country] = found.where(found != "", SYMBOL)
    out[kind == "region"] = SYMBOL
    return out


@lru_cache(maxsize=512)
def _shape(borders: Borders, area: str) -> shapely.Geometry | None:
    layer, _, fid = area.partition(":")
    lay = borders[layer]
    hit = np.flatnonzero(lay.props["id"].astype(str).to_numpy() == fid)
    if not len(hit):
        return None
    geom = lay.geoms[hit[0]]
    # coarser for large areas (the USSR), at most a few hundred vertices whatever the size
    tolerance = max(AREA_TOLERANCE, 0.004 * float(np.sqrt(shapely.area(geom))))
    geom = shapely.simplify(geom, tolerance, preserve_topology=True)
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]  # polygons only
    return shapely.union_all(parts) if parts else None


def area_shape(borders: Borders, area: str) -> shapely.Geometry | None:
    """The display outline of an area id ``layer:feature_id`` (None for a symbol or a place)."""
    if not area or area == SYMBOL or ":" not in area:
        return None
    return _shape(borders, area)


def centre(geom: shapely.Geometry) -> tuple[float, float]:
    """(lat, lon) an arrow aims at inside an area: its centroid, or a point surely inside it."""
    c = shapely.centroid(geom)
    if not shapely.contains(geom, c):
        c = shapely.point_on_surface(geom)
    return float(c.y), float(c.x)


def placed(records: pd.DataFrame, borders: Borders, group: str = "place") -> pd.DataFrame:
    """Records with ``origin_area`` and ``destination_area`` (and ``*_grouped``: the end is an area because
    ``group`` sums its places, not because the source names no town) and, for an end drawn to an
    outlined area, its point moved from the label point (a capital, say) to the area's centre.

    The flows summed from these records (:func:`geo.flows.aggregate` keeps the area columns) are
    then clipped at the areas' edges by :func:`clip`.
    """
    out = records.copy()
    for end in ("origin", "destination"):
        area = end_areas(out, borders, end, group) if len(out) else pd.Series([], dtype=object)
        out[f"{end}_area"] = area
        # an area because the source names no town, or because the map sums the end's places (grouping)
        grouping = group == "polity" or (group == "oblast" and end == "destination")
        out[f"{end}_grouped"] = (end_kind(out, end) == "") & grouping if len(out) else pd.Series([], dtype=bool)
        for a in set(area) - {"", SYMBOL}:
            geom = area_shape(borders, a)
            if geom is None:
                out.loc[area == a, f"{end}_area"] = SYMBOL
                continue
            lat, lon = centre(geom)
            out.loc[area == a, f"{end}_lat"] = lat
            out.loc[area == a, f"{end}_lon"] = lon
    return out


def bezier(a: tuple[float, float], b: tuple[float, float], bend: float, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points (lat, lon) of the pages' curve from ``a`` to ``b`` (both (lat, lon)) at parameters ``t``."""
    (y1, x1), (y2, x2) = a, b
    mx, my, dx, dy = (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
    cx, cy = mx - dy * bend, my + dx * bend
    u = 1 - t
    return u * u * y1 + 2 * u * t * cy + t * t * y2, u * u * x1 + 2 * u * t * cx + t * t * x2


def _edge(geom, a, b, bend, lo: float, hi: float, inside_at_lo: bool) -> float:
    """Bisect the parameter where the curve crosses ``geom``'s edge between ``lo`` and ``hi``."""
    for _ in range(20):
        mid = (lo + hi) / 2
        lat, lon = bezier(a, b, bend, np.array([mid]))
        if bool(shapely.contains_xy(geom, lon, lat)[0]) == inside_at_lo:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def clip(a: tuple[float, float], b: tuple[float, float], bend: float, origin: shapely.Geometry | None,
         destination: shapely.Geometry | None, samples: int = 200) -> tuple[float, float, bool, bool]:
    """Where a flow's curve leaves its origin area and enters its destination area.

    Returns
    -------
    (t0, t1, origin_symbol, destination_symbol)
        The visible part of the curve is ``t0..t1``. An end whose area cannot clip the curve
        (the other end lies inside it, or the areas are neighbours and too little would be left)
        is drawn as a symbol instead (``*_symbol`` True), never as a point.
    """
    t = np.linspace(0.0, 1.0, samples + 1)
    lat, lon = bezier(a, b, bend, t)
    t0, t1, o_sym, d_sym = 0.0, 1.0, False, False
    if destination is not None:
        inside = shapely.contains_xy(destination, lon, lat)
        if inside[0] or not inside.any():
            d_sym = True
        else:
            i = int(np.argmax(inside))
            t1 = _edge(destination, a, b, bend, t[i - 1], t[i], False)
    if origin is not None:
        inside = shapely.contains_xy(origin, lon, lat)
        if inside[-1] or not inside.any():
            o_sym = True
        else:
            j = int(np.flatnonzero(inside)[-1])
            t0 = _edge(origin, a, b, bend, t[j], t[j + 1], True)
    if t1 - t0 < MIN_VISIBLE and origin is not None and not o_sym:
        t0, o_sym = 0.0, True  # neighbours: start from a symbol at the origin's centre
    if t1 - t0 < MIN_VISIBLE and destination is not None and not d_sym:
        t1, d_sym = 1.0, True
    return t0, t1, o_sym, d_sym


def bends(frames: list[pd.DataFrame]) -> dict[tuple, float]:
    """A bend per (origin, destination, dataset, category), the same in every frame.

    Categories sharing a route get nested arcs (:data:`BEND`, + :data:`BEND_STEP`, ...), so two
    kinds of movement on one route are two arrows side by side, never one on top of the other.
    """
    routes: dict[tuple, set[str]] = {}
    for fl in frames:
        if fl is None or not len(fl):
            continue
        ds = fl["dataset"] if "dataset" in fl else pd.Series("bundled", index=fl.index)
        for o, d, s, c in zip(fl["origin"], fl["destination"], ds, fl["category"]):
            routes.setdefault((o, d, s), set()).add(c)
    from geo.vocabulary import CATEGORIES

    order = {c: i for i, c in enumerate(CATEGORIES)}
    out = {}
    for route, cats in routes.items():
        for k, c in enumerate(sorted(cats, key=lambda c: (order.get(c, 99), c))):
            out[(*route, c)] = BEND + BEND_STEP * k
    return out
