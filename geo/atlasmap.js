/* Helpers shared by the atlas's map pages (flow map, lecture, candidate map). Text from data is only
   ever set with textContent; nothing here builds HTML from strings. */
window.Atlas = (function(){
  // borders arrive as integer deltas (geo.mapview._encode_geometry); rebuild GeoJSON once
  function decodeGeom(g, scale){
    return {type: 'MultiPolygon', coordinates: g.map(poly => poly.map(ring => {
      const out = []; let x = 0, y = 0;
      for (let i = 0; i < ring.length; i += 2){ x += ring[i]; y += ring[i + 1]; out.push([x / scale, y / scale]); }
      return out; }))};
  }
  function decodeLayer(L0){ return {type: 'FeatureCollection', features: L0.features.map(f => ({type: 'Feature', properties: f.p, geometry: decodeGeom(f.g, f.s)}))}; }
  function el(tag, text, cls){ const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  function tipBox(lines){ const b = document.createElement('div'); lines.forEach((t, i) => b.appendChild(el(i ? 'div' : 'b', t))); return b; }
  function validOn(p, day){ return (!p.valid_from || p.valid_from <= day) && (!p.valid_to || day <= p.valid_to); }
  // a quadratic curve bending to the left of the route, as [lat, lon] points
  function curve(a, b){
    const [y1, x1] = a, [y2, x2] = b; const mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
    const dx = x2 - x1, dy = y2 - y1; const cx = mx - dy * 0.2, cy = my + dx * 0.2; const pts = [];
    for (let i = 0; i <= 24; i++){ const t = i / 24; pts.push([(1-t)*(1-t)*y1 + 2*(1-t)*t*cy + t*t*y2, (1-t)*(1-t)*x1 + 2*(1-t)*t*cx + t*t*x2]); }
    return pts;
  }
  function arrowHead(map, pts, w, color){
    const p1 = map.latLngToLayerPoint(pts[pts.length - 3]), p2 = map.latLngToLayerPoint(pts[pts.length - 1]);
    const ang = Math.atan2(p2.y - p1.y, p2.x - p1.x), s = 8 + Math.min(w, 16) * 0.8;
    const a = L.point(p2.x - s * Math.cos(ang - 0.45), p2.y - s * Math.sin(ang - 0.45));
    const b = L.point(p2.x - s * Math.cos(ang + 0.45), p2.y - s * Math.sin(ang + 0.45));
    return L.polygon([map.layerPointToLatLng(a), pts[pts.length - 1], map.layerPointToLatLng(b)], {color: color, weight: 1, fillColor: color, fillOpacity: 0.95, interactive: false});
  }
  return {decodeGeom, decodeLayer, el, tipBox, validOn, curve, arrowHead};
})();
