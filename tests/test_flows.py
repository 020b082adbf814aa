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
    persons = shown["unit"].isin(["persons", ""])  # a count of families is never summed as people
    assert flows["people"].sum() == pytest.approx(float(shown.loc[persons, "count"].astype("Float64").fillna(0).sum()))
    # a record with no best figure is drawn from its range or lower bound; only one with neither is "unknown"
    no_figure = shown["count"].isna() & shown["count_low"].isna()
    assert flows["unknown"].sum() == int((no_figure | ~persons).sum())


#: The rows that give, by another source, a finer account of people another row carries (issue 13 item 2 and the
#: data README's "Known gaps"): detail -> the record (or total whose parts are drawn) that carries them.
DETAILS = {
    **{f"dep-1940-02-{o}-oblast": "dep-1940-02-kazakh-ssr" for o in ("akmolinsk", "kustanai", "pavlodar", "semipalatinsk")},
    "dep-1938-koreans-aktyubinsk-oblast": "dep-1937-koreans-kz", "dep-1937-koreans-kustanai-oblast": "dep-1937-koreans-kz",
    **{r: "evac-1941-kz" for r in ("evac-1942-kustanai-oblast", "evac-1941-alma-ata", "evac-1941-10-semipalatinsk-oblast",
                                    "evac-1941-10-east-kazakhstan-oblast")},
    "dep-1943-karachay-kz": "karachay-1943-kz", "em-1918-kuusinen": "em-1918-finns", "em-1918-sirola": "em-1918-finns",
}


def test_the_rows_that_carry_the_same_people_twice_are_details(rec):
    detail_of = dict(zip(rec["id"], rec["detail_of"]))
    assert {r: detail_of[r] for r in DETAILS} == DETAILS
    by_origin = rec[rec["part_of"] == "germans-1941-by-origin"]
    assert len(by_origin) == 25 and set(by_origin["detail_of"]) == {"dep-1941-germans-kz"}
    assert by_origin["notes"].str.contains("origin is listed in the record panel|breakdown by origin is listed").all()


@pytest.mark.parametrize("group", ["place", "polity", "oblast"])
def test_no_person_is_drawn_twice_a_detail_never_and_its_parent_always(rec, group):
    flows = aggregate(rec, group)
    on_map = {i for ids in flows["ids"] for i in ids}
    details = rec[rec["detail_of"] != ""]
    assert len(details) >= 40 and not on_map & set(details["id"])
    for parent in set(details["detail_of"]):
        # the parent is drawn, or (a total) its parts are: the people reach the map once
        carriers = {parent} if parent in set(rec["id"]) else set(rec.loc[rec["part_of"] == parent, "id"])
        assert carriers and carriers <= on_map, parent


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


def test_a_one_year_page_sends_its_flows_and_each_citation_once(rec):
    f = filter_records(rec, Filters(1941, 1941))
    cards = {i: {"date": "1941", "count": "1", "what": "w", "route": "r", "notes": "",
                 "sources": ["Polian, Against Their Will (2004), p. 134", f"Other work {n % 2}"]} for n, i in enumerate(f["id"])}
    html = flow_map_html(bundled_borders(), flows_by_year(f, range(1941, 1942), "place"), cards,
                         first=dt.date(1941, 1, 1), last=dt.date(1941, 12, 31), assets="linked")
    data = player_data(html)
    assert data["citations"] == ["Polian, Against Their Will (2004), p. 134", "Other work 0", "Other work 1"]
    assert {tuple(c["sources"]) for c in data["records"].values()} == {(0, 1), (0, 2)}
    assert html.count("Polian, Against Their Will") == 1
    from geo.mapview import flows_page

    app = player_data(flows_page(rec, bundled_borders(), Filters(1941, 1941)))  # as the app builds it
    assert app["all"] is None and app["all_is"] == "1941" and app["frames"]["1941"]  # "All" is the year's frame
    assert len(set(app["citations"])) == len(app["citations"]) > 5
    assert all(isinstance(x, int) for c in app["records"].values() for x in c["sources"])


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


def test_the_ford_families_are_kept_in_families_never_drawn_as_people(rec):
    ford = rec[rec["unit"] == "families"]
    assert {"lab-1931-ford-gorky", "rem-1936-ford-gorky"} <= set(ford["id"])
    flows = aggregate(rec, "place", "ru")
    on = flows[flows["ids"].map(lambda ids: "lab-1931-ford-gorky" in ids)].iloc[0]
    others = rec[rec["id"].isin(on["ids"]) & (rec["unit"] == "persons")]
    # the arrow's width is the persons the other records on it give, none of the ~300 families
    assert on["drawn"] == float(others["count"].astype("Float64").fillna(0).sum())
    assert "~300 семей" in on["other_units"]
    html = flow_map_html(bundled_borders(), flows_by_year(filter_records(rec, Filters(1931, 1931)), range(1931, 1932), "place"),
                         {}, first=dt.date(1931, 1, 1), last=dt.date(1931, 12, 31), assets="linked")
    drawn = [r for r in player_data(html)["frames"]["1931"] if "lab-1931-ford-gorky" in r["ids"]]
    assert drawn and drawn[0]["ou"] == 1 and drawn[0]["w"] == on["drawn"]
