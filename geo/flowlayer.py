"""The flow player as a folium plugin: years, arrows, tooltips, the record panel and the legend.

``FlowLayer`` carries the flows of every year of a period (and of the whole period), the record
cards, the outlines of the areas the flows are drawn to and the Kazakh oblast shading, and its
JavaScript (``geo/static/atlas.js``, ``geo/static/player.js``) draws them; stepping a year redraws
in the browser, with no server. The same layer works in a notebook::

    import folium
    from geo import load_borders
    from geo.areas import placed
    from geo.borderlayer import DatedBorders
    from geo.flowlayer import FlowLayer
    from geo.flows import aggregate

    b = load_borders()
    flows = aggregate(placed(records, b))            # records: joined, e.g. geo.dataset.bundled_dataset().records
    m = folium.Map(location=[50, 50], zoom_start=3, tiles=None)
    DatedBorders(b, "1941-12-31", "1941-01-01").add_to(m)
    FlowLayer(flows, borders=b).add_to(m)
    m                                                 # or m.save("flows.html")

The rules it follows (README, "Rules every map follows"): an area end is drawn to the area
(:mod:`geo.areas`); one arrow per route and category, coloured by category; one width scale per
map type (:data:`geo.mapview.WIDTH_SCALES`) with a minimum width; a range drawn at its best figure
or midpoint with a pale band from low to high; "~" where the source says approximately; the
oblast shading follows the year shown, in quantile classes of the non-zero values, 0 as no data.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from folium.elements import MacroElement
from folium.template import Template

from geo import areas as A
from geo.assets import AtlasAssets, safe_json
from geo.borderlayer import encode_geometry
from geo.mapview import CATEGORY_COLORS, CHOROPLETH, VIEWS, WIDTH_SCALES

#: Coordinates are sent to 3 decimals (about 100 m): far below what the maps can show.
_DECIMALS = 3


def _num(v) -> float:
    return 0.0 if v is None or pd.isna(v) else float(v)


def _true(v) -> bool:
    return v is not None and v is not pd.NA and not (isinstance(v, float) and np.isnan(v)) and bool(v)


def _ends(df: pd.DataFrame) -> pd.DataFrame:
    """``*_lat``/``*_lon`` of each flow, from the columns or from a LineString geometry (a GeoDataFrame)."""
    if {"origin_lat", "origin_lon", "destination_lat", "destination_lon"} <= set(df.columns):
        return df
    import shapely

    geom = np.asarray(df.geometry.to_numpy(), dtype=object)
    first = shapely.get_point(geom, 0)
    last = shapely.get_point(geom, -1)
    return df.assign(origin_lat=shapely.get_y(first), origin_lon=shapely.get_x(first),
                     destination_lat=shapely.get_y(last), destination_lon=shapely.get_x(last))


def shading_breaks(values: list[float], classes: int = len(CHOROPLETH)) -> list[float]:
    """Class breaks (upper bounds) for oblast shading: quantiles of the non-zero values.

    Zero is no class of its own: it is drawn as "no arrivals with a known count". Returns at most
    ``classes`` distinct, increasing whole numbers; the last is the largest value.
    """
    v = np.sort(np.asarray([x for x in values if x and x > 0], dtype=float))
    if not len(v):
        return []
    k = min(classes, len(np.unique(v)))
    qs = np.quantile(v, np.arange(1, k + 1) / k, method="inverted_cdf")
    return sorted({float(np.ceil(q)) for q in qs})


def ramp(n: int) -> list[str]:
    """``n`` colours spread over :data:`geo.mapview.CHOROPLETH`, lightest first."""
    if n <= 0:
        return []
    idx = np.round(np.linspace(0, len(CHOROPLETH) - 1, n)).astype(int) if n > 1 else [len(CHOROPLETH) // 2]
    return [CHOROPLETH[i] for i in idx]


class FlowLayer(AtlasAssets, MacroElement):
    """Flows of a period as a folium layer with a year player, tooltips, a record panel and a legend.

    Parameters
    ----------
    flows : pandas.DataFrame or geopandas.GeoDataFrame, optional
        Flows of the whole period (:func:`geo.flows.aggregate`), shown on "All" (or alone, when
        ``by_year`` is not given). Ends from ``*_lat``/``*_lon`` or from LineString geometry;
        ``origin_area``/``destination_area`` (:func:`geo.areas.placed`) say which ends are areas.
    by_year : dict, optional
        Year -> flows active in that year; the player steps through them.
    cards : dict, optional
        Record id -> card (:func:`geo.cards.record_cards`) for the record panel.
    borders : Borders, optional
        Resolves the area outlines the arrows stop at; without it area ends become symbols.
    first, last : datetime.date, optional
        The period (for the "All" label and the borders of the whole period).
    year : int, optional
        The year shown first; the whole period when None.
    shading : dict, optional
        Kazakh oblast arrivals per year (``"1941"``) and for ``"all"``: {oblast name: people}.
    view : str
        ``fit`` (the drawn flows) or a preset of :data:`geo.mapview.VIEWS`.
    title : str
        The map's accessible title.
    lang : str
        ``en``, ``ru`` or ``kk``.
    url_state : bool
        Write the year shown into the embedding page's address (``?year=1941``).
    scale : str
        Map type of :data:`geo.mapview.WIDTH_SCALES`.
    outlines_on_map : bool
        A :class:`geo.borderlayer.DatedBorders` of ``first..last`` is on the same map: the outlines of
        states and oblasts the flows end at are taken from it rather than sent again.
    events : list of dict, optional
        The policy timeline's events of the period (:func:`geo.cards.event_cards`), shown in the events
        strip under the year control (and on the map where they have a place).
    """

    assets = ("atlas.css", "atlas.js", "player.js")
    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = window.atlasMap = Atlas.player({{ this._parent.get_name() }}, {{ this.data_json }});
        {% endmacro %}
    """)

    def __init__(self, flows: pd.DataFrame | None = None, *, by_year: dict | None = None, cards: dict | None = None,
                 borders=None, first: dt.date | None = None, last: dt.date | None = None, year: int | None = None,
                 shading: dict | None = None, view: str = "fit", title: str = "", lang: str = "en",
                 url_state: bool = False, scale: str = "flows", outlines_on_map: bool = False,
                 events: list[dict] | None = None) -> None:
        super().__init__()
        self._name = "FlowLayer"
        by_year = {int(y): f for y, f in (by_year or {}).items()}
        if flows is None and not by_year:
            raise ValueError("FlowLayer needs flows or by_year")
        rows = FlowRows(borders, [flows, *by_year.values()],
                        (first, last) if outlines_on_map and first is not None and last is not None else None)
        years = sorted(by_year)
        # each citation once: many records of a year cite the same few works (the cards name them by position)
        cites: dict[str, int] = {}
        cards = {rid: {**c, "sources": [cites.setdefault(x, len(cites)) for x in c.get("sources", [])]}
                 for rid, c in (cards or {}).items()}
        data = {
            "years": years, "frames": {str(y): rows(f) for y, f in by_year.items()},
            "all": rows(flows) if flows is not None else None,
            "year": int(year) if year is not None and int(year) in by_year else None,
            "first": str(first or (dt.date(years[0], 1, 1) if years else "")),
            "last": str(last or (dt.date(years[-1], 12, 31) if years else "")),
            "records": cards, "citations": list(cites), "areas": rows.area_data(),
            "shade": self._shading(shading, years),
            "view": view if view in VIEWS or view == "fit" else "fit", "views": VIEWS,
            "title": title, "url_state": bool(url_state),
            **page_words(lang), "scale": WIDTH_SCALES[scale], "events": events or [],
        }
        if len(years) == 1 and data["all"] == data["frames"][str(years[0])]:
            # one year: the whole period is that year's frame, sent once ("All" draws the frame)
            data["all"], data["all_is"] = None, str(years[0])
        self.data_json = safe_json(data)

    @staticmethod
    def _shading(shading: dict | None, years: list[int]) -> dict | None:
        if not shading:
            return None
        per_year = {str(k): {n: float(v) for n, v in vals.items()} for k, vals in shading.items()}
        yearly = [v for k, vals in per_year.items() if k != "all" for v in vals.values()]
        whole = list(per_year.get("all", {}).values())
        by, ba = shading_breaks(yearly), shading_breaks(whole)
        return {"frames": per_year, "breaks": by, "ramp": ramp(len(by)), "all_breaks": ba, "all_ramp": ramp(len(ba))}


def page_words(lang: str) -> dict:
    """The page's words, category colours and labels and number locale in ``lang``."""
    from geo.i18n import catalog, value_label

    return {"t": {k: v for k, v in catalog(lang).items() if k.startswith("map.")},
            "cat": CATEGORY_COLORS, "catLabels": {c: value_label("cat", c, lang) for c in CATEGORY_COLORS},
            "locale": {"en": "en-US", "ru": "ru-RU", "kk": "ru-RU"}[lang],  # Kazakh groups digits as Russian does
            "lang": lang}


class FlowRows:
    """Turns flow frames into the page's compact rows, with bends and clipping at area edges.

    One instance serves all frames of a map, so that a flow has the same bend (and the same
    clipped curve) in every year, and each area outline is sent once.
    """

    def __init__(self, borders, frames: list[pd.DataFrame | None], shown: tuple[dt.date, dt.date] | None = None,
                 days: tuple[str, ...] | None = None) -> None:
        self.borders = borders
        self.shown = shown  # the period of a DatedBorders layer on the same map: its outlines need not be sent twice
        self.days = days  # ... and the days it was limited to, if it was
        self.bends = A.bends([f for f in frames if f is not None])
        self._clips: dict[tuple, tuple] = {}
        self._areas: dict[str, object] = {}

    def _shape(self, area: str):
        if not area or area == A.SYMBOL or self.borders is None:
            return None
        if area not in self._areas:
            self._areas[area] = A.area_shape(self.borders, area)
        return self._areas[area]

    def __call__(self, flows: pd.DataFrame | None) -> list[dict]:
        if flows is None or not len(flows):
            return []
        df = _ends(flows)
        out = []
        for r in df.itertuples(index=False):
            get = lambda k, default=None: getattr(r, k, default)  # noqa: B023, E731
            a = (round(float(r.origin_lat), _DECIMALS), round(float(r.origin_lon), _DECIMALS))
            b = (round(float(r.destination_lat), _DECIMALS), round(float(r.destination_lon), _DECIMALS))
            dataset = str(get("dataset", "bundled") or "bundled")
            cat = str(get("category", "") or "")
            bend = self.bends.get((r.origin, r.destination, dataset, cat), A.BEND)
            oa, da = str(get("origin_area", "") or ""), str(get("destination_area", "") or "")
            go, gd = self._shape(oa), self._shape(da)
            key = (a, b, bend, oa, da)
            if key not in self._clips:
                self._clips[key] = A.clip(a, b, bend, go, gd)
            t0, t1, o_sym, d_sym = self._clips[key]
            drawn = _num(get("drawn", get("people")))
            row = {"o": str(r.origin), "d": str(r.destination), "a": list(a), "b": list(b),
                   "p": _num(get("people")), "w": drawn, "lo": _num(get("low", drawn)), "hi": _num(get("high", drawn)),
                   "n": int(_num(get("records", 1))), "u": int(_num(get("unknown", 0))), "c": cat,
                   "ids": [str(i) for i in (get("ids") or [])], "k": round(bend, 3),
                   "y": int(dataset != "bundled")}
            if get("other_units"):  # counts of families or households: never a width (geo.flows.in_persons); the card
                row["ou"] = max(1, int(_num(get("other_unit_records", 1))))  # gives them as written; ou of the u records
            if _true(get("approximate")):
                row["ap"] = 1
            if _true(get("at_least")):
                row["al"] = 1
            if t0 > 0 or t1 < 1:
                row["t0"], row["t1"] = round(t0, 4), round(t1, 4)
            if go is not None:
                row["oa"] = oa
            if gd is not None:
                row["da"] = da
            if _true(get("origin_grouped")):
                row["og"] = 1
            if _true(get("destination_grouped")):
                row["dg"] = 1
            if oa == A.SYMBOL or o_sym:
                row["os"] = 1
            if da == A.SYMBOL or d_sym:
                row["ds"] = 1
            out.append(row)
        return out

    def area_data(self) -> dict:
        """Outlines of the areas the rows refer to (shown while an arrow to them is hovered).

        A state or Kazakh oblast that the map's :class:`geo.borderlayer.DatedBorders` already carries is
        referred to by its id (``{"ref": layer}``); any other outline is sent.
        """
        out = {}
        for k, g in self._areas.items():
            if g is None:
                continue
            layer, _, fid = k.partition(":")
            if self.shown is not None and layer in ("polities", "kazakh_regions") and self._in_period(layer, fid):
                out[k] = {"ref": layer, "id": fid}
            else:
                out[k] = {"g": encode_geometry(g, 2), "s": 100}
        return out

    def _in_period(self, layer: str, fid: str) -> bool:
        lay = self.borders[layer]
        hit = np.flatnonzero(lay.props["id"].astype(str).to_numpy() == fid)
        first, last = (np.datetime64(d, "D") for d in self.shown)
        if not len(hit) or not (lay.start[hit[0]] <= last and lay.end[hit[0]] >= first):
            return False
        return not self.days or any(lay.start[hit[0]] <= np.datetime64(d[:10], "D") <= lay.end[hit[0]] for d in self.days)


def oblast_shading(records: pd.DataFrame, years: range) -> dict[str, dict[str, float]]:
    """Arrivals with a known count per Kazakh oblast, for each year and for the whole period (``"all"``)."""
    from geo.flows import oblast_arrivals, years_of

    first, last = years_of(records)
    out = {}
    for y in years:
        t = oblast_arrivals(records[(first <= y) & (last >= y)])
        out[str(y)] = {str(k): float(v) for k, v in zip(t["oblast"], t["people"]) if v > 0}
    t = oblast_arrivals(records)
    out["all"] = {str(k): float(v) for k, v in zip(t["oblast"], t["people"]) if v > 0}
    return out
