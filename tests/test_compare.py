"""Compare two dates (issue 14 part B): the same area on two days, each with its borders and flows; from the
Flows page (a control kept in the address) and as ``geo.mapview.compare_page`` (one offline HTML file)."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Error as PlaywrightError

from browserhelp import wait_idle
from geo.borders import bundled_borders
from geo.mapview import compare_page
from test_maprules import SOURCES, joined

BALTIC = ("() => window.compareMaps.map(m => { const n = []; "
          "m.borders.polities.eachLayer(l => n.push(l.feature.properties.name)); return n; })")


def _records():
    return joined([{"count": 5000, "date": "1939", "date_from": "1939-01-01", "date_to": "1939-12-31"},
                   {"count": 400000, "date": "1941", "date_from": "1941-01-01", "date_to": "1941-12-31"},
                   {"count": 70000, "date": "1941", "date_from": "1941-01-01", "date_to": "1941-12-31",
                    "category": "evacuation"}])


def test_the_offline_compare_page_shows_two_maps_with_the_borders_and_flows_of_each_day(chrome, tmp_path):
    html = compare_page(_records(), bundled_borders(), dt.date(1939, 9, 1), dt.date(1941, 6, 22), sources=SOURCES)
    path = tmp_path / "compare.html"
    path.write_text(html, "utf-8")
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("() => window.compareMaps && window.compareMaps.length === 2")
    a, b = page.evaluate(BALTIC)
    assert "Lithuania" in a and "Lithuania" not in b  # annexed in August 1940
    assert page.evaluate("() => window.compareMaps.map(m => m.map._atlasBorders.day)") == ["1939-09-01", "1941-06-22"]
    drawn = page.evaluate("() => window.compareMaps.map(m => m.drawn().map(f => f.w).sort((x, y) => x - y))")
    assert drawn == [[5000], [70000, 400000]]  # each day the flows of its year, one arrow per category
    assert [h.strip() for h in page.locator("h2").all_inner_texts()] == ["Borders of 1 Sep 1939 · flows of 1939",
                                                                         "Borders of 22 Jun 1941 · flows of 1941"]
    page.evaluate("() => { window.compareMaps[0].map.setView([55, 25], 6, {animate: false}); }")
    assert page.evaluate("() => window.compareMaps.map(m => m.map.getZoom())") == [6, 6]  # they move together
    assert not [u for u in requests if not u.startswith(("file:", "data:", "about:", "blob:"))]
    assert not errors, errors
    page.close()


def _compare_frame(page, timeout_ms: int = 60000):
    waited = 0
    while waited < timeout_ms:
        for f in page.frames:
            try:
                if f.evaluate("() => !!(window.compareMaps && window.compareMaps.length === 2)"):
                    return f
            except PlaywrightError:
                pass
        page.wait_for_timeout(250)
        waited += 250
    raise AssertionError("no compare view")


def test_the_flows_page_compares_two_dates_from_a_control_kept_in_the_address(chrome, app_url, tmp_path):
    page = chrome.new_page(viewport={"width": 1366, "height": 900})
    page.goto(app_url + "/?years=1937-1945")
    page.get_by_text("Compare two dates").first.wait_for(timeout=90000)
    wait_idle(page)
    page.get_by_text("Compare two dates").first.click()
    frame = _compare_frame(page)
    assert "compare=1939-09-01~1941-06-22" in page.url
    a, b = frame.evaluate(BALTIC)
    assert "Lithuania" in a and "Lithuania" not in b
    page.goto(app_url + "/?years=1937-1945&compare=1940-01-01~1944-06-01")  # a copied link opens the same view
    frame = _compare_frame(page)
    assert frame.evaluate("() => window.compareMaps.map(m => m.map._atlasBorders.day)") == ["1940-01-01", "1944-06-01"]
    with page.expect_download(timeout=120000) as dl:  # the same two maps as one offline file, for slides
        page.get_by_role("button", name="Download the two maps (HTML, works offline)").click()
    saved = dl.value
    assert saved.suggested_filename == "atlas-compare-1940-01-01-1944-06-01.html"
    offline = chrome.new_page()
    requests: list[str] = []
    offline.on("request", lambda r: requests.append(r.url))
    saved.save_as(tmp_path / saved.suggested_filename)
    offline.goto((tmp_path / saved.suggested_filename).as_uri())
    offline.wait_for_function("() => window.compareMaps && window.compareMaps.length === 2"
                              " && window.compareMaps.every(m => m.map._atlasBorders && m.map._atlasBorders.day)",
                              timeout=60000)
    assert offline.evaluate("() => window.compareMaps.map(m => m.map._atlasBorders.day)") == ["1940-01-01", "1944-06-01"]
    assert not [u for u in requests if not u.startswith(("file:", "data:", "about:"))], requests
    offline.close()
    page.goto(app_url + "/?compare=yesterday")
    page.get_by_text("are not two days like 1939-09-01~1941-06-22").first.wait_for(timeout=60000)
    page.close()
