"""Geometry invariants of the built layers, checked on every change date."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

# Overlap or gap tolerated between units of one layer, in square degrees (about 1 km2 in Europe):
# the layers are built on a 0.001-degree grid, so anything larger is a real error.
TOLERANCE = 1e-4


def _change_dates(borders, layer: str) -> list[str]:
    lay = borders[layer]
    days = [str(d) for d in lay.breaks if np.datetime64("1918-11-11") <= d <= np.datetime64("1950-12-31")]
    assert days, layer
    return days


def _overlap_area(geoms: list) -> float:
    arr = np.asarray(geoms, dtype=object)
    tree = shapely.STRtree(arr)
    left, right = tree.query(arr, predicate="intersects")
    keep = left < right
    if not keep.any():
        return 0.0
    return float(shapely.area(shapely.intersection(arr[left[keep]], arr[right[keep]])).sum())


@pytest.mark.parametrize("layer", ["polities", "kazakh_regions", "occupation"])
def test_no_overlaps_within_a_layer_on_any_change_date(borders, layer):
    for day in _change_dates(borders, layer):
        df = borders.on(day, layer)
        assert _overlap_area(df["geometry"].tolist()) < TOLERANCE, f"{layer} overlaps on {day}"


def test_union_republics_do_not_overlap_and_cover_the_soviet_polities(borders):
    days = sorted(set(_change_dates(borders, "republics")) | set(_change_dates(borders, "polities")))
    for day in days:
        rep = borders.on(day, "republics")
        union_level = rep.loc[rep["level"] == "union", "geometry"].tolist()
        pol = borders.on(day, "polities")
        soviet = pol.loc[pol["soviet"].fillna(False).astype(bool), "geometry"].tolist()
        if not soviet:
            assert not union_level, day
            continue
        assert _overlap_area(union_level) < TOLERANCE, f"union republics overlap on {day}"
        diff = shapely.symmetric_difference(shapely.union_all(union_level), shapely.union_all(soviet))
        assert diff.area < TOLERANCE, f"republics and the Soviet polities differ by {diff.area:.5f} sq deg on {day}"


def test_autonomous_kazakh_republic_lies_inside_the_rsfsr(borders):
    for day in ["1921-01-01", "1925-01-01", "1929-01-01", "1933-01-01", "1936-12-04"]:
        rep = borders.on(day, "republics")
        kaz = rep.loc[rep["level"] == "autonomous", "geometry"].iloc[0]
        rsfsr = rep.loc[rep["unit"] == "RSFSR", "geometry"].iloc[0]
        assert shapely.difference(kaz, rsfsr).area < TOLERANCE, day


def test_oblasts_cover_exactly_the_kazakh_republic(borders):
    days = sorted(set(_change_dates(borders, "kazakh_regions")) | set(_change_dates(borders, "republics")))
    for day in days:
        rep = borders.on(day, "republics")
        kaz = rep.loc[rep["unit"].isin(["KAZ_ASSR", "KAZ_SSR"]), "geometry"].tolist()
        regions = borders.on(day, "kazakh_regions")["geometry"].tolist()
        if not kaz:
            assert not regions, day
            continue
        diff = shapely.symmetric_difference(shapely.union_all(kaz), shapely.union_all(regions))
        assert diff.area < TOLERANCE, f"oblasts and the Kazakh republic differ by {diff.area:.5f} sq deg on {day}"


def test_land_in_europe_always_belongs_to_some_polity(borders):
    # a grid of points on land in 1930 must be held by some polity on every change date
    xs, ys = np.meshgrid(np.arange(-9.0, 60.0, 1.5), np.arange(36.0, 70.0, 1.5))
    lon, lat = xs.ravel(), ys.ravel()
    first = borders.locate(lon, lat, ["1930-01-01"] * len(lon), layers=["polities"])
    land = (first["polity"] != "").to_numpy() & ~first["snapped"].to_numpy()
    assert land.sum() > 300
    for day in _change_dates(borders, "polities"):
        got = borders.locate(lon[land], lat[land], [day] * int(land.sum()), layers=["polities"])
        assert (got["polity"] != "").all(), f"land without a polity on {day}"


@pytest.mark.parametrize("layer", ["polities", "republics", "kazakh_regions", "occupation"])
def test_every_feature_is_a_polygon_or_multipolygon(borders, layer):
    lay = borders[layer]
    kinds = dict(zip(lay.props["id"], (g.geom_type for g in lay.geoms)))
    others = {fid: kind for fid, kind in kinds.items() if kind not in ("Polygon", "MultiPolygon")}
    assert not others, f"{layer}: {len(others)} features are not (Multi)Polygons, e.g. {list(others.items())[:3]}"
    assert not shapely.is_empty(lay.geoms).any() and shapely.is_valid(lay.geoms).all(), layer


def test_every_feature_carries_names_dates_precision_and_source(borders):
    for name, lay in borders.layers.items():
        p = lay.props
        assert p["id"].is_unique, name
        assert (lay.start <= lay.end).all(), name
        assert p["precision"].isin([1, 2, 3]).all(), name
        assert p["source"].fillna("").str.len().gt(10).all(), name
        focus = p[p.get("kind", "").fillna("") != "modern_outline"] if "kind" in p else p
        for col in ("name", "name_ru", "name_kk"):
            assert focus[col].fillna("").str.len().gt(0).all(), (name, col)
        assert (lay.start >= np.datetime64("1918-11-11")).all() and (lay.end <= np.datetime64("1950-12-31")).all()


def test_periods_of_a_unit_do_not_overlap_in_time(borders):
    for name, lay in borders.layers.items():
        for unit, idx in lay.props.groupby("unit").groups.items():
            order = sorted(idx, key=lambda i: lay.start[i])
            for a, b in zip(order[:-1], order[1:]):
                assert lay.end[a] < lay.start[b], f"{name} {unit}: periods overlap"


def test_oblasts_carry_their_capital_inside_them(borders):
    lay = borders["kazakh_regions"]
    p = lay.props
    rows = p[p["capital_lon"].notna()]
    assert len(rows) >= 25
    inside = shapely.contains_xy(lay.geoms[rows.index], rows["capital_lon"].to_numpy(float), rows["capital_lat"].to_numpy(float))
    assert inside.all(), rows.loc[~inside, "id"].tolist()
