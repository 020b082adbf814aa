/* Lecture mode (geo.lecture.LectureLayer): scenes on one page, stepped by buttons, arrow keys and clickers.
   The controls sit in the top bar so they are on screen at any height; text only via textContent. */
(function(){
  'use strict';
  const {el} = Atlas;

  Atlas.lecture = function(map, D){
    const T = D.t, fmt = n => Math.round(n).toLocaleString(D.locale);
    const mapDiv = map.getContainer();
    const root = el('div', undefined, 'atlas-root lecture-root');
    const top = el('div', undefined, 'lecture-top'); top.id = 'nav';
    const prev = el('button', '\u25c0 ' + T['map.previous']); prev.id = 'prev'; prev.type = 'button'; prev.setAttribute('aria-label', T['map.previous']);
    const count = el('span'); count.id = 'count';
    const next = el('button', T['map.next'] + ' \u25b6'); next.id = 'next'; next.type = 'button'; next.setAttribute('aria-label', T['map.next']);
    const title = el('div'); title.id = 'title';  // said with the scene's summary (#summary)
    const period = el('div'); period.id = 'period';
    const total = el('span'); total.id = 'total';
    top.append(prev, count, next, title, period, total);
    const wrap = el('div', undefined, 'atlas-wrap'), cell = el('div', undefined, 'atlas-mapcell');
    const side = el('aside', undefined, 'atlas-panel lecture-side'); side.id = 'side';
    const body = el('div', undefined, 'atlas-panel-body');
    const text = el('div'); text.id = 'text';
    const srcH = el('h4', T['map.sources']); srcH.id = 'sources-h';
    const cites = el('div'); cites.id = 'cites';
    const recs = el('section', undefined, 'atlas-records'); recs.id = 'panel';
    const legendBox = el('details', undefined, 'atlas-legend-box'); legendBox.appendChild(el('summary', T['map.legend']));
    const listBox = el('details', undefined, 'atlas-legend-box atlas-flowlist-box'); listBox.id = 'flowlist-box';
    listBox.appendChild(el('summary', T['map.flow_list'])); listBox.appendChild(el('div', T['map.flow_list_hint'], 'atlas-legend-note'));
    const list = el('ul', undefined, 'atlas-flowlist'); list.id = 'flowlist'; listBox.appendChild(list);
    // the policy timeline's events of the scene's period; each opens its summary and sources
    const evH = el('h4', T['map.events']); evH.id = 'events-h';
    const evBox = el('div', undefined, 'atlas-events-marks lecture-events'); evBox.id = 'events';
    body.append(text, srcH, cites, evH, evBox, recs, listBox, legendBox); side.appendChild(body);
    const said = el('p', undefined, 'atlas-sr'); said.id = 'summary'; said.setAttribute('aria-live', 'polite'); said.setAttribute('aria-atomic', 'true');
    mapDiv.parentNode.insertBefore(root, mapDiv); root.append(top, said, wrap); wrap.append(cell, side); cell.appendChild(mapDiv);
    mapDiv.setAttribute('aria-describedby', 'summary');
    const narrow = () => root.clientWidth < 700;
    root.classList.toggle('atlas-narrow', narrow());
    window.addEventListener('resize', () => { root.classList.toggle('atlas-narrow', narrow()); map.invalidateSize(); });
    map.invalidateSize();

    const B = map._atlasBorders || null;
    const F = Atlas.flows(map, D, {headSize: 10, onClick: f => Atlas.showRecords(recs, D, F, f)});
    const EV = new Map((D.events || []).map(e => [e.id, e])), evLayer = L.layerGroup().addTo(map);
    function sceneEvents(s){
      evBox.replaceChildren(); evLayer.clearLayers();
      const list = (s.events || []).map(id => EV.get(id)).filter(Boolean);
      evH.hidden = !list.length;
      for (const e of list){
        const b = el('button', e.date + ' \u00b7 ' + e.title, 'atlas-ev'); b.type = 'button'; b.dataset.id = e.id;
        b.onclick = () => { Atlas.showEvent(recs, D, e); const h = recs.querySelector('h3'); if (h){ h.tabIndex = -1; h.focus(); } };
        evBox.appendChild(b);
        if (e.place){
          const m = L.circleMarker([e.place.lat, e.place.lon], {radius: 8, color: '#111', weight: 2, dashArray: e.place.area ? '3 2' : null, fillColor: '#fff', fillOpacity: 1});
          m.bindTooltip(() => Atlas.tipBox([e.title, e.date]), {sticky: true}); m.on('click', () => Atlas.showEvent(recs, D, e)); m.event = e; evLayer.addLayer(m);
        }
      }
    }
    const cats = new Set(); D.scenes.forEach(s => s.flows.forEach(f => cats.add(f.c)));
    legendBox.appendChild(Atlas.legend(D, cats, {}));
    Atlas.limitToWorld(map);

    let index = -1;
    function bounds(s){
      const b = L.latLngBounds(D.views[s.view] || D.views.europe);
      const f = Atlas.flowBounds([s.flows]); if (f.isValid()) b.extend(f);  // every arrow of the scene in view
      return b;
    }
    function go(i){
      i = Math.max(0, Math.min(D.scenes.length - 1, i)); if (i === index) return; index = i; const s = D.scenes[i];
      title.textContent = s.title; period.textContent = s.period;
      text.replaceChildren(); s.text.split(/\n\s*\n/).forEach(p => { if (p.trim()) text.appendChild(el('p', p)); });
      cites.replaceChildren(); s.cites.forEach(c => cites.appendChild(el('div', '\u2022 ' + c, 'atlas-cite cite')));
      srcH.hidden = s.cites.length === 0;  // no empty "Sources" heading
      recs.replaceChildren();
      count.textContent = T['map.scene'] + ' ' + (i + 1) + ' / ' + D.scenes.length;
      total.textContent = s.people > 0 ? (s.approx ? '~' : '') + fmt(s.people) + ' ' + T['map.people_one_known'] : '';
      map.invalidateSize(); map.fitBounds(bounds(s), {padding: [20, 20]});
      if (B) B.setDay(s.day, null);
      F.draw(s.flows); sceneEvents(s);
      said.textContent = s.title + '. ' + Atlas.summary(D, s.flows, s.period);
      Atlas.flowList(D, list, s.flows, f => { Atlas.showRecords(recs, D, F, f); const h = recs.querySelector('h3'); if (h){ h.tabIndex = -1; h.focus(); } });
      if (D.url_state) try { const u = new URL(window.parent.location.href); if (window.parent !== window && u.searchParams.get('scene') !== String(i + 1)) {
              u.searchParams.set('scene', String(i + 1)); window.parent.history.replaceState(window.parent.history.state, '', u.toString()); } } catch (e) { /* a file */ }
    }
    function key(e){
      if (['ArrowRight', 'PageDown', 'ArrowDown'].includes(e.key)){ go(index + 1); e.preventDefault(); }
      else if (['ArrowLeft', 'PageUp', 'ArrowUp'].includes(e.key)){ go(index - 1); e.preventDefault(); }
      else if (e.key === 'Home'){ go(0); e.preventDefault(); } else if (e.key === 'End'){ go(D.scenes.length - 1); e.preventDefault(); }
    }
    document.addEventListener('keydown', key);
    // a clicker sends its keys to the page that has focus: the Streamlit page passes them on (same origin)
    Atlas.forwardKeys('__lectureKey', ['ArrowRight', 'PageDown', 'ArrowDown', 'ArrowLeft', 'PageUp', 'ArrowUp', 'Home', 'End'], key);
    prev.onclick = () => go(index - 1); next.onclick = () => go(index + 1);
    let first = D.start;
    if (D.url_state) try {  // in the app the address says which scene to open (?scene=4); one page serves them all
      const n = parseInt(new URL(window.parent.location.href).searchParams.get('scene'), 10);
      if (n >= 1 && n <= D.scenes.length) first = n - 1;
    } catch (e) { /* not embedded */ }
    go(first);
    window.addEventListener('resize', () => { if (index >= 0) map.fitBounds(bounds(D.scenes[index]), {padding: [20, 20]}); });
    const api = {go: go, get index(){ return index; }, summary: () => said.textContent,
      events: () => [...evBox.children].map(b => b.dataset.id), eventMarkers: () => evLayer.getLayers().map(l => l.event.id), count: D.scenes.length, map: map, flows: F.layer, drawn: F.drawn, tips: F.tips, widths: F.widths, paths: F.paths, highlighted: F.highlighted};
    window.lecture = api;
    return api;
  };
})();
