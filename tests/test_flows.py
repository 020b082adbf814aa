"""Flows of the bundled data and the flow map page built from them (the logic: tests/test_flows_logic.py)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from geo.borders import bundled_borders
from geo.dataset import bundled_dataset
from geo.flows import Filters, aggregate, filter_records, flows_by_year, flows_geojson
from geo.mapview import flow_map_html
from maphelp import player_data


@pytest.fixture(scope="module")
def rec():
    return bundled_dataset().records


@pytest.mark.parametrize("group", ["place", "polity", "oblast"])
def test_the_bundled_flows_carry_every_known_count_once(rec, group):
    # data, not logic (that is tests/test_flows_logic.py): no figure here, so correcting a source never breaks it
    drawable = rec[rec[["origin_lat", "origin_lon", "destination_lat", "destination_lon"]].notna().all(axis=1)]
    flows = aggregate(drawable, group)
    drawn = {i for ids in flows["ids"] for i in ids}
    assert len(drawn) == flows["records"].sum()  # no record on two arrows
    shown = drawable[drawable["id"].isin(drawn)]
    assert flows["people"].sum() == pytest.approx(float(shown["count"].astype("Float64").fillna(0).sum()))
    # a record with no best figure is drawn from its range or lower bound; only one with neither is "unknown"
    no_figure = shown["count"].isna() & shown["count_low"].isna()
    assert flows["unknown"].sum() == int(no_figure.sum())


def test_flows_geojson_is_valid(rec):
    g = flows_geojson(aggregate(rec, "place"))
    assert g["features"] and all(len(f["geometry"]["coordinates"]) == 2 for f in g["features"])
    json.dumps(g)


def test_flow_map_is_offline_escaped_and_within_budget(rec):
    hostile = "</script><img src=x onerror=alert(1)>${7*7}`"
    f = filter_records(rec, Filters(1941, 1941))
    cards = {i: {"date": hostile, "count": "1", "what": hostile, "route": hostile, "sources": [hostile], "notes": hostile}
             for i in f["id"]}
    for assets in ("inline", "linked"):
        html = flow_map_html(bundled_borders(), flows_by_year(f, range(1941, 1942), "place"), cards,
                             first=dt.date(1941, 1, 1), last=dt.date(1941, 12, 31), assets=assets)
        data = player_data(html)
        assert data["records"][f["id"].iloc[0]]["notes"] == hostile  # kept as data, intact
        assert not re.search(r"""<(script|link|img)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE)
        assert not re.search(r"""url\(['"]?(https?:)?//""", html)
        assert "<img src=x" not in html and "</script><img" not in html
        assert len(html.encode()) < 1_000_000, len(html.encode())  # one year's payload (issue: <= 1 MB)
    assert 'src="/app/static/atlas/leaflet.js?v=' in html and "L.Map = " not in html  # linked: Leaflet not inlined


def _synthetic(rows):
    """Joined records with only the columns aggregation reads (small, made up: logic, not data)."""
    import pandas as pd

    base = {"origin_place": "A", "destination_place": "B", "origin_lat": 50.0, "origin_lon": 30.0,
            "destination_lat": 45.0, "destination_lon": 70.0, "count": None, "count_low": None, "count_high": None,
            "count_approximate": False, "category": "deportation", "date_from": "1941-01-01", "date_to": "1941-12-31"}
    df = pd.DataFrame([{**base, "id": f"r{i}", **r} for i, r in enumerate(rows)])
    for c in ("count", "count_low", "count_high"):
        df[c] = df[c].astype("Float64")
    return df


def test_two_categories_on_one_route_are_two_flows_never_one():
    fl = aggregate(_synthetic([{"count": 400000, "count_approximate": True}, {"count": 386492, "category": "evacuation"},
                               {"count": 10}]), "place")
    assert len(fl) == 2
    by = fl.set_index("category")
    assert by.loc["deportation", "people"] == 400010 and by.loc["evacuation", "people"] == 386492
    assert bool(by.loc["deportation", "approximate"]) and not bool(by.loc["evacuation", "approximate"])
    assert list(fl["categories"]) == [["deportation"], ["evacuation"]]


def test_a_range_without_a_best_figure_is_drawn_at_its_midpoint_and_a_lower_bound_at_itself():
    fl = aggregate(_synthetic([{"count_low": 13000, "count_high": 15000}]), "place").iloc[0]
    assert fl["people"] == 0 and fl["drawn"] == 14000 and (fl["low"], fl["high"]) == (13000, 15000)
    assert fl["unknown"] == 0 and not fl["at_least"]
    more = aggregate(_synthetic([{"count_low": 3000}]), "place").iloc[0]
    assert more["drawn"] == 3000 and bool(more["at_least"]) and more["unknown"] == 0
    none = aggregate(_synthetic([{}]), "place").iloc[0]
    assert none["drawn"] == 0 and none["unknown"] == 1
