"""Flow aggregation and the flow map page built from it."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from maphelp import player_data

from geo.borders import bundled_borders
from geo.dataset import bundled_dataset
from geo.flows import Filters, aggregate, filter_records, flows_by_year, flows_geojson, oblast_arrivals
from geo.mapview import flow_map_html


@pytest.fixture(scope="module")
def rec():
    return bundled_dataset().records


def test_one_route_is_one_flow_and_sums_never_double_count(rec):
    apr = rec[rec["part_of"] == "pl-1940-04"]
    by_place = aggregate(apr, "place")
    assert len(by_place) == 6 and by_place["people"].sum() == 60351
    by_polity = aggregate(apr, "polity")
    assert len(by_polity) == 1 and by_polity.iloc[0]["people"] == 60351 and by_polity.iloc[0]["records"] == 6
    assert by_polity.iloc[0]["destination"] == "Kazakh SSR"


def test_polity_grouping_names_the_polities_of_the_date(rec):
    f = aggregate(filter_records(rec, Filters(1936, 1936)), "polity").set_index(["origin", "destination"])
    # in 1936 Kazakhstan was still an ASSR inside the RSFSR until December
    # the 1936 deportees with a stated count: 64,319 settled in (then) Karaganda oblast; the rest has no count
    assert f.loc[("Ukrainian SSR", "Kazakh ASSR"), "people"] == 64319
    f37 = aggregate(filter_records(rec, Filters(1937, 1937), ), "polity").set_index(["origin", "destination"])
    assert ("Russian SFSR", "Kazakh SSR") in f37.index


def test_unknown_counts_are_kept_apart_not_turned_into_numbers(rec):
    v = rec[rec["part_of"] == "vainakh-1944"]
    fl = aggregate(v, "oblast")
    assert fl["people"].sum() == 0 and fl["unknown"].sum() == len(v) == 14


def test_filters_select_by_year_overlap_and_values(rec):
    span = filter_records(rec, Filters(1930, 1930))  # Interhelpo 1925-1932 is active in 1930
    assert "lab-1925-interhelpo" in set(span["id"])
    kor = filter_records(rec, Filters(1918, 1960, nationalities=("Korean",)))
    assert set(kor["nationality"]) == {"Korean"}
    assert set(kor["id"]) == {"dep-1937-koreans-kz", "dep-1937-koreans-uz", "res-1938-koreans-kz-uz",
                              "dep-1937-koreans-kustanai-oblast", "dep-1938-koreans-aktyubinsk-oblast",
                              "rep-1942-koreans-karaganda-mines"}
    assert set(filter_records(rec, Filters(1937, 1937, nationalities=("Korean",)))["id"]) == {
        "dep-1937-koreans-kz", "dep-1937-koreans-uz", "res-1938-koreans-kz-uz", "dep-1937-koreans-kustanai-oblast"}
    dest = filter_records(rec, Filters(1940, 1940, destination_regions=("Pavlodar Oblast",)))
    assert set(dest["id"]) == {"dep-1940-02-pavlodar-oblast", "dep-1940-04-pavlodar-oblast"}


def test_flows_by_year_follow_each_records_dates(rec):
    by = flows_by_year(filter_records(rec, Filters(1924, 1926)), range(1924, 1927), "place")
    assert by[1924]["people"].sum() >= 123 + 60
    assert any(by[1926]["destination"].str.contains("Bishkek"))


def test_oblast_arrivals_never_spread_republic_level_records(rec):
    t = oblast_arrivals(filter_records(rec, Filters(1940, 1940))).set_index("oblast")
    assert t.loc["North Kazakhstan Oblast", "people"] == 20046
    assert "Alma-Ata Oblast" not in t.index  # the 1940-02 'Kazakh SSR' record is not given to the capital's oblast


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
