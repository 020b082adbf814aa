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
    assert flows["unknown"].sum() == int(shown["count"].isna().sum())


def test_flows_geojson_is_valid(rec):
    g = flows_geojson(aggregate(rec, "place"))
    assert g["features"] and all(len(f["geometry"]["coordinates"]) == 2 for f in g["features"])
    json.dumps(g)


def test_flow_map_is_offline_escaped_and_within_budget(rec):
    hostile = "</script><img src=x onerror=alert(1)>${7*7}`"
    f = filter_records(rec, Filters(1941, 1941))
    cards = {i: {"date": hostile, "count": "1", "what": hostile, "route": hostile, "sources": [hostile], "notes": hostile}
             for i in f["id"]}
    html = flow_map_html(bundled_borders(), flows_by_year(f, range(1941, 1942), "place"), cards,
                         first=dt.date(1941, 1, 1), last=dt.date(1941, 12, 31))
    ours = html.split("const D = ", 1)[1]  # our script and data (Leaflet's own source names its website in a string)
    assert not re.search(r"https?://", ours)
    assert not re.search(r"url\(['\"]?https?:", html) and not re.search(r"<(script|link|img)[^>]+(src|href)=['\"]?https?:", html)
    assert "<img src=x" not in html and "</script><img" not in html
    assert len(html.encode()) < 1_000_000, len(html.encode())  # one year's payload (issue: <= 1 MB)
