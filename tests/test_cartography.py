"""Cartography (issue 14 part B): names of the date's states and Kazakh oblasts in the chosen language,
placed without piling up and hidden when too small; the flows' main places named; a metric scale bar;
land and sea apart, the flows the only saturated colours."""

from __future__ import annotations

import colorsys

import pytest

from geo.borderlayer import PALETTE
from geo.borders import bundled_borders
from geo.flows import Filters
from geo.mapview import CATEGORY_COLORS, SEA, borders_map_html, flows_page
from test_maprules import SOURCES, TO_REPUBLIC, joined


def _rgb(h: str) -> tuple[float, float, float]:
    h = h.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))


def _luminance(h: str) -> float:
    c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in _rgb(h)]
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


def _saturation(h: str) -> float:
    return colorsys.rgb_to_hls(*_rgb(h))[2]


def test_land_and_sea_part_and_the_flows_are_the_only_saturated_colours():
    outline = "#f4f3ef"  # today's outlines beyond the atlas (atlas.js)
    for fill in (*PALETTE, outline):
        a, b = _luminance(fill), _luminance(SEA)
        assert (max(a, b) + 0.05) / (min(a, b) + 0.05) >= 1.15, fill  # lighter than the sea, every one
        r, g, bl = _rgb(fill)
        assert bl - max(r, g) < 0x10 / 255, fill  # and none of them blue
        assert _saturation(fill) < 0.8 or max(r, g, bl) - min(r, g, bl) < 0.25, fill  # pale
    assert min(max(_rgb(c)) - min(_rgb(c)) for c in CATEGORY_COLORS.values() if c not in ("#000000", "#555555", "#999933")) > 0.35


def _labels_overlap(page) -> list:
    return page.evaluate("""() => { const r = [...document.querySelectorAll('.atlas-state-label, .atlas-oblast-label')]
        .map(e => [e.textContent, e.getBoundingClientRect()]);
      const out = [];
      for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++){ const a = r[i][1], b = r[j][1];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
          out.push([r[i][0], r[j][0]]); }
      return out; }""")


@pytest.mark.parametrize("lang, ussr, kz", [("en", "USSR", "Karaganda Oblast"), ("ru", "СССР", "Карагандинская область"),
                                            ("kk", "КСРО", "Қарағанды облысы")])
def test_states_and_oblasts_are_named_as_of_the_date_in_the_language_without_piling_up(chrome, lang, ussr, kz):
    rec = joined([{"count": 50000}, {**TO_REPUBLIC, "count": 400000}])
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.set_content(flows_page(rec, bundled_borders(), Filters(1941, 1941), sources=SOURCES, lang=lang, view="kazakhstan",
                                shading=True, group="oblast"))
    page.wait_for_function("() => window.atlasMap")
    page.evaluate("() => window.atlasMap.setYear(0)")
    page.wait_for_timeout(500)  # the first fit to the frame's size
    names = page.evaluate("() => window.atlasMap.borders.labels()")
    assert kz in names  # the Kazakhstan view names its oblasts
    assert len([n for n in names if n.endswith(("Oblast", "область", "облысы"))]) >= 8
    page.evaluate("() => { window.atlasMap.map.setZoom(2, {animate: false}); }")
    far = page.evaluate("() => window.atlasMap.borders.labels()")
    assert page.evaluate("() => window.atlasMap.map.getZoom()") < 3
    assert ussr in far and kz not in far, far  # zoomed out: the small units wait, the large stay
    assert not _labels_overlap(page)
    scale = page.inner_text(".leaflet-control-scale")
    assert scale.strip().endswith("km") and "mi" not in scale
    page.close()


def test_labels_follow_the_date_and_never_overlap_on_the_borders_page(chrome):
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    for day, present, absent in (("1930-06-01", "Lithuania", "Lithuanian SSR"), ("1941-06-01", "USSR", "Lithuania")):
        page.set_content(borders_map_html(bundled_borders(), day))
        page.wait_for_function("() => window.atlasMap")
        page.wait_for_timeout(500)
        page.evaluate("() => { window.atlasMap.map.setView([55.5, 25], 6, {animate: false}); }")  # the Baltic, close
        shown = page.evaluate("() => window.atlasMap.map._atlasBorders.labels()")
        assert present in shown and absent not in shown, (day, shown)
        assert not _labels_overlap(page), day
    page.close()


def test_the_main_places_of_the_flows_are_named(chrome):
    rec = joined([{"count": 50000}, {"count": 9000, "origin": "Odessa", "origin_lat": 46.48, "origin_lon": 30.72}])
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.set_content(flows_page(rec, bundled_borders(), Filters(1941, 1941), sources=SOURCES))
    page.wait_for_function("() => window.atlasMap")
    page.evaluate("() => window.atlasMap.setYear(0)")
    assert {"Kyiv", "Karagandy"} <= set(page.evaluate("() => window.atlasMap.placeLabels()"))
    page.close()
