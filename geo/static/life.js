/* A life (geo.lives.LifeLayer): one path, station by station, over the borders of each station's date.
   Stepped by buttons, arrow keys (Home/End too) and a list of stations (buttons, so Tab and Enter work).
   The path so far is drawn, the current station highlighted; a station the source places only at a
   republic or an oblast is that area, outlined, not a point. Text only via textContent. */
(function(){
  'use strict';
  const {el} = Atlas;

  Atlas.life = function(map, D){
    const T = D.t, S = D.stations, W = D.life;
    const mapDiv = map.getContainer();
    const root = el('div', undefined, 'atlas-root life-root');
    const top = el('div', undefined, 'life-top'); top.id = 'nav';
    const prev = el('button', '\u25c0 ' + T['map.previous']); prev.id = 'prev'; prev.type = 'button';
    const count = el('span'); count.id = 'count'; count.setAttribute('aria-live', 'polite');
    const next = el('button', T['map.next'] + ' \u25b6'); next.id = 'next'; next.type = 'button';
    const name = el('div', W.name + (W.years ? ' (' + W.years + ')' : '')); name.id = 'name';
    top.append(prev, count, next, name);
    const wrap = el('div', undefined, 'atlas-wrap'), cell = el('div', undefined, 'atlas-mapcell');
    const side = el('aside', undefined, 'atlas-panel life-side'); side.id = 'side';
    side.setAttribute('aria-label', W.name);
    const body = el('div', undefined, 'atlas-panel-body');
    // the current station
    const card = el('section', undefined, 'life-card'); card.id = 'station'; card.setAttribute('aria-live', 'polite');
    const sDate = el('div', undefined, 'life-date'); sDate.id = 'station-date';
    const sKind = el('div', undefined, 'life-kind'); sKind.id = 'station-kind';
    const sPlace = el('div', undefined, 'life-place'); sPlace.id = 'station-place';
    const sText = el('p', undefined, 'life-text'); sText.id = 'station-text';
    const sBorders = el('div', undefined, 'atlas-muted'); sBorders.id = 'station-borders';
    const sCites = el('div'); sCites.id = 'station-cites';
    card.append(sDate, sKind, sPlace, sText, sCites, sBorders);
    // every station, as buttons
    const listH = el('h4', T['life.stations']); listH.id = 'stations-h';
    const list = el('ol', undefined, 'life-list'); list.id = 'stations'; list.setAttribute('aria-labelledby', 'stations-h');
    const buttons = S.map((s, i) => {
      const li = el('li'), b = el('button', s.date + ' \u00b7 ' + s.kind + ' \u00b7 ' + s.place);
      b.type = 'button'; b.onclick = () => go(i);
      b.onkeydown = e => { if (e.key === 'ArrowDown' || e.key === 'ArrowUp'){ const j = i + (e.key === 'ArrowDown' ? 1 : -1);
        if (j >= 0 && j < S.length){ go(j); buttons[j].focus(); } e.preventDefault(); e.stopPropagation(); } };
      li.appendChild(b); list.appendChild(li); return b;
    });
    // the life itself
    const about = el('details', undefined, 'life-about'); about.id = 'about';
    about.appendChild(el('summary', W.title));
    if (W.summary) about.appendChild(el('p', W.summary));
    if (W.cites.length){ about.appendChild(el('h4', T['map.sources'])); W.cites.forEach(c => about.appendChild(el('div', '\u2022 ' + c, 'atlas-cite'))); }
    body.append(card, listH, list, about); side.appendChild(body);
    mapDiv.parentNode.insertBefore(root, mapDiv); root.append(top, wrap); wrap.append(cell, side); cell.appendChild(mapDiv);
    const narrow = () => root.clientWidth < 700;
    root.classList.toggle('atlas-narrow', narrow());
    window.addEventListener('resize', () => { root.classList.toggle('atlas-narrow', narrow()); map.invalidateSize(); });
    map.invalidateSize();
    Atlas.limitToWorld(map);

    const B = map._atlasBorders || null;
    const areas = {};
    for (const [k, v] of Object.entries(D.areas || {})){
      if (v.g) areas[k] = Atlas.decodeGeom(v.g, v.s);
      else if (B && B.feature){ const f = B.feature(v.ref, v.id); areas[k] = f ? f.geometry : null; }
    }
    const pane = map.createPane('life-path'); pane.style.zIndex = 450;
    const layer = L.layerGroup().addTo(map);
    const placed = S.map(s => s.lat !== null && s.lon !== null);
    let index = -1, pathPoints = 0;

    function stationLayer(s, current){
      const color = current ? '#CC3311' : '#0077BB';
      if (s.area && areas[s.area]) return L.geoJSON(areas[s.area], {pane: 'life-path', interactive: false,
        style: () => ({color: color, weight: current ? 3 : 1.5, dashArray: '6 4', fillColor: color, fillOpacity: current ? 0.25 : 0.08})});
      if (s.sym) return L.circleMarker([s.lat, s.lon], {pane: 'life-path', radius: current ? 16 : 12, color: color, weight: 2,
        dashArray: '3 2', fillColor: '#ffffff', fillOpacity: 0.6, interactive: false});
      return L.circleMarker([s.lat, s.lon], {pane: 'life-path', radius: current ? 9 : 5, color: current ? '#000' : '#fff',
        weight: current ? 3 : 1.5, fillColor: color, fillOpacity: 1, interactive: false});
    }
    function go(i){
      i = Math.max(0, Math.min(S.length - 1, i)); if (i === index) return; index = i; const s = S[i];
      count.textContent = T['life.station'] + ' ' + (i + 1) + ' / ' + S.length;
      prev.disabled = i === 0; next.disabled = i === S.length - 1;
      sDate.textContent = s.date; sKind.textContent = s.kind;
      sPlace.textContent = s.place + (s.area || s.sym ? ' \u00b7 ' + T['life.area'] : '') + (placed[i] ? '' : ' \u00b7 ' + T['life.not_drawn']);
      sText.textContent = s.text;
      sCites.replaceChildren(); s.cites.forEach(c => sCites.appendChild(el('div', '\u2022 ' + c, 'atlas-cite cite')));
      sBorders.textContent = T['life.borders_of'] + ' ' + s.bday + (s.bday !== s.day ? ' (' + T['life.borders_nearest'] + ')' : '');
      buttons.forEach((b, j) => { if (j === i) b.setAttribute('aria-current', 'step'); else b.removeAttribute('aria-current'); });
      if (B) B.setDay(s.bday, null);
      // the path so far: every placed station up to this one, in order; the current one highlighted
      layer.clearLayers();
      const pts = [];
      for (let j = 0; j <= i; j++) if (placed[j]) pts.push([S[j].lat, S[j].lon]);
      pathPoints = pts.length;
      if (pts.length > 1){
        layer.addLayer(L.polyline(pts, {pane: 'life-path', color: '#fff', weight: 6, opacity: 0.9, interactive: false}));
        layer.addLayer(L.polyline(pts, {pane: 'life-path', color: '#0077BB', weight: 3, opacity: 0.95, interactive: false}));
      }
      for (let j = 0; j <= i; j++) if (placed[j]) layer.addLayer(stationLayer(S[j], j === i));
      const b = L.latLngBounds(pts.length ? pts : [[55.75, 37.6]]);
      if (s.area && areas[s.area]) b.extend(L.geoJSON(areas[s.area]).getBounds());
      map.invalidateSize();
      // not animated: Leaflet drops a zoom asked for while another is animating, so fast stepping kept a stale view
      if (placed[i]) map.fitBounds(b, {padding: [30, 30], maxZoom: 6, animate: false});
      // the station's card is at the top of the panel: show it, unless the visitor is moving through the list
      if (!buttons.includes(document.activeElement)) side.scrollTop = 0;
      if (D.url_state) Atlas.setAddressParam('station', String(i + 1));  // in the app: a copied link opens this station
    }
    function key(e){
      const t = e.target && e.target.tagName;
      if (t === 'INPUT' || t === 'TEXTAREA' || t === 'SELECT') return;
      if (e.key === 'ArrowRight' || e.key === 'PageDown'){ go(index + 1); e.preventDefault(); }
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp'){ go(index - 1); e.preventDefault(); }
      else if (e.key === 'Home'){ go(0); e.preventDefault(); } else if (e.key === 'End'){ go(S.length - 1); e.preventDefault(); }
    }
    document.addEventListener('keydown', key);
    prev.onclick = () => go(index - 1); next.onclick = () => go(index + 1);
    go(D.start || 0);
    const api = {go: go, get index(){ return index; }, count: S.length, map: map,
                 get day(){ return B ? B.day : null; }, get pathPoints(){ return pathPoints; }, layer: layer};
    window.life = api;
    return api;
  };
})();
