"""The app in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from browserhelp import flow_frame

LOCAL = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")


def _open(chrome, url):
    page = chrome.new_page(viewport={"width": 1280, "height": 900})
    requests, errors, dialogs = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    # Streamlit's frontend, opened at a page path, first probes <path>/_stcore/health and host-config
    # (404) before finding the server root; those probes are its own, every other 404 is an error.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "status of 404" not in m.text else None)
    page.on("response", lambda r: errors.append(f"404 {r.url}") if r.status == 404 and "/_stcore/" not in r.url else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    frame = page.frame_locator("iframe").first
    frame.locator(".leaflet-container").first.wait_for(state="attached", timeout=60000)
    return page, frame, requests, errors, dialogs


def _frame(page, day: str | None = None, timeout: float = 30.0):
    """The map iframe (the one showing ``day`` if given), waiting for a rerun to replace it."""
    import time

    deadline = time.time() + timeout
    while True:
        for f in page.frames:
            if f == page.main_frame:
                continue
            try:
                shown = f.evaluate("() => window.atlasMap ? window.atlasMap.day : null")
            except PlaywrightError:  # a frame being replaced by a rerun
                continue
            if shown and (day is None or shown == day):
                return f
        if time.time() > deadline:
            raise AssertionError(f"no map iframe showing {day}")
        page.wait_for_timeout(200)


def _kazakh_names(page, day: str | None = None) -> list[str]:
    return _frame(page, day).evaluate(
        "() => { const n=[]; window.atlasMap.kazakh.eachLayer(l => n.push(l.feature.properties.name)); return n; }")


def test_map_of_a_date_offline_without_errors(chrome, app_url, artifacts):
    page, _, requests, errors, _ = _open(chrome, app_url + "/Borders_of_a_date?date=1941-06-01")
    page.wait_for_timeout(800)
    names = _kazakh_names(page)
    assert "Semipalatinsk Oblast" in names and "Kokchetav Oblast" not in names
    page.screenshot(path=str(artifacts / "home_1941.png"), full_page=True)
    external = [u for u in requests if not u.startswith(LOCAL)]
    assert not external, f"requests left the machine: {external}"
    assert not errors, errors
    assert _frame(page).evaluate("() => window.atlasMap.polities.getLayers().length") > 100
    page.close()


def test_hovering_a_state_shows_its_name_and_dates(chrome, app_url):
    page, _, _, _, _ = _open(chrome, app_url + "/Borders_of_a_date?date=1930-06-01")
    text = _frame(page).evaluate("""() => {
        let out = null;
        window.atlasMap.polities.eachLayer(l => {
            if (l.feature.properties.name === 'Poland') { l.fire('mouseover', {latlng: l.getBounds().getCenter()}); }
        });
        const t = document.querySelector('.leaflet-tooltip');
        return t ? t.textContent : null;
    }""")
    assert text and text.startswith("Poland") and "1922-06-20" in text
    page.close()


def test_a_copied_url_restores_the_date_and_a_new_date_changes_the_map(chrome, app_url):
    page, _, _, _, _ = _open(chrome, app_url + "/Borders_of_a_date?date=1945-06-01")
    assert "Kokchetav Oblast" in _kazakh_names(page, "1945-06-01")
    year = page.get_by_role("spinbutton", name="year, Date")
    year.click()
    page.keyboard.type("1937")
    page.get_by_role("heading", name="Borders of a date").click()  # the date input commits on blur
    page.wait_for_function("() => location.search.includes('1937-06-01')", timeout=30000)
    names37 = _kazakh_names(page, "1937-06-01")
    assert "Kokchetav Oblast" not in names37 and "Karaganda Oblast" in names37
    page.close()


def test_a_bad_date_in_the_url_is_explained(chrome, app_url):
    page, _, _, _, _ = _open(chrome, app_url + "/Borders_of_a_date?date=3000-01-01")
    assert page.get_by_text(re.compile("3000-01-01 is outside")).first.is_visible()
    page.close()


def test_hostile_text_in_border_data_stays_text(chrome):
    import numpy as np
    import pandas as pd
    import shapely

    from geo.borders import Borders, Layer
    from geo.mapview import borders_map_html

    evil = '<img src=x onerror="document.title=\'pwned\';alert(1)"><script>alert(2)</script>${alert(3)}'
    props = pd.DataFrame([{"id": "X@1918-11-11", "unit": "X", "name": evil, "name_ru": evil, "name_kk": evil,
                           "valid_from": "1918-11-11", "valid_to": "1950-12-31", "precision": 1, "source": evil}])
    start, end = np.array(["1918-11-11"], "datetime64[D]"), np.array(["1950-12-31"], "datetime64[D]")
    lay = Layer("polities", props, np.array([shapely.box(10, 40, 30, 55)], dtype=object), start, end)
    empty = Layer("x", props.iloc[:0], np.array([], dtype=object), start[:0], end[:0])
    html = borders_map_html(Borders({"polities": lay, "republics": empty, "kazakh_regions": empty, "occupation": empty}),
                            "1930-01-01", title=evil)
    page = chrome.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_content("<title>atlas</title>" + html)
    page.wait_for_timeout(300)
    text = page.evaluate("""() => { let t=null;
        window.atlasMap.polities.eachLayer(l => { l.fire('mouseover', {latlng: l.getBounds().getCenter()}); });
        const el = document.querySelector('.leaflet-tooltip'); return el ? el.textContent : null; }""")
    assert text and text.startswith(evil)
    assert page.title() == "atlas"
    assert not dialogs
    assert page.locator("img[src=x]").count() == 0
    page.close()


def _open_flows(chrome, url):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return page, flow_frame(page), requests, errors


def test_flow_map_steps_years_in_the_browser_and_shows_sources(chrome, app_url, artifacts):
    page, frame, requests, errors = _open_flows(chrome, app_url + "/?years=1936-1944")
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "flows_home.png"), full_page=True)
    years = frame.evaluate("() => window.atlasMap.years")
    assert years[0] == 1936 and years[-1] == 1944
    frame.evaluate("() => window.atlasMap.setYear(1)")  # 1937: the Korean deportation
    d37 = frame.evaluate("() => window.atlasMap.drawn().map(f => f.o + '|' + f.d + '|' + f.p)")
    assert any("Far Eastern Krai" in x and "95256" in x for x in d37)
    frame.locator("#year").click()
    page.keyboard.press("ArrowRight")  # 1938, no server round trip
    assert frame.evaluate("() => window.atlasMap.year") == 1938
    d38 = frame.evaluate("() => window.atlasMap.drawn().map(f => f.o + '|' + f.d + '|' + f.p)")
    assert d38 != d37
    frame.evaluate("() => window.atlasMap.setYear(4)")  # 1940
    frame.evaluate("() => { const l = window.atlasMap.flows.getLayers().filter(l => l.feature)"
                   ".find(l => l.feature.d.indexOf('North Kazakhstan') >= 0); l.fire('click'); }")
    panel = frame.locator("#panel").inner_text()
    assert "20,046" in panel and "Historia na mapie" in panel
    page.screenshot(path=str(artifacts / "flows_1940_panel.png"), full_page=True)
    external = [u for u in requests if not u.startswith(LOCAL)]
    assert not external, external
    assert not errors, errors
    page.close()


def test_flow_filters_live_in_the_url(chrome, app_url):
    page, frame, _, errors = _open_flows(chrome, app_url + "/?years=1937-1937&nat=Korean&group=polity")
    page.get_by_text("171,781").first.wait_for(timeout=30000)
    drawn = frame.evaluate("() => window.atlasMap.drawn().map(f => f.d)")
    assert set(drawn) == {"Kazakh SSR", "Uzbek SSR"}  # with the later Kazakh SSR → Uzbek SSR moves (no count)
    assert not errors, errors
    page.close()


@pytest.mark.parametrize("path, shot", [("/Kazakhstan?years=1940-1940", "kazakhstan_1940.png"),
                                        ("/Explorer?years=1944-1944", "explorer_1944.png"),
                                        ("/Sources_and_method", "sources.png")])
def test_every_page_opens_offline_without_errors(chrome, app_url, artifacts, path, shot):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(app_url + path)
    page.get_by_role("heading", level=1).first.wait_for(timeout=60000)
    page.wait_for_timeout(2500)
    page.screenshot(path=str(artifacts / shot), full_page=True)
    assert not [u for u in requests if not u.startswith(LOCAL)]
    assert not errors, errors
    if path.startswith("/Kazakhstan"):
        frame = flow_frame(page)
        shaded = frame.evaluate("() => { let n = 0; window.atlasMap.map.eachLayer(l => { if (l.feature && l.options && "
                                "l.options.fillColor && l.options.fillColor !== '#ffffff' && l.feature.properties.capital) n++; "
                                "}); return n; }")
        assert shaded >= 6
    page.close()


def test_hostile_record_text_in_the_flow_map_stays_text(chrome):
    import datetime as dt

    import pandas as pd

    from geo.borders import bundled_borders
    from geo.flows import aggregate, flows_by_year
    from geo.mapview import flow_map_html

    evil = ['<img src=x onerror="document.title=\'pwned\'">', "${document.title='pwned'}", "`x`\\u003c/script>",
            "<svg onload=alert(1)>", "javascript:alert(1)"]
    rec = pd.DataFrame({
        "id": ["r1"], "origin_place": [evil[0]], "destination_place": [evil[1]], "origin_lat": [52.5], "origin_lon": [13.4],
        "destination_lat": [55.7], "destination_lon": [37.6], "count": pd.array([10.0], dtype="Float64"),
        "count_low": pd.array([None], dtype="Float64"), "count_high": pd.array([None], dtype="Float64"),
        "category": ["deportation"], "date_from": ["1941-01-01"], "date_to": ["1941-12-31"]})
    cards = {"r1": {"date": evil[2], "count": evil[3], "what": evil[4], "route": evil[0], "sources": evil, "notes": evil[1]}}
    html = flow_map_html(bundled_borders(), flows_by_year(rec, range(1941, 1942), "place"), cards,
                         first=dt.date(1941, 1, 1), last=dt.date(1941, 12, 31), all_years=aggregate(rec, "place"))
    page = chrome.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_content(html)
    page.wait_for_function("() => window.atlasMap && window.atlasMap.drawn().length === 1")
    title = page.title()
    page.evaluate("() => { window.atlasMap.flows.getLayers().find(l => l.feature).fire('click'); }")
    page.evaluate("() => { window.atlasMap.flows.getLayers().find(l => l.feature).openTooltip([54, 25]); }")
    page.wait_for_timeout(300)
    panel = page.locator("#panel").inner_text()
    assert evil[0] in panel and evil[3] in panel  # shown as text
    assert page.locator("#panel img, #panel svg, .leaflet-tooltip img").count() == 0
    assert page.title() == title and title != "pwned" and not dialogs
    page.close()


def test_a_copied_flow_url_restores_the_same_view(chrome, app_url):
    page, _, _, errors = _open_flows(chrome, app_url + "/?years=1940-1940")
    page.get_by_text("polity", exact=True).click()
    page.get_by_text("USSR", exact=True).click()
    deadline = __import__("time").time() + 30
    while ("group=polity" not in page.url or "view=ussr" not in page.url) and __import__("time").time() < deadline:
        page.wait_for_timeout(200)
    copied = page.url
    assert "years=1940-1940" in copied and "group=polity" in copied and "view=ussr" in copied
    flow_frame(page)  # waits for the map
    page.wait_for_timeout(500)
    drawn = "() => window.atlasMap.drawn().map(f => f.o + '>' + f.d + ':' + f.p)"
    before = sorted(flow_frame(page, title="grouped by polity").evaluate(drawn))
    again, frame2, _, errors2 = _open_flows(chrome, copied)
    again.wait_for_timeout(500)
    after = sorted(frame2.evaluate("() => window.atlasMap.drawn().map(f => f.o + '>' + f.d + ':' + f.p)"))
    assert after == before and any(x.startswith("Ukrainian SSR>Kazakh SSR") for x in after)
    assert not errors and not errors2
    page.close()
    again.close()


def test_an_arrow_with_persons_and_families_says_the_families_count_is_in_families(chrome):
    import datetime as dt

    import pandas as pd

    from geo.borders import bundled_borders
    from geo.flows import aggregate, flows_by_year
    from geo.mapview import flow_map_html

    def rec(id_, count, unit):
        return {"id": id_, "origin_place": "Zhitomir", "destination_place": "Karaganda", "origin_lat": 50.25,
                "origin_lon": 28.66, "destination_lat": 49.8, "destination_lon": 73.1, "count": count, "count_low": None,
                "count_high": None, "unit": unit, "category": "deportation", "date_from": "1936-01-01",
                "date_to": "1936-12-31"}

    rows = pd.DataFrame([rec("p", 12.0, "persons"), rec("fam", 40.0, "families"), rec("none", None, "persons")])
    for c in ("count", "count_low", "count_high"):
        rows[c] = rows[c].astype("Float64")
    html = flow_map_html(bundled_borders(), flows_by_year(rows, range(1936, 1937), "place"), {},
                         first=dt.date(1936, 1, 1), last=dt.date(1936, 12, 31), all_years=aggregate(rows, "place"))
    page = chrome.new_page()
    page.set_content(html)
    page.wait_for_function("() => window.atlasMap && window.atlasMap.drawn().length === 1")
    page.evaluate("() => { window.atlasMap.flows.getLayers().find(l => l.feature).openTooltip([50, 50]); }")
    tip = page.locator(".leaflet-tooltip").first.text_content()
    # 12 people; the record of 40 families does give a count (in families); only one record gives none
    assert "12 people + 1 records without a count + 1 records counted in families or households" in tip, tip
    page.close()
