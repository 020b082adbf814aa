/* The flow player (geo.flowlayer.FlowLayer): the year bar, the map, the record panel with the legend.
   Stepping a year redraws in the browser; nothing goes to a server. Text only via textContent. */
(function(){
  'use strict';
  const {el, fill} = Atlas;

  // Lays the map out with a bar above it and a panel beside it (under it on a narrow screen).
  function layout(map, T, withBar){
    const mapDiv = map.getContainer();
    const root = el('div', undefined, 'atlas-root');
    const bar = el('div', undefined, 'atlas-bar'); bar.id = 'bar';
    bar.setAttribute('role', 'toolbar'); bar.setAttribute('aria-label', T['map.year_controls']);
    const wrap = el('div', undefined, 'atlas-wrap'), cell = el('div', undefined, 'atlas-mapcell');
    const panel = el('aside', undefined, 'atlas-panel'); panel.id = 'panel'; panel.setAttribute('aria-live', 'polite');
    const toggle = el('button', T['map.panel'], 'atlas-panel-toggle'); toggle.setAttribute('aria-expanded', 'true');
    const body = el('div', undefined, 'atlas-panel-body');
    const recs = el('section', undefined, 'atlas-records'); recs.id = 'records';
    const legendBox = el('details', undefined, 'atlas-legend-box'); legendBox.open = true;
    legendBox.appendChild(el('summary', T['map.legend']));
    // the table equivalent of the arrows: every drawn flow as a button that opens its records
    const listBox = el('details', undefined, 'atlas-legend-box atlas-flowlist-box'); listBox.id = 'flowlist-box';
    listBox.appendChild(el('summary', T['map.flow_list']));
    listBox.appendChild(el('div', T['map.flow_list_hint'], 'atlas-legend-note'));
    const list = el('ul', undefined, 'atlas-flowlist'); list.id = 'flowlist'; listBox.appendChild(list);
    body.append(recs, listBox, legendBox); panel.append(toggle, body);
    // the map in one sentence, for screen readers; said again when the year steps
    const said = el('p', undefined, 'atlas-sr'); said.id = 'summary'; said.setAttribute('aria-live', 'polite');
    said.setAttribute('aria-atomic', 'true');
    mapDiv.parentNode.insertBefore(root, mapDiv);
    // under the year control: the time histogram and the events strip (filled by the player)
    const timeline = el('div', undefined, 'atlas-timeline'); timeline.id = 'timeline';
    const hist = el('div', undefined, 'atlas-hist'); hist.id = 'histogram'; hist.setAttribute('role', 'group');
    hist.setAttribute('aria-label', T['map.histogram']); hist.title = T['map.histogram'];
    const strip = el('div', undefined, 'atlas-events'); strip.id = 'events'; strip.setAttribute('role', 'group');
    strip.setAttribute('aria-label', T['map.events']);
    timeline.append(hist, strip);
    if (withBar) root.append(bar, timeline);
    root.appendChild(said); mapDiv.setAttribute('aria-describedby', 'summary');
    root.appendChild(wrap); wrap.append(cell, panel); cell.appendChild(mapDiv);
    toggle.onclick = () => { const open = !root.classList.toggle('atlas-panel-closed'); toggle.setAttribute('aria-expanded', String(open)); map.invalidateSize(); };
    const narrow = () => root.clientWidth < 700;
    root.classList.toggle('atlas-narrow', narrow());
    if (narrow()) legendBox.open = false;  // on a phone the legend waits behind its button
    window.addEventListener('resize', () => { root.classList.toggle('atlas-narrow', narrow()); map.invalidateSize(); });
    map.invalidateSize();
    return {root, bar, panel, recs, legendBox, listBox, body, list, said, hist, strip, open(){ root.classList.remove('atlas-panel-closed'); toggle.setAttribute('aria-expanded', 'true'); }};
  }

  Atlas.player = function(map, D){
    const T = D.t, fmt = n => Math.round(n).toLocaleString(D.locale);
    const hasYears = D.years.length > 0;
    if (!D.all && D.all_is) D.all = D.frames[D.all_is];  // one year: the whole period is its frame, sent once
    const U = layout(map, T, true);
    const B = map._atlasBorders || null;
    const openRecords = f => { Atlas.showRecords(U.recs, D, F, f); U.open(); };
    const F = Atlas.flows(map, D, {onClick: openRecords});
    function hint(){ U.recs.replaceChildren(el('h3', T['map.flows']), el('div', T['map.hint'], 'atlas-muted')); }
    hint();
    // the bar: previous, play, next, the year, a slider, the whole period, a fit button, the total
    const btn = (id, text, label) => { const b = el('button', text); b.id = id; b.type = 'button'; b.title = label; b.setAttribute('aria-label', label); U.bar.appendChild(b); return b; };
    const prev = btn('prev', '\u25c0', T['map.prev_year']), playB = btn('play', '\u25b6 ' + T['map.play'], T['map.play']);
    const next = btn('next', '\u25b6', T['map.next_year']);
    const yearEl = el('span', undefined, 'atlas-year'); yearEl.id = 'year'; U.bar.appendChild(yearEl);
    const slider = document.createElement('input'); slider.type = 'range'; slider.id = 'slider'; slider.setAttribute('aria-label', T['map.year']);
    slider.min = 0; slider.max = Math.max(0, D.years.length - 1); U.bar.appendChild(slider);
    const allB = btn('allbtn', T['map.all'], T['map.all'] + ' (' + T['map.whole_period'] + ')');  // the name holds the visible word
    const fitB = btn('fitbtn', '\u2922', T['map.fit']);
    const total = el('span', undefined, 'atlas-muted atlas-total'); total.id = 'total'; U.bar.appendChild(total);
    if (!hasYears) for (const b of [prev, playB, next, slider]) b.hidden = true;

    const cats = new Set(); let mine = false;
    for (const l of Object.values(D.frames).concat([D.all || []])) for (const f of l){ cats.add(f.c); if (f.y) mine = true; }
    for (const c of D.cats || []) cats.add(c);  // the static site loads its frames later and names their categories
    const leg = Atlas.legend(D, cats, {mine: mine}); U.legendBox.appendChild(leg);

    let current = null, timer = null, listed = [];
    const fillList = () => Atlas.flowList(D, U.list, listed, f => { openRecords(f); const h = U.recs.querySelector('h3'); if (h){ h.tabIndex = -1; h.focus(); } });
    U.listBox.addEventListener('toggle', () => { if (U.listBox.open) fillList(); });

    // ---- the time histogram: people on the map in each year, stacked by category; records without a count marked
    const bars = [];
    if (hasYears){
      const per = D.years.map(y => { const c = {}; let tot = 0, u = 0;
        for (const f of D.frames[String(y)] || []){ c[f.c] = (c[f.c] || 0) + f.p; tot += f.p; u += f.u; } return {y, c, tot, u}; });
      const max = Math.max(1, ...per.map(p => p.tot)), every = D.years.length > 24 ? 10 : 5;
      per.forEach((p, i) => {
        const b = el('button', undefined, 'atlas-hbar'); b.type = 'button'; b.tabIndex = -1;  // the slider and keys step the years
        const label = fill(T['map.hist_bar'], {year: p.y, people: fmt(p.tot)}) + (p.u ? '; ' + fill(T['map.hist_unknown'], {n: p.u}) : '');
        b.setAttribute('aria-label', label); b.title = label; b.dataset.year = p.y;
        const stack = el('span', undefined, 'atlas-hstack');
        for (const [c, col] of Object.entries(D.cat)) if (p.c[c] > 0){
          const seg = el('span', undefined, 'atlas-hseg'); seg.style.background = col;
          seg.style.height = Math.max(1.5, 100 * p.c[c] / max) + '%'; seg.dataset.cat = c; stack.appendChild(seg); }
        b.appendChild(stack);
        const tick = el('span', undefined, p.u ? 'atlas-hunknown' : 'atlas-hnone'); b.appendChild(tick);  // hatched: records without a count
        b.appendChild(el('span', (i === 0 || i === per.length - 1 || p.y % every === 0) ? String(p.y) : '', 'atlas-hyear'));
        b.onclick = () => { stop(); setYear(i); };
        U.hist.appendChild(b); bars.push(b);
      });
    } else U.hist.hidden = true;

    // ---- the events strip: the policy timeline's events of the year shown (or the period on "All")
    const EV = D.events || [], evLayer = L.layerGroup().addTo(map);
    const evHead = el('span', undefined, 'atlas-events-head'), evMarks = el('span', undefined, 'atlas-events-marks');
    const kindSel = document.createElement('select'); kindSel.id = 'eventkind'; kindSel.setAttribute('aria-label', T['map.events_kind_filter']);
    kindSel.appendChild(new Option(T['map.events_kinds'], ''));
    const kinds = new Map(EV.map(e => [e.kind, e.kind_label]));
    for (const [k, lab] of kinds) kindSel.appendChild(new Option(lab, k));
    U.strip.append(evHead, kindSel, evMarks);
    if (!EV.length) U.strip.hidden = true;
    let evShown = [], evOpen = null;
    function showEvent(e){
      evOpen = e.id; Atlas.showEvent(U.recs, D, e);
      for (const m of evMarks.children) m.setAttribute('aria-pressed', String(m.dataset.id === e.id));
      U.open();
    }
    function showEvents(){
      const y = current === null ? null : D.years[current];
      const lo = y === null ? D.first : y + '-01-01', hi = y === null ? D.last : y + '-12-31';
      evShown = EV.filter(e => e.to >= lo && e.from <= hi && (!kindSel.value || e.kind === kindSel.value));
      evMarks.replaceChildren(); evLayer.clearLayers();
      for (const e of evShown){
        const short = y === null ? e.from.slice(0, 4) : (e.date.split(' \u2013 ')[0].replace(/[ .]?\d{4}$/, '') || e.from.slice(0, 4));
        // a year's marks carry their dates; the whole period's are small squares in date order (their dates on hover)
        const b = el('button', y === null ? '' : short, y === null ? 'atlas-ev atlas-ev-dot' : 'atlas-ev'); b.type = 'button';
        b.dataset.id = e.id; b.dataset.kind = e.kind;
        b.title = e.date + ' \u00b7 ' + e.title; b.setAttribute('aria-label', short + ': ' + e.title + ' (' + e.kind_label + ')');
        b.setAttribute('aria-pressed', String(evOpen === e.id)); b.onclick = () => showEvent(e);
        evMarks.appendChild(b);
        if (e.place){
          const m = L.circleMarker([e.place.lat, e.place.lon], {radius: 7, color: '#111', weight: 2, dashArray: e.place.area ? '3 2' : null,
                                                                fillColor: '#ffffff', fillOpacity: 1});
          m.bindTooltip(() => Atlas.tipBox([e.title, e.date + ' \u00b7 ' + e.kind_label, fill(T[e.place.area ? 'map.event_place_area' : 'map.event_place'], {name: e.place.name})]), {sticky: true});
          m.on('click', () => showEvent(e)); m.event = e; evLayer.addLayer(m);
        }
      }
      evHead.textContent = fill(T['map.events_in'], {period: y === null ? period() : String(y), n: evShown.length});
      if (B && B.relabel) B.relabel();  // the capitals' names keep clear of the event marks just drawn
    }
    kindSel.onchange = showEvents;
    // the strip follows the step a moment later (after the map is painted); the tests' hooks bring it up to date
    let evPending = 0;
    const eventsLater = () => { if (!evPending) evPending = setTimeout(() => { evPending = 0; showEvents(); }, 0); };
    const eventsNow = () => { if (evPending){ clearTimeout(evPending); evPending = 0; showEvents(); } };
    const period = () => !D.first ? T['map.whole_period']
      : D.first.slice(0, 4) + (D.first.slice(0, 4) === D.last.slice(0, 4) ? '' : '\u2013' + D.last.slice(0, 4));
    function shadeFor(key){
      const S = D.shade; if (!S) return null;
      const all = key === 'all';
      return {values: S.frames[key] || {}, breaks: all ? S.all_breaks : S.breaks, ramp: all ? S.all_ramp : S.ramp};
    }
    if (B) B.shadeLine = p => { if (!D.shade || !B.shade) return [];
      return [T['map.arrivals_known'] + ' (' + (current === null ? period() : D.years[current]) + '): ' + fmt(B.shade.values[p.name] || 0)]; };
    function totals(list){
      let known = 0, unknown = 0, other = 0, approx = false;
      for (const f of list){ known += f.p; unknown += f.u - (f.ou || 0); other += f.ou || 0; if (f.ap) approx = true; }
      total.textContent = (approx ? '~' : '') + fmt(known) + ' ' + T['map.people_known'] + (unknown ? ' \u00b7 ' + unknown + ' ' + T['map.records_without'] : '')
        + (other ? ' \u00b7 ' + other + ' ' + T['map.records_other_unit'] : '');
    }
    function writeUrl(){ if (D.url_state) Atlas.setAddressParam('year', current === null ? null : String(D.years[current])); }
    function setYear(i){
      let list, day, key;
      if (i === null || !hasYears){
        current = null; yearEl.textContent = period(); list = D.all || []; day = D.last; key = 'all';
        allB.setAttribute('aria-pressed', 'true');
      } else {
        i = Math.max(0, Math.min(D.years.length - 1, i)); current = i; const y = D.years[i];
        slider.value = i; yearEl.textContent = String(y); list = D.frames[String(y)] || []; key = String(y);
        day = (y < 1951 ? y : 1950) + '-07-01'; allB.setAttribute('aria-pressed', 'false');
      }
      if (D.need){  // the static site: the year's data is fetched first, then the year is drawn
        const p = D.need(key, day), want = current;
        if (p){ p.then(() => { if (current === want) setYear(want); }, e => console.error(e)); return 0; }
      }
      const shade = shadeFor(key);
      if (B) B.setDay(day, shade);
      leg.setShade(shade, key === 'all' ? fill(T['map.shading_all'], {period: period()}) : fill(T['map.shading_year'], {year: key}));
      F.draw(list); totals(list); writeUrl();
      U.said.textContent = Atlas.summary(D, list, current === null ? period() : String(D.years[current]));
      bars.forEach((b, j) => { b.classList.toggle('atlas-hbar-on', j === current); b.setAttribute('aria-pressed', String(j === current)); });
      eventsLater();
      listed = list; if (U.listBox.open) fillList();  // the list is built when it is open (a year step stays cheap)
      return list.length;
    }
    function stop(){ if (timer){ clearInterval(timer); timer = null; playB.textContent = '\u25b6 ' + T['map.play']; playB.setAttribute('aria-label', T['map.play']); } }
    function play(){
      if (timer){ stop(); return; }
      playB.textContent = '\u275a\u275a ' + T['map.pause']; playB.setAttribute('aria-label', T['map.pause']);
      if (current === null || current >= D.years.length - 1) setYear(0);
      timer = setInterval(() => { if (current >= D.years.length - 1){ stop(); return; } setYear(current + 1); }, 1200);
    }
    const step = d => { stop(); setYear(current === null ? (d > 0 ? 0 : D.years.length - 1) : current + d); };
    playB.onclick = play; prev.onclick = () => step(-1); next.onclick = () => step(1);
    allB.onclick = () => { stop(); setYear(null); };
    slider.oninput = () => { stop(); setYear(parseInt(slider.value, 10)); };
    document.addEventListener('keydown', e => {
      const t = e.target && e.target.tagName;
      if ((t === 'INPUT' && e.target.type !== 'range') || t === 'TEXTAREA' || !hasYears) return;
      if (e.key === 'ArrowRight' || e.key === 'PageDown'){ step(1); e.preventDefault(); }
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp'){ step(-1); e.preventDefault(); }
      else if (e.key === ' ' && t !== 'BUTTON' && t !== 'SUMMARY'){ play(); e.preventDefault(); }
    });
    // the app's page passes on the arrow keys (not the page keys or space, which scroll it)
    if (hasYears) Atlas.forwardKeys('__atlasYearKeys', ['ArrowRight', 'ArrowLeft'], e => { step(e.key === 'ArrowRight' ? 1 : -1); e.preventDefault(); });

    // the view: the drawn flows of every year (so it does not jump as the years play), or a preset
    Atlas.limitToWorld(map);
    const lists = Object.values(D.frames).concat([D.all || []]);
    const fitted = D.bounds ? L.latLngBounds(D.bounds.flows) : Atlas.flowBounds(lists);  // D.bounds: given by the static site
    const heads = D.bounds ? L.latLngBounds(D.bounds.heads) : Atlas.headBounds(lists);
    // the first view is set at once: an animated zoom on opening would redraw every layer again a moment later
    function fit(animate){
      map.invalidateSize();
      let b = D.view !== 'fit' ? L.latLngBounds(D.views[D.view]) : (fitted.isValid() ? fitted : L.latLngBounds(D.views.europe));
      if (heads.isValid()) b = L.latLngBounds(b.getSouthWest(), b.getNorthEast()).extend(heads);
      map.fitBounds(b, {padding: [24, 24], animate: animate !== false});
    }
    fitB.onclick = () => fit();
    fit(false);
    setYear(D.year !== null && D.years.indexOf(D.year) >= 0 ? D.years.indexOf(D.year) : null);
    let lastSize = map.getSize();
    window.addEventListener('resize', () => { const s = map.getSize(); if (Math.abs(s.x - lastSize.x) > 40 || Math.abs(s.y - lastSize.y) > 40){ lastSize = s; fit(); } });

    const api = {map: map, flows: F.layer, setYear: setYear, play: play, stop: stop, years: D.years, fit: fit,
      title: D.title, borders: B, panel: U.panel, summary: () => U.said.textContent,
      get year(){ return current === null ? null : D.years[current]; },
      drawn: F.drawn, tips: F.tips, widths: F.widths, paths: F.paths, highlighted: F.highlighted, placeLabels: F.labels,
      events: () => { eventsNow(); return evShown.map(e => e.id); },
      eventMarkers: () => { eventsNow(); return evLayer.getLayers().map(l => l.event.id); }, showEvent: showEvent};
    window.atlasMap = api;
    return api;
  };
})();
