/* The static site (geo.site): the flow pages fetch each year's data and borders when the year is shown;
   the records, events and sources pages are built from their JSON. Text from data only via textContent. */
(function(){
  'use strict';
  const getJSON = url => fetch(url).then(r => { if (!r.ok) throw new Error(url + ': HTTP ' + r.status); return r.json(); });
  function el(tag, text, cls){ const e = document.createElement(tag); if (text !== undefined && text !== null) e.textContent = text; if (cls) e.className = cls; return e; }

  // ---- the flow pages: FlowLayer's player with D.need (player.js calls it before drawing a year) ----
  if (window.Atlas && Atlas.player){
    const player = Atlas.player;
    Atlas.player = function(map, D){
      if (!D.site) return player(map, D);
      const S = D.site, B = map._atlasBorders, pending = new Map(), done = new Set();
      function once(url, use){
        if (done.has(url)) return null;
        if (!pending.has(url)) pending.set(url, getJSON(url).then(j => { use(j); done.add(url); pending.delete(url); }));
        return pending.get(url);
      }
      const q = new URLSearchParams(location.search).get('year');
      if (q === 'all') D.year = null; else if (q && D.years.indexOf(parseInt(q, 10)) >= 0) D.year = parseInt(q, 10);
      D.need = function(key, day){
        const waits = [];
        const w = once(S.data + key + '.json', j => {
          if (key === 'all') D.all = j.frames; else D.frames[key] = j.frames;
          Object.assign(D.records, j.records); Object.assign(D.areas, j.areas);
        });
        if (w) waits.push(w);
        for (const g of S.index[day] || []){ const b = once(S.borders + g + '.json', j => B.add(j)); if (b) waits.push(b); }
        return waits.length ? Promise.all(waits) : null;
      };
      const api = player(map, D);
      api.loaded = () => pending.size === 0;
      // the year shown stays in the address (a link to it opens it), and the language switch keeps it
      const yearEl = document.getElementById('year');
      const keep = () => {
        Atlas.setAddressParam('year', api.year === null ? 'all' : String(api.year), window);
        for (const a of document.querySelectorAll('.site-langs a')) a.search = location.search;
      };
      if (yearEl) new MutationObserver(keep).observe(yearEl, {childList: true, characterData: true, subtree: true});
      keep();
      return api;
    };
    return;
  }

  // ---- the text pages ----
  const page = document.body.dataset.page, W = JSON.parse(document.getElementById('words').textContent);
  const main = document.getElementById('main');
  const add = (parent, tag, text, cls) => parent.appendChild(el(tag, text, cls));
  function failed(e){ console.error(e); add(main, 'p', W['site.load_failed'], 'site-error'); }

  function records(data){
    const rows = data.records;
    const form = el('form', undefined, 'site-filters'); form.setAttribute('role', 'search'); form.onsubmit = e => e.preventDefault();
    const label = (text, input) => { const l = el('label', text); l.appendChild(input); form.appendChild(l); return input; };
    const q = document.createElement('input'); q.type = 'search'; q.id = 'q'; label(W['records.search'], q);
    q.value = new URLSearchParams(location.search).get('q') || '';  // records.html?q=... (the lives link their records)
    function select(id, values){
      const s = document.createElement('select'); s.id = id; s.appendChild(el('option', W['records.any'])).value = '';
      for (const v of [...new Set(values)].sort()){ const o = el('option', v); o.value = v; s.appendChild(o); }
      return s;
    }
    const cat = label(W['records.category'], select('cat', rows.map(r => r.cat)));
    const nat = label(W['records.nationality'], select('nat', rows.map(r => r.nat)));
    const year = document.createElement('input'); year.type = 'number'; year.id = 'year'; year.min = 1918; year.max = 1960;
    label(W['records.year'], year);
    main.appendChild(form);
    const count = add(main, 'p', '', 'site-count'); count.id = 'count'; count.setAttribute('aria-live', 'polite');
    // a table: one row per record, its cells the record card's parts (as the app's record panel shows them)
    const table = add(main, 'table', undefined, 'site-table');
    const head = table.createTHead().insertRow();
    const cols = ['records.date', 'records.category', 'records.nationality', 'records.route', 'records.count', 'records.sources'];
    for (const k of cols) head.appendChild(el('th', W[k])).scope = 'col';
    const list = table.appendChild(document.createElement('tbody')); list.id = 'records';
    const boxes = rows.map(r => {
      const box = el('tr', undefined, 'site-rec'); box.dataset.id = r.id;
      const cell = (k, text, cls) => { const td = el('td', text, cls); td.dataset.label = W[k]; box.appendChild(td); return td; };
      cell('records.date', r.card.date);
      cell('records.category', r.cat);
      cell('records.nationality', r.nat);
      cell('records.route', r.card.route);
      cell('records.count', r.card.count, 'site-num');
      const src = cell('records.sources', undefined, 'site-src');
      for (const s of r.card.sources) add(src, 'div', '\u2022 ' + s, 'atlas-cite');
      if (r.card.notes){ const d = add(src, 'details'); add(d, 'summary', W['records.notes']); add(d, 'div', r.card.notes, 'atlas-muted'); }
      const text = [r.id, r.cat, r.nat, r.card.date, r.card.count, r.card.what, r.card.route, r.card.notes, ...r.card.sources].join(' ').toLowerCase();
      return {r, box, text};
    });
    function show(){
      const words = q.value.toLowerCase().split(/\s+/).filter(Boolean), y = parseInt(year.value, 10);
      let n = 0; const frag = document.createDocumentFragment();
      for (const b of boxes){
        const ok = words.every(w => b.text.includes(w)) && (!cat.value || b.r.cat === cat.value) && (!nat.value || b.r.nat === nat.value)
          && (isNaN(y) || (b.r.y0 <= y && y <= b.r.y1));
        if (ok){ frag.appendChild(b.box); n++; }
      }
      list.replaceChildren(frag);
      count.textContent = W['records.shown'].replace('{n}', n).replace('{total}', rows.length);
    }
    for (const i of [q, cat, nat, year]) i.addEventListener('input', show);
    show();
  }

  function events(data){
    const list = add(main, 'ol', undefined, 'site-events'); list.id = 'events';
    for (const e of data.events){
      const li = el('li', undefined, 'site-event');
      add(li, 'div', e.date, 'site-date');
      add(li, 'h2', e.title);
      const meta = [e.body, e.number ? '\u2116 ' + e.number : '', e.place].filter(Boolean).join(' \u00b7 ');
      if (meta) add(li, 'div', meta, 'atlas-muted');
      if (e.summary) add(li, 'p', e.summary);
      for (const f of e.figures){
        const box = add(li, 'div', undefined, 'site-figure');
        add(box, 'b', [f.nat, f.what].filter(Boolean).join(' \u00b7 ') + ': ' + f.count);
        add(box, 'div', [f.date, f.place].filter(Boolean).join(' \u00b7 '), 'atlas-muted');
        for (const s of f.sources) add(box, 'div', '\u2022 ' + s, 'atlas-cite');
        if (f.notes) add(box, 'div', f.notes, 'atlas-muted');
      }
      for (const s of e.sources) add(li, 'div', '\u2022 ' + s, 'atlas-cite');
      list.appendChild(li);
    }
  }

  function blocks(parent, bs){
    let ul = null;
    for (const b of bs){
      if (b.li !== undefined){ if (!ul) ul = add(parent, 'ul'); add(ul, 'li', b.li); continue; }
      ul = null;
      if (b.h) add(parent, 'h' + b.h, b.text); else if (b.pre !== undefined) add(parent, 'pre', b.pre); else add(parent, 'p', b.p);
    }
  }

  function sources(data){
    add(main, 'h2', W['sources.bibliography']);
    const bib = add(main, 'ol', undefined, 'site-bib'); bib.id = 'bibliography';
    for (const s of data.bibliography){
      const li = el('li'); li.id = 'src-' + s.id;
      add(li, 'span', s.cite);
      if (s.url){ li.appendChild(document.createTextNode(' ')); const a = add(li, 'a', s.url); a.href = s.url; a.rel = 'noopener noreferrer'; }
      const meta = [s.kind, s.language, s.id].filter(Boolean).join(' \u00b7 ');
      add(li, 'div', meta, 'atlas-muted');
      if (s.notes) add(li, 'div', s.notes, 'atlas-muted');
      bib.appendChild(li);
    }
    add(main, 'h2', W['sources.totals']);
    add(main, 'p', W['sources.totals_caption'], 'atlas-muted');
    const tot = add(main, 'ul', undefined, 'site-totals');
    for (const t of data.totals){
      const li = add(tot, 'li');
      add(li, 'b', t.label + ': ' + t.count);
      for (const s of t.sources) add(li, 'div', '\u2022 ' + s, 'atlas-cite');
      if (t.notes) add(li, 'div', t.notes, 'atlas-muted');
    }
    add(main, 'h2', W['sources.readmes']);
    for (const r of data.readmes){
      const d = add(main, 'details', undefined, 'site-readme');
      add(d, 'summary', r.name);
      blocks(d, r.blocks);
    }
  }

  function lives(data){
    const list = add(main, 'div', undefined, 'site-lives'); list.id = 'lives';
    for (const p of data.lives){
      const art = add(list, 'article', undefined, 'site-life'); art.id = 'life-' + p.id;
      add(art, 'h2', p.name + ' (' + p.years + ')');
      add(art, 'div', p.title, 'site-life-title');
      add(art, 'p', p.summary);
      const ol = add(art, 'ol', undefined, 'site-stations');
      for (const st of p.stations){
        const li = add(ol, 'li');
        add(li, 'b', st.date + ' \u00b7 ' + st.place);
        if (st.kind) add(li, 'span', ' (' + st.kind + ')', 'atlas-muted');
        add(li, 'div', st.text);
        for (const c of st.sources) add(li, 'div', '\u2022 ' + c, 'atlas-cite');
        if (st.locator) add(li, 'div', st.locator, 'atlas-cite atlas-muted');
      }
      if (p.records.length){
        const r = add(art, 'div', W['lives.records'] + ' ', 'atlas-muted');
        p.records.forEach((id, i) => { if (i) r.appendChild(document.createTextNode(', '));
          const a = add(r, 'a', id); a.href = 'records.html?q=' + encodeURIComponent(id); });
      }
      const d = add(art, 'details'); add(d, 'summary', W['lives.sources']);
      for (const c of p.sources) add(d, 'div', '\u2022 ' + c, 'atlas-cite');
    }
  }

  const loaders = {records: ['data/records.json', records], events: ['data/events.json', events],
                   lives: ['data/lives.json', lives], sources: ['data/sources.json', sources]};
  if (loaders[page]){ const [url, fn] = loaders[page]; getJSON(url).then(fn).catch(failed); }
  window.sitePage = page;
})();
