"""The offline map page built by geo.mapview."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pandas as pd

from geo.borders import Borders, Layer
from geo.mapview import borders_map_html, layer_geojson


def test_page_inlines_leaflet_and_loads_nothing_from_outside(borders):
    html = borders_map_html(borders, "1941-06-01")
    assert "L.geoJSON" in html and "leaflet-container" in html  # Leaflet's JS and CSS are inlined
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)\s*=\s*["']?https?:""", html, re.I)
    import xstatic.pkg.leaflet as xl

    leaflet = [(Path(xl.BASE_DIR) / name).read_text("utf-8") for name in ("leaflet.js", "leaflet.css")]
    assert all(part in html for part in leaflet)
    ours = functools.reduce(lambda page, part: page.replace(part, ""), leaflet, html)  # the page without Leaflet's own source
    assert not re.search(r"tile|\{[xyz]\}", ours, re.I)  # our script adds no tile layer and names no tile URL


def test_display_geojson_of_a_date_has_the_units_of_that_date(borders):
    gj = layer_geojson(borders, "1941-06-01", "kazakh_regions")
    names = {f["properties"]["name"] for f in gj["features"]}
    assert "Semipalatinsk Oblast" in names and "Kokchetav Oblast" not in names
    gj45 = layer_geojson(borders, "1945-06-01", "kazakh_regions")
    assert "Kokchetav Oblast" in {f["properties"]["name"] for f in gj45["features"]}


def test_neighbouring_polities_get_different_colours(borders):
    import shapely

    gj = layer_geojson(borders, "1930-06-01", "polities")
    by = {f["properties"]["name"]: f for f in gj["features"]}
    for a, b in [("Poland", "Germany"), ("Poland", "Lithuania"), ("Romania", "Hungary"), ("Czechoslovakia", "Austria")]:
        ga, gb = (shapely.geometry.shape(by[n]["geometry"]) for n in (a, b))
        assert ga.intersects(gb)
        assert by[a]["properties"]["color"] != by[b]["properties"]["color"], (a, b)


def test_text_from_data_cannot_close_the_script_or_become_markup():
    evil = '</script><img src=x onerror="document.title=1">${alert(1)}`'
    geom = __import__("shapely").box(10, 40, 11, 41)
    props = pd.DataFrame([{"id": "X@1930-01-01", "unit": "X", "name": evil, "name_ru": evil, "name_kk": "k",
                           "valid_from": "1918-11-11", "valid_to": "1950-12-31", "precision": 1, "source": evil}])
    import numpy as np

    lay = Layer("polities", props, np.array([geom], dtype=object), np.array(["1918-11-11"], "datetime64[D]"),
                np.array(["1950-12-31"], "datetime64[D]"))
    empty = Layer("x", props.iloc[:0], np.array([], dtype=object), np.array([], "datetime64[D]"), np.array([], "datetime64[D]"))
    b = Borders({"polities": lay, "republics": empty, "kazakh_regions": empty, "occupation": empty})
    html = borders_map_html(b, "1930-01-01")
    data_part = html.split("const D = ", 1)[1].split(";\n", 1)[0]
    assert "</script>" not in data_part and "<img" not in data_part
    assert json.loads(data_part)["polities"]["features"][0]["properties"]["name"] == evil  # kept as data, intact
    assert "innerHTML" not in html.split("const D = ", 1)[1]  # labels are set with textContent only
