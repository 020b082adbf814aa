"""The public atlas as a static site: ``python -m geo site --out site/``.

Every page of the bundled atlas in English, Russian and Kazakh as files that any web server or CDN
serves with no Python behind them: the flows by year over the borders of each year (the same
:class:`geo.flowlayer.FlowLayer` player as the app), the Kazakhstan view, the lecture, the records
with their sources, the events timeline, the sources and method, and how to cite. Leaflet and the
atlas's scripts are copied from the packages into ``assets/``; data sit beside the pages as JSON and
are fetched with relative URLs, split so that the first view stays small:

- ``data/borders/<date>.json``: the border features that begin on one change date (shared by the
  languages: each carries its names in all three); a year fetches the change dates it needs;
- ``<lang>/data/<view>/<year>.json``: the flows of one year, the record cards they open and the area
  outlines they stop at (``all.json``: the whole period).

Every text from data reaches the page through ``textContent`` (``assets/site/site.js``); the page
shells are written here with ``html.escape``. Nothing is requested off the machine.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from folium import MacroElement
from folium.template import Template

from geo.assets import STATIC_DIR, AtlasAssets, asset_path, safe_json, served_from
from geo.borders import Borders
from geo.i18n import LANG_NAMES, LANGS, catalog, value_label
from geo.textfiles import load_yaml

#: The site's own scripts, styles and words.
SITE_STATIC = Path(__file__).with_name("static") / "site"
#: The years of the bundled atlas the site steps through.
FIRST_YEAR, LAST_YEAR = 1918, 1950
#: Budgets (bytes): the whole site, and what a browser receives for the first view of ``/en/``.
TOTAL_BUDGET = 15 * 1024 * 1024
FIRST_VIEW_BUDGET = 600 * 1024
#: The pages of each language: file name -> key of the navigation's words.
PAGES = {"index.html": "flows", "kazakhstan.html": "kazakhstan", "lecture.html": "lecture",
         "records.html": "records", "events.html": "events", "lives.html": "lives", "sources.html": "sources",
         "about.html": "about"}
#: No icon file: the browser would ask the server for /favicon.ico and log its 404 as an error.
NO_ICON = '<link rel="icon" href="data:,"/>'
#: Every page may load only from its own site (scripts and styles inline or from ``assets/``, data by relative
#: URL): a browser refuses anything else, so nothing can be requested off the machine even by mistake.
CSP = ('<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'self\' \'unsafe-inline\'; '
       'style-src \'self\' \'unsafe-inline\'; img-src \'self\' data:; connect-src \'self\'; object-src \'none\'; '
       'base-uri \'none\'; form-action \'none\'"/>')
#: Border properties sent to the site's pages: the tooltips' keys and the names in every language.
BORDER_PROPS = ("id", "name", "name_ru", "name_kk", "name_modern", "capital", "valid_from", "valid_to", "kind",
                "occupier")


@dataclass
class SiteReport:
    """What a build wrote: the folder, its size in bytes, the first view's bytes and how they were counted."""

    out: Path
    total_bytes: int
    first_view_bytes: int
    first_view_files: list[str]

    def lines(self) -> list[str]:
        return [f"site written to {self.out}",
                f"total size: {self.total_bytes:,} bytes ({self.total_bytes / 1048576:.2f} MiB; budget 15 MiB)",
                f"first view of /en/: {self.first_view_bytes:,} bytes ({self.first_view_bytes / 1024:.0f} KiB; "
                f"budget 600 KiB; the files it loads: what Chromium receives is python benchmarks/bench_site.py)"]


def words(lang: str) -> dict[str, str]:
    """The site's own words in ``lang`` (``geo/static/site/words.yaml``; English where a key lacks one)."""
    data = load_yaml((SITE_STATIC / "words.yaml").read_text(encoding="utf-8"))
    return {**data["en"], **data.get(lang, {})}


# ---- borders: one file per change date ---------------------------------------------------------------------------


def days_of(years: range) -> dict[str, str]:
    """Key of the player (a year, or ``all``) -> the day whose borders it shows (as :mod:`geo.static.player`)."""
    return {**{str(y): f"{y}-07-01" for y in years}, "all": f"{years[-1]}-12-31"}


def border_groups(borders, first: dt.date, last: dt.date) -> dict[str, dict]:
    """The border features of ``first..last`` grouped by the day they begin on (clipped to ``first``).

    Returns ``{date: {"polities": encoded, "kazakh_regions": ..., "occupation": ...}}``, each feature
    in exactly one group, coloured and simplified as the app's flow maps
    (:func:`geo.borderlayer.layer_features_between`).
    """
    from geo.borderlayer import FLOW_TOLERANCE, layer_features_between

    groups: dict[str, dict] = {}
    for layer in ("polities", "kazakh_regions", "occupation"):
        tol = FLOW_TOLERANCE / 4 if layer == "kazakh_regions" else FLOW_TOLERANCE
        enc = layer_features_between(borders, layer, first, last, tol, props=BORDER_PROPS)
        for f in enc["features"]:
            start = max(str(f["p"].get("valid_from") or first.isoformat())[:10], first.isoformat())
            g = groups.setdefault(start, {})
            g.setdefault(layer, {"type": "EncodedFeatures", "features": []})["features"].append(f)
    return dict(sorted(groups.items()))


def groups_on(groups: dict[str, dict], day: str) -> list[str]:
    """The change dates whose files hold a feature valid on ``day``."""
    out = []
    for date, g in groups.items():
        for enc in g.values():
            if any(_valid_on(f["p"], day) for f in enc["features"]):
                out.append(date)
                break
    return out


def _valid_on(p: dict, day: str) -> bool:
    """As ``validOn`` in atlas.js."""
    return (not p.get("valid_from") or str(p["valid_from"]) <= day) and (not p.get("valid_to") or day <= str(p["valid_to"]))


# ---- the flow maps ----------------------------------------------------------------------------------------------


def _bounds(lists: list[list[dict]]) -> dict:
    """What ``Atlas.flowBounds`` and ``Atlas.headBounds`` compute, for frames the page has not loaded yet."""
    from geo.areas import bezier

    pts, heads = [], []
    for rows in lists:
        for f in rows:
            k = f.get("k", 0.2)
            t = np.linspace(f.get("t0", 0.0), f.get("t1", 1.0), 9)
            y, x = bezier(tuple(f["a"]), tuple(f["b"]), k, t)
            pts += list(zip(y.tolist(), x.tolist()))
            hy, hx = bezier(tuple(f["a"]), tuple(f["b"]), k, np.array([f.get("t1", 1.0)]))
            heads.append((float(hy[0]), float(hx[0])))
    box = lambda p: [[min(a for a, _ in p), min(b for _, b in p)], [max(a for a, _ in p), max(b for _, b in p)]] if p else None  # noqa: E731
    return {"flows": box(pts), "heads": box(heads)}


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(safe_json(data), encoding="utf-8")


def first_view_year(index: dict[str, list[str]]) -> int:
    """The first year whose borders exist (the border ledger begins on 11 November 1918, so the day the
    player shows for 1918, 1 July, has none); a flow page opens on it, or on the first later year with flows."""
    return next(int(day[:4]) for day, groups in index.items() if groups and day.endswith("-07-01"))


def flow_site_page(ds, borders, lang: str, out: Path, view: str, index: dict[str, list[str]]) -> str:
    """The flows page (``view="flows"``) or the Kazakhstan page (``"kazakhstan"``) of ``lang``.

    Writes the page's per-year files under ``out/<lang>/data/<view>/`` and returns the page's HTML:
    an :func:`geo.mapview.atlas_map` with the site's borders (empty until a year needs them) and a
    :class:`geo.flowlayer.FlowLayer` whose frames, cards and outlines are fetched per year.
    """
    from geo.flowlayer import FlowLayer, FlowRows
    from geo.flows import Filters
    from geo.i18n import t
    from geo.mapview import atlas_map, flow_map_data, map_title, render_page

    kz = view == "kazakhstan"
    f = Filters(FIRST_YEAR, LAST_YEAR)
    d = flow_map_data(ds.records, borders, f, lang=lang, sources=ds.sources, shading=kz)
    title = t("kz.title", lang) if kz else map_title(f, "place", lang)
    layer = FlowLayer(d["flows"], by_year=d["by_year"], cards=d["cards"], borders=borders, first=d["first"],
                      last=d["last"], shading=d["shading"], view="kazakhstan" if kz else "fit", title=title,
                      lang=lang, outlines_on_map=True)
    data = json.loads(layer.data_json)
    rows = FlowRows(borders, [d["flows"], *d["by_year"].values()], (d["first"], d["last"]))
    frames = {str(y): rows(fl) for y, fl in d["by_year"].items()}
    frames["all"] = rows(d["flows"])
    areas = rows.area_data()
    folder = out / lang / "data" / view
    cats = sorted({r["c"] for fr in frames.values() for r in fr})
    for key, fr in frames.items():
        ids = {i for r in fr for i in r["ids"]}
        used = {a for r in fr for a in (r.get("oa"), r.get("da")) if a}
        _write_json(folder / f"{key}.json", {"frames": fr, "records": {i: c for i, c in d["cards"].items() if i in ids},
                                             "areas": {a: v for a, v in areas.items() if a in used}})
    data.update({"frames": {}, "all": None, "records": {}, "areas": {}, "cats": cats,
                 "year": next((y for y in d["by_year"] if y >= first_view_year(index) and frames[str(y)]),
                              first_view_year(index)), "bounds": _bounds(list(frames.values())),
                 "site": {"data": f"data/{view}/", "borders": "../data/borders/", "index": index}})
    layer.data_json = safe_json(data)
    m = atlas_map(title=title)
    SiteBorders(lang, borders).add_to(m)
    layer.add_to(m)
    SiteLoader().add_to(m)
    with served_from("../assets/"):
        return render_page(m, "linked")


class SiteBorders(AtlasAssets, MacroElement):
    """``Atlas.borders`` with no features yet: the site's change-date files add them (``B.add``); the capitals of
    every date (:func:`geo.borderlayer.capitals_between`, a few KB) come with the page."""

    assets = ("atlas.css", "atlas.js")
    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = Atlas.borders({{ this._parent.get_name() }}, {{ this.data_json }});
        {% endmacro %}
    """)

    def __init__(self, lang: str, borders: Borders) -> None:
        from geo.borderlayer import PALETTE, capitals_between

        super().__init__()
        self._name = "SiteBorders"
        empty = {"type": "EncodedFeatures", "features": []}
        self.data_json = safe_json({"polities": empty, "kazakh_regions": empty, "occupation": empty,
                                    "palette": PALETTE, "lang": lang, "detail": False,
                                    "capitals": capitals_between(borders, dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31),
                                                                 lang),
                                    "t": {k: v for k, v in catalog(lang).items() if k.startswith("map.")}})


class SiteLoader(AtlasAssets, MacroElement):
    """The site's script and style, linked after the player's (``site.js`` gives the player its ``D.need``)."""

    assets = ("site/site.css", "site/site.js")
    _template = Template("")

    def __init__(self) -> None:
        super().__init__()
        self._name = "SiteLoader"


# ---- the page shells ----------------------------------------------------------------------------------------------


def _site_tags(extra_js: bool = False) -> str:
    """The site's stylesheet (and script) with a content version, as the map assets are linked."""
    from geo.assets import asset_url

    with served_from("../assets/"):
        css = asset_url("site/site.css")
        js = asset_url("site/site.js")
    return f'<link rel="stylesheet" href="{html.escape(css)}"/>' + (f'<script src="{html.escape(js)}"></script>'
                                                                    if extra_js else "")


def chrome(lang: str, page: str) -> str:
    """The header of every page: the atlas's name, the pages, and the language switch (to the same page)."""
    w = words(lang)
    e = html.escape
    here, chosen = ' aria-current="page"', ' aria-current="true"'
    links = "".join(f'<a href="{e(fn)}"{here if fn == page else ""}>{e(w["nav." + key])}</a>'
                    for fn, key in PAGES.items())
    langs = "".join(f'<a href="../{lg}/{e(page)}" hreflang="{lg}" lang="{lg}"'
                    f'{chosen if lg == lang else ""}>{e(LANG_NAMES[lg])}</a>' for lg in LANGS)
    return (f'<header class="site-head"><a class="site-name" href="index.html">{e(w["site.name"])}</a>'
            f'<nav class="site-nav" aria-label="{e(w["nav.label"])}">{links}</nav>'
            f'<nav class="site-langs" aria-label="{e(w["nav.language"])}">{langs}</nav></header>')


def with_chrome(page_html: str, lang: str, page: str) -> str:
    """A map page (folium's HTML) with the site's header, language and stylesheet."""
    page_html = page_html.replace("<html>", f'<html lang="{lang}">', 1)
    if "site/site.css" not in page_html:
        page_html = page_html.replace("</head>", _site_tags() + "</head>", 1)
    title = html.escape(words(lang)["nav." + PAGES[page]] + " · " + words(lang)["site.name"])
    page_html = page_html.replace("<head>", f"<head>{CSP}", 1)
    page_html = page_html.replace("</head>", f"<title>{title}</title>{NO_ICON}</head>", 1)
    return re.sub(r"<body>", lambda m: f'<body class="site-map">{chrome(lang, page)}', page_html, count=1)


def text_page(lang: str, page: str, body: str = "") -> str:
    """A page of the site with no map: header, a ``<main>`` that ``site.js`` fills from the page's JSON."""
    w = words(lang)
    e = html.escape
    title = e(w["nav." + PAGES[page]] + " · " + w["site.name"])
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"/>{CSP}'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"/><title>{title}</title>{NO_ICON}'
            f'{_site_tags(extra_js=False)}</head><body data-page="{e(PAGES[page])}" data-lang="{lang}">'
            f'{chrome(lang, page)}<main id="main" class="site-main"><h1>{e(w["nav." + PAGES[page]])}</h1>{body}'
            f'</main><script id="words" type="application/json">{safe_json(w)}</script>'
            f'<script src="{e(_asset_href("site/site.js"))}"></script></body></html>')


def _asset_href(name: str) -> str:
    from geo.assets import asset_url

    with served_from("../assets/"):
        return asset_url(name)


def about_body(lang: str, day: dt.date | None = None) -> str:
    """The about page: what the atlas is, its rules, and how to cite it (the site's own words, escaped)."""
    w, e = words(lang), html.escape
    cite = w["about.cite_text"].format(date=(day or dt.date.today()).isoformat())
    return (f'<p>{e(w["about.p1"])}</p><p>{e(w["about.p2"])}</p><p>{e(w["about.p3"])}</p>'
            f'<h2>{e(w["about.cite"])}</h2><div class="site-cite-box" id="cite">{e(cite)}</div>')


def root_index() -> str:
    """``site/index.html``: opens the language of the browser; a plain list of links without script."""
    e = html.escape
    items = "".join(f'<li><a href="{lg}/" hreflang="{lg}" lang="{lg}">{e(LANG_NAMES[lg])}</a></li>' for lg in LANGS)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"/>' + CSP + '<meta name="viewport" content="width=device-width, '
            'initial-scale=1"/><title>Atlas</title>' + NO_ICON + '<script>(function(){var k=["en","ru","kk"],'
            'l=((navigator.languages||[])[0]||navigator.language||"en").slice(0,2).toLowerCase();location.replace((k.indexOf(l)<0?"en":l)+"/")})()'
            f'</script></head><body><ul>{items}</ul></body></html>')


# ---- the data of the text pages -------------------------------------------------------------------------------------


def records_data(ds, lang: str) -> dict:
    """The records page: every bundled record's card (:func:`geo.cards.record_cards`) with its filter values."""
    from geo.cards import record_cards
    from geo.flows import years_of

    rec = ds.records
    cards = record_cards(rec, ds.sources, lang)
    first, last = years_of(rec)
    rows = []
    for r, y0, y1 in zip(rec.to_dict("records"), first, last):
        rid = str(r["id"])
        nat, cat = str(r.get("nationality") or ""), str(r.get("category") or "")
        rows.append({"id": rid, "y0": int(y0), "y1": int(y1), "nat": value_label("nat", nat, lang) if nat else "—",
                     "cat": value_label("cat", cat, lang), "card": cards[rid]})
    return {"records": rows}


def _cites(ds) -> dict[str, str]:
    from geo.cards import citation

    return {str(s["id"]): citation(s) for s in ds.sources.to_dict("records")}


def _number(v: object) -> float | None:
    """A count cell as a number, or None when it is empty or missing."""
    try:
        return None if v is None or v is pd.NA or pd.isna(v) or str(v).strip() == "" else float(v)
    except (TypeError, ValueError):
        return None


def _http(url: object) -> str:
    """A link target only when it is a plain http(s) address (never ``javascript:`` or data)."""
    u = str(url or "").strip()
    return u if re.fullmatch(r"https?://[^\s\"'<>]+", u) else ""


def markdown_blocks(text: str) -> list[dict]:
    """A README as blocks the page builds with ``textContent``: headings, paragraphs, list items, code."""
    blocks: list[dict] = []
    para: list[str] = []
    code: list[str] | None = None

    def flush():
        if para:
            blocks.append({"p": " ".join(para)})
            para.clear()

    for line in text.splitlines():
        if line.startswith("```"):
            if code is None:
                flush()
                code = []
            else:
                blocks.append({"pre": "\n".join(code)})
                code = None
            continue
        if code is not None:
            code.append(line)
            continue
        m = re.match(r"(#{1,6})\s+(.*)", line)
        if m:
            flush()
            blocks.append({"h": min(len(m.group(1)) + 1, 6), "text": m.group(2).strip()})
        elif re.match(r"\s*([-*]|\d+\.)\s+", line):
            flush()
            blocks.append({"li": re.sub(r"^\s*([-*]|\d+\.)\s+", "", line)})
        elif not line.strip():
            flush()
        elif blocks and "li" in blocks[-1] and not para and line.startswith(" "):
            blocks[-1]["li"] += " " + line.strip()
        else:
            para.append(line.strip())
    flush()
    if code is not None:
        blocks.append({"pre": "\n".join(code)})
    return blocks


def lives_data(ds, lang: str) -> dict:
    """The lives page: each life with its stations, each station with its citation (the source with the
    station's locator), and the records it belongs to. Their texts are in English, as the data has them."""
    from geo.cards import citation
    from geo.dataset import source_ids
    from geo.i18n import fmt_date

    rows = {str(r["id"]): {k: ("" if pd.isna(v) else v) for k, v in r.items()} for r in ds.sources.to_dict("records")}
    cite = lambda x, loc="": citation({**rows[x], "locator": loc or rows[x].get("locator")}) if x in rows else x  # noqa: E731
    out = []
    for life in ds.lives:
        stations = []
        for st in life["stations"]:
            date = fmt_date(st["date"], lang) + (f" – {fmt_date(st['date_end'], lang)}" if st.get("date_end") else "")
            ids, loc = source_ids(st.get("source", "")), st.get("locator", "")
            # one source: the station's locator is its page; several: the locator names each, so it is shown once
            stations.append({"date": date, "place": st.get("place", ""), "kind": st.get("kind", ""),
                             "text": st.get("text", ""),
                             "sources": [cite(ids[0], loc)] if len(ids) == 1 else [cite(x) for x in ids],
                             "locator": loc if len(ids) > 1 else ""})
        out.append({"id": str(life.get("id", "")), "name": str(life.get("name", "")),
                    "years": f"{life.get('born') or '?'}–{life.get('died') or '?'}", "title": str(life.get("title", "")),
                    "summary": str(life.get("summary", "")), "stations": stations,
                    "sources": [cite(str(x)) for x in life.get("citations", [])],
                    "records": [str(r) for r in life.get("records", [])]})
    return {"lives": out}


def sources_data(ds, lang: str) -> dict:
    """The sources and method page: bibliography, the totals the records are checked against, the data READMEs."""
    from geo.cards import count_text
    from geo.dataset import source_ids
    from geo.paths import DATA_DIR

    cites = _cites(ds)
    bib = [{"id": str(s["id"]), "cite": cites[str(s["id"])], "url": _http(s.get("url")),
            "kind": str(s.get("kind") or ""), "language": str(s.get("language") or ""),
            "notes": "" if pd.isna(s.get("notes")) else str(s.get("notes") or "")}
           for s in ds.sources.to_dict("records")]
    totals = []
    for r in ds.totals.to_dict("records"):
        num = lambda k: _number(r.get(k))  # noqa: B023, E731
        totals.append({"label": str(r["label"]), "date": str(r.get("date") or ""),
                       "count": count_text(num("total_best"), num("total_low"), num("total_high"),
                                           str(r.get("count") or "").strip().startswith("~"), lang),
                       "sources": [cites.get(s, s) for s in source_ids(r.get("source") or "")],
                       "notes": "" if pd.isna(r.get("notes")) else str(r.get("notes") or "")})
    readmes = []
    for path in sorted(DATA_DIR.glob("*/README.md")):
        readmes.append({"name": f"data/{path.parent.name}/README.md",
                        "blocks": markdown_blocks(path.read_text(encoding="utf-8"))})
    return {"bibliography": bib, "totals": totals, "readmes": readmes}


def events_data(ds, lang: str) -> dict:
    """The events timeline: each event in ``lang`` with its source and the repression figures tied to it."""
    from geo.cards import citation, count_text
    from geo.dataset import source_ids
    from geo.i18n import fmt_date

    cites = _cites(ds)
    rows = {str(r["id"]): {k: ("" if pd.isna(v) else v) for k, v in r.items()} for r in ds.sources.to_dict("records")}
    rep = ds.repressions
    by_event: dict[str, list[dict]] = {}
    for r in rep.to_dict("records"):
        num = lambda k: _number(r.get(k))  # noqa: B023, E731
        by_event.setdefault(str(r["event"]), []).append(
            {"what": str(r.get("what") or ""), "nat": value_label("nat", str(r.get("nationality") or ""), lang),
             "place": str(r.get("place") or ""),
             "date": fmt_date(str(r.get("date") or ""), lang) + (f" – {fmt_date(str(r['date_end']), lang)}"
                                                              if not pd.isna(r.get("date_end")) and r.get("date_end") else ""),
             "count": count_text(num("count"), num("count_low"), num("count_high"), False, lang),
             "sources": [cites.get(s, s) for s in source_ids(r.get("source") or "")],
             "notes": "" if pd.isna(r.get("notes")) else str(r.get("notes") or "")})
    out = []
    for e in ds.events.to_dict("records"):
        s = lambda k: "" if k not in e or e[k] is None or (isinstance(e[k], float) and pd.isna(e[k])) else str(e[k])  # noqa: B023, E731
        title = s(f"title_{lang}") or s("title_en")
        date = fmt_date(s("date")[:10], lang) + (f" – {fmt_date(s('date_end')[:10], lang)}" if s("date_end") else "")
        # the event's own locator (the page of this decree) stands for the source's general one
        cite = [citation({**rows[x], "locator": s("locator") or rows[x].get("locator")}) if x in rows else x
                for x in source_ids(s("source"))]
        out.append({"id": s("id"), "date": date, "year": s("date")[:4], "kind": s("kind"), "title": title,
                    "body": s("body"), "number": s("number"), "summary": s("summary"), "place": s("place"),
                    "sources": cite, "figures": by_event.get(s("id"), [])})
    return {"events": out}


# ---- the build --------------------------------------------------------------------------------------------------


def copy_assets(out: Path) -> None:
    """Leaflet (with its images), the atlas's scripts and the site's own files into ``out/assets``."""
    target = out / "assets"
    (target / "site").mkdir(parents=True, exist_ok=True)
    # Leaflet and every script and style of geo/static (a plugin added there later is carried without a change here)
    names = ["leaflet.js", "leaflet.css", *sorted(p.name for p in STATIC_DIR.iterdir() if p.suffix in (".js", ".css"))]
    for name in names:
        shutil.copyfile(asset_path(name), target / name)
    images = asset_path("leaflet.js").with_name("images")
    if images.is_dir():
        shutil.copytree(images, target / "images", dirs_exist_ok=True)
    for p in SITE_STATIC.iterdir():
        if p.suffix in (".js", ".css"):
            shutil.copyfile(p, target / "site" / p.name)


def build_site(out: Path | str, langs: tuple[str, ...] = LANGS, *, dataset=None,
               pages: tuple[str, ...] | None = None) -> SiteReport:
    """Write the static site into ``out`` (emptied first) and return its sizes.

    ``dataset``: the :class:`geo.dataset.Dataset` to publish (the bundled one by default). ``pages``: only
    these files of :data:`PAGES` (all by default; the flows page is always written, the sizes are counted
    from it). The first view is counted as the bytes of the files it loads; what Chromium receives for it
    (headers included) is measured by ``python benchmarks/bench_site.py`` and asserted by the site's tests.
    """
    from geo import load_borders
    from geo.dataset import bundled_dataset
    from geo.lecture import check_scenes, lecture_html

    out = Path(out)
    if out.exists():
        if not (out / "index.html").exists() and any(out.iterdir()):
            raise ValueError(f"{out} is not empty and holds no site: not overwritten")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    ds, borders = dataset if dataset is not None else bundled_dataset(), load_borders()
    copy_assets(out)
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    groups = border_groups(borders, dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31))
    for date, g in groups.items():
        _write_json(out / "data" / "borders" / f"{date}.json", g)
    index = {day: groups_on(groups, day) for day in days_of(years).values()}
    stories = check_scenes(ds.stories)
    for lang in langs:
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)

        def lecture(lang=lang):
            with served_from("../assets/"):
                return with_chrome(lecture_html(stories, ds.records, borders, ds.sources, lang=lang, assets="linked"),
                                   lang, "lecture.html")

        def text(page, data, body="", lang=lang, folder=folder):
            _write_json(folder / "data" / f"{PAGES[page]}.json", data(ds, lang))
            return text_page(lang, page, body)

        note = "" if lang == "en" else f'<p class="atlas-muted">{html.escape(words(lang)["lives.note"])}</p>'
        writers = {
            "index.html": lambda lang=lang: with_chrome(flow_site_page(ds, borders, lang, out, "flows", index), lang,
                                                        "index.html"),
            "kazakhstan.html": lambda lang=lang: with_chrome(flow_site_page(ds, borders, lang, out, "kazakhstan", index),
                                                             lang, "kazakhstan.html"),
            "lecture.html": lecture,
            "records.html": lambda: text("records.html", records_data),
            "events.html": lambda: text("events.html", events_data),
            "lives.html": lambda note=note: text("lives.html", lives_data, note),
            "sources.html": lambda: text("sources.html", sources_data),
            "about.html": lambda lang=lang: text_page(lang, "about.html", about_body(lang)),
        }
        for page, write in writers.items():
            if pages is None or page in pages or page == "index.html":
                (folder / page).write_text(write(), encoding="utf-8")
    (out / "index.html").write_text(root_index(), encoding="utf-8")
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    files = first_view_files(out, index)
    return SiteReport(out, total, sum((out / f).stat().st_size for f in files), files)


def first_view_files(out: Path, index: dict[str, list[str]]) -> list[str]:
    """The files ``/en/`` loads before its first map is drawn: the page, what it links, the first year's data."""
    page = (out / "en" / "index.html").read_text(encoding="utf-8")
    files = ["en/index.html"]
    for ref in re.findall(r'(?:src|href)="(\.\./assets/[^"?]+)', page):
        files.append(str(Path("en", ref).as_posix()).replace("en/../", ""))
    year = int(re.search(r'"year":(\d{4})', page).group(1))  # the year the page opens on (FlowLayer's data)
    files.append(f"en/data/flows/{year}.json")
    files += [f"data/borders/{d}.json" for d in index[f"{year}-07-01"]]
    return list(dict.fromkeys(files))


class serve:
    """``python -m http.server`` on a free loopback port serving ``folder``; yields the base URL."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def __enter__(self) -> str:
        import socket
        import subprocess
        import sys
        import time
        import urllib.request

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                      "--directory", str(self.folder)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1).close()
                return base
            except OSError:
                time.sleep(0.1)
        self.proc.kill()
        raise RuntimeError("python -m http.server did not start")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
