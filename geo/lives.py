"""Lives: one person's (or one group's) path, station by station, over the borders of each station's date.

A life (``data/movements/lives/*.yaml``, loaded by :func:`geo.dataset.load_lives` and joined by
:func:`geo.dataset.bundled_dataset`) is a list of dated, cited stations. :class:`LifeLayer` is the folium
plugin that draws it (its script is ``geo/static/life.js``): the path so far, the current station
highlighted, the borders of the station's date (a :class:`geo.borderlayer.DatedBorders` on the same map,
limited to the stations' days), the station's date with its precision, kind, text and sources as
citations, and a keyboard-usable list of stations. A station the source places only at a republic or an
oblast is drawn as that area (the rules of :mod:`geo.areas`), never at a town. Text reaches the page as
JSON and is shown with ``textContent`` only. :func:`life_html` is the page; in a notebook, add
``DatedBorders`` and ``LifeLayer(life_data(...))`` to a :func:`geo.mapview.atlas_map` and display it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from folium.elements import MacroElement
from folium.template import Template

from geo.areas import SYMBOL, area_shape, centre, end_areas
from geo.assets import AssetMode, AtlasAssets, safe_json
from geo.borderlayer import DatedBorders, encode_geometry
from geo.borders import Borders
from geo.cards import citation
from geo.i18n import fmt_date, t

#: The border layers' period: a station outside it is shown over the borders of the nearest day they hold.
FIRST_BORDER_DAY, LAST_BORDER_DAY = dt.date(1918, 11, 11), dt.date(1950, 12, 31)


def find_life(lives: list[dict], life_id: str) -> dict | None:
    """The life whose ``id`` is ``life_id`` (as the address writes it), or None."""
    return next((lv for lv in lives if str(lv["id"]) == str(life_id).strip()), None)


def precision(date: str) -> str:
    """How precise a station's date is: ``day``, ``month``, ``year``, or ``as_written`` (anything else)."""
    text = str(date).strip()
    return {10: "day", 7: "month", 4: "year"}.get(len(text), "as_written") if text[:4].isdigit() else "as_written"


def date_text(date: str, date_end: str = "", lang: str = "en") -> str:
    """A station's date as the source gives it, with its precision: ``May 1935 (month)``, ``1939 – Jan 1940 (year – month)``."""
    text = fmt_date(date, lang) + (f" – {fmt_date(date_end, lang)}" if date_end else "")
    a = precision(date)
    b = precision(date_end) if date_end else a
    word = t(f"life.precision.{a}", lang) + ("" if a == b else f" – {t(f'life.precision.{b}', lang)}")
    return f"{text} ({word})"


def station_citations(station: dict, sources: pd.DataFrame | None) -> list[str]:
    """The station's sources as citations, each with the station's own locator (page, paragraph) where it
    names one per source (``;``-separated like the sources), else the whole locator after the last."""
    from geo.dataset import source_ids

    ids = source_ids(station.get("source") or "")
    locs = [s.strip() for s in str(station.get("locator") or "").split(";")]
    by_id = sources.set_index(sources["id"].astype(str)) if sources is not None and len(sources) else None
    out = []
    for k, sid in enumerate(ids):
        loc = locs[k] if len(locs) == len(ids) else (str(station.get("locator") or "") if k == len(ids) - 1 else "")
        if by_id is not None and sid in by_id.index:
            out.append(citation({**by_id.loc[sid].to_dict(), "locator": loc}))
        else:
            out.append(f"{sid}, {loc}" if loc else sid)  # an id the bibliography lacks: shown as written
    return out


def border_day(day: dt.date) -> dt.date:
    """The day whose borders are drawn for a station: its own, or the nearest the layers hold."""
    return min(max(day, FIRST_BORDER_DAY), LAST_BORDER_DAY)


def life_data(life: dict, borders: Borders, sources: pd.DataFrame | None = None, lang: str = "en") -> dict:
    """What :class:`LifeLayer` draws: the life's header and its stations (points or areas), all as text and numbers.

    Returns
    -------
    dict
        ``{"life": {"id", "name", "title", "summary", "years", "cites"}, "stations": [{"day" (the station's
        first day), "bday" (the borders' day), "date", "kind", "kind_id", "place", "text", "cites", "lat", "lon",
        "area" (a key of ``areas``, or absent), "sym" (1: an area the layers lack, drawn as a labelled
        symbol)}], "areas": {key: {"ref", "id"} or {"g", "s"}}}``.
    """
    stations = life.get("stations") or []
    df = _on_border_days(pd.DataFrame(stations), borders)
    areas = end_areas(df, borders, "place", "place") if len(df) else pd.Series([], dtype=object)
    shapes: dict[str, object] = {}
    rows = []
    for k, st in enumerate(stations):
        first = st["date_from"] if isinstance(st["date_from"], dt.date) else dt.date.fromisoformat(str(st["date_from"])[:10])
        row = {"day": first.isoformat(), "bday": border_day(first).isoformat(),
               "date": date_text(str(st["date"]), str(st.get("date_end") or ""), lang),
               "kind": t(f"life.kind.{st['kind']}", lang), "kind_id": str(st["kind"]),
               "place": str(st.get("place") or ""), "text": str(st.get("text") or ""),
               "cites": station_citations(st, sources)}
        lat, lon = st.get("place_lat"), st.get("place_lon")
        area = str(areas.iloc[k]) if len(areas) else ""
        if area == SYMBOL:
            row["sym"] = 1
        elif area:
            if area not in shapes:
                shapes[area] = area_shape(borders, area)
            if shapes[area] is not None:
                row["area"] = area
                lat, lon = centre(shapes[area])  # the path reaches the area, not its capital
            else:
                row["sym"] = 1
        if lat is None or pd.isna(lat) or lon is None or pd.isna(lon):
            row["lat"] = row["lon"] = None  # no place the map can show: the station is listed, not drawn
        else:
            row["lat"], row["lon"] = round(float(lat), 4), round(float(lon), 4)
        rows.append(row)
    by_id = sources.set_index(sources["id"].astype(str)) if sources is not None and len(sources) else None
    cites = [citation(by_id.loc[c]) if by_id is not None and c in by_id.index else str(c) for c in life.get("citations") or []]
    years = "–".join(str(life.get(k) or "") for k in ("born", "died")) if life.get("born") or life.get("died") else ""
    out_areas = {}
    for key, geom in shapes.items():
        if geom is None:
            continue
        layer, _, fid = key.partition(":")
        # states and Kazakh oblasts are on the map's DatedBorders already (limited to the stations' days)
        out_areas[key] = {"ref": layer, "id": fid} if layer in ("polities", "kazakh_regions") else \
            {"g": encode_geometry(geom, 2), "s": 100}
    return {"life": {"id": str(life["id"]), "name": str(life.get("name") or ""), "title": str(life.get("title") or ""),
                     "summary": str(life.get("summary") or ""), "years": years, "cites": cites},
            "stations": rows, "areas": out_areas}


def _on_border_days(df: pd.DataFrame, borders: Borders) -> pd.DataFrame:
    """Stations outside the border layers' period (the join gives them no state) with the state, republic and
    autonomy that held their point on the day whose borders are drawn (:func:`border_day`), so that a station
    named only as a republic or a country is drawn as that area there. The Kazakh oblast is not filled in: a
    station named as the republic stays the republic."""
    if df.empty or "place_polity" not in df:
        return df
    gap = (df["place_polity"].fillna("").astype(str) == "") & df["place_lat"].notna() & df["place_lon"].notna()
    if not gap.any():
        return df
    out = df.copy()
    days = [border_day(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10])) for d in out.loc[gap, "date_from"]]
    found = borders.locate(out.loc[gap, "place_lon"].astype(float).to_numpy(), out.loc[gap, "place_lat"].astype(float).to_numpy(),
                           days, layers=("polities", "republics"))
    for col in ("polity", "republic", "autonomy"):
        out.loc[gap, f"place_{col}"] = found[col].to_numpy()
    return out


def page_words(lang: str) -> dict:
    """The life page's own words (``map.*`` and ``life.*``) in ``lang``."""
    from geo.i18n import catalog

    return {"t": {k: v for k, v in catalog(lang).items() if k.startswith(("map.", "life."))}, "lang": lang}


class LifeLayer(AtlasAssets, MacroElement):
    """A life as a folium plugin: the path station by station, stepped by buttons, keys and a station list.

    Parameters
    ----------
    data : dict
        :func:`life_data` with :func:`page_words` (and, optionally, ``start``: the station shown first).
        Put a :class:`geo.borderlayer.DatedBorders` covering the stations' days on the same map first:
        the layer sets its day at every step.
    """

    assets = ("atlas.css", "life.css", "atlas.js", "life.js")
    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = Atlas.life({{ this._parent.get_name() }}, {{ this.data_json }});
        {% endmacro %}
    """)

    def __init__(self, data: dict) -> None:
        super().__init__()
        self._name = "LifeLayer"
        self.data_json = safe_json(data)


def life_html(life: dict, borders: Borders, sources: pd.DataFrame | None = None, *, start: int = 0, lang: str = "en",
              assets: AssetMode = "inline", url_state: bool = False) -> str:
    """The page of one life (the one renderer, :func:`geo.mapview.render_page`): ``inline`` for a file or a
    notebook, ``linked`` in the app. ``start`` is the station shown first (0-based); with ``url_state`` (the
    app's page) the station shown is written into the embedding page's address as ``station=`` (1-based)."""
    from geo.mapview import atlas_map, render_page

    data = {**life_data(life, borders, sources, lang), **page_words(lang)}
    data["start"] = max(0, min(int(start), len(data["stations"]) - 1))
    data["url_state"] = bool(url_state)
    days = tuple(sorted({s["bday"] for s in data["stations"]})) or (LAST_BORDER_DAY.isoformat(),)
    m = atlas_map(title=f"{data['life']['name']}: {data['life']['title']}")
    DatedBorders(borders, days[-1], days[0], day=days[0], lang=lang, days=days).add_to(m)
    LifeLayer(data).add_to(m)
    return render_page(m, assets)
