"""Lecture mode: stories (or a lecturer's own scenes) played as full-screen scenes in one offline page.

Each scene sets a date range, filters, a view and a grouping, and carries its caption and
citations. The page holds every scene, so next/previous (buttons, arrow keys, PageUp/PageDown
as presentation clickers send) never waits for a server.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import yaml

from geo.borders import Borders
from geo.dates import DateError, parse_date
from geo.flows import GROUPS, Filters, aggregate, filter_records
from geo.i18n import catalog, flow_labels, value_label
from geo.mapview import CATEGORY_COLORS, PALETTE, VIEWS, _atlas_js, _flow_rows, _leaflet, _safe_json, layer_features_between
from geo.records import TableError
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
        return check_scenes(yaml.safe_load(data.decode("utf-8")))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TableError(f"the scene file is not readable YAML: {exc}") from None


def dump_scenes(scenes: list[dict]) -> str:
    """Scenes as the small YAML file a lecturer downloads and uploads again."""
    return yaml.safe_dump([{k: s.get(k) for k in ("id", *SCENE_KEYS)} for s in scenes], allow_unicode=True, sort_keys=False)


def _citation(src: pd.Series) -> str:
    return f"{src['author']}, {src['title']} ({src['year']}), {src['locator']}"


def lecture_html(scenes: list[dict], records: pd.DataFrame, borders: Borders, sources: pd.DataFrame | None = None,
                 *, start: int = 0, height: int = 720, lang: str = "en") -> str:
    """One offline page holding every scene; ``start`` is the index shown first.

    Text (titles, captions, citations) is inserted with ``textContent`` only.
    """
    js, css = _leaflet()
    by_id = sources.set_index("id") if sources is not None and len(sources) else None
    payload, first, last = [], dt.date(1950, 12, 31), dt.date(1918, 1, 1)
    for s in scenes:
        f = scene_filters(s)
        day = dt.date(min(max(f.year_to, 1919), 1950), 7, 1)
        first, last = min(first, dt.date(min(max(f.year_from, 1919), 1950), 1, 1)), max(last, day)
        rec = filter_records(records, f)
        flows = aggregate(rec, s.get("group") or "place")
        if len(flows):
            labels = flow_labels(rec, s.get("group") or "place", lang)
            flows = flows.assign(origin=flows["origin"].map(lambda k, labels=labels: labels.get(k, k)),
                                 destination=flows["destination"].map(lambda k, labels=labels: labels.get(k, k)))
        cites = [(_citation(by_id.loc[c]) if by_id is not None and c in by_id.index else c) for c in s.get("citations", [])]
        center, zoom = VIEWS.get(s.get("view") or "europe", VIEWS["europe"])
        period = f"{f.year_from}" if f.year_from == f.year_to else f"{f.year_from}\u2013{f.year_to}"
        payload.append({"title": s["title"], "period": period, "text": s.get("text", ""), "cites": cites,
                        "day": day.isoformat(), "center": center, "zoom": zoom - 0.5, "flows": _flow_rows(flows),
                        "people": float(flows["people"].sum()) if len(flows) else 0.0,
                        "peak": max(float(flows["people"].max()) if len(flows) else 1.0, 1.0)})
    data = {"scenes": payload, "start": max(0, min(start, len(payload) - 1)), "palette": PALETTE, "cat": CATEGORY_COLORS,
            "t": {k: v for k, v in catalog(lang).items() if k.startswith("map.")},
            "catLabels": {c: value_label("cat", c, lang) for c in CATEGORY_COLORS},
            "locale": {"en": "en-US", "ru": "ru-RU", "kk": "ru-RU"}[lang],  # Kazakh groups digits as Russian does
            "polities": layer_features_between(borders, "polities", first, last),
            "kazakh_regions": layer_features_between(borders, "kazakh_regions", first, last, 0.02)}
    page = Path(__file__).with_name("lecture.html").read_text("utf-8")
    return (page.replace("/*LEAFLET_CSS*/", css).replace("/*LEAFLET_JS*/", js).replace("/*ATLAS_JS*/", _atlas_js())
            .replace("/*DATA*/", _safe_json(data)).replace("/*HEIGHT*/", str(int(height))))
