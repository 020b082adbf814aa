"""Lecture mode: stories (or a lecturer's own scenes) played as full-screen scenes in one page.

Each scene sets a date range, filters, a view and a grouping, and carries its caption and
citations. The page (an :func:`geo.mapview.atlas_map` with :class:`LectureLayer`) holds every
scene, so next/previous (buttons, arrow keys, PageUp/PageDown as presentation clickers send)
never waits for a server; the same page is the offline download.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import yaml
from folium.elements import MacroElement
from folium.template import Template

from geo.areas import placed
from geo.assets import AssetMode, AtlasAssets, safe_json
from geo.borderlayer import DatedBorders
from geo.borders import Borders
from geo.cards import citation, record_cards
from geo.dates import DateError, parse_date
from geo.flowlayer import FlowRows, page_words
from geo.flows import GROUPS, Filters, aggregate, filter_records
from geo.i18n import flow_labels, t
from geo.mapview import VIEWS, WIDTH_SCALES, atlas_map, render_page, timeline
from geo.records import TableError
from geo.textfiles import load_yaml
from geo.vocabulary import CATEGORIES

SCENE_KEYS = ("title", "date", "date_end", "filters", "view", "group", "text", "citations")


def scene_filters(scene: dict) -> Filters:
    """The filters a scene sets (its date range and its nationality and category lists)."""
    first = parse_date(str(scene["date"]))
    last = parse_date(str(scene.get("date_end") or scene["date"]))
    flt = scene.get("filters") or {}
    return Filters(first.start.year, last.end.year, tuple(flt.get("nationality") or ()), tuple(flt.get("category") or ()))


def check_scenes(scenes: object) -> list[dict]:
    """Scenes from a lecturer's file, checked; raises :class:`TableError` naming the first bad scene."""
    if not isinstance(scenes, list) or not scenes:
        raise TableError("a scene file is a YAML list of scenes (title, date, text ...)")
    out = []
    for i, s in enumerate(scenes, 1):
        if not isinstance(s, dict) or not str(s.get("title") or "").strip() or not s.get("date"):
            raise TableError(f"scene {i} needs at least a title and a date")
        try:
            scene_filters(s)
        except DateError as exc:
            raise TableError(f"scene {i} ({s.get('title')!r}): {exc}") from None
        flt = s.get("filters") or {}
        if not isinstance(flt, dict):
            raise TableError(f"scene {i}: filters must be a mapping (nationality: [...], category: [...])")
        bad = [c for c in flt.get("category") or () if c not in CATEGORIES]
        if bad:
            raise TableError(f"scene {i}: unknown categories {bad}")
        view = s.get("view") if isinstance(s.get("view"), str) else (s.get("view") or {}).get("preset", "europe")
        out.append({"id": str(s.get("id") or f"scene-{i}"), "title": str(s["title"]), "date": str(s["date"]),
                    "date_end": str(s.get("date_end") or ""), "filters": {k: list(v) for k, v in flt.items() if v},
                    "view": view if view in VIEWS else "europe",
                    "group": s.get("group") if s.get("group") in GROUPS else "place",
                    "text": str(s.get("text") or ""), "citations": [str(c) for c in s.get("citations") or []]})
    return out


def load_scene_file(data: bytes) -> list[dict]:
    """A scene file (YAML or JSON, which is YAML) as checked scenes."""
    try:
        return check_scenes(load_yaml(data.decode("utf-8")))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TableError(f"the scene file is not readable YAML: {exc}") from None


def dump_scenes(scenes: list[dict]) -> str:
    """Scenes as the small YAML file a lecturer downloads and uploads again."""
    return yaml.safe_dump([{k: s.get(k) for k in ("id", *SCENE_KEYS)} for s in scenes], allow_unicode=True, sort_keys=False)


def scene_records(records: pd.DataFrame, scene: dict) -> pd.DataFrame:
    """The records a scene shows: its filters, and dates overlapping the scene's own dates to the day.

    A scene of "1937-08 to 1941-06" shows no record of September 1941, although both lie in 1941.
    """
    rec = filter_records(records, scene_filters(scene))
    if not len(rec):
        return rec
    first = parse_date(str(scene["date"])).start
    last = parse_date(str(scene.get("date_end") or scene["date"])).end
    start = pd.to_datetime(rec["date_from"], errors="coerce")
    end = pd.to_datetime(rec["date_to"], errors="coerce")
    keep = (start <= pd.Timestamp(last)) & (end >= pd.Timestamp(first))
    return rec[keep.fillna(True).to_numpy()]


class LectureLayer(AtlasAssets, MacroElement):
    """The lecture as a folium plugin: every scene's flows, caption and citations; one width scale for all."""

    assets = ("atlas.css", "atlas.js", "lecture.js")
    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = window.lecture = Atlas.lecture({{ this._parent.get_name() }}, {{ this.data_json }});
        {% endmacro %}
    """)

    def __init__(self, data: dict) -> None:
        super().__init__()
        self._name = "LectureLayer"
        self.data_json = safe_json(data)


def lecture_html(scenes: list[dict], records: pd.DataFrame, borders: Borders, sources: pd.DataFrame | None = None,
                 *, start: int = 0, height: int | None = None, lang: str = "en", assets: AssetMode = "inline",
                 url_state: bool = False, events=None) -> str:
    """One page holding every scene; ``start`` is the index shown first.

    Every scene is drawn with the lecture's one width scale (:data:`geo.mapview.WIDTH_SCALES`), its
    ends that are areas drawn to the areas (:mod:`geo.areas`), its arrows' records shown from the one
    card builder, and its citations as citations. Text (titles, captions, citations) is inserted
    with ``textContent`` only. ``assets``: ``inline`` for the download, ``linked`` in the app.
    ``url_state``: the page follows and writes the embedding page's ``?scene=`` (the app), so one page
    serves every start. ``events``: the policy timeline whose events of each scene's period the scene
    lists (as :func:`geo.mapview.flows_page`; the bundled one when None, none when False).
    """
    by_id = sources.set_index("id") if sources is not None and len(sources) else None
    first, last = dt.date(1950, 12, 31), dt.date(1918, 11, 11)
    prepared = []
    for s in scenes:
        f = scene_filters(s)
        group = s.get("group") or "place"
        day = dt.date(min(max(f.year_to, 1919), 1950), 7, 1)
        first = min(first, dt.date(min(max(f.year_from, 1919), 1950), 1, 1))
        last = max(last, day)
        rec = placed(scene_records(records, s), borders, group)
        flows = aggregate(rec, group)
        if len(flows):
            labels = flow_labels(rec, group, lang)
            flows = flows.assign(origin=flows["origin"].map(lambda k, m=labels: m.get(k, k)),
                                 destination=flows["destination"].map(lambda k, m=labels: m.get(k, k)))
        prepared.append((s, f, day, rec, flows))
    rows = FlowRows(borders, [p[4] for p in prepared], (first, last), tuple(p[2].isoformat() for p in prepared))
    shown = [p[3] for p in prepared if len(p[3])]
    every = pd.concat(shown).drop_duplicates("id") if shown else records.iloc[:0]
    cards = record_cards(every, sources, lang, details=records)  # once for the records of every scene; all details
    events = timeline(True if events is None else events, first, dt.date(last.year, 12, 31), lang, sources)
    payload = []
    for s, f, day, _rec, flows in prepared:
        cites = [(citation(by_id.loc[c]) if by_id is not None and c in by_id.index else c) for c in s.get("citations", [])]
        period = f"{f.year_from}" if f.year_from == f.year_to else f"{f.year_from}\u2013{f.year_to}"
        lo = parse_date(str(s["date"])).start.isoformat()[:10]
        hi = parse_date(str(s.get("date_end") or s["date"])).end.isoformat()[:10]
        payload.append({"title": s["title"], "period": period,
                        "events": [e["id"] for e in events if e["to"] >= lo and e["from"] <= hi],
                        "text": s.get("text", ""), "cites": cites,
                        "day": day.isoformat(), "view": s.get("view") or "europe", "flows": rows(flows),
                        "people": float(flows["people"].sum()) if len(flows) else 0.0,
                        "approx": bool(len(flows) and flows["approximate"].any())})
    data = {"scenes": payload, "start": max(0, min(start, len(payload) - 1)), "records": cards, "areas": rows.area_data(),
            "events": events,
            "url_state": bool(url_state),
            "views": VIEWS, "scale": WIDTH_SCALES["lecture"], "symbol_radius": 14, **page_words(lang)}
    m = atlas_map(title=t("map.lecture_title", lang), lang=lang)
    DatedBorders(borders, last, first, lang=lang, days=tuple(p["day"] for p in payload)).add_to(m)
    LectureLayer(data).add_to(m)
    return render_page(m, assets)
