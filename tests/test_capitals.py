"""Capitals on the maps (issue 14): data/shapes/capitals.csv against the gazetteer and the border layers, and the
capital points in the browser (muted squares named beside them, never over a unit's name, never a flow end)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import shapely

from geo.borderlayer import CAPITALS_CSV, capitals_between, load_capitals
from geo.borders import bundled_borders
from geo.flows import Filters
from geo.mapview import flows_page
from test_maprules import SOURCES, TO_REPUBLIC, joined

COLUMNS = ["layer", "unit", "capital", "capital_ru", "valid_from", "valid_to", "lat", "lon", "gazetteer", "source",
           "locator", "checked", "note"]


@pytest.fixture(scope="module")
def capitals():
    return load_capitals()


def test_every_row_has_its_unit_dates_names_and_a_source_read(capitals):
    assert list(capitals.columns) == COLUMNS
    assert CAPITALS_CSV.read_text(encoding="utf-8").startswith("# ")  # the header says what each column is
    for r in capitals.to_dict("records"):
        assert r["layer"] in ("polities", "republics"), r
        assert dt.date.fromisoformat(r["valid_from"]) <= dt.date.fromisoformat(r["valid_to"]), r
        assert r["capital"] and r["capital_ru"] and r["source"] and r["locator"], r
        assert r["checked"].startswith("2026-"), r  # when and how it was read


def test_each_stored_point_is_the_gazetteers_answer_for_the_name_on_its_first_day(capitals):
    from geo.gazetteer import load_gazetteer

    gaz = load_gazetteer(bundled_borders())
    for r in capitals.to_dict("records"):
        day = dt.date.fromisoformat(r["valid_from"])
        p = gaz.resolve([r["capital"]], [day.year], spans=[(day, day)])[0]
        assert p.resolved, r["capital"]
        assert (p.lat, p.lon) == pytest.approx((float(r["lat"]), float(r["lon"])), abs=1e-4), r["capital"]
        assert r["gazetteer"].startswith(p.place_id + " "), (r["capital"], p.place_id)


def test_each_capital_lies_inside_its_unit_on_every_day_of_its_period(capitals):
    b = bundled_borders()
    for r in capitals.to_dict("records"):
        lay = b[r["layer"]]
        lo, hi = np.datetime64(r["valid_from"], "D"), np.datetime64(r["valid_to"], "D")
        idx = np.flatnonzero((lay.props["unit"].to_numpy() == r["unit"]) & (lay.start <= hi) & (lay.end >= lo))
        assert len(idx), r
        # the unit's periods cover the capital's period without a gap
        spans = sorted((lay.start[i], lay.end[i]) for i in idx)
        assert spans[0][0] <= lo and spans[-1][1] >= hi, (r["unit"], r["capital"])
        assert all(b0 <= a1 + np.timedelta64(1, "D") for (_, a1), (b0, _) in zip(spans, spans[1:])), r["unit"]
        point = shapely.Point(float(r["lon"]), float(r["lat"]))
        for i in idx:
            assert lay.geoms[i].contains(point), (r["capital"], lay.props["id"].iloc[i])


def test_the_dated_capitals_change_on_their_dates():
    b = bundled_borders()

    def names(day, lang="en"):
        d = dt.date.fromisoformat(day)
        return {(c[0], c[5]) for c in capitals_between(b, d, d, lang)}

    year = capitals_between(b, dt.date(1934, 1, 1), dt.date(1934, 12, 31))
    assert ["Kharkov", 49.98, 36.25, "", "1934-06-23", 1] in year and ["Kiev", 50.45, 30.52, "1934-06-24", "", 1] in year

    assert ("Kaunas", 0) in names("1930-06-01") and ("Kaunas", 0) not in names("1940-06-01")
    assert ("Tallinn", 0) in names("1940-06-16") and ("Tallinn", 0) not in names("1940-06-17")
    assert ("Vilnius", 1) in names("1941-06-01") and ("Kaunas", 0) not in names("1941-06-01")
    assert ("Kzyl-Orda", 1) in names("1926-06-01") and ("Alma-Ata", 1) in names("1931-06-01")
    assert not {n for n, k in names("1928-06-01") if k == 1} & {"Kzyl-Orda", "Alma-Ata"}  # sources disagree: none drawn
    assert ("Kharkov", 1) in names("1934-06-23") and ("Kiev", 1) in names("1934-06-24")
    assert ("Kiev", 1) not in names("1934-06-23")
    assert ("Караганда", 2) in names("1941-06-01", "ru") and ("Karaganda", 2) in names("1941-06-01", "kk")
    assert ("Petropavlovsk", 2) in names("1935-06-01")  # Karaganda Oblast's centre before 29 July 1936
    assert not any(k == 2 for _, k in names("1931-06-01"))  # no oblasts before 10 March 1932


def test_capitals_are_named_on_the_kazakhstan_view_clear_of_the_units_names_and_hide_when_far(chrome):
    rec = joined([{"count": 50000}, {**TO_REPUBLIC, "count": 400000}])
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.set_content(flows_page(rec, bundled_borders(), Filters(1941, 1941), sources=SOURCES, view="kazakhstan",
                                shading=True, group="oblast", lang="ru"))
    page.wait_for_function("() => window.atlasMap")
    page.evaluate("() => window.atlasMap.setYear(0)")
    page.wait_for_timeout(500)
    caps = page.evaluate("() => window.atlasMap.borders.capitals()")
    kinds = {n: k for n, k, _, _ in caps}
    assert {"Уральск", "Петропавловск", "Чимкент"} <= {n for n, k in kinds.items() if k == "oblast"}, kinds
    assert kinds.get("Алма-Ата") == "republic"  # the republic's capital, not also the oblast's centre
    assert kinds.get("Ташкент") == "republic"
    # squares and names never cover a state's or an oblast's name, nor each other
    pairs = page.evaluate("""() => {
        const box = s => [...document.querySelectorAll(s)].map(e => [e.textContent, e.getBoundingClientRect()]);
        const names = box('.atlas-state-label, .atlas-oblast-label');
        const caps = box('.atlas-capital-label'), sq = box('.atlas-capital');
        const hit = (r, q) => r.left < q.right - 1 && q.left < r.right - 1 && r.top < q.bottom - 1 && q.top < r.bottom - 1;
        const out = [];
        for (const [a, r] of [...caps, ...sq]) for (const [b, q] of names) if (hit(r, q)) out.push([a, b]);
        for (let i = 0; i < caps.length; i++) for (let j = i + 1; j < caps.length; j++)
          if (hit(caps[i][1], caps[j][1])) out.push([caps[i][0], caps[j][0]]);
        return out; }""")
    assert not pairs, pairs
    # below the flows, never taking the mouse, a square (a flow end is a dot, a dashed ring or an arrowhead)
    style = page.evaluate("""() => { const e = document.querySelector('.atlas-capital'), pane = e.closest('.leaflet-pane');
        const s = getComputedStyle(e); return [pane.className, +getComputedStyle(pane).zIndex, s.pointerEvents, s.borderRadius,
        +getComputedStyle(window.atlasMap.map.getPane('overlayPane')).zIndex, s.borderTopColor]; }""")
    assert "atlas-labels" in style[0] and style[1] < style[4] and style[2] == "none" and style[3] == "0px", style
    r, g, b_ = (int(x) for x in style[5][4:-1].split(","))
    assert max(r, g, b_) - min(r, g, b_) < 8 and max(r, g, b_) < 100, style  # dark grey, no hue
    page.evaluate("() => { window.atlasMap.map.setZoom(1.75, {animate: false}); }")
    far = page.evaluate("() => window.atlasMap.borders.capitals()")
    assert page.evaluate("() => window.atlasMap.map.getZoom()") < 3
    assert {k for _, k, *_ in far} <= {"state"}, far  # far out: the republics' capitals and the oblasts' centres wait
    page.close()


def test_a_republic_level_end_is_still_drawn_to_the_area_not_to_the_capitals_square(chrome):
    rec = joined([{**TO_REPUBLIC, "count": 400000}])
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.set_content(flows_page(rec, bundled_borders(), Filters(1941, 1941), sources=SOURCES, view="kazakhstan"))
    page.wait_for_function("() => window.atlasMap")
    page.evaluate("() => window.atlasMap.setYear(0)")
    caps = {n: (lat, lon) for n, _, lat, lon in page.evaluate("() => window.atlasMap.borders.capitals()")}
    assert "Alma-Ata" in caps  # the capital is named ...
    rec2 = joined([{"count": 50000}])  # Kiev -> Karaganda, town to town: the flows name both ends themselves
    page2 = chrome.new_page(viewport={"width": 1366, "height": 768})
    page2.set_content(flows_page(rec2, bundled_borders(), Filters(1941, 1941), sources=SOURCES, view="kazakhstan"))
    page2.wait_for_function("() => window.atlasMap")
    page2.evaluate("() => window.atlasMap.setYear(0)")
    towns = set(page2.evaluate("() => window.atlasMap.placeLabels()"))
    named = {n for n, *_ in page2.evaluate("() => window.atlasMap.borders.capitals()")}
    assert "Karagandy" in towns and "Karaganda" not in named and "Kiev" not in named, (towns, named)  # one name per point
    page2.close()
    tips = page.evaluate("() => window.atlasMap.tips()")
    lat, lon = caps["Alma-Ata"]
    assert tips and all(abs(t[0] - lat) + abs(t[1] - lon) > 1.0 for t in tips)  # ... the arrow stops elsewhere
    page.close()


def test_a_capital_is_not_named_at_an_area_mark_and_is_named_beside_a_town_mark(chrome):
    rec = joined([{"count": 50000}])
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.set_content(flows_page(rec, bundled_borders(), Filters(1941, 1941), sources=SOURCES, view="kazakhstan", events=False))
    page.wait_for_function("() => window.atlasMap")
    page.evaluate("() => window.atlasMap.setYear(0)")
    named = lambda: {n for n, *_ in page.evaluate("() => window.atlasMap.borders.capitals()")}  # noqa: E731
    assert "Alma-Ata" in named()
    # an event placed in a region is drawn as a dashed ring at the region's point: here, the capital's
    page.evaluate("""() => { const A = window.atlasMap;
        window.ring = L.circleMarker([43.25, 76.91], {radius: 8, dashArray: '3 2'}).addTo(A.map); A.borders.relabel(); }""")
    assert "Alma-Ata" not in named()
    # an event in the town itself (a solid ring): the capital is named, beside the ring
    page.evaluate("""() => { const A = window.atlasMap; window.ring.remove();
        window.ring = L.circleMarker([43.25, 76.91], {radius: 8}).addTo(A.map); A.borders.relabel(); }""")
    assert "Alma-Ata" in named()
    gap = page.evaluate("""() => { const m = window.atlasMap.map, c = m.latLngToContainerPoint([43.25, 76.91]),
        r = m.getContainer().getBoundingClientRect(), x = c.x + r.left, y = c.y + r.top;
        const t = [...document.querySelectorAll('.atlas-capital-label')].find(e => e.textContent === 'Alma-Ata')
          .getBoundingClientRect();
        return Math.max(t.left - x, x - t.right, t.top - y, y - t.bottom); }""")
    assert gap >= 8, gap  # clear of the ring (radius 8), not written over it
    page.close()


BAD_POINT = ",".join(COLUMNS) + "\npolities,USSR,Moscow,Москва,1922-12-30,1950-12-31,north,37.6,,,,,\n"


@pytest.mark.parametrize("text, why", [(None, "No such file"), ("layer,unit\npolities,USSR\n", "no column capital"),
                                       (BAD_POINT, "could not convert"),
                                       (BAD_POINT.replace("polities,", "oblasts,").replace("north", "55.7"), "neither")])
def test_a_missing_or_broken_capitals_file_is_reported_and_maps_go_on_without_it(tmp_path, text, why):
    path = tmp_path / "capitals.csv"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.warns(UserWarning, match=why) as caught:
        table = load_capitals(str(path))
    assert str(path) in str(caught[0].message) and "drawn without them" in str(caught[0].message)
    assert table.empty and list(table.columns)[:3] == ["layer", "unit", "capital"]


@pytest.mark.parametrize("lang, words", [("en", "capital of a state"), ("ru", "столица государства")])
def test_the_legends_explain_the_capital_square(chrome, lang, words):
    from geo.mapview import borders_map_html

    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.set_content(flows_page(joined([{"count": 50000}]), bundled_borders(), Filters(1941, 1941), sources=SOURCES, lang=lang))
    page.wait_for_function("() => window.atlasMap")
    assert words in page.inner_text(".atlas-legend") and page.locator(".atlas-legend .atlas-swatch-capital").count() == 1
    page.set_content(borders_map_html(bundled_borders(), "1941-06-01", lang=lang))
    page.wait_for_function("() => window.atlasMap")
    assert words in page.inner_text(".atlas-map-legend")
    page.close()
