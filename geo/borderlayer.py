"""The borders of a period as one folium layer that shows, in the browser, the units valid on a day.

Every feature valid at some time in the period is sent once, with its validity, as integer
coordinate deltas (several times shorter than GeoJSON text); ``Atlas.borders`` in
``geo/static/atlas.js`` rebuilds them and draws those valid on the day the map shows, so a year
step needs no server. Used by every map page (flows, Kazakhstan, lecture, the borders of a date,
the candidate places of the import page) and by notebooks::

    m = geo.mapview.atlas_map()
    DatedBorders(load_borders(), "1941-06-01").add_to(m)
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from geo.assets import AtlasAssets, safe_json
from geo.borders import Borders
from geo.paths import SHAPES_DIR

#: Muted fills for neighbouring polities (after Paul Tol's "pale" and "light" schemes), so that the flows
#: stay the only saturated colours; the largest polity gets the first. No pale blue: land must not look
#: like the sea (:data:`geo.mapview.SEA`).
PALETTE = ("#EEEEBB", "#CCDDAA", "#FFCCCC", "#DDDDDD", "#F1DDB8", "#E8D8C8", "#D9CCE6", "#E2EBC4", "#F2E6C8")
#: Display simplification (degrees) and coordinate rounding of the border pages' GeoJSON.
DISPLAY_TOLERANCE = 0.03
DISPLAY_DECIMALS = 2
#: Simplification of the flow maps' borders (the scale they are seen at).
FLOW_TOLERANCE = 0.08
#: Today's outlines outside the atlas's focus are context only: coarser, rounded to 0.1 degree,
#: and without islands smaller than OUTLINE_MIN_AREA square degrees.
OUTLINE_TOLERANCE = 0.25
OUTLINE_MIN_AREA = 0.3
#: Properties the pages' tooltips use (the names in the page's language only; the detailed tooltips of the
#: borders page add the Russian name and the precision).
PROPS = ("id", "name", "name_modern", "capital", "valid_from", "valid_to", "kind", "occupier")
DETAIL_PROPS = (*PROPS, "name_ru", "precision")
_PROPS_FULL = ("id", "unit", "name", "name_ru", "name_kk", "valid_from", "valid_to", "precision", "source",
               "capital", "occupier", "level", "name_modern", "kind")


def _round_coords(obj: object, decimals: int = DISPLAY_DECIMALS) -> object:
    if isinstance(obj, float):
        return round(obj, decimals)
    if isinstance(obj, list):
        return [_round_coords(v, decimals) for v in obj]
    if isinstance(obj, dict):
        return {k: _round_coords(v, decimals) for k, v in obj.items()}
    return obj


def _clean(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def greedy_colors(geoms: np.ndarray) -> list[int]:
    """A palette index per geometry such that touching geometries differ (largest first)."""
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    neighbours: dict[int, set[int]] = {}
    for a, b in zip(left, right):
        if a != b:
            neighbours.setdefault(int(a), set()).add(int(b))
    order = np.argsort(-shapely.area(geoms))
    colors = [-1] * len(geoms)
    for i in order:
        used = {colors[j] for j in neighbours.get(int(i), ())}
        colors[i] = next(c for c in range(len(PALETTE)) if c not in used) if len(used) < len(PALETTE) else 0
    return colors


def colors_by_name(names: np.ndarray, geoms: np.ndarray) -> list[int]:
    """A palette index per unit: the parts of a state that bear one name share a colour, and neighbours differ."""
    uniq, inv = np.unique(names, return_inverse=True)
    counts = np.bincount(inv)
    first = np.full(len(uniq), -1)
    first[inv[::-1]] = np.arange(len(inv))[::-1]
    per_name = np.array([geoms[first[k]] if counts[k] == 1 else shapely.union_all(geoms[inv == k])
                         for k in range(len(uniq))], dtype=object)
    c = greedy_colors(per_name)
    return [c[k] for k in inv]


def layer_geojson(borders: Borders, day: dt.date | str, layer: str, tolerance: float = DISPLAY_TOLERANCE) -> dict:
    """The features of ``layer`` valid on ``day`` as display GeoJSON (a download of the Explorer page).

    Geometry is simplified by :data:`DISPLAY_TOLERANCE` and rounded to :data:`DISPLAY_DECIMALS`;
    polities get a ``color`` index such that the neighbours of a polity differ.
    """
    df = borders.on(day, layer)
    geoms = shapely.simplify(np.asarray(df["geometry"].to_numpy(), dtype=object), tolerance, preserve_topology=True)
    colors = greedy_colors(geoms) if layer == "polities" and len(geoms) else [0] * len(df)
    feats = []
    for (_, row), geom, color in zip(df.iterrows(), geoms, colors):
        props = {k: _clean(row[k]) for k in _PROPS_FULL if k in row.index}
        props["color"] = color
        feats.append({"type": "Feature", "properties": props,
                      "geometry": _round_coords(json.loads(shapely.to_geojson(geom)))})
    return {"type": "FeatureCollection", "features": feats}


def label_point(geom) -> list[float] | None:
    """Where a unit's name is written: the pole of inaccessibility of its largest part, as [lat, lon]
    (inside the shape and as far from its edges as can be, so that a crescent's label is not outside it)."""
    from shapely.ops import polylabel

    parts = [g for g in shapely.get_parts(geom) if shapely.get_type_id(g) == 3]
    if not parts:
        return None
    big = max(parts, key=lambda g: g.area)
    pt = polylabel(big, tolerance=max(0.02, min(0.5, big.area ** 0.5 / 50)))
    return [round(pt.y, 1), round(pt.x, 1)]  # a tenth of a degree: far below what a label needs


def encode_geometry(geom, decimals: int) -> list:
    """Polygon rings as flat integer deltas: [x0, y0, dx1, dy1, ...] at 10**decimals per degree.

    Several times shorter than GeoJSON text; ``Atlas.decodeGeom`` decodes it back. Returned as a
    list of polygons, each a list of rings; anything but polygons is left out.
    """
    scale = 10 ** decimals
    polys = []
    parts = shapely.get_parts(geom)
    for poly in parts:
        if shapely.get_type_id(poly) != 3:  # only polygons are drawn
            continue
        rings = [shapely.get_exterior_ring(poly),
                 *shapely.get_interior_ring(poly, range(shapely.get_num_interior_rings(poly)))]
        enc = []
        for ring in rings:
            q = np.round(shapely.get_coordinates(ring) * scale).astype(np.int64)
            q = q[np.r_[True, np.any(np.diff(q, axis=0) != 0, axis=1)]]  # drop repeats after rounding
            if len(q) < 4:
                continue
            d = np.vstack([q[:1], np.diff(q, axis=0)])
            enc.append(d.ravel().tolist())
        if enc:
            polys.append(enc)
    return polys


def layer_features_between(borders: Borders, layer: str, first: dt.date, last: dt.date,
                           tolerance: float = FLOW_TOLERANCE, decimals: int = DISPLAY_DECIMALS,
                           props: tuple[str, ...] = PROPS, days: tuple[str, ...] | None = None) -> dict:
    """Every feature of ``layer`` valid at some time in ``first..last`` (or, given ``days``, on one of
    those days), with its validity, encoded.

    The browser shows the ones valid on the day it draws. Polities are coloured once (greedy, over
    all features shown together, by name, so a state keeps its colour across periods).
    """
    lay = borders[layer]
    lo, hi = np.datetime64(first, "D"), np.datetime64(last, "D")
    keep = (lay.start <= hi) & (lay.end >= lo)
    if days:
        on = np.zeros(len(keep), bool)
        for d in days:
            d64 = np.datetime64(str(d)[:10], "D")
            on |= (lay.start <= d64) & (lay.end >= d64)
        keep &= on
    table = lay.props[keep].reset_index(drop=True)
    outline = (table["kind"] == "modern_outline").to_numpy() if "kind" in table else np.zeros(len(table), bool)
    geoms = lay.geoms[keep].copy()
    geoms[~outline] = shapely.simplify(geoms[~outline], tolerance, preserve_topology=True)
    if outline.any():
        parts, idx = shapely.get_parts(geoms[outline], return_index=True)
        big = shapely.area(parts) >= OUTLINE_MIN_AREA
        kept = [shapely.multipolygons(parts[big & (idx == k)]) for k in range(int(outline.sum()))]
        geoms[outline] = shapely.simplify(np.array(kept, dtype=object), OUTLINE_TOLERANCE, preserve_topology=True)
    colors = colors_by_name(table["name"].astype(str).to_numpy(), geoms) if layer == "polities" and len(geoms) \
        else [0] * len(geoms)
    cols = [k for k in props if k in table.columns]
    feats = []
    for i, (geom, row) in enumerate(zip(geoms, table[cols].to_dict("records"))):
        p = {k: _clean(row[k]) for k in cols if _clean(row[k]) not in (None, "")}
        p["color"] = int(colors[i])
        if layer in ("polities", "kazakh_regions") and not outline[i]:
            p["lp"] = label_point(geom)
        dec = 1 if outline[i] else decimals
        feats.append({"p": p, "g": encode_geometry(geom, dec), "s": 10 ** dec})
    return {"type": "EncodedFeatures", "features": feats}


#: Capitals of the polities of the date and of the Soviet republics, with their sources (data/shapes/README.md).
CAPITALS_CSV = SHAPES_DIR / "capitals.csv"
#: Kinds of capital point, in the order they are placed: a state's, a Soviet republic's, a Kazakh oblast's centre.
CAPITAL_KINDS = ("state", "republic", "oblast")


CAPITAL_COLUMNS = ("layer", "unit", "capital", "capital_ru", "valid_from", "valid_to", "lat", "lon")


@lru_cache(maxsize=2)
def load_capitals(path: str = str(CAPITALS_CSV)) -> pd.DataFrame:
    """The capitals table (``data/shapes/capitals.csv``): unit, names, validity, point, source.

    A missing or unreadable file, or one without the columns the maps need, is reported (a warning naming the
    file and what is wrong) and the maps are drawn without states' and republics' capitals: no map fails for it.
    """
    import warnings

    try:
        table = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
        missing = [c for c in CAPITAL_COLUMNS if c not in table.columns]
        if missing:
            raise ValueError(f"no column {', '.join(missing)}")
        bad = sorted(set(table["layer"]) - {"polities", "republics"})
        if bad:
            raise ValueError(f"layer {bad[0]!r} is neither 'polities' nor 'republics'")
        table[["lat", "lon"]].astype(float)
        for c in ("valid_from", "valid_to"):
            pd.to_datetime(table[c], format="%Y-%m-%d")
        return table
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        warnings.warn(f"The capitals could not be read from {path} ({exc}); the maps are drawn without them.",
                      stacklevel=2)
        return pd.DataFrame(columns=list(CAPITAL_COLUMNS))


def capitals_between(borders: Borders, first: dt.date, last: dt.date, lang: str = "en", oblasts: bool = True,
                     days: tuple[str, ...] | None = None) -> list[list]:
    """The capital points valid at some time in ``first..last`` (or on one of ``days``), as the maps draw them.

    Each is ``[name, lat, lon, valid_from, valid_to, kind]``, a bound outside ``first..last`` empty; the name in
    ``lang`` (``capital_ru`` for ru; en and kk use ``capital``, as no Kazakh form is stored), ``kind`` an index into
    :data:`CAPITAL_KINDS`. States and Soviet
    republics come from :data:`CAPITALS_CSV`; with ``oblasts``, the centre of each Kazakh oblast from the
    ``kazakh_regions`` layer (its cited ``capital`` columns).
    """
    lo, hi = first.isoformat(), last.isoformat()

    def keep(a: str, b: str) -> bool:
        if days:
            return any(a <= str(d)[:10] <= b for d in days)
        return a <= hi and b >= lo

    def name(row, en: str = "capital") -> str:
        local = row.get(f"capital_{lang}") if lang != "en" else None
        return str(local) if isinstance(local, str) and local else str(row[en])

    def span(a: str, b: str) -> list[str]:  # a bound beyond the period is sent empty (a few hundred bytes less)
        return ["" if a <= lo else a, "" if b >= hi else b]

    out = []
    kinds = {"polities": 0, "republics": 1}
    for row in load_capitals().to_dict("records"):
        if keep(row["valid_from"], row["valid_to"]):
            out.append([name(row), round(float(row["lat"]), 2), round(float(row["lon"]), 2),
                        *span(row["valid_from"], row["valid_to"]), kinds[row["layer"]]])
    if oblasts:
        props = borders["kazakh_regions"].props
        for row in props.to_dict("records"):
            lat, lon = _clean(row.get("capital_lat")), _clean(row.get("capital_lon"))
            if lat is None or lon is None or not keep(row["valid_from"], row["valid_to"]):
                continue
            out.append([name(row), round(lat, 2), round(lon, 2), *span(row["valid_from"], row["valid_to"]), 2])
    return out


@lru_cache(maxsize=48)
def _layer_json(borders: Borders, layer: str, first: dt.date, last: dt.date, tolerance: float, props: tuple[str, ...],
                days: tuple[str, ...] | None) -> str:
    """:func:`layer_features_between` as page JSON, kept for the next map of the same layer and period."""
    return safe_json(layer_features_between(borders, layer, first, last, tolerance, props=props, days=days))


class DatedBorders(AtlasAssets, JSCSSMixin, Layer):
    """A folium layer of the border layers over a period, showing the units valid on one day at a time.

    Parameters
    ----------
    borders : Borders
        The border layers.
    first, last : datetime.date or str
        The period; ``last`` alone (or ``first == last``) for one day.
    day : str, optional
        The day drawn first (ISO); by default ``last``. A :class:`geo.flowlayer.FlowLayer` on the
        same map changes it as its player steps.
    layers : tuple of str
        Which of ``polities``, ``kazakh_regions``, ``occupation`` to draw.
    detail : bool
        Full tooltips (other names, validity, precision, occupier), as on the borders page.
    tolerance : float
        Simplification of the polities in degrees (the Kazakh oblasts get a quarter of it).
    lang : str
        Tooltip names in ``en``, ``ru`` or ``kk``.
    days : tuple of str, optional
        Only the days the map will show (a lecture's scenes): units valid on none of them are left out.
    """

    assets = ("atlas.css", "atlas.js")
    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = Atlas.borders({{ this._parent.get_name() }}, {{ this.data_json }});
        {{ this.get_name() }}.setDay({{ this.day|tojson }});
        {% endmacro %}
    """)

    def __init__(self, borders: Borders, last: dt.date | str, first: dt.date | str | None = None, *,
                 day: str | None = None, layers: tuple[str, ...] = ("polities", "kazakh_regions"),
                 detail: bool = False, tolerance: float = FLOW_TOLERANCE, lang: str = "en",
                 name: str | None = None, days: tuple[str, ...] | None = None) -> None:
        super().__init__(name=name or "borders", overlay=False, control=False, show=False)
        from geo.i18n import catalog

        last_d = dt.date.fromisoformat(str(last)[:10])
        first_d = dt.date.fromisoformat(str(first)[:10]) if first is not None else last_d
        self._name = "DatedBorders"
        self.day = day or last_d.isoformat()
        capitals = capitals_between(borders, first_d, last_d, lang, oblasts="kazakh_regions" in layers,
                                    days=tuple(sorted(set(days))) if days else None)
        rest = safe_json({"palette": PALETTE, "lang": lang, "detail": detail, "capitals": capitals,
                          "t": {k: v for k, v in catalog(lang).items() if k.startswith("map.")}})
        props = tuple(dict.fromkeys((*(DETAIL_PROPS if detail else PROPS), f"name_{lang}") if lang != "en"
                                    else (DETAIL_PROPS if detail else PROPS)))
        parts = [f'"{k}":' + _layer_json(borders, k, first_d, last_d, tolerance / 4 if k == "kazakh_regions" else tolerance,
                                         props, tuple(sorted(set(days))) if days else None) for k in layers]
        self.data_json = "{" + ",".join(parts) + "," + rest[1:]
