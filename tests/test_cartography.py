"""Cartography (issue 14 part B): names of the date's states and Kazakh oblasts in the chosen language,
placed without piling up and hidden when too small; the flows' main places named; a metric scale bar;
land and sea apart, the flows the only saturated colours."""

from __future__ import annotations

import colorsys
import math

import pytest

from geo.borderlayer import PALETTE
from geo.borders import bundled_borders
from geo.flows import Filters
from geo.mapview import CATEGORY_COLORS, CHOROPLETH, SEA, borders_map_html, flows_page
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


def _lab(h: str) -> tuple[float, float, float]:
    """CIELAB (D65) of a hex colour: sRGB decoded, to XYZ, to L*a*b*."""
    c = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in _rgb(h)]
    xyz = (0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2], 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2],
           0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2])
    f = [t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in (xyz[0] / 0.95047, xyz[1], xyz[2] / 1.08883)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _chroma(h: str) -> float:
    _, a, b = _lab(h)
    return math.hypot(a, b)


def test_the_lab_conversion_is_right_on_known_colours():
    assert _lab("#ffffff") == pytest.approx((100, 0, 0), abs=0.05)
    assert _chroma("#808080") < 0.05
    assert _lab("#ff0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.1)  # sRGB red, D65 (Lindbloom's calculator)


def test_the_oblast_shading_is_muted_and_the_flow_colours_the_only_saturated_ones():
    saturated = [c for c in CATEGORY_COLORS.values() if _chroma(c) > 20]  # black and grey are not saturated
    assert len(saturated) >= 7
    assert max(map(_chroma, CHOROPLETH)) < 0.5 * min(map(_chroma, saturated)), \
        ([round(_chroma(c)) for c in CHOROPLETH], [round(_chroma(c)) for c in saturated])
    light = [_lab(c)[0] for c in CHOROPLETH]
    assert len(CHOROPLETH) == 6 and all(b - a <= -8 for a, b in zip(light, light[1:])), light  # light to dark, 6 classes apart
    white = _lab("#ffffff")
    assert math.dist(_lab(CHOROPLETH[0]), white) >= 6  # the lightest class is not the white of "no data"


def test_the_legend_shows_the_muted_ramp_and_no_data(chrome):
    rec = joined([{"count": 50000}, {"count": 20, "destination": "Uralsk", "destination_lat": 51.23, "destination_lon": 51.37,
                                     "destination_kz_region": "West Kazakhstan Oblast"},
                  {"count": 3000, "destination": "Pavlodar", "destination_lat": 52.29, "destination_lon": 76.97,
                   "destination_kz_region": "Pavlodar Oblast"}])
    page = chrome.new_page(viewport={"width": 1366, "height": 768})
    page.set_content(flows_page(rec, bundled_borders(), Filters(1941, 1941), sources=SOURCES, view="kazakhstan", shading=True))
    page.wait_for_function("() => window.atlasMap")
    page.evaluate("() => window.atlasMap.setYear(0)")
    rgb = lambda h: "rgb({}, {}, {})".format(*(round(x * 255) for x in _rgb(h)))  # noqa: E731
    swatches = page.evaluate("() => [...document.querySelectorAll('.atlas-legend .atlas-swatch-fill')]"
                             ".map(s => s.style.background)")
    ramp = [s for s in swatches if s != "rgb(255, 255, 255)"]
    assert len(ramp) == 3 and set(ramp) <= {rgb(c) for c in CHOROPLETH}, swatches  # three classes, from the ramp
    assert ramp[0] == rgb(CHOROPLETH[0]) and ramp[-1] == rgb(CHOROPLETH[-1])  # spread from lightest to darkest
    assert "rgb(255, 255, 255)" in swatches and "no arrivals with a known count" in page.inner_text(".atlas-legend")
    fills = page.evaluate("() => { const o = {}; window.atlasMap.borders.kazakh.eachLayer(l => {"
                          " o[l.feature.properties.name] = l.options.fillColor; }); return o; }")
    assert fills["Karaganda Oblast"] == CHOROPLETH[-1] and fills["West Kazakhstan Oblast"] == CHOROPLETH[0]
    assert fills["Akmolinsk Oblast"] == "#ffffff"
    page.close()


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
