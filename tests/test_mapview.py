"""The one renderer of the map pages (geo.mapview) and its assets (geo.assets): folium, offline, escaped."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.assets import asset_tag, asset_text, asset_url, publish
from geo.borderlayer import DatedBorders, layer_geojson
from geo.borders import Borders, Layer
from geo.mapview import atlas_map, borders_map_html, render_page
from maphelp import plugin_data

OUTSIDE = re.compile(r"""(<(script|link|img)[^>]+(src|href)\s*=\s*["']?(https?:)?//)|(url\(['"]?(https?:)?//)""", re.IGNORECASE)


def test_inline_page_carries_leaflet_and_our_scripts_and_links_nothing(borders):
    html = borders_map_html(borders, "1941-06-01")
    assert asset_text("leaflet.js")[:2000] in html and asset_text("atlas.js")[:500] in html
    assert not OUTSIDE.search(html)
    assert "<script src=" not in html and "<link " not in html  # nothing to fetch at all
    ours = html.replace(asset_text("leaflet.js"), "")
    assert "tileLayer" not in ours and "tile_layer" not in ours  # no tiles: historical borders only


def test_linked_page_points_at_the_apps_static_files_only(borders):
    html = borders_map_html(borders, "1941-06-01", assets="linked")
    srcs = (re.findall(r"""<script src="([^"]+)"></script>""", html)
            + re.findall(r"""<link rel="stylesheet" href="([^"]+)"/>""", html))
    assert sorted(s.split("?")[0] for s in srcs) == ["/app/static/atlas/atlas.css", "/app/static/atlas/atlas.js",
                                                      "/app/static/atlas/leaflet.css", "/app/static/atlas/leaflet.js"]
    assert all(re.search(r"\?v=[0-9a-f]{10}$", s) for s in srcs)  # a new version of a file gets a new URL
    assert asset_text("leaflet.js")[:2000] not in html and len(html) < len(borders_map_html(borders, "1941-06-01")) / 2


def test_a_plain_folium_map_loses_its_cdn_assets_when_built_by_atlas_map():
    import folium

    assert any("cdn" in url for _, url in folium.Map.default_js)  # folium's defaults come from CDNs ...
    html = render_page(atlas_map(title="t"), "linked")
    assert not OUTSIDE.search(html) and "jquery" not in html.lower() and "bootstrap" not in html.lower()  # ... ours do not


def test_publish_copies_the_assets_once_and_keeps_unchanged_files(tmp_path):
    target = publish(tmp_path)
    names = {p.name for p in target.iterdir()}
    assert {"leaflet.js", "leaflet.css", "atlas.js", "atlas.css", "player.js", "lecture.js", "images"} <= names
    assert (target / "atlas.js").read_text("utf-8") == asset_text("atlas.js")
    before = (target / "leaflet.js").stat().st_mtime_ns
    publish(tmp_path)
    assert (target / "leaflet.js").stat().st_mtime_ns == before
    assert asset_url("atlas.js").startswith("/app/static/atlas/atlas.js?v=")
    with pytest.raises(ValueError):
        asset_tag("atlas.js", "cdn")


def test_display_geojson_of_a_date_has_the_units_of_that_date(borders):
    gj = layer_geojson(borders, "1941-06-01", "kazakh_regions")
    names = {f["properties"]["name"] for f in gj["features"]}
    assert "Semipalatinsk Oblast" in names and "Kokchetav Oblast" not in names
    gj45 = layer_geojson(borders, "1945-06-01", "kazakh_regions")
    assert "Kokchetav Oblast" in {f["properties"]["name"] for f in gj45["features"]}


def test_neighbouring_polities_get_different_colours(borders):
    gj = layer_geojson(borders, "1930-06-01", "polities")
    by = {f["properties"]["name"]: f for f in gj["features"]}
    for a, b in [("Poland", "Germany"), ("Poland", "Lithuania"), ("Romania", "Hungary"), ("Czechoslovakia", "Austria")]:
        ga, gb = (shapely.geometry.shape(by[n]["geometry"]) for n in (a, b))
        assert ga.intersects(gb)
        assert by[a]["properties"]["color"] != by[b]["properties"]["color"], (a, b)


def _one_polity(name: str) -> Borders:
    props = pd.DataFrame([{"id": "X@1930-01-01", "unit": "X", "name": name, "name_ru": name, "name_kk": "k",
                           "valid_from": "1918-11-11", "valid_to": "1950-12-31", "precision": 1, "source": name}])
    lay = Layer("polities", props, np.array([shapely.box(10, 40, 11, 41)], dtype=object),
                np.array(["1918-11-11"], "datetime64[D]"), np.array(["1950-12-31"], "datetime64[D]"))
    empty = Layer("x", props.iloc[:0], np.array([], dtype=object), np.array([], "datetime64[D]"), np.array([], "datetime64[D]"))
    return Borders({"polities": lay, "republics": empty, "kazakh_regions": empty, "occupation": empty})


def test_text_from_data_cannot_close_the_script_or_become_markup():
    evil = '</script><img src=x onerror="document.title=1">${alert(1)}`'
    html = borders_map_html(_one_polity(evil), "1930-01-01", title=evil)
    data = plugin_data(html, "borders")
    assert "</script><img" not in html and "<img src=x" not in html
    assert data["polities"]["features"][0]["p"]["name"] == evil  # kept as data, intact
    ours = "".join(asset_text(n) for n in ("atlas.js", "player.js", "lecture.js"))
    assert "innerHTML" not in ours and "insertAdjacentHTML" not in ours  # labels are set with textContent only


def test_dated_borders_send_each_feature_once_with_its_validity(borders):
    m = atlas_map()
    DatedBorders(borders, "1945-12-31", "1936-01-01", layers=("kazakh_regions",)).add_to(m)
    data = plugin_data(render_page(m), "borders")
    feats = data["kazakh_regions"]["features"]
    names = [f["p"]["name"] for f in feats]
    assert "Kokchetav Oblast" in names and "Semipalatinsk Oblast" in names  # 1944 and 1939 units of the period
    assert all(f["p"]["valid_from"] <= "1945-12-31" and f["p"]["valid_to"] >= "1936-01-01" for f in feats)


def test_text_is_never_evaluated_as_a_template_on_the_server():
    # branca compiles an element's text as a Jinja template; our elements are added raw, so this stays text
    evil = "{{ 7*7 }}{% if true %}yes{% endif %}{# gone #}{{ this.__class__ }}"
    html = borders_map_html(_one_polity(evil), "1930-01-01", title=evil)
    assert plugin_data(html, "borders")["polities"]["features"][0]["p"]["name"] == evil
    assert "{{ 7*7 }}{% if true %}yes{% endif %}" in html  # in the page as written, not evaluated


def test_the_flow_layer_works_on_any_folium_map_as_in_a_notebook(chrome, borders, tmp_path):
    import folium

    from geo.areas import placed
    from geo.dataset import bundled_dataset
    from geo.flowlayer import FlowLayer
    from geo.flows import Filters, aggregate, filter_records

    records = placed(filter_records(bundled_dataset().records, Filters(1941, 1941)), borders)
    plain = folium.Map(location=[50, 50], zoom_start=3, tiles=None)  # the README's notebook cell, as written
    DatedBorders(borders, "1941-12-31", "1941-01-01").add_to(plain)
    FlowLayer(aggregate(records), borders=borders).add_to(plain)
    assert "Atlas.player(" in plain._repr_html_()  # displays in Jupyter (folium's own CDN Leaflet there)
    m = atlas_map()  # the same with no CDN at all, saved and opened from a file
    DatedBorders(borders, "1941-12-31", "1941-01-01").add_to(m)
    FlowLayer(aggregate(records), borders=borders).add_to(m)
    m.save(str(tmp_path / "flows.html"))
    page = chrome.new_page()
    errors, outside = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:", "about:")) else None)
    page.goto((tmp_path / "flows.html").as_uri())
    page.wait_for_function("() => window.atlasMap && window.atlasMap.drawn().length > 5")
    assert page.inner_text("#year") == "Whole period" and not errors and not outside
    page.close()
