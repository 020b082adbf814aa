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
    body.append(recs, legendBox); panel.append(toggle, body);
    mapDiv.parentNode.insertBefore(root, mapDiv);
    if (withBar) root.appendChild(bar);
    root.appendChild(wrap); wrap.append(cell, panel); cell.appendChild(mapDiv);
    toggle.onclick = () => { const open = !root.classList.toggle('atlas-panel-closed'); toggle.setAttribute('aria-expanded', String(open)); map.invalidateSize(); };
    const narrow = () => root.clientWidth < 700;
    root.classList.toggle('atlas-narrow', narrow());
    if (narrow()) legendBox.open = false;  // on a phone the legend waits behind its button
    window.addEventListener('resize', () => { root.classList.toggle('atlas-narrow', narrow()); map.invalidateSize(); });
    map.invalidateSize();
    return {root, bar, panel, recs, legendBox, body, open(){ root.classList.remove('atlas-panel-closed'); toggle.setAttribute('aria-expanded', 'true'); }};
  }

  Atlas.player = function(map, D){
    const T = D.t, fmt = n => Math.round(n).toLocaleString(D.locale);
    const hasYears = D.years.length > 0;
    const U = layout(map, T, true);
    const B = map._atlasBorders || null;
    const F = Atlas.flows(map, D, {onClick: f => { Atlas.showRecords(U.recs, D, F, f); U.open(); }});
    function hint(){ U.recs.replaceChildren(el('h3', T['map.flows']), el('div', T['map.hint'], 'atlas-muted')); }
    hint();
    // the bar: previous, play, next, the year, a slider, the whole period, a fit button, the total
    const btn = (id, text, label) => { const b = el('button', text); b.id = id; b.type = 'button'; b.title = label; b.setAttribute('aria-label', label); U.bar.appendChild(b); return b; };
    const prev = btn('prev', '\u25c0', T['map.prev_year']), playB = btn('play', '\u25b6 ' + T['map.play'], T['map.play']);
    const next = btn('next', '\u25b6', T['map.next_year']);
    const yearEl = el('span', undefined, 'atlas-year'); yearEl.id = 'year'; yearEl.setAttribute('aria-live', 'polite'); yearEl.tabIndex = 0; U.bar.appendChild(yearEl);
    const slider = document.createElement('input'); slider.type = 'range'; slider.id = 'slider'; slider.setAttribute('aria-label', T['map.year']);
    slider.min = 0; slider.max = Math.max(0, D.years.length - 1); U.bar.appendChild(slider);
    const allB = btn('allbtn', T['map.all'], T['map.whole_period']);
    const fitB = btn('fitbtn', '\u2922', T['map.fit']);
    const total = el('span', undefined, 'atlas-muted atlas-total'); total.id = 'total'; U.bar.appendChild(total);
    if (!hasYears) for (const b of [prev, playB, next, slider]) b.hidden = true;

    const cats = new Set(); let mine = false;
    for (const l of Object.values(D.frames).concat([D.all || []])) for (const f of l){ cats.add(f.c); if (f.y) mine = true; }
    for (const c of D.cats || []) cats.add(c);  // the static site loads its frames later and names their categories
    const leg = Atlas.legend(D, cats, {mine: mine}); U.legendBox.appendChild(leg);

    let current = null, timer = null;
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
      let known = 0, unknown = 0, approx = false;
      for (const f of list){ known += f.p; unknown += f.u; if (f.ap) approx = true; }
      total.textContent = (approx ? '~' : '') + fmt(known) + ' ' + T['map.people_known'] + (unknown ? ' \u00b7 ' + unknown + ' ' + T['map.records_without'] : '');
    }
    function writeUrl(){
      if (!D.url_state || window.parent === window) return;
      try {
        const u = new URL(window.parent.location.href), y = current === null ? null : String(D.years[current]);
        if (u.searchParams.get('year') === y) return;
        if (y === null) u.searchParams.delete('year'); else u.searchParams.set('year', y);
        window.parent.history.replaceState(window.parent.history.state, '', u.toString());
      } catch (e) { /* not embedded by the app (a file, another origin): nothing to write */ }
    }
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
      else if (e.key === ' ' && t !== 'BUTTON'){ play(); e.preventDefault(); }
    });

    // the view: the drawn flows of every year (so it does not jump as the years play), or a preset
    Atlas.limitToWorld(map);
    const lists = Object.values(D.frames).concat([D.all || []]);
    const fitted = D.bounds ? L.latLngBounds(D.bounds.flows) : Atlas.flowBounds(lists);  // D.bounds: given by the static site
    const heads = D.bounds ? L.latLngBounds(D.bounds.heads) : Atlas.headBounds(lists);
    function fit(){
      map.invalidateSize();
      let b = D.view !== 'fit' ? L.latLngBounds(D.views[D.view]) : (fitted.isValid() ? fitted : L.latLngBounds(D.views.europe));
      if (heads.isValid()) b = L.latLngBounds(b.getSouthWest(), b.getNorthEast()).extend(heads);
      map.fitBounds(b, {padding: [24, 24]});
    }
    fitB.onclick = fit;
    fit();
    setYear(D.year !== null && D.years.indexOf(D.year) >= 0 ? D.years.indexOf(D.year) : null);
    let lastSize = map.getSize();
    window.addEventListener('resize', () => { const s = map.getSize(); if (Math.abs(s.x - lastSize.x) > 40 || Math.abs(s.y - lastSize.y) > 40){ lastSize = s; fit(); } });

    const api = {map: map, flows: F.layer, setYear: setYear, play: play, stop: stop, years: D.years, fit: fit,
      title: D.title, borders: B, panel: U.panel,
      get year(){ return current === null ? null : D.years[current]; },
      drawn: F.drawn, tips: F.tips, widths: F.widths, paths: F.paths, highlighted: F.highlighted};
    window.atlasMap = api;
    return api;
  };
})();
