"""The rules every map follows (README, "Rules every map follows"), each checked in Chromium.

Logic on small synthetic records over the bundled borders; the app's pages at the sizes people use
(1366x768, 390x844).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
import shapely
from playwright.sync_api import Error as PlaywrightError

from browserhelp import flow_frame
from geo.areas import area_shape, placed
from geo.borders import bundled_borders
from geo.flows import Filters
from geo.lecture import lecture_html
from geo.mapview import flows_page

ALMA_ATA = (43.25, 76.95)  # the capital a republic-level record used to be drawn to


def joined(rows: list[dict]) -> pd.DataFrame:
    """Joined records with every column the maps read; each row overrides the defaults (a town-to-town move)."""
    base = {"origin": "Kiev", "destination": "Karaganda", "via": "", "date": "1941", "date_end": "", "count": None,
            "count_low": None, "count_high": None, "unit": "persons", "nationality": "German", "category": "deportation",
            "source": "src", "archival_ref": "", "notes": "", "part_of": "", "date_from": "1941-01-01",
            "date_to": "1941-12-31", "date_precision": "year", "date_uncertain": False, "count_approximate": False,
            "origin_lat": 50.45, "origin_lon": 30.52, "origin_match": "exact", "origin_place": "Kyiv (UA)",
            "origin_place_id": "703448", "origin_polity": "USSR", "origin_republic": "Ukrainian SSR", "origin_autonomy": "",
            "origin_kz_region": "", "destination_lat": 49.80, "destination_lon": 73.10, "destination_match": "exact",
            "destination_place": "Karagandy (KZ)", "destination_place_id": "609655", "destination_polity": "USSR",
            "destination_republic": "Kazakh SSR", "destination_autonomy": "", "destination_kz_region": "Karaganda Oblast"}
    df = pd.DataFrame([{**base, "id": f"r{i}", **r} for i, r in enumerate(rows)])
    for c in ("count", "count_low", "count_high"):
        df[c] = df[c].astype("Float64")
    return df


TO_REPUBLIC = {"destination": "Kazakh SSR", "destination_match": "region", "destination_place": "Kazakhstan (republic) (KZ)",
               "destination_place_id": "KAZ", "destination_kz_region": "", "destination_lat": ALMA_ATA[0],
               "destination_lon": ALMA_ATA[1]}
SOURCES = pd.DataFrame([{"id": "src", "author": "Author, A.", "title": "A Book", "year": "2000", "locator": "p. 1"}])


def _page(chrome, html: str, size=(1366, 768)):
    page = chrome.new_page(viewport={"width": size[0], "height": size[1]})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content(html)
    page.wait_for_function("() => window.atlasMap || window.lecture")
    return page, errors


def test_an_end_at_republic_level_stops_at_the_republics_edge_not_at_its_capital(chrome):
    b = bundled_borders()
    rec = joined([{**TO_REPUBLIC, "count": 95256}])
    html = flows_page(rec, b, Filters(1941, 1941), sources=SOURCES)
    page, errors = _page(chrome, html)
    page.evaluate("() => window.atlasMap.setYear(0)")
    (tip,) = page.evaluate("() => window.atlasMap.tips()")
    assert math.dist(tip, ALMA_ATA) > 5  # nowhere near Alma-Ata ...
    kz = area_shape(b, placed(rec, b).iloc[0]["destination_area"])
    assert shapely.distance(kz.boundary, shapely.Point(tip[1], tip[0])) < 0.5  # ... but at the Kazakh SSR's border
    assert page.evaluate("() => window.atlasMap.highlighted()") == 0
    page.evaluate("() => { window.atlasMap.flows.getLayers().find(l => l.feature).fire('mouseover'); }")
    assert page.evaluate("() => window.atlasMap.highlighted()") == 1  # the republic outlined while hovered
    page.evaluate("() => { window.atlasMap.flows.getLayers().find(l => l.feature).fire('click'); }")
    assert "Kazakhstan (republic) as a whole" in page.inner_text("#panel")
    assert not errors, errors
    page.close()


def test_a_region_without_an_outline_is_a_labelled_symbol_and_the_arrow_stops_at_its_rim(chrome):
    rec = joined([{"destination": "Arkhangelsk Oblast", "destination_place": "Arkhangelsk Oblast (RU)",
                   "destination_place_id": "arkhangelsk_obl", "destination_match": "curated", "destination_lat": 64.5461,
                   "destination_lon": 40.5518, "destination_kz_region": "", "destination_republic": "Russian SFSR",
                   "count": 38622}])
    page, errors = _page(chrome, flows_page(rec, bundled_borders(), Filters(1941, 1941), sources=SOURCES))
    page.evaluate("() => window.atlasMap.setYear(0)")
    (f,) = page.evaluate("() => window.atlasMap.drawn()")
    assert f["ds"] == 1 and "os" not in f
    px = page.evaluate("""() => { const m = window.atlasMap.map, t = window.atlasMap.tips()[0];
        return m.latLngToContainerPoint(t).distanceTo(m.latLngToContainerPoint([64.5461, 40.5518])); }""")
    assert 10 <= px <= 14  # on the symbol's rim (radius 11 px), not at the oblast's centre town
    assert "Arkhangelsk Oblast" in page.inner_text(".atlas-area-label")
    assert not errors
    page.close()


def test_two_categories_on_one_route_give_two_arrows_side_by_side(chrome):
    rec = joined([{**TO_REPUBLIC, "count": 400000, "count_approximate": True},
                  {**TO_REPUBLIC, "count": 386492, "category": "evacuation"}])
    page, _ = _page(chrome, flows_page(rec, bundled_borders(), Filters(1941, 1941), sources=SOURCES))
    page.evaluate("() => window.atlasMap.setYear(0)")
    drawn = page.evaluate("() => window.atlasMap.drawn()")
    assert sorted(f["c"] for f in drawn) == ["deportation", "evacuation"]
    assert {f["w"] for f in drawn} == {400000, 386492}  # never one arrow of 786,492
    a, b = page.evaluate("() => window.atlasMap.paths()")
    assert max(math.dist(p, q) for p, q in zip(a[:5], b[:5])) > 0.1  # two arcs, not one on the other
    legend = page.inner_text(".atlas-legend")
    assert "deportation" in legend and "evacuation" in legend
    page.evaluate("() => { window.atlasMap.flows.getLayers().filter(l => l.feature)"
                  ".find(l => l.feature.c === 'deportation').fire('click'); }")
    assert "~400,000" in page.inner_text("#panel")  # the source's "approximately" kept
    page.close()


def test_the_same_count_has_the_same_width_in_every_year_and_every_scene(chrome):
    rec = joined([{"count": 50000, "date": "1941", "date_from": "1941-01-01", "date_to": "1941-12-31"},
                  {**TO_REPUBLIC, "count": 400000, "date": "1941", "date_from": "1941-01-01", "date_to": "1941-12-31"},
                  {"count": 50000, "date": "1942", "date_from": "1942-01-01", "date_to": "1942-12-31",
                   "destination_lat": 49.9, "destination_lon": 73.2}])
    page, _ = _page(chrome, flows_page(rec, bundled_borders(), Filters(1941, 1942), sources=SOURCES))
    widths = {}
    for i in (0, 1):
        page.evaluate(f"() => window.atlasMap.setYear({i})")
        widths[i] = dict(page.evaluate("() => window.atlasMap.widths()"))
    assert widths[0][50000] == widths[1][50000] == 2.5  # 1 px = 20,000 people, whatever else the year holds
    assert widths[0][400000] == 20
    page.close()
    scenes = [{"title": "A", "date": "1941", "text": "", "citations": []},
              {"title": "B", "date": "1942", "text": "", "citations": []}]
    page, _ = _page(chrome, lecture_html(scenes, rec, bundled_borders(), SOURCES))
    w = []
    for i in (0, 1):
        page.evaluate(f"() => window.lecture.go({i})")
        w.append(dict(page.evaluate("() => window.lecture.widths()")))
    assert w[0][50000] == w[1][50000] == 4  # the lecture's one scale: 1 px = 12,500 people, in both scenes
    assert "1 px = 12,500 people" in page.text_content(".atlas-legend")  # (behind the closed legend button)
    assert page.is_hidden("#sources-h")  # a scene without citations has no empty "Sources" heading
    page.close()


def test_a_range_is_drawn_at_its_midpoint_with_its_band_and_its_figures(chrome):
    rec = joined([{"count_low": 13000, "count_high": 15000}])
    page, _ = _page(chrome, flows_page(rec, bundled_borders(), Filters(1941, 1941), sources=SOURCES))
    page.evaluate("() => window.atlasMap.setYear(0)")
    weights = page.evaluate("() => window.atlasMap.flows.getLayers()"
                            ".filter(l => l instanceof L.Polyline && !(l instanceof L.Polygon))"
                            ".map(l => [l.options.weight, l.options.opacity])")
    assert [1.5, 0.28] in [[round(w, 2), o] for w, o in weights]  # the pale band (15,000: under the minimum here)
    page.evaluate("() => { window.atlasMap.flows.getLayers().find(l => l.feature).fire('click'); }")
    assert "13,000–15,000 people" in page.inner_text("#panel")
    page.close()


def _app(chrome, url, size, touch=False):
    ctx = chrome.new_context(viewport={"width": size[0], "height": size[1]}, has_touch=touch, is_mobile=touch)
    page = ctx.new_page()
    page.goto(url)
    return ctx, page


@pytest.mark.parametrize("path", ["/?years=1936-1944", "/Kazakhstan?years=1936-1944"])
def test_the_default_view_holds_every_drawn_arrowhead_at_1366x768(chrome, app_url, artifacts, path):
    ctx, page = _app(chrome, app_url + path, (1366, 768))
    frame = flow_frame(page)
    page.wait_for_timeout(500)
    outside = frame.evaluate("""() => { const A = window.atlasMap, out = [];
        for (let i = -1; i < A.years.length; i++){ A.setYear(i < 0 ? null : i);
          const b = A.map.getBounds(); A.tips().forEach(t => { if (!b.contains(t)) out.push([A.year, t]); }); }
        return out; }""")
    assert not outside, outside
    page.screenshot(path=str(artifacts / f"rule_view_{path.strip('/').split('?')[0] or 'home'}_1366.png"))
    ctx.close()


def test_a_year_step_swaps_only_the_units_that_change_and_oblasts_lie_above_the_states(chrome):
    rec = joined([{"date": "1937", "date_from": "1937-01-01", "date_to": "1937-12-31"}, {}])
    page, errors = _page(chrome, flows_page(rec, bundled_borders(), Filters(1937, 1941), sources=SOURCES))
    out = page.evaluate("""() => { const A = window.atlasMap, B = A.borders, names = () => {
          const n = []; B.polities.eachLayer(l => n.push(l.feature.properties.name)); return n; };
        const layerOf = name => { let x = null;
          B.polities.eachLayer(l => { if (l.feature.properties.name === name) x = l; }); return x; };
        A.setYear(A.years.indexOf(1937));
        const estonia = layerOf('Estonia'), sweden = layerOf('Sweden'), n1937 = names();
        A.setYear(A.years.indexOf(1941));
        const n1941 = names(), swedenKept = layerOf('Sweden') === sweden;
        A.setYear(A.years.indexOf(1937));
        const panes = [B.polities, B.kazakh].map(g => { let z = null;
          g.eachLayer(l => { z = +A.map.getPane(l.options.pane).style.zIndex; }); return z; });
        return {n1937, n1941, swedenKept, estoniaBack: layerOf('Estonia') === estonia, estonia: !!estonia, panes,
                valid1941: B.polities.getLayers().length }; }""")
    assert out["estonia"] and "Estonia" in out["n1937"] and "Estonia" not in out["n1941"]  # annexed in August 1940
    assert len(set(out["n1941"])) == len(out["n1941"])  # each unit of the day once
    assert out["swedenKept"], "a state unchanged between the two days is kept, not rebuilt"
    assert out["estoniaBack"], "a state that comes back is the layer built the first time"
    assert out["panes"][1] > out["panes"][0], out["panes"]
    assert not errors, errors
    page.close()


def test_the_oblast_shading_follows_the_year_and_zero_is_no_data(chrome, app_url):
    ctx, page = _app(chrome, app_url + "/Kazakhstan?years=1936-1944", (1366, 900))
    frame = flow_frame(page)
    fills = {}
    for year in (1940, 1944):
        fills[year] = frame.evaluate(f"""() => {{ const A = window.atlasMap; A.setYear(A.years.indexOf({year}));
            const out = {{}};
            A.borders.kazakh.eachLayer(l => {{ out[l.feature.properties.name] = l.options.fill && !l.options.dashArray
                                                          ? l.options.fillColor : 'not filled'; }}); return out; }}""")
    assert "not filled" not in fills[1940].values() and "not filled" not in fills[1944].values(), fills
    assert fills[1940] != fills[1944]
    assert fills[1940]["North Kazakhstan Oblast"] != "#ffffff"  # 20,046 arrivals with a known count in 1940
    assert "#ffffff" in fills[1944].values()  # oblasts with no known arrivals are drawn as no data
    caption = frame.inner_text(".atlas-legend")
    assert "Shading: arrivals in 1944" in caption and "no arrivals with a known count" in caption
    ctx.close()


def test_phone_the_map_fills_the_width_and_an_arrow_opens_its_records_by_tap(chrome, app_url, artifacts):
    ctx, page = _app(chrome, app_url + "/?years=1940-1940", (390, 844), touch=True)
    frame = flow_frame(page)
    page.wait_for_timeout(800)
    box = frame.evaluate("() => { const r = window.atlasMap.map.getContainer().getBoundingClientRect(); "
                         "return [r.width, r.height]; }")
    assert box[0] >= 0.9 * 390, box
    frame.evaluate("() => window.atlasMap.setYear(0)")
    # the middle of the widest arrow, in the page's coordinates
    x, y = frame.evaluate("""() => { const A = window.atlasMap, m = A.map;
        const l = A.flows.getLayers().filter(l => l.feature).sort((a, b) => b.feature.w - a.feature.w)[0];
        const pts = l.getLatLngs(), p = m.latLngToContainerPoint(pts[Math.floor(pts.length / 2)]);
        const r = m.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""")
    page.locator("iframe").first.scroll_into_view_if_needed()
    ifr = page.locator("iframe").first.bounding_box()
    assert 0 <= ifr["y"] + y <= 844
    page.touchscreen.tap(ifr["x"] + x, ifr["y"] + y)
    page.wait_for_timeout(500)
    panel = frame.inner_text("#panel")
    assert "\u2192" in panel and ("Historia na mapie" in panel or "people" in panel), panel[:300]
    page.screenshot(path=str(artifacts / "rule_phone_tap.png"))
    ctx.close()


def test_the_lecture_controls_are_on_screen_at_768_pixels(chrome, app_url):
    ctx, page = _app(chrome, app_url + "/Lecture?scene=3", (1366, 768))
    frame = None
    for _ in range(300):
        frame = next((f for f in page.frames[1:] if _has(f, "window.lecture")), None)
        if frame:
            break
        page.wait_for_timeout(200)
    assert frame is not None
    ifr = page.locator("iframe").first.bounding_box()
    for sel in ("#prev", "#next"):
        b = frame.locator(sel).bounding_box()
        assert ifr["y"] + b["y"] + b["height"] <= 768, sel
    ctx.close()


def _has(frame, expr: str) -> bool:
    from playwright.sync_api import Error as PlaywrightError

    try:
        return bool(frame.evaluate(f"() => !!({expr})"))
    except PlaywrightError:
        return False


def test_the_export_carries_the_filters_and_the_year_stepped_to_in_the_map(chrome, app_url):
    ctx, page = _app(chrome, app_url + "/?years=1936-1944&nat=German", (1366, 900))
    frame = flow_frame(page)
    frame.evaluate("() => window.atlasMap.setYear(window.atlasMap.years.indexOf(1941))")
    assert re.search(r"[?&]year=1941\b", page.url)  # the address shows the year the map shows
    page.get_by_text("Export this map for slides or print").click()
    option = page.get_by_role("option", name="HTML (interactive, offline)")
    for _ in range(5):  # the expander may still be opening when the first click lands
        page.get_by_role("combobox", name="Format").click()
        try:
            option.wait_for(timeout=5000)
            break
        except PlaywrightError:
            page.keyboard.press("Escape")
    option.click()
    page.get_by_role("button", name="Prepare the file").click()
    page.get_by_text("The file shows: Flows 1941 · German, grouped by place").wait_for(timeout=120000)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download HTML").click()
    html = Path(dl.value.path()).read_text("utf-8")
    from maphelp import player_data

    data = player_data(html)
    assert data["year"] == 1941 and "German" in data["title"]  # opens at the stepped year, filters in its title
    assert '<script src="/app' not in html  # the download works alone: its assets are inline
    ctx.close()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_each_preset_view_shows_all_of_the_kazakh_ssr_and_never_zooms_out_past_the_world(chrome, size):
    b = bundled_borders()
    kz = shapely.bounds(area_shape(b, "republics:KAZ_SSR@1936-12-05"))  # lon0, lat0, lon1, lat1
    rec = joined([{"count": 1000}])
    for view in ("europe", "ussr", "kazakhstan"):
        page, _ = _page(chrome, flows_page(rec, b, Filters(1941, 1941), view=view, sources=SOURCES), size)
        shown = page.evaluate("() => { const b = window.atlasMap.map.getBounds(); "
                              "return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }")
        assert shown[0] <= kz[0] and shown[1] <= kz[1] and shown[2] >= kz[2] and shown[3] >= kz[3], (view, shown)
        world = page.evaluate("() => { const m = window.atlasMap.map; m.setZoom(0); "
                              "return [256 * 2 ** m.getZoom(), m.getSize().x]; }")
        assert world[0] >= world[1]  # zooming out stops where one world fills the map's width
        page.close()
