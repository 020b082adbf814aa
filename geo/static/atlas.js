/* The atlas's Leaflet code: dated borders, flows drawn as the sources allow, areas, legend, record cards.
   Shipped in the geo package (geo/static) and used by the folium plugins of geo.flowlayer, geo.borderlayer
   and geo.lecture. Text from data is only ever set with textContent; nothing here builds HTML from strings. */
window.Atlas = (function(){
  'use strict';
  // ---- small helpers ----------------------------------------------------------------------------------
  // borders arrive as integer deltas (geo.borderlayer.encode_geometry); rebuilt as GeoJSON once
  function decodeGeom(g, scale){
    return {type: 'MultiPolygon', coordinates: g.map(poly => poly.map(ring => {
      const out = []; let x = 0, y = 0;
      for (let i = 0; i < ring.length; i += 2){ x += ring[i]; y += ring[i + 1]; out.push([x / scale, y / scale]); }
      return out; }))};
  }
  function decodeLayer(L0){
    return {type: 'FeatureCollection', features: L0.features.map(f => ({type: 'Feature', properties: f.p, geometry: decodeGeom(f.g, f.s)}))};
  }
  function el(tag, text, cls){ const e = document.createElement(tag); if (text !== undefined && text !== null) e.textContent = text; if (cls) e.className = cls; return e; }
  function tipBox(lines){ const b = document.createElement('div'); lines.forEach((t, i) => b.appendChild(el(i ? 'div' : 'b', t))); return b; }
  function validOn(p, day){ return (!p.valid_from || p.valid_from <= day) && (!p.valid_to || day <= p.valid_to); }
  function fill(text, values){ return String(text).replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m)); }

  // ---- curves: the same quadratic Bezier as geo.areas.bezier (lat/lon), bending left of the route ----
  function bezier(a, b, bend){
    const [y1, x1] = a, [y2, x2] = b; const mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
    const dx = x2 - x1, dy = y2 - y1; const cx = mx - dy * bend, cy = my + dx * bend;
    return t => [(1-t)*(1-t)*y1 + 2*(1-t)*t*cy + t*t*y2, (1-t)*(1-t)*x1 + 2*(1-t)*t*cx + t*t*x2];
  }
  function curve(a, b, bend, t0, t1, n){
    const P = bezier(a, b, bend === undefined ? 0.2 : bend); t0 = t0 || 0; t1 = t1 === undefined ? 1 : t1; n = n || 24;
    const pts = []; for (let i = 0; i <= n; i++) pts.push(P(t0 + (t1 - t0) * i / n)); return pts;
  }
  // cut a polyline (layer points) where it leaves a circle of radius r around its first point
  function cutStart(px, r){
    const c = px[0];
    for (let i = 1; i < px.length; i++){
      const d = px[i].distanceTo(c);
      if (d >= r){ const p = px[i - 1], q = px[i], dp = p.distanceTo(c); const f = (r - dp) / Math.max(1e-9, d - dp);
        return [L.point(p.x + (q.x - p.x) * f, p.y + (q.y - p.y) * f), ...px.slice(i)]; }
    }
    return px.slice(-2);
  }
  function arrowHead(map, px, w, color, size){
    const p1 = px[Math.max(0, px.length - 3)], p2 = px[px.length - 1];
    const ang = Math.atan2(p2.y - p1.y, p2.x - p1.x), s = (size || 8) + Math.min(w, 18) * 0.9;
    const a = L.point(p2.x - s * Math.cos(ang - 0.45), p2.y - s * Math.sin(ang - 0.45));
    const b = L.point(p2.x - s * Math.cos(ang + 0.45), p2.y - s * Math.sin(ang + 0.45));
    return L.polygon([map.layerPointToLatLng(a), map.layerPointToLatLng(p2), map.layerPointToLatLng(b)],
                     {color: color, weight: 1, fillColor: color, fillOpacity: 0.95, interactive: false});
  }

  // ---- dated borders --------------------------------------------------------------------------------
  // kinds of capital (geo.borderlayer.CAPITAL_KINDS) and the least zoom at which each is named
  const CAPITAL_KINDS = ['state', 'republic', 'oblast'], CAPITAL_ZOOM = [2, 3, 4];
  // D: {polities, kazakh_regions, occupation (encoded), palette, lang, t, detail}
  function borders(map, D){
    const lay = {};
    for (const k of ['polities', 'kazakh_regions', 'occupation']) lay[k] = D[k] ? decodeLayer(D[k]) : null;
    const T = D.t || {};
    const nm = p => (D.lang && D.lang !== 'en' && p['name_' + D.lang]) || p.name || '';
    const pane = map.createPane('atlas-borders'); pane.style.zIndex = 350;
    // names of the units of the day, above the borders and under the flows, never taking the mouse
    const labelPane = map.createPane('atlas-labels'); labelPane.style.zIndex = 380; labelPane.style.pointerEvents = 'none';
    const labelLayer = L.layerGroup().addTo(map);
    const B = {day: null, polities: null, kazakh: null, occupation: null, shade: null};
    function tip(p, extra){
      if (!D.detail) return tipBox([nm(p) + (p.name_modern ? ' (' + p.name_modern + ')' : ''), ...(extra || [])]);
      const lines = [nm(p)];
      if (p.name_ru && D.lang === 'en') lines.push(p.name_ru);
      if (p.name_modern) lines.push((T['map.today'] || 'today') + ': ' + p.name_modern);
      if (p.kind === 'modern_outline') lines.push(T['map.modern_outline'] || 'today\u2019s outline');
      if (p.occupier) lines.push((T['map.occupier'] || 'occupier') + ': ' + p.occupier);
      lines.push((p.valid_from || '') + ' \u2013 ' + (p.valid_to || '') + (p.precision ? ' \u00b7 ' + (T['map.precision'] || 'precision') + ' ' + p.precision : ''));
      if (p.capital) lines.push((T['map.centre'] || 'centre') + ': ' + p.capital);
      return tipBox(lines.concat(extra || []));
    }
    function polStyle(f){
      return f.properties.kind === 'modern_outline' ? {color: '#b8b8b8', weight: 0.5, fillColor: '#f4f3ef', fillOpacity: 1}
        : {color: '#77756d', weight: 0.8, fillColor: D.palette[f.properties.color % D.palette.length], fillOpacity: 1};
    }
    function shadeColor(v){
      const S = B.shade; if (!S || !(v > 0)) return null;
      for (let i = 0; i < S.breaks.length; i++) if (v <= S.breaks[i]) return S.ramp[i];
      return S.ramp[S.ramp.length - 1];
    }
    // every option each time: a layer kept between days is restyled, and setStyle changes only the options it is given
    function kzStyle(f){
      if (!B.shade) return {color: '#4a4a4a', weight: 1, dashArray: '4 3', fill: false, fillColor: null, fillOpacity: 0};
      const c = shadeColor(B.shade.values[f.properties.name]);
      return {color: '#4a4a4a', weight: 1.1, dashArray: null, fill: true, fillColor: c || '#ffffff', fillOpacity: c ? 0.95 : 0.9};
    }
    // one layer per unit, built the first time its day comes and kept: a year step removes the units that end and adds
    // the ones that begin, so only the changed area of the map is redrawn. Polities lie on their own canvas, the oblasts
    // and occupied areas (which are restyled or overlap the states) on one above it.
    const top = map.createPane('atlas-borders-top'); top.style.zIndex = 351;
    const opts = {
      polities: {pane: 'atlas-borders', style: polStyle, smoothFactor: 2, onEachFeature: (f, l) => l.bindTooltip(tip(f.properties), {sticky: true})},
      kazakh_regions: {pane: 'atlas-borders-top', style: kzStyle, smoothFactor: 2,
        onEachFeature: (f, l) => l.bindTooltip(() => tip(f.properties, B.shadeLine ? B.shadeLine(f.properties) : []), {sticky: true})},
      occupation: {pane: 'atlas-borders-top', style: () => ({color: '#CC3311', weight: 2, dashArray: '6 4', fillColor: '#CC3311', fillOpacity: 0.15}),
        onEachFeature: (f, l) => l.bindTooltip(tip(f.properties), {sticky: true})}};
    const KEYS = {polities: 'polities', kazakh_regions: 'kazakh', occupation: 'occupation'};
    const made = new Map();  // feature -> its layer
    for (const [k, b] of Object.entries(KEYS)){
      const o = opts[k], each = o.onEachFeature;
      B[b] = L.geoJSON(null, Object.assign({}, o, {onEachFeature: (f, l) => { made.set(f, l); each(f, l); }})).addTo(map);
    }
    B.setDay = function(day, shade){
      const before = B.shade; B.shade = shade || null;
      if (day !== B.day){
        B.day = day;
        for (const [k, b] of Object.entries(KEYS)) if (lay[k]){
          const G = B[b];
          for (const f of lay[k].features){
            const l = made.get(f), on = validOn(f.properties, day);
            if (on && !l) G.addData(f);
            else if (on && !G.hasLayer(l)) G.addLayer(l);
            else if (!on && l && G.hasLayer(l)) G.removeLayer(l);
          }
        }
      }
      if (B.shade || before) B.kazakh.setStyle(kzStyle);  // shaded now, or was: the oblasts' fills change
    };
    // ---- labels of the day's states (and Kazakh oblasts), in the page's language, placed largest first:
    // a name is written only where its unit is wide enough on screen to hold it and it overlaps no name already
    // placed, so labels never pile up and the small ones wait for a closer zoom
    function bbox(f){
      if (f._bb) return f._bb;
      let w = 180, s = 90, e = -180, n = -90;
      for (const poly of f.geometry.coordinates) for (const [x, y] of poly[0]){ if (x < w) w = x; if (x > e) e = x; if (y < s) s = y; if (y > n) n = y; }
      return (f._bb = [s, w, n, e]);
    }
    const shown = new Map();
    function placeLabels(){
      const cands = [];
      const add = (layer, cls, size) => { if (layer) layer.eachLayer(l => { const f = l.feature, p = f.properties;
        if (!p.lp || p.kind === 'modern_outline') return;
        const [s, w, n, e] = bbox(f), a = map.latLngToLayerPoint([n, w]), b = map.latLngToLayerPoint([s, e]);
        const text = nm(p); if (!text) return;
        const tw = text.length * size * (cls === 'atlas-state-label' ? 0.68 : 0.55) + 6, th = size + 4;
        if (b.x - a.x < tw * 0.7 || b.y - a.y < th * 1.2) return;  // too small on screen for its name
        const c = map.latLngToLayerPoint(p.lp);
        cands.push({key: cls + '|' + p.id + '|' + text, text, cls, at: p.lp, area: (b.x - a.x) * (b.y - a.y),
                    box: [c.x - tw / 2, c.y - th / 2, c.x + tw / 2, c.y + th / 2]}); }); };
      add(B.polities, 'atlas-state-label', 12);
      add(B.kazakh, 'atlas-oblast-label', 11);
      cands.sort((x, y) => (x.cls === y.cls ? y.area - x.area : (x.cls === 'atlas-state-label' ? -1 : 1)));
      const placed = [], want = new Map();
      const free = b => !placed.some(q => b[0] < q[2] && q[0] < b[2] && b[1] < q[3] && q[1] < b[3]);
      for (const c of cands){
        if (!free(c.box)) continue;
        placed.push(c.box); want.set(c.key, c);
      }
      // capitals (states, Soviet republics, then Kazakh oblast centres) after every name of a unit: a small square and
      // its name, on whichever side of the square is free of the names already placed and of the flows' own labels
      // (map._atlasFlowBoxes), shown only from a zoom at which their kind is legible; never a flow end, never interactive
      const flowBoxes = map._atlasFlowBoxes ? map._atlasFlowBoxes() : [];
      placed.push(...flowBoxes);
      // other marks on the map: a dashed ring (an area: a flow's symbol, an event placed in a region) is never given a
      // capital's name; a solid ring (an event in a town) may sit on its own capital, whose name then goes beside it
      const solid = [];
      map.eachLayer(l => { if (l instanceof L.CircleMarker){
        const c = map.latLngToLayerPoint(l.getLatLng()), r = l.getRadius() + 2, box = [c.x - r, c.y - r, c.x + r, c.y + r];
        if (l.options.dashArray) placed.push(box); else solid.push([box, c]); } });
      const clear = b => free(b) && !solid.some(([q]) => b[0] < q[2] && q[0] < b[2] && b[1] < q[3] && q[1] < b[3]);
      const z = map.getZoom(), seen = new Set();
      for (const [name, lat, lon, from, to, kind] of (D.capitals || [])){
        if (z < CAPITAL_ZOOM[kind] || (from && B.day < from) || (to && to < B.day)) continue;
        const at = lat + ',' + lon; if (seen.has(at)) continue;  // one point, one name: a republic's capital that is also an oblast's centre
        seen.add(at);
        const c = map.latLngToLayerPoint([lat, lon]), size = kind === 2 ? 10 : 11, r = kind === 2 ? 3 : 4;
        const tw = name.length * size * 0.56 + 4, th = size + 3;
        const dot = [c.x - r, c.y - r, c.x + r, c.y + r];
        const under = solid.filter(([q]) => dot[0] < q[2] && q[0] < dot[2] && dot[1] < q[3] && q[1] < dot[3]);
        if (!free(dot) || under.some(([, m]) => Math.abs(m.x - c.x) + Math.abs(m.y - c.y) > 3)) continue;
        const o = Math.max(r, ...under.map(([q]) => (q[2] - q[0]) / 2));  // beside the event's ring when it sits on the capital
        const sides = [['e', [c.x + o + 2, c.y - th / 2, c.x + o + 2 + tw, c.y + th / 2]], ['w', [c.x - o - 2 - tw, c.y - th / 2, c.x - o - 2, c.y + th / 2]],
                       ['n', [c.x - tw / 2, c.y - o - 1 - th, c.x + tw / 2, c.y - o - 1]], ['s', [c.x - tw / 2, c.y + o + 1, c.x + tw / 2, c.y + o + 1 + th]]];
        const clearOf = under.length ? (b => free(b) && !solid.some(([q]) => !under.some(([u]) => u === q)
                                          && b[0] < q[2] && q[0] < b[2] && b[1] < q[3] && q[1] < b[3])) : clear;
        const side = sides.find(([, b]) => clearOf(b)); if (!side) continue;
        placed.push(dot, side[1]);
        want.set('capital|' + kind + '|' + name + '|' + at + '|' + side[0] + '|' + o, {text: name, at: [lat, lon], kind, side: side[0], off: o, capital: true});
      }
      for (const [k, m] of shown) if (!want.has(k)){ labelLayer.removeLayer(m); shown.delete(k); }
      for (const [k, c] of want) if (!shown.has(k)){
        const box = el('div', undefined, 'atlas-label-anchor');
        if (c.capital){
          box.appendChild(el('span', undefined, 'atlas-capital atlas-capital-' + CAPITAL_KINDS[c.kind]));
          const t = box.appendChild(el('span', c.text, 'atlas-capital-label atlas-capital-label-' + CAPITAL_KINDS[c.kind] + ' atlas-side-' + c.side));
          t.style[{e: 'left', w: 'right', n: 'bottom', s: 'top'}[c.side]] = Math.round(c.off + (c.side === 'e' || c.side === 'w' ? 2 : 1)) + 'px';
        } else box.appendChild(el('span', c.text, c.cls));
        const m = L.marker(c.at, {icon: L.divIcon({html: box, className: '', iconSize: [0, 0], iconAnchor: [0, 0]}),
                                  interactive: false, keyboard: false, pane: 'atlas-labels'});
        m.label = c.text; if (c.capital) m.capital = CAPITAL_KINDS[c.kind];
        labelLayer.addLayer(m); shown.set(k, m);
      }
    }
    // after a year step the names follow a moment later (once the borders and flows are painted), so a step stays quick
    let pending = 0;
    const later = () => { if (!pending) pending = setTimeout(() => { pending = 0; placeLabels(); }, 0); };
    map.on('zoomend', later);  // after the flows have redrawn at the new zoom, so that their labels are known
    B.relabel = later;
    const setDay = B.setDay;
    B.setDay = function(day, shade){ const before = B.day; setDay(day, shade); if (B.day !== before || !shown.size) later(); };
    B.labelsNow = () => { if (pending){ clearTimeout(pending); pending = 0; placeLabels(); } };
    B.labels = () => { B.labelsNow(); return [...shown.values()].filter(m => !m.capital).map(m => m.label); };
    // for tests: the capitals named now, as [name, kind, lat, lon]
    B.capitals = () => { B.labelsNow(); return [...shown.values()].filter(m => m.capital).map(m => [m.label, m.capital, m.getLatLng().lat, m.getLatLng().lng]); };
    B.shadeColor = shadeColor;
    // features loaded later (the static site fetches them per period): added, and drawn at the next setDay
    B.add = function(more){
      for (const k of ['polities', 'kazakh_regions', 'occupation']) if (more[k]){
        const d = decodeLayer(more[k]); if (lay[k]) lay[k].features.push(...d.features); else lay[k] = d; }
      B.day = null;
    };
    B.feature = (layer, id) => (lay[layer] ? lay[layer].features.find(f => f.properties.id === id) : null) || null;
    map._atlasBorders = B;
    return B;
  }

  // ---- flows ----------------------------------------------------------------------------------------
  // D: {scale: {per_px, min_px, samples}, cat, catLabels, t, locale, areas, symbol_radius}
  function flows(map, D, opts){
    opts = opts || {};
    const T = D.t, fmt = n => Math.round(n).toLocaleString(D.locale);
    const S = D.scale;
    let R = D.symbol_radius || 11;  // a symbol's radius in pixels (smaller on a phone-sized map)
    const group = L.layerGroup().addTo(map), hi = L.layerGroup().addTo(map);
    const areas = {}, B = map._atlasBorders;
    function area(k){  // decoded when first shown (the static site adds outlines to D.areas as it loads them)
      if (!(k in areas)){ const v = (D.areas || {})[k]; if (!v) return null;
        areas[k] = v.g ? decodeGeom(v.g, v.s) : ((v.ref && B && B.feature && B.feature(v.ref, v.id)) || {}).geometry || null; }
      return areas[k];
    }
    let current = [], flowBoxes = [];
    map._atlasFlowBoxes = () => flowBoxes;
    const labels = new Map();  // area labels on the map now, by label, point and side
    function width(v){ return v > 0 ? Math.max(S.min_px, v / S.per_px) : S.min_px; }
    function countText(f){
      if (!(f.w > 0)) return T[f.ou ? 'map.count_in_persons_unknown' : 'map.count_unknown'];
      let s;
      if (!(f.p > 0) && f.hi > f.lo) s = (f.ap ? '~' : '') + fmt(f.lo) + '\u2013' + fmt(f.hi);
      else s = (f.ap ? '~' : '') + (f.al ? '\u2265 ' : '') + fmt(f.w);
      if (f.p > 0 && f.hi > f.lo) s += ' (' + T['map.range'] + ' ' + fmt(f.lo) + '\u2013' + fmt(f.hi) + ')';
      return s + ' ' + T['map.people'] + withoutText(T, f.u, f.ou);
    }
    // records with no figure in persons: those with none at all, and those counted in families or households
    function withoutText(T, u, ou){
      const none = u - (ou || 0);
      return (none > 0 ? ' + ' + none + ' ' + T['map.records_without'] : '') + (ou ? ' + ' + ou + ' ' + T['map.records_other_unit'] : '');
    }
    function routeText(f){ return (f.y ? T['map.your_records'] + ': ' : '') + f.o + ' \u2192 ' + f.d; }
    function areaLines(f){
      const out = [];
      // only where the source names no town; an end that is an area because the map groups places is not vague
      if ((f.oa || f.os) && !f.og) out.push(fill(T['map.area_from'], {name: f.o}));
      if ((f.da || f.ds) && !f.dg) out.push(fill(T['map.area_to'], {name: f.d}));
      return out;
    }
    function tipLines(f){
      return [routeText(f), (D.catLabels[f.c] || f.c) + ' \u00b7 ' + countText(f),
              f.n + ' ' + (f.n > 1 ? T['map.records'] : T['map.record']), ...areaLines(f)];
    }
    function highlight(f, on){
      hi.clearLayers(); if (!on) return;
      for (const id of [f.oa, f.da]) if (id && area(id))
        hi.addLayer(L.geoJSON(area(id), {interactive: false, style: () => ({color: '#111', weight: 2.5, dashArray: '6 4', fillColor: '#111', fillOpacity: 0.10})}));
      for (const [on_, pt] of [[f.os, f.a], [f.ds, f.b]]) if (on_)
        hi.addLayer(L.circleMarker(pt, {radius: R + 3, color: '#111', weight: 3, fill: false, interactive: false}));
    }
    function draw(list){
      group.clearLayers(); hi.clearLayers(); current = list;
      R = Math.round((D.symbol_radius || 11) * (map.getSize().x < 500 ? 0.7 : 1));
      const symbols = new Map();
      const sorted = [...list].sort((x, y) => y.w - x.w);  // the biggest first, so small arrows lie on top
      for (const f of sorted){
        const color = D.cat[f.c] || '#333333', w = width(f.w);
        let px = curve(f.a, f.b, f.k, f.t0, f.t1).map(p => map.latLngToLayerPoint(p));
        if (f.os){ px = cutStart(px, R + 1); symbols.set(f.o + '|' + f.a, [f.a, f.o]); }
        if (f.ds){ px = cutStart(px.slice().reverse(), R + 1).reverse(); symbols.set(f.d + '|' + f.b, [f.b, f.d]); }
        // the head's tip is the end (an area's edge, a symbol's rim or the place); the line stops inside the head
        const head = (opts.headSize || 8) + Math.min(w, 18) * 0.9;
        const ll = cutStart(px.slice().reverse(), head * 0.6).reverse().map(p => map.layerPointToLatLng(p));
        const dash = f.w > 0 ? null : '6 6';
        if (f.w > 0 && f.hi > f.lo) group.addLayer(L.polyline(ll, {color: color, weight: width(f.hi), opacity: 0.28, lineCap: 'butt', interactive: false}));
        if (f.y) group.addLayer(L.polyline(ll, {color: '#000', weight: w + 4, opacity: 0.9, dashArray: dash, lineCap: 'butt', interactive: false}));
        const line = L.polyline(ll, {color: color, weight: w, opacity: 0.9, dashArray: dash, lineCap: 'butt'});
        line.bindTooltip(() => tipBox(tipLines(f)), {sticky: true});
        line.on('click', () => { if (opts.onClick) opts.onClick(f); });
        line.on('mouseover', () => highlight(f, true)); line.on('mouseout', () => highlight(f, false));
        line.feature = f; group.addLayer(line);
        const tip = map.layerPointToLatLng(px[px.length - 1]); line.tip = [tip.lat, tip.lng];
        group.addLayer(arrowHead(map, px, w, color, opts.headSize));
      }
      // symbols of areas without an outline; their labels are placed largest flow first, skipping any that
      // would overlap one already placed (the arrow's tooltip names the area in any case). Labels are kept
      // between draws and only the ones that change are added or removed (a year step moves little).
      const placedBoxes = [], want = new Map();
      // the main places of the flows (towns at the ends of the largest arrows) are named too, after the area symbols
      const towns = new Map();
      for (const f of sorted){
        if (!f.os && !f.oa){ const k = f.o + '|' + f.a; const t = towns.get(k) || [f.a, f.o, 0]; t[2] += f.w || 0; towns.set(k, t); }
        if (!f.ds && !f.da){ const k = f.d + '|' + f.b; const t = towns.get(k) || [f.b, f.d, 0]; t[2] += f.w || 0; towns.set(k, t); }
      }
      const mainTowns = [...towns.values()].sort((x, y) => y[2] - x[2]).slice(0, opts.placeLabels === undefined ? 8 : opts.placeLabels);
      for (const [pt, label] of symbols.values()){
        group.addLayer(L.circleMarker(pt, {radius: R, color: '#222', weight: 1.5, dashArray: '3 2', fillColor: '#ffffff', fillOpacity: 0.7, interactive: false}));
        const c = map.latLngToContainerPoint(pt), wpx = 6.2 * label.length + 8;
        const left = c.x + R + 2 + wpx > map.getSize().x && c.x - R - 2 - wpx > 0;  // near the right edge: label on the left
        const box = left ? [c.x - R - 2 - wpx, c.y - 8, c.x - R - 2, c.y + 8] : [c.x + R + 2, c.y - 8, c.x + R + 2 + wpx, c.y + 8];
        if (placedBoxes.some(q => box[0] < q[2] && q[0] < box[2] && box[1] < q[3] && q[1] < box[3])) continue;
        placedBoxes.push(box);
        want.set(label + '|' + pt + '|' + left, [pt, label, left, R + 2]);
      }
      for (const [pt, label] of mainTowns){
        const c = map.latLngToContainerPoint(pt), wpx = 6.2 * label.length + 8, r = 4;
        const left = c.x + r + 2 + wpx > map.getSize().x && c.x - r - 2 - wpx > 0;
        const box = left ? [c.x - r - 2 - wpx, c.y - 8, c.x - r - 2, c.y + 8] : [c.x + r + 2, c.y - 8, c.x + r + 2 + wpx, c.y + 8];
        if (placedBoxes.some(q => box[0] < q[2] && q[0] < box[2] && box[1] < q[3] && q[1] < box[3])) continue;
        placedBoxes.push(box);
        group.addLayer(L.circleMarker(pt, {radius: 2.5, color: '#111', weight: 1, fillColor: '#111', fillOpacity: 1, interactive: false}));
        want.set('town|' + label + '|' + pt + '|' + left, [pt, label, left, r + 2]);
      }
      // what the names of the map's capitals must keep clear of (Atlas.borders places them after this draw), in layer points
      const o = map.containerPointToLayerPoint([0, 0]);
      flowBoxes = placedBoxes.map(b => [b[0] + o.x, b[1] + o.y, b[2] + o.x, b[3] + o.y]);
      for (const [pt] of [...symbols.values(), ...mainTowns]){ const c = map.latLngToLayerPoint(pt); flowBoxes.push([c.x - R, c.y - R, c.x + R, c.y + R]); }
      for (const [k, t] of labels) if (!want.has(k)){ map.removeLayer(t); labels.delete(k); }
      for (const [k, [pt, label, left, off]] of want) if (!labels.has(k)){
        // a zero-sized marker at the point with the text beside it: nothing is measured, so no forced layout
        const box = el('div', undefined, 'atlas-area-label-anchor');
        const text = el('span', label, 'atlas-area-label'); text.style[left ? 'right' : 'left'] = off + 'px'; box.appendChild(text);
        const t = L.marker(pt, {icon: L.divIcon({html: box, className: '', iconSize: [0, 0], iconAnchor: [0, 0]}),
                                interactive: false, keyboard: false});
        t.label = label; t.addTo(map); labels.set(k, t);
      }
      return sorted.length;
    }
    map.on('zoomend', () => draw(current));  // arrowheads and symbol cuts are measured in pixels
    return {layer: group, draw: draw, width: width, countText: countText, tipLines: tipLines, routeText: routeText,
            drawn: () => group.getLayers().filter(l => l.feature).map(l => l.feature),
            tips: () => group.getLayers().filter(l => l.feature).map(l => l.tip),
            // for tests: each arrow's figure and drawn width, its path, and the outlines shown while one is hovered
            widths: () => group.getLayers().filter(l => l.feature).map(l => [l.feature.w, l.options.weight]),
            paths: () => group.getLayers().filter(l => l.feature).map(l => l.getLatLngs().map(p => [p.lat, p.lng])),
            highlighted: () => hi.getLayers().length, labels: () => [...labels.values()].map(t => t.label)};
  }

  // ---- the legend: categories, the one width scale, ranges, areas, your records, shading ---------------
  function legend(D, cats, extra){
    const T = D.t, fmt = n => Math.round(n).toLocaleString(D.locale), S = D.scale;
    const box = el('div', undefined, 'atlas-legend');
    const row = (swatch, text) => { const r = el('div', undefined, 'atlas-legend-row'); r.appendChild(swatch); r.appendChild(el('span', text)); box.appendChild(r); };
    const line = (css) => { const i = el('i', undefined, 'atlas-swatch-line'); Object.assign(i.style, css); return i; };
    box.appendChild(el('b', T['map.category']));
    for (const [c, col] of Object.entries(D.cat)) if (cats.has(c)) row(line({borderTopColor: col, borderTopWidth: '5px'}), D.catLabels[c] || c);
    box.appendChild(el('b', T['map.width']));
    box.appendChild(el('div', fill(T['map.scale'], {n: fmt(S.per_px)}), 'atlas-legend-note'));
    for (const v of S.samples) row(line({borderTopColor: '#555', borderTopWidth: Math.max(S.min_px, v / S.per_px) + 'px'}), fmt(v) + ' ' + T['map.people']);
    box.appendChild(el('div', fill(T['map.min_width'], {n: fmt(S.min_px * S.per_px), px: S.min_px}), 'atlas-legend-note'));
    const band = el('i', undefined, 'atlas-swatch-band'); row(band, T['map.range_band']);
    row(line({borderTop: '2px dashed #555'}), T['map.count_unknown']);
    box.appendChild(el('div', T['map.approx'], 'atlas-legend-note'));
    const sym = el('i', undefined, 'atlas-swatch-symbol'); row(sym, T['map.area_symbol']);
    if (T['map.capital']){ const cap = el('i', undefined, 'atlas-swatch-capital'); row(cap, T['map.capital']); }
    box.appendChild(el('div', T['map.area_edge'], 'atlas-legend-note'));
    if (extra && extra.mine){
      row(line({borderTop: '4px solid #0077BB', outline: '2px solid #000'}), T['map.your_records_legend']);
      row(line({borderTop: '4px solid #0077BB'}), T['map.bundled_records']);
    }
    const shade = el('div'); box.appendChild(shade);
    box.setShade = function(S2, caption){
      shade.replaceChildren(); if (!S2) return;
      shade.appendChild(el('b', T['map.arrivals']));
      shade.appendChild(el('div', caption, 'atlas-legend-note'));
      let lo = 1;
      S2.breaks.forEach((b, i) => { const s = el('span', undefined, 'atlas-swatch-fill'); s.style.background = S2.ramp[i];
        const r = el('div', undefined, 'atlas-legend-row'); r.appendChild(s); r.appendChild(el('span', (lo === b ? fmt(b) : fmt(lo) + '\u2013' + fmt(b)))); shade.appendChild(r); lo = b + 1; });
      const s0 = el('span', undefined, 'atlas-swatch-fill'); s0.style.background = '#ffffff';
      const r0 = el('div', undefined, 'atlas-legend-row'); r0.appendChild(s0); r0.appendChild(el('span', T['map.no_data'])); shade.appendChild(r0);
    };
    return box;
  }

  // ---- the record panel: one card per record, text only ----------------------------------------------
  function showRecords(target, D, F, f){
    const T = D.t; target.replaceChildren();
    target.appendChild(el('h3', F.routeText(f)));
    target.appendChild(el('div', (D.catLabels[f.c] || f.c) + ' \u00b7 ' + F.countText(f) + '; ' + f.n + ' ' + (f.n > 1 ? T['map.records'] : T['map.record'])));
    for (const line of F.tipLines(f).slice(3)) target.appendChild(el('div', line, 'atlas-muted'));
    for (const id of f.ids){
      const r = D.records[id]; if (!r) continue; const box = el('div', undefined, 'atlas-rec');
      box.appendChild(el('b', r.date + ' \u00b7 ' + r.count));
      box.appendChild(el('div', r.what, 'atlas-muted'));
      box.appendChild(el('div', r.route, 'atlas-muted'));
      // a citation by its position in D.citations (the flow layer sends each once), or its text (the static site)
      for (const s of r.sources) box.appendChild(el('div', '\u2022 ' + (typeof s === 'number' ? D.citations[s] : s), 'atlas-cite'));
      if (r.notes) box.appendChild(el('div', r.notes, 'atlas-muted'));
      // listed, not drawn (geo.cards); "of which" only where they count no more than the record itself
      if (r.details) box.appendChild(el('div', T[r.details_wider ? 'map.details_wider' : 'map.details'], 'atlas-muted'));
      for (const d of r.details || []) box.appendChild(el('div', '\u2022 ' + d, 'atlas-muted'));
      for (const lv of r.lives || []) box.appendChild(lifeLink(lv, D));
      target.appendChild(box);
    }
  }
  // a life the record is part of: in the app a link to its Lives page (a new tab), elsewhere its name
  function lifeLink(lv, D){
    const row = el('div', D.t['map.life_part'] + ' ', 'atlas-muted'); let a = el('span', lv.name);
    if (D.url_state) try { const u = new URL(window.parent.location.href), v = new URL('Lives', u);
      if (u.searchParams.get('lang')) v.searchParams.set('lang', u.searchParams.get('lang'));
      v.searchParams.set('life', lv.id); a = el('a', lv.name); a.href = v.toString(); a.target = '_blank'; a.rel = 'noopener';
    } catch (e) { /* not embedded: the name alone */ }
    row.appendChild(a); return row;
  }

  // ---- for screen readers and keyboards: the map in one sentence, its arrows as a list, keys from the page --
  // "1937: 171,781 people on 3 routes; largest: Far East → Kazakhstan, 95,256."
  function figure(D, f){
    const fmt = n => Math.round(n).toLocaleString(D.locale);
    if (!(f.w > 0)) return D.t['map.count_unknown'];
    if (!(f.p > 0) && f.hi > f.lo) return (f.ap ? '~' : '') + fmt(f.lo) + '\u2013' + fmt(f.hi);
    return (f.ap ? '~' : '') + (f.al ? '\u2265 ' : '') + fmt(f.w);
  }
  function summary(D, list, period){
    const T = D.t, fmt = n => Math.round(n).toLocaleString(D.locale);
    if (!list.length) return fill(T['map.summary_none'], {period: period});
    let people = 0, unknown = 0, other = 0, approx = false, big = list[0];
    const routes = new Set();
    for (const f of list){ people += f.p; unknown += f.u - (f.ou || 0); other += f.ou || 0; approx = approx || !!f.ap; routes.add(f.o + '\u2192' + f.d); if (f.w > big.w) big = f; }
    return fill(T[routes.size > 1 ? 'map.summary' : 'map.summary_one'], {period: period, people: (approx ? '~' : '') + fmt(people), routes: routes.size,
                                   route: big.o + ' \u2192 ' + big.d, n: figure(D, big)})
      + (unknown ? fill(T['map.summary_unknown'], {n: unknown}) : '') + (other ? fill(T['map.summary_other_unit'], {n: other}) : '');
  }
  // the drawn arrows as buttons, largest first; each opens the record panel as a click on its arrow does
  function flowList(D, target, list, open){
    target.replaceChildren();
    for (const f of [...list].sort((x, y) => y.w - x.w)){
      const li = el('li'), b = el('button', f.o + ' \u2192 ' + f.d + ' \u00b7 ' + (D.catLabels[f.c] || f.c) + ' \u00b7 ' + figure(D, f), 'atlas-flow-item');
      b.type = 'button'; b.onclick = () => open(f); li.appendChild(b); target.appendChild(li);
    }
  }
  // one parameter of the embedding page's address (the app's: ?year=1941, ?station=4), so that a copied link
  // or a reload shows the same; value null removes it. Nothing is written outside the app (a file, a notebook)
  // unless the page passes its own window (the static site keeps ?year= in its own address).
  function setAddressParam(name, value, win){
    const W = win || window.parent;
    if (W === window && !win) return;
    try {
      const u = new URL(W.location.href);
      if (u.searchParams.get(name) === value) return;
      if (value === null) u.searchParams.delete(name); else u.searchParams.set(name, value);
      W.history.replaceState(W.history.state, '', u.toString());
    } catch (e) { /* another origin: nothing to write */ }
  }
  // the page that embeds the map (the app, same origin) passes on the arrow keys while nothing that takes keys has
  // focus there, so the years or scenes step as soon as the page is open, not only after a click into the map
  function forwardKeys(name, keys, handler){
    let P; try { P = window.parent.document; } catch (e) { return; }
    if (!P || P === document) return;
    if (P[name]) P.removeEventListener('keydown', P[name]);
    P[name] = e => {
      const fe = window.frameElement;
      if (!fe || !fe.isConnected){ P.removeEventListener('keydown', P[name]); return; }  // a rerun replaced this map
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || !keys.includes(e.key)) return;
      const t = e.target;
      if (t && t !== P.body && t !== P.documentElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON|A)$/.test(t.tagName)
          || (t.closest && t.closest('[role=slider],[role=listbox],[role=combobox],[role=tablist],[role=grid],[role=menu],[data-testid=stDataFrame]')))) return;
      handler(e);
    };
    P.addEventListener('keydown', P[name]);
  }

  // an event of the policy timeline in the record panel: title, date and kind, summary, figures, place, sources as citations
  function showEvent(R, D, e){
    const T = D.t; R.replaceChildren();
    R.appendChild(el('h3', e.title));
    R.appendChild(el('div', e.date + ' \u00b7 ' + e.kind_label, 'atlas-muted'));
    if (e.summary) R.appendChild(el('p', e.summary));
    if (e.summary && e.summary_lang) R.appendChild(el('div', T['map.event_summary_english'], 'atlas-muted'));
    if (e.figures.length){ R.appendChild(el('b', T['map.event_figures'])); for (const f of e.figures) R.appendChild(el('div', '\u2022 ' + f, 'atlas-cite')); }
    if (e.place) R.appendChild(el('div', fill(T[e.place.area ? 'map.event_place_area' : 'map.event_place'], {name: e.place.name}), 'atlas-muted'));
    R.appendChild(el('b', T['map.sources']));
    for (const c of e.sources) R.appendChild(el('div', '\u2022 ' + c, 'atlas-cite event-cite'));
  }

  // ---- views: fit the drawn flows, or a preset; never zoomed out past the world ------------------------
  function limitToWorld(map){
    const fit = () => { const w = map.getSize().x || 1; map.setMinZoom(Math.max(0, Math.ceil(Math.log2(w / 256) * 4) / 4)); };
    map.setMaxBounds([[-85, -180], [85, 180]]); map.options.maxBoundsViscosity = 1.0;
    fit(); map.on('resize', fit);
  }
  // where the arrows end (their heads): a preset view is widened to hold them, so no arrow ends off the map
  function headBounds(lists){
    const b = L.latLngBounds([]);
    for (const l of lists) for (const f of l || []) b.extend(bezier(f.a, f.b, f.k === undefined ? 0.2 : f.k)(f.t1 === undefined ? 1 : f.t1));
    return b;
  }
  function flowBounds(lists){
    const b = L.latLngBounds([]);
    for (const l of lists) for (const f of l || []) for (const p of curve(f.a, f.b, f.k, f.t0, f.t1, 8)) b.extend(p);
    return b;
  }

  return {decodeGeom, decodeLayer, el, tipBox, validOn, fill, bezier, curve, cutStart, arrowHead,
          borders, flows, legend, showRecords, limitToWorld, flowBounds, headBounds, figure, summary, flowList, forwardKeys, showEvent, setAddressParam};
})();
