"""Accessibility (issue 14): axe-core on every page of the app and the lecture, keys from the first moment,
the arrows as a keyboard-usable list, a one-sentence summary of each map that follows the year.

axe-core comes from npm (``package.json``, dev dependency) and is injected from ``node_modules`` by Playwright.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from browserhelp import flow_frame, wait_idle
from geo.borders import bundled_borders
from geo.flows import Filters
from geo.lecture import lecture_html
from geo.mapview import flows_page
from test_app import LAYOUT_PAGES
from test_maprules import SOURCES, TO_REPUBLIC, joined

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
BAD = ("serious", "critical")


def axe_violations(frame) -> list[str]:
    """The serious and critical axe-core violations of one document (main page or map iframe)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `npm ci` installs axe-core (package.json) for this test")
    frame.evaluate(AXE.read_text("utf-8"))
    found = frame.evaluate("""() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' @ '
                  + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))""")
    return found


@pytest.mark.parametrize("path, text, is_map", LAYOUT_PAGES, ids=[p[0] for p in LAYOUT_PAGES])
def test_every_page_has_no_serious_or_critical_axe_violation(chrome, app_url, path, text, is_map):
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.goto(app_url + path)
    page.get_by_text(text).first.wait_for(state="attached", timeout=90000)
    wait_idle(page)
    if is_map:
        page.locator("[data-testid=stMain] iframe").first.wait_for(timeout=60000)
        page.wait_for_timeout(1500)
    # Streamlit fades the elements of a run being replaced (data-stale); their contrast is not the page's
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30000)
    found, checked = {}, 0
    for f in page.frames:
        try:
            v = axe_violations(f)
        except PlaywrightError as e:  # a frame replaced by a rerun while it was being checked
            found[f.url[:60]] = [f"not checked: {e}"]
            continue
        checked += 1
        if v:
            found["page" if f == page.main_frame else "iframe " + f.url[:40]] = v
    page.close()
    assert checked >= (2 if is_map else 1)  # the map's own document is checked too
    assert not found, found


def test_axe_finds_nothing_serious_in_the_offline_flow_map_and_lecture(chrome):
    rec = joined([{"count": 50000}, {**TO_REPUBLIC, "count": 400000, "count_approximate": True}])
    for html in (flows_page(rec, bundled_borders(), Filters(1941, 1941), sources=SOURCES, lang="ru"),
                 lecture_html([{"title": "A", "date": "1941", "text": "t", "citations": []}], rec, bundled_borders(), SOURCES)):
        page = chrome.new_page(viewport={"width": 1366, "height": 768})
        page.set_content(html)
        page.wait_for_function("() => window.atlasMap || window.lecture")
        assert page.evaluate("() => document.documentElement.lang") in ("ru", "en")
        assert page.title()
        assert not axe_violations(page.main_frame)
        page.close()


def test_axe_reports_a_planted_violation(chrome):
    """The check can fail: an image without a name and an unlabelled button are reported."""
    page = chrome.new_page()
    page.set_content('<html lang="en"><head><title>x</title></head><body><main><img src="data:,">'
                     '<button></button></main></body></html>')
    found = axe_violations(page.main_frame)
    page.close()
    assert any("image-alt" in v for v in found) and any("button-name" in v for v in found)


def test_the_year_keys_work_as_soon_as_the_page_is_open(chrome, app_url):
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.goto(app_url + "/?years=1937-1941")
    frame = flow_frame(page)
    wait_idle(page)
    assert frame.evaluate("() => window.atlasMap.year") is None  # the whole period first
    assert page.evaluate("() => document.activeElement === document.body")  # nothing clicked, nothing focused
    page.keyboard.press("ArrowRight")
    assert frame.evaluate("() => window.atlasMap.year") == 1937
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    assert frame.evaluate("() => window.atlasMap.year") == 1938
    page.close()


def test_the_lecture_keys_work_as_soon_as_the_page_is_open(chrome, app_url):
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.goto(app_url + "/Lecture")
    page.get_by_text("Download this lecture").first.wait_for(state="attached", timeout=90000)
    wait_idle(page)
    deadline = 150
    frame = None
    while deadline and frame is None:
        for f in page.frames[1:]:
            try:
                if f.evaluate("() => !!window.lecture"):
                    frame = f
            except PlaywrightError:
                pass
        page.wait_for_timeout(200)
        deadline -= 1
    assert frame is not None
    start = frame.evaluate("() => window.lecture.index")
    page.keyboard.press("ArrowRight")
    assert frame.evaluate("() => window.lecture.index") == start + 1
    page.close()


def test_every_arrow_is_in_the_keyboard_list_and_opens_the_same_records(chrome):
    rec = joined([{"count": 50000}, {**TO_REPUBLIC, "count": 400000, "count_approximate": True},
                  {**TO_REPUBLIC, "count": 386492, "category": "evacuation"}])
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.set_content(flows_page(rec, bundled_borders(), Filters(1941, 1941), sources=SOURCES))
    page.wait_for_function("() => window.atlasMap")
    page.evaluate("() => window.atlasMap.setYear(0)")
    drawn = page.evaluate("() => window.atlasMap.drawn().length")
    page.click("#flowlist-box > summary")
    items = page.locator("#flowlist button")
    items.first.wait_for(timeout=10000)  # the list is built when the box opens (its toggle event comes after the click)
    assert items.count() == drawn == 3
    assert "~400,000" in items.nth(0).inner_text()  # largest first, "approximately" kept
    items.nth(1).focus()
    page.keyboard.press("Enter")
    by_key = page.inner_text("#records")
    assert page.evaluate("() => document.activeElement.tagName") == "H3"  # focus moves to the records
    page.evaluate("() => { window.atlasMap.flows.getLayers().filter(l => l.feature)"
                  ".find(l => l.feature.c === 'evacuation').fire('click'); }")
    assert page.inner_text("#records") == by_key  # the same panel as a click on the arrow
    assert "386,492" in by_key and "evacuation" in by_key
    page.evaluate("() => window.atlasMap.setYear(null)")
    assert items.count() == 3
    page.close()


def test_the_text_summary_says_the_year_the_people_and_the_largest_route_and_follows_the_year(chrome):
    rec = joined([{"count": 50000, "date": "1941", "date_from": "1941-01-01", "date_to": "1941-12-31"},
                  {**TO_REPUBLIC, "count": 400000, "count_approximate": True},
                  {"count": 1200, "date": "1942", "date_from": "1942-01-01", "date_to": "1942-12-31"},
                  {"count": None, "date": "1942", "date_from": "1942-01-01", "date_to": "1942-12-31", "category": "evacuation"}])
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.set_content(flows_page(rec, bundled_borders(), Filters(1941, 1942), sources=SOURCES))
    page.wait_for_function("() => window.atlasMap")
    page.evaluate("() => window.atlasMap.setYear(0)")
    said = page.text_content("#summary")
    assert said == page.evaluate("() => window.atlasMap.summary()")
    assert re.fullmatch(r"1941: ~450,000 people on 2 routes; largest: Kyiv → Kazakhstan \(republic\), ~400,000\.", said), said
    page.keyboard.press("ArrowRight")
    said = page.text_content("#summary")
    assert said.startswith("1942: 1,200 people on one route: Kyiv → Karagandy") and "1 records give no count" in said, said
    assert page.get_attribute("#summary", "aria-live") == "polite"
    assert page.get_attribute(".leaflet-container", "aria-describedby") == "summary"
    page.close()
