"""Lives (issue 13): the page data of one life, the Lives page, and the life stepped in a real browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.dataset import bundled_dataset
from geo.lives import date_text, find_life, life_data, life_html, station_citations

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "7_Lives.py")
LOCAL = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")
EVIL = ['<img src=x onerror="document.title=\'pwned\'">', "${document.title='pwned'}", "</script><svg onload=alert(1)>",
        "javascript:alert(1)"]
SOURCES = pd.DataFrame([{"id": "s1", "author": "Author, A.", "title": "A Book", "year": "1990", "locator": "p. 1"},
                        {"id": "s2", "author": "Writer, B.", "title": "An Article", "year": "2001", "locator": ""}])


def _station(date, place, lat, lon, *, kind="residence", match="exact", kz="", pid="", republic="Russian SFSR",
             polity="USSR", date_end="", text="", source="s1", locator="p. 5"):
    first = dt.date.fromisoformat((date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10])
    return {"date": date, "date_end": date_end, "date_from": first, "date_to": first, "place": place, "kind": kind,
            "text": text or f"At {place}.", "source": source, "locator": locator, "place_lat": lat, "place_lon": lon,
            "place_match": match, "place_place": place, "place_place_id": pid, "place_polity": polity,
            "place_republic": republic, "place_autonomy": "", "place_kz_region": kz, "place_note": ""}


def _life(**over):
    life = {"id": "someone", "name": "Some One", "title": "A path", "born": "1900", "died": "1970", "summary": "Short.",
            "citations": ["s1"], "records": [], "stations": [
                _station("1925", "Berlin", 52.52, 13.40, kind="residence", polity="Germany", republic=""),
                _station("1933-05", "Moscow", 55.75, 37.62, kind="arrival"),
                # the source names only the oblast: drawn as the oblast, not at Karaganda town (its centre)
                _station("1941-09-30", "Karaganda Oblast", 49.80, 73.10, kind="exile", match="region",
                         kz="Karaganda Oblast", pid="KZ_KARAGANDA@1939-10-14", republic="Kazakh SSR"),
                _station("1960", "Kazakh SSR", 43.25, 76.95, kind="death", match="region", pid="KAZ",
                         republic="Kazakh SSR")]}
    return {**life, **over}


def test_a_stations_date_keeps_its_precision():
    assert date_text("1935-05") == "May 1935 (month)"
    assert date_text("1939", "1940-01") == "1939 – Jan 1940 (year – month)"
    assert date_text("1945-04-21", lang="ru") == "21.04.1945 (день)"


def test_a_station_cites_each_source_with_its_own_locator():
    two = {"source": "s1;s2", "locator": "p. 7; para. 3"}
    assert station_citations(two, SOURCES) == ["Author, A., A Book (1990), p. 7", "Writer, B., An Article (2001), para. 3"]
    one_locator = {"source": "s1;s2", "locator": "pp. 7-9"}
    assert station_citations(one_locator, SOURCES) == ["Author, A., A Book (1990)", "Writer, B., An Article (2001), pp. 7-9"]
    assert station_citations({"source": "unknown-id", "locator": "p. 2"}, SOURCES) == ["unknown-id, p. 2"]


def test_a_station_named_only_as_an_oblast_or_a_republic_is_drawn_as_that_area(borders):
    data = life_data(_life(), borders, SOURCES)
    berlin, moscow, oblast, republic = data["stations"]
    assert "area" not in berlin and "area" not in moscow and (moscow["lat"], moscow["lon"]) == (55.75, 37.62)
    assert oblast["area"].startswith("kazakh_regions:") and data["areas"][oblast["area"]]["ref"] == "kazakh_regions"
    assert (oblast["lat"], oblast["lon"]) != (49.80, 73.10)  # the path reaches the oblast's centre, not the town
    assert republic["area"].startswith(("republics:", "polities:"))
    # the borders drawn are those of each station's date; after 1950 the last the layers hold, and it says so
    assert [s["bday"] for s in data["stations"]] == ["1925-01-01", "1933-05-01", "1941-09-30", "1950-12-31"]
    assert republic["day"] == "1960-01-01"
    assert oblast["kind"] == "exile" and oblast["date"] == "30 Sep 1941 (day)"
    assert oblast["cites"] == ["Author, A., A Book (1990), p. 5"] and data["life"]["cites"] == ["Author, A., A Book (1990), p. 1"]


def test_every_bundled_life_is_drawn_and_every_station_named_as_an_area_is_one(borders):
    ds = bundled_dataset()
    assert len(ds.lives) >= 15
    assert find_life(ds.lives, "buber-neumann")["name"] == "Margarete Buber-Neumann" and find_life(ds.lives, "x") is None
    for life in ds.lives:
        data = life_data(life, borders, ds.sources)
        for st, row in zip(life["stations"], data["stations"]):
            assert row["cites"] and row["text"] and row["kind"] and row["date"], (life["id"], st["date"])
            if st["place_match"] == "region":  # the join's Kazakh oblast or republic: never a town
                assert "area" in row or row.get("sym") == 1, (life["id"], st["place"])
            assert row["lat"] is not None, (life["id"], st["place"])
    # a republic named after 1950 (the borders' end) is drawn as the republic of the last borders, not a symbol
    belger = life_data(find_life(ds.lives, "belger"), borders, ds.sources)["stations"]
    assert belger[-1]["place"] == "Kazakh SSR" and belger[-1]["area"].startswith("republics:KAZ_SSR")


def _page(**params) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_the_life_in_the_address_is_shown_and_an_unknown_one_says_so():
    at = _page(life="buber-neumann")
    assert not at.exception and not at.warning
    assert at.selectbox[0].value == "buber-neumann"
    html = at.get("iframe")[0].proto.srcdoc
    assert "Atlas.life(" in html and "Margarete Buber-Neumann" in html
    bad = _page(life="nobody<b>")
    assert not bad.exception and "'nobody<b>'" in bad.warning[0].value
    assert bad.query_params["life"] == bad.selectbox[0].value  # the address names the life shown
    bad.selectbox[0].set_value("dimitrov").run()
    assert bad.query_params["life"] == "dimitrov" and "Dimitrov" in bad.get("iframe")[0].proto.srcdoc
    # a link to a station opens the life there; another life starts at its own first station
    at = _page(life="buber-neumann", station="4")
    assert '"start":3' in at.get("iframe")[0].proto.srcdoc and '"url_state":true' in at.get("iframe")[0].proto.srcdoc
    at.selectbox[0].set_value("dimitrov").run()
    assert "station" not in at.query_params and '"start":0' in at.get("iframe")[0].proto.srcdoc
    assert '"start":0' in _page(life="dimitrov", station="x").get("iframe")[0].proto.srcdoc  # not a number: the first


@pytest.mark.parametrize("lang, word", [("ru", "английском"), ("kk", "ағылшын")])
def test_in_russian_and_kazakh_the_page_says_the_life_texts_are_english(lang, word):
    at = _page(life="dimitrov", lang=lang)
    assert not at.exception and word in at.info[0].value
    assert at.title[0].value == {"ru": "Судьбы", "kk": "Тағдырлар"}[lang]


def test_the_explorer_links_a_record_to_its_life():
    at = AppTest.from_file(str(Path(PAGE).parent / "3_Explorer.py"), default_timeout=120)
    at.query_params["years"] = "1935-1935"
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    row = table[table["id"] == "em-1935-neumann-buber"].iloc[0]
    assert row["life"] == "Lives?life=buber-neumann" and row["detail_of"] == "em-1933-de-refugees"


# ---- in the browser ---------------------------------------------------------------------------------------

def _open_life(chrome, html, size=(1366, 768)):
    page = chrome.new_page(viewport={"width": size[0], "height": size[1]})
    requests, errors, dialogs = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_content(html)
    page.wait_for_function("() => window.life && window.life.index === 0")
    return page, requests, errors, dialogs


def test_a_life_steps_through_its_stations_over_the_borders_of_each_date(chrome, borders):
    life = _life()
    page, requests, errors, _ = _open_life(chrome, life_html(life, borders, SOURCES))
    seen = []
    for i, want in enumerate(["1925-01-01", "1933-05-01", "1941-09-30", "1950-12-31"]):
        if i:
            page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => window.life.index === {i}")
        state = page.evaluate("""() => {
            const pts = []; window.life.layer.eachLayer(l => { if (l.getLatLngs && !l.feature) pts.push(l.getLatLngs()); });
            const path = pts.length ? pts[pts.length - 1] : [];
            const last = path.length ? path[path.length - 1] : null;
            const states = []; window.life.map._atlasBorders.polities.eachLayer(l => states.push(l.feature.properties.name));
            return {day: window.life.day, points: window.life.pathPoints, last: last && [last.lat, last.lng],
                    states: states, current: document.querySelector('#stations [aria-current]').textContent,
                    date: document.querySelector('#station-date').textContent};
        }""")
        assert state["day"] == want and state["points"] == i + 1
        st = life_data(life, borders, SOURCES)["stations"][i]
        if i:  # the path so far ends at the current station (an area's centre for an area)
            assert state["last"] == pytest.approx([st["lat"], st["lon"]])
        assert state["current"].startswith(st["date"]) and state["date"] == st["date"]
        seen.append(state["states"])
    # the borders change with the station's date: Germany of 1925, not of 1941; the USSR throughout
    assert "Germany" in seen[0] and "USSR" in seen[1]
    assert seen[0] != seen[2]
    # the list of stations is keyboard-usable: a focused station button steps with the arrow keys and Enter
    page.locator("#stations button").nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.life.index === 1")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => window.life.index === 2")
    assert page.evaluate("() => document.activeElement.textContent") == page.locator("#stations button").nth(2).inner_text()
    page.keyboard.press("Home")
    page.wait_for_function("() => window.life.index === 0")
    page.keyboard.press("End")  # at once, while the map may still be moving: the last station is in view all the same
    page.wait_for_function("() => window.life.index === 3")
    assert page.evaluate("""() => { const s = window.life.map.getBounds(); const c = window.life.map.getCenter();
        return s.contains([43.25, 76.95]) && s.getEast() - s.getWest() > 20 && c.lng > 40; }""")
    page.keyboard.press("Home")
    page.wait_for_function("() => window.life.index === 0")
    assert not [u for u in requests if not u.startswith(LOCAL)] and not errors, (requests, errors)
    page.close()


def test_hostile_text_in_a_life_stays_text(chrome, borders):
    stations = _life()["stations"]
    stations[1] = {**stations[1], "place": EVIL[0], "text": EVIL[1], "locator": EVIL[2]}
    life = _life(name=EVIL[2], title=EVIL[0], summary=EVIL[3], stations=stations)
    page, requests, errors, dialogs = _open_life(chrome, life_html(life, borders, SOURCES))
    title = page.title()
    page.evaluate("() => window.life.go(1)")
    page.wait_for_function("() => window.life.index === 1")
    page.locator("#about summary").click()
    side = page.locator("#side").inner_text()
    assert EVIL[0] in side and EVIL[1] in side and EVIL[2] in side and EVIL[3] in side
    assert EVIL[2] in page.locator("#name").inner_text()
    assert page.locator("#side img, #side svg, #nav svg").count() == 0
    assert page.title() == title != "pwned" and not dialogs and not errors
    assert not [u for u in requests if not u.startswith(LOCAL)]
    page.close()


@pytest.mark.parametrize("width, height", [(390, 844), (1366, 768), (1920, 1080)])
def test_the_lives_page_fits_the_screen_offline(chrome, app_url, artifacts, width, height):
    from browserhelp import wait_idle

    phone = width < 500
    page = chrome.new_page(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(app_url + "/Lives?life=buber-neumann")
    frame = page.frame_locator("[data-testid=stMain] iframe").first
    frame.locator("#stations button").first.wait_for(timeout=90000)
    wait_idle(page)
    frame.locator("#next").click()
    frame.locator("#next").click()
    frame.locator("#next").click()
    page.wait_for_timeout(800)
    (artifacts / "layout").mkdir(exist_ok=True)
    page.screenshot(path=str(artifacts / "layout" / f"Lives_{width}x{height}.png"))
    assert frame.locator("#count").inner_text() == "Station 4 / 8"
    assert "Karaganda" in frame.locator("#station-place").inner_text()
    page.wait_for_function("() => location.search.includes('station=4')", timeout=10000)  # a copied link keeps it
    fit = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert fit[0] <= fit[1], fit
    box = page.locator("[data-testid=stMain] iframe").first.bounding_box()
    assert box and box["width"] <= width
    if not phone:
        assert box["y"] < 0.3 * height, box
    assert not [u for u in requests if not u.startswith(LOCAL)] and not errors, errors
    page.close()


def test_a_record_panel_lists_its_details_and_names_its_life_as_text(chrome, borders):
    from geo.flows import aggregate, flows_by_year
    from geo.mapview import flow_map_html

    rec = pd.DataFrame({
        "id": ["r1"], "origin_place": ["Berlin"], "destination_place": ["Moscow"], "origin_lat": [52.5], "origin_lon": [13.4],
        "destination_lat": [55.7], "destination_lon": [37.6], "count": pd.array([10.0], dtype="Float64"),
        "count_low": pd.array([None], dtype="Float64"), "count_high": pd.array([None], dtype="Float64"),
        "category": ["political_emigrant"], "date_from": ["1935-01-01"], "date_to": ["1935-12-31"]})
    cards = {"r1": {"date": "1935", "count": "10 people", "what": "x", "route": "Berlin → Moscow", "sources": ["s"],
                    "notes": "", "details": ["Berlin → Moscow: 1 people, 1935 (" + EVIL[0] + ")"],
                    "lives": [{"id": "someone", "name": EVIL[2]}]}}
    html = flow_map_html(borders, flows_by_year(rec, range(1935, 1936), "place"), cards, first=dt.date(1935, 1, 1),
                         last=dt.date(1935, 12, 31), all_years=aggregate(rec, "place"))
    page = chrome.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_content(html)
    page.wait_for_function("() => window.atlasMap && window.atlasMap.drawn().length === 1")
    page.evaluate("() => { window.atlasMap.flows.getLayers().find(l => l.feature).fire('click'); }")
    panel = page.locator("#panel").inner_text()
    assert "Of which, by another source (listed, not drawn):" in panel and EVIL[0] in panel
    assert "Part of a life: " + EVIL[2] in panel  # not embedded in the app: the life's name, as text
    assert page.locator("#panel img, #panel svg, #panel a").count() == 0 and not dialogs
    page.close()


def test_in_the_app_a_record_card_links_to_the_life_page(chrome, app_url):
    from browserhelp import flow_frame, wait_idle

    page = chrome.new_page(viewport={"width": 1366, "height": 900})
    page.goto(app_url + "/?years=1935-1935&lang=ru")
    frame = flow_frame(page)
    wait_idle(page)
    # Buber-Neumann's record is a detail of the German refugees of 1933-1939: their arrow's card names her life
    frame.evaluate("() => window.atlasMap.flows.getLayers().find(l => l.feature && l.feature.ids.includes("
                   "'em-1933-de-refugees')).fire('click') && null")
    link = frame.locator("#panel a", has_text="Margarete Buber-Neumann").first
    href = link.get_attribute("href")
    assert href.startswith(app_url + "/Lives?") and "life=buber-neumann" in href and "lang=ru" in href
    page.goto(href)
    life = page.frame_locator("[data-testid=stMain] iframe").first
    life.locator("#name").wait_for(timeout=90000)
    assert "Margarete Buber-Neumann" in life.locator("#name").inner_text()
    assert page.get_by_text("на английском языке").count() >= 1
    page.close()


def test_the_life_layer_works_in_a_notebook_with_its_scripts_inline(borders):
    from geo.borderlayer import DatedBorders
    from geo.lives import LifeLayer, page_words
    from geo.mapview import atlas_map

    data = {**life_data(_life(), borders, SOURCES), **page_words("kk")}
    m = atlas_map(title="A life")
    DatedBorders(borders, "1950-12-31", "1925-01-01", lang="kk").add_to(m)
    LifeLayer(data).add_to(m)
    html = m._repr_html_()  # what Jupyter shows: the page in an iframe's srcdoc, every asset inline
    assert "Atlas.life(" in html and "Atlas.life = function" in html and "/app/static/" not in html
    assert "Кезеңдер" in html  # the page's words in the reader's language


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_lives_page_speaks_the_chosen_language_but_for_the_life_texts(lang):
    from test_i18n import english_left, visible_strings

    at = _page(life="vogeler", lang=lang)
    assert not at.exception
    lives = bundled_dataset().lives
    own = {f"{lv['name']}: {lv['title']}" for lv in lives}  # the lives' own texts are English, and the page says so
    texts = visible_strings(at)
    assert own <= set(texts) and len(texts) > len(own) + 3
    assert not english_left([x for x in texts if x not in own]), english_left(texts)
