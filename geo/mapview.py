"""The one renderer of the atlas's map pages: a ``folium.Map`` with every asset served locally.

Every map page (the flows of the home and Kazakhstan pages, the import page, the lecture, the
borders of a date, the candidate places, the offline HTML exports) is a :func:`atlas_map` with
folium plugins of this package added (:class:`geo.borderlayer.DatedBorders`,
:class:`geo.flowlayer.FlowLayer`, :class:`geo.lecture.LectureLayer`, :class:`CandidatePoints`), and
becomes HTML through :func:`render_page` in one of two asset modes (see :mod:`geo.assets`):
``inline`` for files that must work alone, ``linked`` for the app. No tiles, no CDN: a historical
map must not sit on today's borders, and a classroom may have no internet. Record text reaches
the page as JSON with ``<``, ``>`` and ``&`` escaped and is shown with ``textContent`` only.
"""

from __future__ import annotations

import datetime as dt
import html as _html

import folium
from folium.template import Template
from folium.utilities import JsCode

from geo.assets import AssetMode, AtlasAssets, RawElement, render_macros, safe_json
from geo.borders import Borders

#: Colour per record category: Paul Tol's bright and muted qualitative schemes (colour-blind safe).
CATEGORY_COLORS = {
    "deportation": "#CC3311", "political_emigrant": "#0077BB", "labour_immigrant": "#009988",
    "specialist": "#33BBEE", "evacuation": "#EE7733", "repatriation": "#AA3377", "re_emigration": "#882255",
    "arrest": "#000000", "camp_transfer": "#555555", "resettlement": "#999933",
}
#: Oblast shading: a muted sequential ramp of warm greys (sepia), lightest first, so that the flows' category
#: colours stay the only saturated colours on the map (CIELAB chroma 5-14 here, 38-79 for the saturated
#: categories); six steps of about 11 units of lightness (L* 93 to 35) keep six classes apart, and the
#: lightest stays distinct from the white of 0, "no data". The legend and every export use this constant.
CHOROPLETH = ("#EFE9E1", "#D9CFC1", "#C4B5A2", "#A69480", "#84725F", "#5E5042")
#: The width scale of each map type, fixed across years, scenes and exports: ``per_px`` people per
#: pixel of width, ``min_px`` the width of any smaller (or count-less) flow, ``samples`` the legend's.
WIDTH_SCALES = {
    "flows": {"per_px": 20_000, "min_px": 1.5, "samples": [50_000, 200_000, 400_000]},
    "lecture": {"per_px": 12_500, "min_px": 2.5, "samples": [50_000, 200_000, 400_000]},
}
#: Views (south-west, north-east corners as [lat, lon]); each shows all of the Kazakh SSR. ``fit``
#: (the default) fits the drawn flows instead.
VIEWS = {"europe": [[34.0, -11.0], [66.0, 88.0]], "ussr": [[35.0, 20.0], [75.0, 180.0]],
         "kazakhstan": [[40.0, 46.0], [56.0, 88.0]]}
VIEW_NAMES = ("fit", *VIEWS)
#: The sea: a muted blue, darker than every land fill (geo.borderlayer.PALETTE, today's outlines), none of
#: which is blue, so that land and sea part at a glance and the flows stay the only saturated colours.
SEA = "#a6c4da"


class AtlasMap(AtlasAssets, folium.Map):
    """A ``folium.Map`` with Leaflet from the ``xstatic-leaflet`` package instead of folium's CDN set.

    No tiles; canvas rendering with a tap tolerance (arrows can be tapped on a phone); the sea's
    colour behind the borders. Use :func:`atlas_map`.
    """

    assets = ("leaflet.css", "leaflet.js")

    def __init__(self, *, title: str = "", lang: str = "en", **kwargs) -> None:
        kwargs.setdefault("location", [50.0, 50.0])
        kwargs.setdefault("zoom_start", 3)
        # canvas everywhere: the overlay pane's renderer takes taps 10 px off an arrow, and prefer_canvas makes
        # the borders' own pane draw on canvas too (not hundreds of SVG paths re-added at each year step)
        super().__init__(tiles=None, attribution_control=False, zoom_snap=0.25, zoom_delta=0.5, keyboard=False,
                         prefer_canvas=True, renderer=JsCode("L.canvas({tolerance: 10})"), **kwargs)
        self.title = title
        self.lang = lang if lang in ("en", "ru", "kk") else "en"
        self.get_root().header.add_child(RawElement(f"<style>html .leaflet-container{{background:{SEA}}}</style>"),
                                         name="atlas_sea")
        self.add_child(_MapLabel(title))


class _MapLabel(folium.MacroElement):
    """The map's accessible name (text, set as an attribute by the browser, never parsed as markup) and its scale bar."""

    def render(self, **kwargs):
        render_macros(self, kwargs)  # the title never passes through a template a second time

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.getContainer().setAttribute('role', 'region');
        {{ this._parent.get_name() }}.getContainer().setAttribute('aria-label', {{ this.title|tojson }});
        L.control.scale({imperial: false, maxWidth: 140}).addTo({{ this._parent.get_name() }});  // measured at the map's centre
        {% endmacro %}
    """)

    def __init__(self, title: str) -> None:
        super().__init__()
        self._name = "MapLabel"
        self.title = title or "Map"


def atlas_map(title: str = "", lang: str = "en", **kwargs) -> AtlasMap:
    """A map for the atlas's layers: local Leaflet, no tiles, canvas with a tap tolerance.

    ``title`` names the map (its accessible name and the page's ``<title>``); ``lang`` is the
    page's language (``<html lang>``), so that a screen reader reads it in the right voice.

    Add :class:`geo.borderlayer.DatedBorders`, :class:`geo.flowlayer.FlowLayer` ... to it, then
    :func:`render_page`. In a notebook the map displays itself (its assets inline).
    """
    return AtlasMap(title=title, lang=lang, **kwargs)


def render_page(m: folium.Map, assets: AssetMode = "inline") -> str:
    """The HTML page of a map: the one renderer of every map page.

    Parameters
    ----------
    m : folium.Map
        Usually an :func:`atlas_map` with this package's layers.
    assets : {"inline", "linked"}
        ``inline`` writes Leaflet and the atlas's scripts into the page (exports, offline files,
        notebooks); ``linked`` points at ``/app/static/atlas/`` (the app; :func:`geo.assets.publish`
        puts the files there).
    """
    fig = m.get_root()
    fig.atlas_assets = assets
    fig.title = None  # folium's template would write it unescaped; it is written below, escaped
    html = fig.render()
    lang = getattr(m, "lang", "en")
    title = _html.escape(getattr(m, "title", "") or "Map", quote=True)
    # a document's language and title (WCAG 3.1.1, 2.4.2): an embedded page is a document of its own
    return html.replace("<html>\n<head>\n", f'<html lang="{lang}">\n<head>\n<title>{title}</title>\n', 1)


def flow_map_html(borders: Borders, flows_by_year: dict[int, object], records: dict[str, dict], *,
                  first: dt.date, last: dt.date, all_years=None, view: str = "fit", year: int | None = None,
                  shading: dict | None = None, height: int | None = None, title: str = "", lang: str = "en",
                  assets: AssetMode = "inline", url_state: bool = False, scale: str = "flows",
                  events: list[dict] | None = None) -> str:
    """A flow map that steps through years in the browser, as one HTML page.

    Parameters
    ----------
    borders : Borders
        The border layers; every polity and oblast valid in ``first..last`` is sent once with its
        validity, and the page shows those valid on the year drawn. Also resolves the flows' areas.
    flows_by_year : dict
        Year -> flows (:func:`geo.flows.aggregate` of :func:`geo.areas.placed` records) of that year.
    records : dict
        Record id -> card (:func:`geo.cards.record_cards`), shown when a flow is clicked.
    first, last : datetime.date
        The period; ``all_years`` (its flows) is shown on "All".
    view : str
        ``fit`` (the drawn flows), ``europe``, ``ussr`` or ``kazakhstan``.
    year : int, optional
        The year shown first (else the whole period).
    shading : dict, optional
        Kazakh oblast shading: year (str) or ``"all"`` -> {oblast: arrivals with a known count}.
    height : int, optional
        Unused (the page fills its frame); kept for old callers.
    lang : str
        ``en``, ``ru`` or ``kk``: the page's own words and number format (flow labels come translated).
    assets : {"inline", "linked"}
        See :func:`render_page`.
    url_state : bool
        Write the year shown into the embedding page's address (the app).
    scale : str
        The map type whose width scale is used (:data:`WIDTH_SCALES`).
    events : list of dict, optional
        Events of the policy timeline (:func:`geo.cards.event_cards`) for the events strip.
    """
    from geo.borderlayer import DatedBorders
    from geo.flowlayer import FlowLayer

    m = atlas_map(title=title or "Flow map", lang=lang)
    DatedBorders(borders, last, first, lang=lang).add_to(m)
    FlowLayer(all_years, by_year=flows_by_year, cards=records, borders=borders, first=first, last=last, year=year,
              shading=shading, view=view, title=title, lang=lang, url_state=url_state, scale=scale,
              outlines_on_map=True, events=events).add_to(m)
    return render_page(m, assets)


def borders_map_html(borders: Borders, day: dt.date | str, *, height: int | None = None, title: str = "",
                     lang: str = "en", assets: AssetMode = "inline") -> str:
    """A page with the borders valid on ``day`` (polities, Kazakh oblasts, occupation zones), full tooltips."""
    from geo.borderlayer import DISPLAY_TOLERANCE, DatedBorders

    m = atlas_map(title=title or f"Borders on {day}", lang=lang)
    DatedBorders(borders, str(day), detail=True, tolerance=DISPLAY_TOLERANCE,
                 layers=("polities", "kazakh_regions", "occupation"), lang=lang).add_to(m)
    _BordersPage(str(day), VIEWS["europe"], lang).add_to(m)
    return render_page(m, assets)


class _BordersPage(AtlasAssets, folium.MacroElement):
    """The borders page's view, legend and test hooks (``window.atlasMap``)."""

    assets = ("atlas.css", "atlas.js")
    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map, T){
          const B = map._atlasBorders, el = Atlas.el;
          Atlas.limitToWorld(map); map.fitBounds({{ this.bounds|tojson }});
          const legend = L.control({position: 'bottomleft'});
          legend.onAdd = () => { const div = L.DomUtil.create('div', 'atlas-legend atlas-map-legend');
            for (const [bg, border, text] of [
                ['#EEEEBB', '1px solid #77756d', Atlas.fill(T['map.legend_states'], {day: {{ this.day|tojson }}})],
                                              ['#f4f3ef', '1px solid #b8b8b8', T['map.legend_outlines']],
                                              ['transparent', '2px dashed #4a4a4a', T['map.legend_oblasts']],
                                              ['rgba(204,51,17,0.15)', '2px dashed #CC3311', T['map.legend_occupation']]]){
              const r = el('div', undefined, 'atlas-legend-row'), s = el('span', undefined, 'atlas-swatch-fill');
              s.style.background = bg; s.style.border = border; r.appendChild(s); r.appendChild(el('span', text));
              div.appendChild(r); }
            const r = el('div', undefined, 'atlas-legend-row'); r.appendChild(el('i', undefined, 'atlas-swatch-capital'));
            r.appendChild(el('span', T['map.capital'])); div.appendChild(r);
            return div; };
          legend.addTo(map);
          window.atlasMap = {map: map, polities: B.polities, kazakh: B.kazakh, occupation: B.occupation,
                             day: {{ this.day|tojson }}};
          window.addEventListener('resize', () => map.invalidateSize());
        })({{ this._parent.get_name() }}, {{ this.words_json }});
        {% endmacro %}
    """)

    def __init__(self, day: str, bounds, lang: str = "en") -> None:
        from geo.i18n import catalog

        super().__init__()
        self._name = "BordersPage"
        self.day, self.bounds = day, bounds
        self.words_json = safe_json({k: v for k, v in catalog(lang).items() if k.startswith("map.legend_") or k == "map.capital"})


class CandidatePoints(AtlasAssets, folium.MacroElement):
    """Candidate places of a name under review, numbered and labelled (text only), fitted in view."""

    assets = ("atlas.css", "atlas.js")
    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map, pts){
          const made = [];
          pts.forEach((p, i) => {
            const m = L.circleMarker([p.lat, p.lon],
              {radius: 7, color: '#000', weight: 2, fillColor: '#EE7733', fillOpacity: 1}).addTo(map);
            m.bindTooltip(Atlas.el('div', (i + 1) + '. ' + (p.label || (p.name + ' (' + (p.country || '') + ')'))),
                          {permanent: pts.length <= 4});
            made.push([p.lat, p.lon]);
          });
          const fit = () => { map.invalidateSize(); if (made.length > 1) map.fitBounds(made, {padding: [30, 30], maxZoom: 6});
                              else if (made.length) map.setView(made[0], 5); else map.setView([50, 50], 2); };
          fit(); setTimeout(fit, 300); window.addEventListener('resize', () => map.invalidateSize());
          window.candidateMap = {map: map, count: made.length};
        })({{ this._parent.get_name() }}, {{ this.points_json }});
        {% endmacro %}
    """)

    def __init__(self, points: list[dict]) -> None:
        super().__init__()
        self._name = "CandidatePoints"
        self.points_json = safe_json([{k: p.get(k) for k in ("name", "country", "lat", "lon", "label")} for p in points
                                      if p.get("lat") is not None and p.get("lon") is not None])


def points_map_html(points: list[dict], day: dt.date, borders: Borders, *, height: int | None = None,
                    assets: AssetMode = "inline") -> str:
    """A small map of candidate places (name, country, lat, lon) over the borders of ``day``."""
    from geo.borderlayer import DatedBorders

    m = atlas_map(title="Candidate places")
    DatedBorders(borders, day, tolerance=0.15, layers=("polities",)).add_to(m)
    CandidatePoints(points).add_to(m)
    return render_page(m, assets)


def layer_geojson(*args, **kwargs) -> dict:
    """See :func:`geo.borderlayer.layer_geojson` (kept here for the Explorer page's download)."""
    from geo.borderlayer import layer_geojson as _layer_geojson

    return _layer_geojson(*args, **kwargs)


def map_title(f, group: str, lang: str = "en", year: int | None = None) -> str:
    """The title of a flow map or export: period (or the year shown), the filters, the grouping.

    ``Flows 1941 · German · deportation, grouped by place``: what the map shows, so an export or a
    copied link says which filters made it.
    """
    from geo.i18n import t, unit_label, value_label

    period = str(year) if year is not None else (f"{f.year_from}" if f.year_from == f.year_to
                                                 else f"{f.year_from}\u2013{f.year_to}")
    parts = [value_label("nat", n, lang) for n in f.nationalities]
    parts += [value_label("cat", c, lang) for c in f.categories]
    parts += [unit_label(o, lang) for o in f.origin_polities]
    parts += ["\u2192 " + unit_label(d, lang) for d in f.destination_regions]
    filters = "".join(f" \u00b7 {p}" for p in parts)
    return t("map.title", lang, period=period, filters=filters, group=t(f"group.{group}", lang))


def flow_map_data(records, borders: Borders, f, group: str = "place", *, lang: str = "en", sources=None,
                  shading: bool = False, limit: int = 0, day: dt.date | None = None) -> dict:
    """What the flow map of ``records`` passing the filters ``f`` draws: the arguments of
    :class:`geo.flowlayer.FlowLayer` (``flows``, ``by_year``, ``cards``, ``first``, ``last``, ``shading``).

    Filters, areas (:func:`geo.areas.placed`), flows per year and for the period, labels in
    ``lang``, record cards (:func:`geo.cards.record_cards`), at most ``limit`` arrows per frame
    (0: all), and with ``shading`` the Kazakhstan map: only the flows with an end in Kazakhstan,
    its oblasts shaded by the arrivals of each year. ``day``: one day's map (the borders valid on that
    day, the flows of the filters' years, no year player), as each side of :func:`compare_page`.
    :func:`flows_page` and the static site (:mod:`geo.site`) both draw this.
    """
    from geo.areas import placed
    from geo.cards import record_cards
    from geo.flowlayer import oblast_shading
    from geo.flows import aggregate, filter_records, flows_by_year, largest, touches_kazakhstan
    from geo.i18n import flow_labels

    rec = filter_records(records, f)
    if shading:
        rec = rec[touches_kazakhstan(rec).to_numpy()]
    rec = placed(rec, borders, group)
    years = range(f.year_from, f.year_to + 1)
    labels = flow_labels(rec, group, lang) if len(rec) else {}

    def relabel(fl):
        fl = largest(fl, limit)[0]
        return fl.assign(origin=fl["origin"].map(lambda k: labels.get(k, k)),
                         destination=fl["destination"].map(lambda k: labels.get(k, k)))

    per_year = {y: relabel(fl) for y, fl in flows_by_year(rec, years, group).items()} if day is None else {}
    first, last = (dt.date(f.year_from, 1, 1), dt.date(min(f.year_to, 1950), 12, 31)) if day is None else (day, day)
    return {"flows": relabel(aggregate(rec, group)), "by_year": per_year,
            "cards": record_cards(rec, sources, lang, details=records), "first": first, "last": last,
            "shading": oblast_shading(rec, years) if shading else None}


def flows_page(records, borders: Borders, f, group: str = "place", *, view: str = "fit", lang: str = "en",
               sources=None, shading: bool = False, limit: int = 0, year: int | None = None,
               assets: AssetMode = "inline", url_state: bool = False, title: str | None = None,
               events=True, day: dt.date | None = None) -> str:
    """The flow map of ``records`` passing the filters ``f``: the page of the app and of the HTML export.

    What it draws is :func:`flow_map_data` (``limit``: at most so many arrows per frame, 0: all; ``shading``:
    the Kazakhstan map; ``day``: one day's map). ``events``: the policy timeline shown in the events strip:
    ``True`` the bundled one (``geo.dataset.bundled_dataset().events`` with its repression figures), a
    DataFrame of events, or ``False`` for none.
    """
    d = flow_map_data(records, borders, f, group, lang=lang, sources=sources, shading=shading, limit=limit, day=day)
    return flow_map_html(borders, d["by_year"], d["cards"], first=d["first"], last=d["last"], all_years=d["flows"],
                         view=view, year=year, shading=d["shading"], title=title or map_title(f, group, lang), lang=lang,
                         assets=assets, url_state=url_state, events=timeline(events, d["first"], d["last"], lang, sources))


def timeline(events, first: dt.date, last: dt.date, lang: str = "en", sources=None) -> list[dict]:
    """The events strip's cards of ``first..last``: ``events`` True (the bundled timeline), a DataFrame, or False."""
    from geo.cards import event_cards

    if events is False or events is None:
        return []
    repressions = None
    if events is True:
        from geo.dataset import bundled_dataset

        ds = bundled_dataset()
        events, repressions, sources = ds.events, ds.repressions, ds.sources if sources is None else sources
    return event_cards(events, repressions, sources, lang, first.isoformat(), last.isoformat())


def compare_page(records, borders: Borders, day_a: dt.date, day_b: dt.date, f=None, group: str = "place", *,
                 lang: str = "en", sources=None, assets: AssetMode = "inline", limit: int = 0, events=True) -> str:
    """Two dates side by side: the same area with the borders valid on each day and the flows of each day's year.

    Parameters
    ----------
    records : pandas.DataFrame
        Joined records.
    borders : Borders
        The border layers.
    day_a, day_b : datetime.date
        The two days (e.g. 1 September 1939 and 22 June 1941).
    f : Filters, optional
        Nationalities, categories, origins and destinations to keep; its years are replaced by each day's year.
    group, lang, sources, limit, events
        As :func:`flows_page`.
    assets : {"inline", "linked"}
        ``inline``: one file that works offline (each side is a whole map page inside it).

    Returns
    -------
    str
        One HTML page: two maps (each an ``iframe`` of its own page, ``srcdoc``), moved and zoomed together.
    """
    from dataclasses import replace

    from geo.flows import Filters
    from geo.i18n import fmt_date, t

    f = f or Filters(day_a.year, day_b.year)
    sides = []
    for day in (day_a, day_b):
        fd = replace(f, year_from=day.year, year_to=day.year)
        title = t("compare.side", lang, day=fmt_date(day.isoformat(), lang), year=day.year)
        page = flows_page(records, borders, fd, group, view="fit", lang=lang, sources=sources, limit=limit,
                          assets=assets, title=title, events=events, day=day)
        sides.append((title, page))
    title = t("compare.title", lang, a=fmt_date(day_a.isoformat(), lang), b=fmt_date(day_b.isoformat(), lang))
    esc = lambda v: _html.escape(v, quote=True)  # noqa: E731
    frames = "".join(f'<section class="side"><h2>{esc(name)}</h2><iframe title="{esc(name)}" srcdoc="{esc(page)}">'
                     f"</iframe></section>" for name, page in sides)
    return f"""<!DOCTYPE html>
<html lang="{lang if lang in ("en", "ru", "kk") else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>
<style>
html, body {{ margin: 0; height: 100%; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; }}
main {{ display: flex; height: 100%; }} h1 {{ position: absolute; left: -9999px; }}
.side {{ flex: 1 1 50%; display: flex; flex-direction: column; min-width: 0; border-left: 2px solid #111; }}
.side:first-of-type {{ border-left: none; }}
.side h2 {{ margin: 0; padding: 4px 10px; font-size: 17px; background: #111; color: #fff; }}
.side iframe {{ flex: 1; width: 100%; border: 0; }}
@media (max-width: 700px) {{ main {{ flex-direction: column; }} .side {{ border-left: none; border-top: 2px solid #111; }} }}
</style></head><body><main><h1>{esc(title)}</h1>{frames}</main>
<script>
// the two maps show the same area: fitted together once both are drawn, then moved and zoomed together
(function(){{
  const frames = [...document.querySelectorAll('iframe')];
  const maps = () => frames.map(f => f.contentWindow && f.contentWindow.atlasMap).filter(Boolean);
  let syncing = false, lastSizes = '';
  function link(){{
    const M = maps();
    if (M.length < 2 || M.some(m => !m.map.getSize().x || !m.map.getBounds().isValid())){{ setTimeout(link, 100); return; }}
    // wait until the frames keep their size: a map refits itself when its frame is resized, which would undo the fit
    const sizes = frames.map(f => f.clientWidth + 'x' + f.clientHeight).join();
    if (sizes !== lastSizes){{ lastSizes = sizes; setTimeout(link, 250); return; }}
    const c = M.map(m => m.map.getBounds());  // plain numbers: a bounds object of one page is not one of the other's
    const b = [[Math.min(c[0].getSouth(), c[1].getSouth()), Math.min(c[0].getWest(), c[1].getWest())],
               [Math.max(c[0].getNorth(), c[1].getNorth()), Math.max(c[0].getEast(), c[1].getEast())]];
    M.forEach(m => m.map.fitBounds(b, {{animate: false}}));  // no animation: one ending later would undo a move made meanwhile
    M.forEach((m, i) => m.map.on('moveend', () => {{
      if (syncing) return; syncing = true;
      const o = M[1 - i].map, ctr = m.map.getCenter();
      o.setView([ctr.lat, ctr.lng], m.map.getZoom(), {{animate: false}}); syncing = false; }}));
    window.compareMaps = M;
  }}
  window.addEventListener('load', link);
}})();
</script></body></html>
"""
