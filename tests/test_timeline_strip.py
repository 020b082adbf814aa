"""The time histogram and the events strip under the year control (issue 14 part B), in Chromium,
on small synthetic records and events; the event cards built by :func:`geo.cards.event_cards`."""

from __future__ import annotations

import pandas as pd

from geo.borders import bundled_borders
from geo.cards import event_cards
from geo.flows import Filters
from geo.mapview import flows_page
from test_maprules import TO_REPUBLIC, joined

SOURCES = pd.DataFrame([{"id": "src", "author": "Author, A.", "title": "A Book", "year": "2000", "locator": "p. 1"},
                        {"id": "ev1", "author": "Polian, P.", "title": "Against their will", "year": "2004", "locator": ""},
                        {"id": "ev2", "author": "Pohl, J. O.", "title": "Ethnic cleansing", "year": "1999", "locator": ""}])


def events() -> pd.DataFrame:
    base = {"date_end": "", "body": "", "number": "", "place": "", "place_lat": None, "place_lon": None,
            "place_match": "", "place_place": "", "title_ru": "", "title_kk": "", "checked": ""}
    rows = [
        {"id": "e-41a", "date": "1941-08-28", "date_from": "1941-08-28", "date_to": "1941-08-28", "kind": "decree",
         "title_en": "Decree on the Volga Germans", "title_ru": "Указ о немцах Поволжья", "summary": "Deported <b>all</b>.",
         "source": "ev1;ev2", "locator": "p. 123 (ev1); p. 45 (ev2)"},
        {"id": "e-41b", "date": "1941-09", "date_from": "1941-09-01", "date_to": "1941-09-30", "kind": "operation",
         "title_en": "An operation in Karaganda", "summary": "S.", "source": "ev2", "locator": "ch. 2",
         "place": "Karaganda", "place_lat": 49.8, "place_lon": 73.1, "place_match": "exact", "place_place": "Karagandy (KZ)"},
        {"id": "e-41c", "date": "1941-10", "date_from": "1941-10-01", "date_to": "1941-10-31", "kind": "operation",
         "title_en": "Somewhere in the USSR", "summary": "S.", "source": "ev2", "locator": "ch. 3", "place": "USSR",
         "place_lat": 55.75, "place_lon": 37.6, "place_match": "curated", "place_place": "Soviet Union (place not given) (RU)"},
        {"id": "e-42", "date": "1942-01-10", "date_from": "1942-01-10", "date_to": "1942-01-10", "kind": "resolution",
         "title_en": "A resolution of 1942", "summary": "S.", "source": "ev1", "locator": "p. 9"},
        {"id": "e-39", "date": "1939-01-01", "date_from": "1939-01-01", "date_to": "1939-01-01", "kind": "order",
         "title_en": "Outside the period", "summary": "S.", "source": "ev1", "locator": "p. 1"},
    ]
    return pd.DataFrame([{**base, **r} for r in rows])


def repressions() -> pd.DataFrame:
    return pd.DataFrame([{"event": "e-41a", "what": "exiled", "nationality": "German", "count": "~400000",
                          "count_low": None, "count_high": None, "approximate": True, "source": "ev1"}])


RECORDS = [{"count": 50000, "date": "1941", "date_from": "1941-01-01", "date_to": "1941-12-31"},
           {**TO_REPUBLIC, "count": 400000, "category": "deportation"},
           {"count": 20000, "category": "evacuation", "date": "1941", "date_from": "1941-01-01", "date_to": "1941-12-31"},
           {"count": 1200, "date": "1942", "date_from": "1942-01-01", "date_to": "1942-12-31"},
           {"count": None, "date": "1942", "date_from": "1942-01-01", "date_to": "1942-12-31"}]


def test_event_cards_cite_each_source_with_its_own_locator_and_mark_only_given_places():
    cards = event_cards(events(), repressions(), SOURCES, "ru", "1941-01-01", "1942-12-31")
    assert [c["id"] for c in cards] == ["e-41a", "e-41b", "e-41c", "e-42"]  # 1939 is outside the period
    a = cards[0]
    assert a["title"] == "Указ о немцах Поволжья" and a["date"] == "28.08.1941"
    assert a["sources"] == ["Polian, P., Against their will (2004), p. 123", "Pohl, J. O., Ethnic cleansing (1999), p. 45"]
    assert a["figures"] == ["немцы · высланы: ~400\xa0000 чел. (Polian, P., Against their will (2004))"]  # "~" kept
    assert cards[1]["place"] == {"lat": 49.8, "lon": 73.1, "name": "Karaganda", "area": False}
    assert "place" not in cards[2]  # "place not given" is drawn nowhere, least of all at Moscow
    assert "place" not in a
    # the timeline's summaries are English: a Russian or Kazakh panel says so, an English one has nothing to say
    assert all(c["summary_lang"] == "en" for c in cards if c["summary"]) and any(c["summary"] for c in cards)
    assert not any("summary_lang" in c for c in event_cards(events(), repressions(), SOURCES, "en"))


def _page(chrome, size=(1366, 768)):
    page = chrome.new_page(viewport={"width": size[0], "height": size[1]})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    html = flows_page(joined(RECORDS), bundled_borders(), Filters(1940, 1942), sources=SOURCES, events=events())
    page.set_content(html)
    page.wait_for_function("() => window.atlasMap")
    return page, errors


def test_the_histogram_has_a_bar_per_year_stacked_by_category_and_a_click_moves_the_player(chrome, artifacts):
    page, errors = _page(chrome)
    bars = page.locator("#histogram .atlas-hbar")
    assert bars.count() == 3  # 1940, 1941, 1942
    assert [bars.nth(i).get_attribute("data-year") for i in range(3)] == ["1940", "1941", "1942"]
    segs = page.evaluate("""() => [...document.querySelectorAll('#histogram .atlas-hbar')].map(b =>
        [...b.querySelectorAll('.atlas-hseg')].map(s => [s.dataset.cat, s.getBoundingClientRect().height]))""")
    assert segs[0] == []  # 1940: nothing on the map
    cats = dict(segs[1])
    assert set(cats) == {"deportation", "evacuation"}
    assert abs(cats["deportation"] / cats["evacuation"] - 450000 / 20000) < 1.5  # one linear scale
    assert 0 < sum(h for _, h in segs[2]) < 2  # 1,200 people: a sliver, never hidden
    unknown = page.evaluate("() => [...document.querySelectorAll('#histogram .atlas-hbar')]"
                            ".map(b => !!b.querySelector('.atlas-hunknown'))")
    assert unknown == [False, False, True]  # 1942 has a record without a count: marked
    assert "1 records without a count" in bars.nth(2).get_attribute("title")
    bars.nth(1).click()
    assert page.evaluate("() => window.atlasMap.year") == 1941
    assert page.evaluate("() => document.querySelector('.atlas-hbar-on').dataset.year") == "1941"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.querySelector('.atlas-hbar-on').dataset.year") == "1942"
    page.screenshot(path=str(artifacts / "histogram_1366.png"))
    assert not errors, errors
    page.close()


def test_the_events_strip_follows_the_year_shows_the_source_and_marks_places_on_the_map(chrome):
    page, errors = _page(chrome)
    page.evaluate("() => window.atlasMap.setYear(null)")
    assert page.evaluate("() => window.atlasMap.events()") == ["e-41a", "e-41b", "e-41c", "e-42"]
    page.evaluate("() => window.atlasMap.setYear(1)")  # 1941
    assert page.evaluate("() => window.atlasMap.events()") == ["e-41a", "e-41b", "e-41c"]
    assert "in 1941: 3" in page.inner_text("#events")
    assert page.evaluate("() => window.atlasMap.eventMarkers()") == ["e-41b"]  # a town; "place not given" is not drawn
    mark = page.locator("#events .atlas-ev").first
    assert mark.get_attribute("title") == "28 Aug 1941 · Decree on the Volga Germans"  # hover
    mark.click()
    panel = page.inner_text("#records")
    assert "Decree on the Volga Germans" in panel and "Deported <b>all</b>." in panel  # text, never markup
    assert page.locator("#records b", has_text="all").count() == 0
    assert "Polian, P., Against their will (2004), p. 123" in panel and "Pohl, J. O., Ethnic cleansing (1999), p. 45" in panel
    page.select_option("#eventkind", "operation")
    assert page.evaluate("() => window.atlasMap.events()") == ["e-41b", "e-41c"]
    page.keyboard.press("Escape")
    page.evaluate("() => window.atlasMap.setYear(2)")  # 1942, the filter kept
    assert page.evaluate("() => window.atlasMap.events()") == []
    page.select_option("#eventkind", "")
    assert page.evaluate("() => window.atlasMap.events()") == ["e-42"]
    assert page.evaluate("() => window.atlasMap.eventMarkers()") == []
    assert not errors, errors
    page.close()


def test_a_lecture_scene_lists_the_events_of_its_period_and_opens_their_sources(chrome):
    from geo.lecture import lecture_html

    scenes = [{"title": "Autumn 1941", "date": "1941-09", "date_end": "1941-12", "text": "", "citations": []},
              {"title": "1942", "date": "1942", "text": "", "citations": []}]
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.set_content(lecture_html(scenes, joined(RECORDS), bundled_borders(), SOURCES, events=events()))
    page.wait_for_function("() => window.lecture")
    page.evaluate("() => window.lecture.go(0)")
    assert page.evaluate("() => window.lecture.events()") == ["e-41b", "e-41c"]  # not the decree of 28 August
    assert page.evaluate("() => window.lecture.eventMarkers()") == ["e-41b"]
    page.evaluate("() => window.lecture.go(1)")
    assert page.evaluate("() => window.lecture.events()") == ["e-42"]
    page.click("#events .atlas-ev")
    assert "Polian, P., Against their will (2004), p. 9" in page.inner_text("#panel")
    page.close()


def test_every_kind_of_event_and_of_figure_in_the_bundled_timeline_has_its_words_in_every_language():
    from geo.dataset import bundled_dataset
    from geo.i18n import catalog

    ds = bundled_dataset()
    for lang in ("en", "ru", "kk"):
        words = catalog(lang)
        assert all(f"event.kind.{k}" in words for k in ds.events["kind"].unique()), lang
        assert all(f"event.what.{w}" in words for w in ds.repressions["what"].unique()), lang
