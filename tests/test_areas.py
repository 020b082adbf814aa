"""Area ends (geo.areas): an end the source names only as a republic, oblast, region or country is drawn to the area."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo import areas as A
from geo.flowlayer import shading_breaks


def test_the_curve_stops_where_it_enters_the_destination_area():
    box = shapely.box(60, 40, 80, 55)  # lon 60-80, lat 40-55
    a, b = (50.0, 30.0), (47.5, 70.0)  # from the west to the box's centre
    t0, t1, o_sym, d_sym = A.clip(a, b, 0.2, None, box)
    assert t0 == 0 and 0.3 < t1 < 1 and not o_sym and not d_sym
    lat, lon = A.bezier(a, b, 0.2, np.array([t1]))
    assert shapely.distance(box.boundary, shapely.Point(lon[0], lat[0])) < 1e-3  # on the edge, not at the centre
    lat, lon = A.bezier(a, b, 0.2, np.array([t1 - 0.01, t1 + 0.01]))
    assert list(shapely.contains_xy(box, lon, lat)) == [False, True]


def test_the_curve_starts_where_it_leaves_the_origin_area_and_neighbours_keep_enough_arrow():
    west, east = shapely.box(20, 45, 40, 55), shapely.box(60, 40, 80, 55)
    t0, t1, o_sym, d_sym = A.clip((50.0, 30.0), (47.5, 70.0), 0.2, west, east)
    assert 0 < t0 < t1 < 1 and t1 - t0 >= A.MIN_VISIBLE and not o_sym and not d_sym
    left, right = shapely.box(20, 40, 40, 55), shapely.box(40, 40, 60, 55)  # touching: little would remain
    t0, t1, o_sym, d_sym = A.clip((47.5, 30.0), (47.5, 50.0), 0.2, left, right)
    assert o_sym and t0 == 0 and t1 < 1  # the origin becomes a symbol at its centre; the destination edge stays


def test_an_area_containing_the_other_end_becomes_a_symbol_never_a_point():
    ussr = shapely.box(20, 35, 180, 75)
    _, _, o_sym, d_sym = A.clip((56.0, 100.0), (51.0, 71.0), 0.2, ussr, None)  # "USSR (place not given)" -> a camp in it
    assert o_sym and not d_sym


def _rec(**over):
    base = {"id": "r", "origin_match": "curated", "origin_place_id": "", "origin_kz_region": "",
            "destination_match": "exact", "destination_place_id": "", "destination_kz_region": ""}
    return pd.DataFrame([{**base, **over}])


def test_what_an_end_is_follows_the_join_and_the_gazetteers_kind():
    assert A.end_kind(_rec(destination_match="region"), "destination").iloc[0] == "republic"  # "Kazakhstan"
    assert A.end_kind(_rec(destination_match="region", destination_kz_region="KZ_KARAGANDA"), "destination").iloc[0] == "oblast"
    assert A.end_kind(_rec(origin_place_id="western_ukraine"), "origin").iloc[0] == "region"
    assert A.end_kind(_rec(origin_place_id="spain"), "origin").iloc[0] == "country"
    assert A.end_kind(_rec(origin_place_id="engels"), "origin").iloc[0] == ""  # a town is a place


def test_a_republic_level_record_is_drawn_to_the_republic_not_its_capital(borders):
    from geo.dataset import bundled_dataset

    rec = bundled_dataset().records
    kz = rec[rec["id"] == "dep-1937-koreans-kz"]
    capital = (float(kz["destination_lat"].iloc[0]), float(kz["destination_lon"].iloc[0]))  # the gazetteer's Alma-Ata
    p = A.placed(kz, borders).iloc[0]
    assert p["destination_area"].startswith("republics:KAZ_SSR")
    assert abs(p["destination_lat"] - capital[0]) > 2  # aimed at the republic's centre ...
    geom = A.area_shape(borders, p["destination_area"])
    assert shapely.contains_xy(geom, p["destination_lon"], p["destination_lat"])  # ... which lies inside it
    west = rec[rec["id"] == "dep-1940-02-arkhangelsk-oblast"]
    p2 = A.placed(west, borders).iloc[0]
    assert p2["origin_area"] == A.SYMBOL and p2["destination_area"] == A.SYMBOL  # regions the layers do not hold
    town = rec[rec["id"] == "rep-1938-buber-neumann"]
    assert (A.placed(town, borders)[["origin_area", "destination_area"]] == "").all(axis=None)  # Moscow -> Karaganda


def test_two_categories_on_one_route_get_two_bends():
    fl = pd.DataFrame({"origin": ["X", "X", "Y"], "destination": ["K", "K", "K"], "dataset": "bundled",
                       "category": ["evacuation", "deportation", "deportation"]})
    b = A.bends([fl, fl.iloc[:1]])
    assert b[("X", "K", "bundled", "deportation")] != b[("X", "K", "bundled", "evacuation")]
    assert b[("Y", "K", "bundled", "deportation")] == A.BEND


def test_shading_classes_are_quantiles_of_the_non_zero_values():
    assert shading_breaks([0, 0, 1]) == [1]  # one person is one class, not the darkest of five
    br = shading_breaks([0, 1, 2, 5, 10, 20, 50, 100, 200, 400, 1000, 20046, 60000])
    assert br == sorted(br) and br[-1] == 60000 and len(br) == 6 and 0 not in br
    assert shading_breaks([0, 0]) == []


def test_an_end_grouped_by_the_map_is_not_called_vague_but_a_vague_source_still_is(borders):
    from geo.dataset import bundled_dataset

    rec = bundled_dataset().records
    two = rec[rec["id"].isin(["dep-1937-koreans-kz", "rep-1938-buber-neumann"])]  # "Kazakhstan"; Karaganda (a town)
    p = A.placed(two, borders, "oblast").set_index("id")
    assert not p.loc["dep-1937-koreans-kz", "destination_grouped"]  # the source names only the republic
    assert p.loc["rep-1938-buber-neumann", "destination_grouped"]  # the map sums Karaganda into its oblast
    assert p.loc["rep-1938-buber-neumann", "destination_area"].startswith("kazakh_regions:")
