"""Interactive map of the borders of a date, as one self-contained HTML page.

Leaflet comes from the PyPI package ``xstatic-leaflet`` and is inlined, so the
page makes no request outside the machine (no CDN, no tile server): a
historical map must not sit on today's borders, and a classroom may have no
internet. Data reaches the page as JSON with ``<``, ``>`` and ``&`` escaped, and
every label is set with ``textContent``, never as HTML.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely

from geo.borders import Borders
from geo.i18n import catalog, value_label

#: Colour-blind-safe palette (Paul Tol's "light" scheme) for neighbouring polities.
PALETTE = ("#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00", "#DDDDDD")

#: Display simplification (degrees) and coordinate rounding of the page's GeoJSON.
DISPLAY_TOLERANCE = 0.03
DISPLAY_DECIMALS = 2

_PROPS = ("id", "unit", "name", "name_ru", "name_kk", "valid_from", "valid_to", "precision", "source",
          "capital", "occupier", "level", "name_modern", "kind")


@lru_cache(maxsize=1)
def _leaflet() -> tuple[str, str]:
    """Leaflet's JS and CSS from the installed xstatic-leaflet package."""
    import xstatic.pkg.leaflet as xl

    base = Path(xl.BASE_DIR)
    return (base / "leaflet.js").read_text("utf-8"), (base / "leaflet.css").read_text("utf-8")


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
    return value


def layer_geojson(borders: Borders, day: dt.date | str, layer: str, tolerance: float = DISPLAY_TOLERANCE) -> dict:
    """The features of ``layer`` valid on ``day`` as display GeoJSON.

    Geometry is simplified by :data:`DISPLAY_TOLERANCE` and rounded to
    :data:`DISPLAY_DECIMALS`; polities get a ``color`` index such that the
    neighbours of a polity differ (greedy colouring).
    """
    df = borders.on(day, layer)
    geoms = shapely.simplify(np.asarray(df["geometry"].to_numpy(), dtype=object), tolerance, preserve_topology=True)
    colors = _greedy_colors(geoms) if layer == "polities" else [0] * len(df)
    feats = []
    for (_, row), geom, color in zip(df.iterrows(), geoms, colors):
        props = {k: _clean(row[k]) for k in _PROPS if k in row.index}
        props["color"] = color
        feats.append({"type": "Feature", "properties": props, "geometry": _round_coords(json.loads(shapely.to_geojson(geom)))})
    return {"type": "FeatureCollection", "features": feats}


def _greedy_colors(geoms: np.ndarray) -> list[int]:
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


def _atlas_js() -> str:
    """The shared helpers of the map pages (decoding, curves, arrowheads, text-only elements)."""
    return Path(__file__).with_name("atlasmap.js").read_text("utf-8")


def _safe_json(data: object) -> str:
    """JSON that can sit inside a <script> element without closing it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def borders_map_html(borders: Borders, day: dt.date | str, *, height: int = 620, title: str = "") -> str:
    """A standalone, offline HTML page with the borders valid on ``day``.

    Parameters
    ----------
    borders : Borders
        The border layers.
    day : datetime.date or str
        The date shown.
    height : int
        Map height in pixels.
    title : str
        Accessible title of the map (text, escaped by the browser).

    Returns
    -------
    str
        HTML with Leaflet, the polities, the Kazakh oblasts and the occupation
        zones of the date inlined; no external URL.
    """
    js, css = _leaflet()
    data = {
        "polities": layer_geojson(borders, day, "polities"),
        "kazakh_regions": layer_geojson(borders, day, "kazakh_regions"),
        "occupation": layer_geojson(borders, day, "occupation"),
        "palette": PALETTE,
        "day": str(day),
        "title": title,
    }
    return _PAGE.replace("/*LEAFLET_CSS*/", css).replace("/*LEAFLET_JS*/", js).replace(
        "/*DATA*/", _safe_json(data)).replace("/*HEIGHT*/", str(int(height)))


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<style>/*LEAFLET_CSS*/</style>
<style>
 html,body{margin:0;padding:0;font-family:system-ui,sans-serif}
 #map{height:/*HEIGHT*/px;background:#dfe9f3}
 .legend{background:#fff;padding:6px 8px;border:1px solid #999;font-size:13px;line-height:1.4}
 .legend span{display:inline-block;width:14px;height:10px;margin-right:6px;vertical-align:middle}
 .leaflet-tooltip{font-size:13px}
</style></head>
<body>
<div id="map" role="img"></div>
<script>/*LEAFLET_JS*/</script>
<script>
(function(){
 const D = /*DATA*/;
 const map = L.map('map', {zoomSnap: 0.25, attributionControl: false}).setView([52, 45], 3.25);
 document.getElementById('map').setAttribute('aria-label', D.title || ('Borders on ' + D.day));
 function tip(p, extra){
   const box = document.createElement('div');
   const b = document.createElement('b'); b.textContent = p.name || ''; box.appendChild(b);
   const lines = [];
   if (p.name_ru) lines.push(p.name_ru);
   if (p.name_modern) lines.push('today: ' + p.name_modern);
   if (p.kind === 'modern_outline') lines.push('today\u2019s outline (outside the atlas\u2019s focus)');
   if (p.occupier) lines.push('occupier: ' + p.occupier);
   lines.push((p.valid_from || '') + ' \\u2013 ' + (p.valid_to || '') + ' \\u00b7 precision ' + (p.precision || ''));
   if (extra) lines.push(extra);
   for (const t of lines){ const d = document.createElement('div'); d.textContent = t; box.appendChild(d); }
   return box;
 }
 const pol = L.geoJSON(D.polities, {
   style: f => (f.properties.kind === 'modern_outline'
     ? {color:'#999', weight:0.5, fillColor:'#eeeeee', fillOpacity:1}
     : {color:'#444', weight:0.8, fillColor: D.palette[f.properties.color % D.palette.length], fillOpacity:0.85}),
   onEachFeature: (f, l) => l.bindTooltip(tip(f.properties), {sticky:true})
 }).addTo(map);
 const kz = L.geoJSON(D.kazakh_regions, {
   style: () => ({color:'#222', weight:1.2, dashArray:'4 3', fill:true, fillOpacity:0}),
   onEachFeature: (f, l) => l.bindTooltip(tip(f.properties, f.properties.capital ? 'centre: ' + f.properties.capital : ''),
                                          {sticky:true})
 }).addTo(map);
 const occ = L.geoJSON(D.occupation, {
   style: () => ({color:'#CC3311', weight:2, dashArray:'6 4', fillColor:'#CC3311', fillOpacity:0.15}),
   onEachFeature: (f, l) => l.bindTooltip(tip(f.properties), {sticky:true})
 }).addTo(map);
 const legend = L.control({position:'bottomleft'});
 legend.onAdd = function(){
   const div = L.DomUtil.create('div', 'legend');
   const rows = [['#77AADD','states of ' + D.day, ''], ['#eeeeee','outside the atlas: today\u2019s outlines', '1px solid #999'],
                 ['transparent','Kazakh oblasts (dashed)', '2px dashed #222'],
                 ['#CC3311','occupation zones', '2px dashed #CC3311']];
   for (const [c, t, bd] of rows){
     const r = document.createElement('div'); const s = document.createElement('span');
     s.style.background = c; if (bd) s.style.border = bd; r.appendChild(s);
     r.appendChild(document.createTextNode(t)); div.appendChild(r);
   }
   return div;
 };
 legend.addTo(map);
 window.atlasMap = {map: map, polities: pol, kazakh: kz, occupation: occ, day: D.day};
})();
</script>
</body></html>
"""


#: Colour per record category: Paul Tol's bright and muted qualitative schemes (colour-blind safe).
CATEGORY_COLORS = {
    "deportation": "#CC3311", "political_emigrant": "#0077BB", "labour_immigrant": "#009988",
    "specialist": "#33BBEE", "evacuation": "#EE7733", "repatriation": "#AA3377", "re_emigration": "#882255",
    "arrest": "#000000", "camp_transfer": "#555555", "resettlement": "#999933",
}
#: Oblast choropleth ramp (Tol's YlOrBr, sequential, colour-blind safe), lightest first.
CHOROPLETH = ("#FFFBD5", "#FEE391", "#FEC44F", "#FB9A29", "#EC7014", "#CC4C02", "#8C2D04")
FLOW_TOLERANCE = 0.08
#: Today's outlines outside the atlas's focus are context only: coarser, rounded to 0.1 degree,
#: and without islands smaller than OUTLINE_MIN_AREA square degrees.
OUTLINE_TOLERANCE = 0.25
OUTLINE_MIN_AREA = 0.3
#: Properties the flow map's tooltips use (the border pages carry the full set).
_FLOW_PROPS = ("id", "name", "name_ru", "name_kk", "name_modern", "capital", "valid_from", "valid_to", "kind")
VIEWS = {"europe": ([50, 30], 3.5), "ussr": ([55, 60], 3.0), "kazakhstan": ([48, 67], 4.75)}


def _encode_geometry(geom, decimals: int) -> list:
    """Polygon rings as flat integer deltas: [x0, y0, dx1, dy1, ...] at 10**decimals per degree.

    Several times shorter than GeoJSON text; ``flowmap.html`` decodes it back (``decodeGeom``).
    Returned as a list of polygons, each a list of rings.
    """
    scale = 10 ** decimals
    polys = []
    parts = shapely.get_parts(geom)
    while len(parts) and np.isin(shapely.get_type_id(parts), (4, 5, 6, 7)).any():  # collections in collections
        parts = shapely.get_parts(parts)
    for poly in parts:
        if shapely.get_type_id(poly) != 3:  # only polygons are drawn
            continue
        rings = [shapely.get_exterior_ring(poly), *shapely.get_interior_ring(poly, range(shapely.get_num_interior_rings(poly)))]
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
                           tolerance: float = FLOW_TOLERANCE) -> dict:
    """Every feature of ``layer`` valid at some time in ``first..last``, with its validity.

    The browser shows the ones valid on the year it draws, so a year step needs no server.
    Polities are coloured once (greedy, over all features shown together).
    """
    lay = borders[layer]
    lo, hi = np.datetime64(first, "D"), np.datetime64(last, "D")
    keep = (lay.start <= hi) & (lay.end >= lo)
    props = lay.props[keep].reset_index(drop=True)
    outline = (props["kind"] == "modern_outline").to_numpy() if "kind" in props else np.zeros(len(props), bool)
    geoms = lay.geoms[keep].copy()
    geoms[~outline] = shapely.simplify(geoms[~outline], tolerance, preserve_topology=True)
    if outline.any():
        parts, idx = shapely.get_parts(geoms[outline], return_index=True)
        big = shapely.area(parts) >= OUTLINE_MIN_AREA
        kept = [shapely.multipolygons(parts[big & (idx == k)]) for k in range(int(outline.sum()))]
        geoms[outline] = shapely.simplify(np.array(kept, dtype=object), OUTLINE_TOLERANCE, preserve_topology=True)
    colors = [0] * len(geoms)
    if layer == "polities" and len(geoms):
        # colour by polity name so a state keeps its colour across periods
        names = props["name"].astype(str).to_numpy()
        uniq, inv = np.unique(names, return_inverse=True)
        per_name = np.array([shapely.union_all(geoms[inv == k]) for k in range(len(uniq))], dtype=object)
        c = _greedy_colors(per_name)
        colors = [c[k] for k in inv]
    feats = []
    for i, geom in enumerate(geoms):
        row = props.iloc[i]
        p = {k: _clean(row[k]) for k in _FLOW_PROPS if k in row.index and _clean(row[k]) not in (None, "")}
        p["color"] = int(colors[i])
        dec = 1 if outline[i] else DISPLAY_DECIMALS
        feats.append({"p": p, "g": _encode_geometry(geom, dec), "s": 10 ** dec})
    return {"type": "EncodedFeatures", "features": feats}


def _flow_rows(flows) -> list[dict]:
    out = []
    for r in flows.itertuples(index=False):
        out.append({"o": r.origin, "d": r.destination, "a": [round(float(r.origin_lat), 3), round(float(r.origin_lon), 3)],
                    "b": [round(float(r.destination_lat), 3), round(float(r.destination_lon), 3)],
                    "p": float(r.people), "lo": float(r.low), "hi": float(r.high), "n": int(r.records),
                    "u": int(r.unknown), "c": r.category, "ids": list(r.ids),
                    "y": int(getattr(r, "dataset", "bundled") != "bundled")})
    return out


def flow_map_html(borders: Borders, flows_by_year: dict[int, object], records: dict[str, dict], *,
                  first: dt.date, last: dt.date, all_years=None, view: str = "europe", year: int | None = None,
                  choropleth: dict[str, float] | None = None, height: int = 640, title: str = "",
                  lang: str = "en") -> str:
    """A standalone, offline HTML flow map that steps through years in the browser.

    Parameters
    ----------
    borders : Borders
        The border layers; every polity and oblast valid in ``first..last`` is inlined
        once with its validity, and the page shows those valid on the year drawn.
    flows_by_year : dict
        Year -> flows (the frame of :func:`geo.flows.aggregate`) active in that year.
    records : dict
        Record id -> fields shown when a flow is clicked (text only; inserted with
        ``textContent``, never as HTML).
    first, last : datetime.date
        The period; ``all_years`` (flows of the whole period) is shown before play.
    view : str
        ``europe``, ``ussr`` or ``kazakhstan``.
    choropleth : dict, optional
        Oblast name -> value shading the Kazakh oblasts.
    lang : str
        ``en``, ``ru`` or ``kk``: the page's own words and number format (flow labels come translated).

    Returns
    -------
    str
        HTML with Leaflet inlined from the xstatic-leaflet package; no external URL.
    """
    js, css = _leaflet()
    years = sorted(flows_by_year)
    peak = max([float(f["people"].max()) for f in flows_by_year.values() if len(f)] +
               ([float(all_years["people"].max())] if all_years is not None and len(all_years) else []) + [1.0])
    center, zoom = VIEWS.get(view, VIEWS["europe"])
    data = {
        "polities": layer_features_between(borders, "polities", first, last),
        "kazakh_regions": layer_features_between(borders, "kazakh_regions", first, last, 0.02),
        "flows": {str(y): _flow_rows(f) for y, f in flows_by_year.items()},
        "all": _flow_rows(all_years) if all_years is not None else None,
        "records": records, "years": years, "year": year, "peak": peak,
        "palette": PALETTE, "cat": CATEGORY_COLORS, "ramp": CHOROPLETH,
        "choropleth": choropleth, "center": center, "zoom": zoom, "title": title,
        "first": str(first), "last": str(last),
        "t": {k: v for k, v in catalog(lang).items() if k.startswith("map.")},
        "catLabels": {c: value_label("cat", c, lang) for c in CATEGORY_COLORS},
        "locale": {"en": "en-US", "ru": "ru-RU", "kk": "ru-RU"}[lang], "lang": lang,  # Kazakh groups digits as Russian does
    }
    page = Path(__file__).with_name("flowmap.html").read_text("utf-8").replace("/*ATLAS_JS*/", _atlas_js())
    return page.replace("/*LEAFLET_CSS*/", css).replace("/*LEAFLET_JS*/", js).replace(
        "/*DATA*/", _safe_json(data)).replace("/*HEIGHT*/", str(int(height)))



def points_map_html(points: list[dict], day: dt.date, borders: Borders, *, height: int = 260) -> str:
    """A small offline map of candidate places (name, country, lat, lon) over the borders of ``day``.

    Labels reach the page as data and are shown with ``textContent``; nothing is fetched.
    """
    js, css = _leaflet()
    pol = layer_features_between(borders, "polities", day, day, 0.15)
    data = {"polities": pol, "points": [{k: p.get(k) for k in ("name", "country", "lat", "lon", "label")} for p in points
                                        if p.get("lat") is not None and p.get("lon") is not None],
            "palette": PALETTE}
    page = """<!doctype html><html lang="en"><head><meta charset="utf-8"><style>/*LEAFLET_CSS*/</style>
<style>html,body{margin:0}#map{height:/*HEIGHT*/px;background:#dfe9f3}</style></head><body>
<div id="map" role="img" aria-label="Candidate places"></div><script>/*LEAFLET_JS*/</script><script>/*ATLAS_JS*/</script><script>
(function(){ const D = /*DATA*/;
 const map = L.map('map', {attributionControl:false}).setView([50, 50], 2);  // a view before any layer
 L.geoJSON(Atlas.decodeLayer(D.polities),
   {style: f => ({color:'#777', weight:0.6, fillOpacity:0.5,
                  fillColor: f.properties.kind === 'modern_outline' ? '#eee' : D.palette[f.properties.color % D.palette.length]}),
    interactive:false}).addTo(map);
 const pts = [];
 D.points.forEach((p, i) => {
   const m = L.circleMarker([p.lat, p.lon], {radius:7, color:'#000', weight:2, fillColor:'#EE7733', fillOpacity:1}).addTo(map);
   const box = document.createElement('div');
   box.textContent = (i + 1) + '. ' + (p.label || (p.name + ' (' + (p.country || '') + ')'));
   m.bindTooltip(box, {permanent: D.points.length <= 4}); pts.push([p.lat, p.lon]); });
 if (pts.length > 1) map.fitBounds(pts, {padding:[30,30], maxZoom:6});
 else if (pts.length) map.setView(pts[0], 5); else map.setView([50, 50], 2);
 window.addEventListener('resize', () => map.invalidateSize());
 setTimeout(() => { map.invalidateSize(); if (pts.length > 1) map.fitBounds(pts, {padding:[30,30], maxZoom:6}); }, 300);
 window.candidateMap = {map: map, count: pts.length};
})();</script></body></html>"""
    return page.replace("/*LEAFLET_CSS*/", css).replace("/*LEAFLET_JS*/", js).replace("/*ATLAS_JS*/", _atlas_js()).replace(
        "/*DATA*/", _safe_json(data)).replace("/*HEIGHT*/", str(int(height)))
