"""The static site (``python -m geo site``): built once per session, served by ``python -m http.server``,
checked in Chromium as the app's browser tests check the app; and the site's pieces on small fixtures."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from geo.site import (
    FIRST_VIEW_BUDGET,
    PAGES,
    SITE_STATIC,
    TOTAL_BUDGET,
    build_site,
    groups_on,
    markdown_blocks,
    serve,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from bench_site import first_view_bytes

PAYLOADS = [p for p in (Path(__file__).parent / "xss" / "payloads.txt").read_text("utf-8").splitlines() if p]
PROBE = """() => ({ran: !!window.__xss, bad: document.querySelectorAll(
  'main img, main svg, main iframe, main object, #panel img, #panel svg, .leaflet-tooltip img, body > img, embed').length,
  title: document.title})"""


# ---- small pieces ------------------------------------------------------------------------------------------------


def test_words_have_the_same_keys_in_every_language():
    data = yaml.safe_load((SITE_STATIC / "words.yaml").read_text("utf-8"))
    assert set(data) == {"en", "ru", "kk"}
    assert set(data["ru"]) == set(data["en"]) == set(data["kk"])


def test_groups_on_a_day_are_the_change_dates_with_a_feature_valid_that_day():
    groups = {"1918-11-11": {"polities": {"features": [{"p": {"valid_from": "1918-11-11", "valid_to": "1939-09-16"}}]}},
              "1939-09-17": {"polities": {"features": [{"p": {"valid_from": "1939-09-17", "valid_to": "1941-06-21"}}]}},
              "1941-06-22": {"occupation": {"features": [{"p": {"valid_from": "1941-06-22", "valid_to": "1944-08-01"}}]}}}
    assert groups_on(groups, "1918-07-01") == []
    assert groups_on(groups, "1939-07-01") == ["1918-11-11"]
    assert groups_on(groups, "1940-07-01") == ["1939-09-17"]
    assert groups_on(groups, "1941-07-01") == ["1941-06-22"]


def test_readme_blocks_keep_text_as_text():
    blocks = markdown_blocks("# Title\n\nA <b>para</b>\ngoes on.\n\n- item one\n  continued\n- two\n\n```\ncode <x>\n```\n")
    assert blocks == [{"h": 2, "text": "Title"}, {"p": "A <b>para</b> goes on."}, {"li": "item one continued"},
                      {"li": "two"}, {"pre": "code <x>"}]


def test_an_occupied_folder_is_not_emptied(tmp_path, capsys):
    from geo.cli import main

    (tmp_path / "thesis.docx").write_text("mine")
    with pytest.raises(ValueError, match="not overwritten"):
        build_site(tmp_path)
    assert main(["site", "--out", str(tmp_path)]) == 2
    assert "not empty and holds no site" in capsys.readouterr().err
    assert (tmp_path / "thesis.docx").read_text() == "mine"


# ---- the built site ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    report = build_site(out)
    with serve(out) as base:
        yield out, base, report


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory):
    """The English site of the bundled data with the XSS corpus in records (notes, source, route, nationality),
    in event titles and in the bibliography."""
    from geo.dataset import bundled_dataset

    ds = bundled_dataset()
    rec = ds.records.copy()
    n = len(PAYLOADS)
    for col in ("notes", "source", "origin", "destination", "nationality"):
        rec[col] = rec[col].astype(object)
        rec.loc[rec.index[:n], col] = PAYLOADS
    joined = dataclasses.replace(ds.joined, accepted=rec)
    events = ds.events.copy()
    events.loc[events.index[:n], "title_en"] = PAYLOADS[:len(events)]
    sources = ds.sources.copy()
    sources.loc[sources.index[:n], "title"] = PAYLOADS[:len(sources)]
    sources.loc[sources.index[:n], "url"] = ["javascript:window.__xss=1"] * min(n, len(sources))
    hostile = dataclasses.replace(ds, joined=joined, events=events, sources=sources)
    out = tmp_path_factory.mktemp("hostile") / "site"
    build_site(out, ("en",), dataset=hostile, pages=("records.html", "events.html", "sources.html"))
    with serve(out) as base:
        yield out, base, [str(i) for i in rec["id"].iloc[:n]]


def _page(chrome, url, size=(1366, 768)):
    ctx = chrome.new_context(viewport={"width": size[0], "height": size[1]})
    page = ctx.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    page.goto(url, wait_until="networkidle")
    return ctx, page, requests, errors


def _wait_map(page):
    page.wait_for_function("() => window.atlasMap && window.atlasMap.loaded && window.atlasMap.loaded() "
                           "&& window.atlasMap.drawn().length > 0", timeout=30000)


def test_the_site_is_within_its_budget(site, chrome):
    out, base, report = site
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert total == report.total_bytes and total <= TOTAL_BUDGET
    assert not [p for p in out.rglob("*") if p.is_file() and p.stat().st_size > 5 * 1024 * 1024]
    measured = first_view_bytes(chrome, base + "en/")
    print(f"site: {total:,} bytes in all; first view of /en/ in Chromium: {measured:,} bytes "
          f"(files it loads: {report.first_view_bytes:,})")
    assert measured <= FIRST_VIEW_BUDGET
    # Chromium's count (bodies plus headers) cannot be below the bytes of the files the first view loads
    assert measured >= report.first_view_bytes


def test_every_page_of_every_language_is_there(site):
    out, _, _ = site
    for lang in ("en", "ru", "kk"):
        for page in PAGES:
            text = (out / lang / page).read_text("utf-8")
            assert f'lang="{lang}"' in text
            for other in ("en", "ru", "kk"):  # the language switch, to the same page
                assert f'href="../{other}/{page}"' in text
            for ref in re.findall(r'(?:src|href)="\.\./(assets/[^"?]+)', text):  # every linked file is there
                assert (out / ref).is_file(), (lang, page, ref)
    assert (out / "index.html").exists() and (out / "assets" / "leaflet.js").exists()
    assert len(list((out / "en" / "data" / "flows").glob("19*.json"))) == 1950 - 1918 + 1


def test_flows_step_by_keys_and_buttons_and_arrows_open_their_records(site, chrome):
    _, base, _ = site
    ctx, page, requests, errors = _page(chrome, base + "en/")
    try:
        _wait_map(page)
        first = page.evaluate("() => window.atlasMap.year")
        assert first == 1919
        before = page.evaluate("() => JSON.stringify(window.atlasMap.drawn().map(f => f.o + f.d + f.p))")
        page.click("#next")
        _wait_map(page)
        assert page.evaluate("() => window.atlasMap.year") == 1920
        assert page.inner_text("#year") == "1920"
        after = page.evaluate("() => JSON.stringify(window.atlasMap.drawn().map(f => f.o + f.d + f.p))")
        assert after != before
        page.locator("#year").focus()
        for _ in range(21):  # to 1941, by the keyboard
            page.keyboard.press("ArrowRight")
        _wait_map(page)
        assert page.evaluate("() => window.atlasMap.year") == 1941
        assert page.evaluate("() => window.atlasMap.borders.polities.getLayers().length") > 20
        page.keyboard.press("ArrowLeft")
        _wait_map(page)
        assert page.evaluate("() => window.atlasMap.year") == 1940
        # a real click on the middle of the widest arrow opens its records with their citations
        x, y = page.evaluate("""() => { const m = window.atlasMap.map, ls = window.atlasMap.flows.getLayers()
              .filter(l => l.feature).sort((a, b) => b.feature.w - a.feature.w);
            const pts = ls[0].getLatLngs(), p = m.latLngToContainerPoint(pts[Math.floor(pts.length / 2)]),
                  r = m.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""")
        page.mouse.click(x, y)
        page.wait_for_selector("#records .atlas-rec")
        cites = page.locator("#records .atlas-cite").all_inner_texts()
        assert cites and all("(" in c and ")" in c for c in cites)  # author, title (year), locator
        assert page.evaluate("() => location.search") == "?year=1940"  # the year is in the address ...
        assert page.get_attribute(".site-langs a[hreflang=kk]", "href").endswith("index.html?year=1940")  # ... and kept
        page.click("#allbtn")
        _wait_map(page)
        assert page.evaluate("() => window.atlasMap.year") is None
        assert page.evaluate("() => window.atlasMap.drawn().length") > 50
        off = [u for u in requests if not u.startswith(base)]
        assert off == [] and errors == []
    finally:
        ctx.close()


def test_kazakhstan_view_shades_the_oblasts_of_the_year(site, chrome):
    from geo.borders import bundled_borders
    from geo.dataset import bundled_dataset
    from geo.flows import Filters
    from geo.mapview import flow_map_data

    # the oblasts with arrivals in 1940 as the data gives them (records that only break down another are not counted)
    want = flow_map_data(bundled_dataset().records, bundled_borders(), Filters(1918, 1950), "oblast",
                         shading=True)["shading"]["1940"]
    assert len(want) >= 3
    _, base, _ = site
    ctx, page, requests, errors = _page(chrome, base + "en/kazakhstan.html?year=1940")
    try:
        _wait_map(page)
        assert page.evaluate("() => window.atlasMap.year") == 1940
        shaded = page.evaluate("() => { const out = []; window.atlasMap.borders.kazakh.eachLayer(l => "
                               "out.push(l.options.fillColor)); return out; }")
        assert len([c for c in shaded if c and c != "#ffffff"]) == len(want)
        assert [u for u in requests if not u.startswith(base)] == [] and errors == []
    finally:
        ctx.close()


def test_the_language_switch_keeps_the_page(site, chrome):
    _, base, _ = site
    ctx, page, _, errors = _page(chrome, base + "en/records.html")
    try:
        page.wait_for_selector("#records .site-rec")
        page.click(".site-langs a[hreflang=ru]")
        page.wait_for_url("**/ru/records.html")
        page.wait_for_selector("#records .site-rec")
        assert page.evaluate("() => document.documentElement.lang") == "ru"
        assert "записей" in page.inner_text("#count")
        page.click(".site-langs a[hreflang=kk]")
        page.wait_for_url("**/kk/records.html")
        assert page.inner_text("h1") == "Жазбалар"
        assert errors == []
    finally:
        ctx.close()
    for locale, lang in (("en-US", "en"), ("ru-RU", "ru"), ("kk-KZ", "kk"), ("de-DE", "en")):  # the root: the browser's
        ctx = chrome.new_context(locale=locale)
        try:
            page = ctx.new_page()
            page.goto(base)
            page.wait_for_url(lambda u, lang=lang: u.split("?")[0].endswith(f"/{lang}/"))
        finally:
            ctx.close()


def test_records_page_filters(site, chrome):
    out, base, _ = site
    rows = json.loads((out / "en" / "data" / "records.json").read_text("utf-8"))["records"]
    ctx, page, requests, errors = _page(chrome, base + "en/records.html")
    try:
        page.wait_for_selector("#records .site-rec")
        assert page.locator("#records .site-rec").count() == len(rows)
        page.select_option("#cat", "deportation")
        want = [r for r in rows if r["cat"] == "deportation"]
        assert page.locator("#records .site-rec").count() == len(want) > 0
        page.fill("#year", "1941")
        want = [r for r in want if r["y0"] <= 1941 <= r["y1"]]
        assert page.locator("#records .site-rec").count() == len(want) > 0
        page.select_option("#cat", "")
        page.fill("#year", "")
        page.fill("#q", "volga")
        n = page.locator("#records .site-rec").count()
        assert 0 < n < len(rows)
        assert all("volga" in t.lower() for t in page.locator("#records .site-rec").all_text_contents())
        assert [u for u in requests if not u.startswith(base)] == [] and errors == []
    finally:
        ctx.close()


@pytest.mark.parametrize("name", ["events", "lives", "sources", "about", "lecture"])
def test_text_pages_load_without_errors(site, chrome, name):
    _, base, _ = site
    ctx, page, requests, errors = _page(chrome, base + f"en/{name}.html")
    try:
        if name == "events":
            page.wait_for_selector("#events .site-figure .atlas-cite")  # repression figures, each with its citation
        elif name == "sources":
            page.wait_for_selector("#bibliography li")
            page.wait_for_selector(".site-readme")
        elif name == "lives":
            page.wait_for_selector("#lives .site-life .site-stations .atlas-cite")  # every station with its citation
            assert page.locator("#lives .site-life").count() >= 10
            page.click("#lives a[href^='records.html?q=']")
            page.wait_for_selector("#records .site-rec")
            assert page.locator("#records .site-rec").count() >= 1
        elif name == "lecture":
            page.wait_for_function("() => !!window.lecture")
        assert [u for u in requests if not u.startswith(base)] == [] and errors == []
    finally:
        ctx.close()


def test_hostile_record_text_stays_text(hostile_site, chrome):
    _, base, ids = hostile_site
    for path in ("en/records.html", "en/events.html", "en/sources.html"):
        ctx, page, requests, errors = _page(chrome, base + path)
        try:
            page.wait_for_selector("main li, main tr.site-rec")
            page.wait_for_timeout(300)
            assert page.evaluate(PROBE) == {"ran": False, "bad": 0, "title": page.title()}
            text = page.inner_text("main")
            assert sum(p in text for p in PAYLOADS) >= len(PAYLOADS) // 2, path
            assert page.locator("a[href^=javascript]").count() == 0
            assert [u for u in requests if not u.startswith(base)] == [] and errors == []
        finally:
            ctx.close()
    ctx, page, requests, errors = _page(chrome, base + "en/?year=all")
    try:
        _wait_map(page)
        hit = page.evaluate("""(ids) => { const ls = window.atlasMap.flows.getLayers()
            .filter(l => l.feature && l.feature.ids.some(i => ids.includes(i)));
            for (const l of ls) l.fire('click'); return ls.length; }""", ids)
        assert hit > 0
        panel = page.inner_text("#records")
        assert any(p in panel for p in PAYLOADS)  # the last arrow's hostile notes and sources, shown as text
        page.evaluate("() => window.atlasMap.flows.getLayers().filter(l => l.feature).forEach(l => l.fire('mouseover'))")
        assert page.evaluate(PROBE)["ran"] is False and page.evaluate(PROBE)["bad"] == 0
        assert [u for u in requests if not u.startswith(base)] == [] and errors == []
    finally:
        ctx.close()
