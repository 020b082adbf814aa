"""GeoDataFrames in and out, on small synthetic borders and records (the logic, not the bundled data)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import Borders, flow_lines, join_dated, records_frame, write_frame
from geo.borders import Layer
from geo.flows import BEND, aggregate, curve_coords

DAY = "datetime64[D]"


def _layer(name: str, rows: list[dict], geoms: list) -> Layer:
    props = pd.DataFrame(rows, columns=["id", "unit", "name", "valid_from", "valid_to", "level", "occupier"])
    return Layer(name, props, np.array(geoms, dtype=object), props["valid_from"].to_numpy(DAY), props["valid_to"].to_numpy(DAY))


A, C = shapely.box(10, 40, 11, 41), shapely.box(11, 40, 12, 41)


@pytest.fixture(scope="module")
def land() -> Borders:
    """Aland becomes Bland on 1930-01-01; Cland beside them is a union republic with one oblast;
    Xland occupies Bland in 1941-1944."""
    def row(uid, name, start, end, level="", occupier=""):
        return {"id": f"{uid}@{start}", "unit": uid, "name": name, "valid_from": start, "valid_to": end,
                "level": level, "occupier": occupier}

    return Borders({
        "polities": _layer("polities", [row("A", "Aland", "1920-01-01", "1929-12-31"),
                                        row("B", "Bland", "1930-01-01", "1950-12-31"),
                                        row("C", "Cland", "1920-01-01", "1950-12-31")], [A, A, C]),
        "republics": _layer("republics", [row("CR", "Cland SSR", "1920-01-01", "1950-12-31", level="union")], [C]),
        "kazakh_regions": _layer("kazakh_regions", [row("CO", "Cland Oblast", "1936-01-01", "1950-12-31")], [C]),
        "occupation": _layer("occupation", [row("OX", "Xland zone", "1941-06-22", "1944-07-31", occupier="Xland")], [A]),
    })


@pytest.fixture()
def pts() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"when": ["1925-05-01", "1942-01-01", "1937-03-01", "1937-03-01", None], "who": list("pqrst")},
        geometry=gpd.points_from_xy([10.5, 10.5, 11.5, 13.0, 10.5], [40.5, 40.5, 40.5, 40.5, 40.5]),
        crs=4326, index=[10, 20, 30, 40, 50])


def test_on_is_a_geodataframe_of_the_features_of_that_day(land):
    got = land.on("1925-06-01", "polities")
    assert isinstance(got, gpd.GeoDataFrame) and got.crs == "EPSG:4326"
    assert got["name"].tolist() == ["Aland", "Cland"] and got.geometry.equals(gpd.GeoSeries([A, C], crs=4326))
    assert land.on("1935-06-01")["name"].tolist() == ["Bland", "Cland"]
    none = land.on("1930-06-01", "kazakh_regions")
    assert isinstance(none, gpd.GeoDataFrame) and len(none) == 0


def test_locate_takes_points_with_a_date_column_as_well_as_arrays(land, pts):
    expected = ["Aland", "Bland", "Cland", "", ""]  # the last two: outside every polity; no date
    from_frame = land.locate(pts, days="when")
    assert from_frame.index.tolist() == [10, 20, 30, 40, 50] and from_frame["polity"].tolist() == expected
    from_series = land.locate(pts.geometry, days=pts["when"].tolist())
    from_arrays = land.locate([10.5, 10.5, 11.5, 13.0, 10.5], [40.5] * 5, pts["when"].tolist())
    assert from_series["polity"].tolist() == from_arrays["polity"].tolist() == expected
    assert from_frame.loc[20, "occupier"] == "Xland" and from_frame.loc[30, "kz_region"] == "Cland Oblast"
    assert from_frame.loc[30, "republic"] == "Cland SSR" and from_frame.loc[10, "republic"] == ""


def test_projected_points_are_located_where_they_are(land, pts):
    assert land.locate(pts.to_crs(3857), days="when")["polity"].tolist() == ["Aland", "Bland", "Cland", "", ""]


def test_only_points_with_dates_can_be_located(land, pts):
    with pytest.raises(ValueError, match="only points .* Polygon"):
        land.locate(gpd.GeoSeries([A], crs=4326), days=["1930-01-01"])
    with pytest.raises(ValueError, match="no date column 'date'"):
        land.locate(pts, days="date")
    with pytest.raises(ValueError, match="4 dates for 5 points"):
        land.locate(pts, days=["1930-01-01"] * 4)
    with pytest.raises(TypeError):
        land.locate(pts, [1.0], days="when")


def test_join_dated_is_an_sjoin_on_the_borders_of_each_points_date(land, pts):
    got = join_dated(pts.to_crs(3857), "when", layers=["polities", "occupation"], borders=land)
    assert isinstance(got, gpd.GeoDataFrame) and got.crs == "EPSG:3857"  # the input's own geometry and CRS
    assert got.geometry.equals(pts.to_crs(3857).geometry) and got.index.tolist() == pts.index.tolist()
    assert got["polity"].tolist() == ["Aland", "Bland", "Cland", "", ""]
    assert got["polity_id"].tolist() == ["A@1920-01-01", "B@1930-01-01", "C@1920-01-01", "", ""]
    assert got["occupier"].tolist() == ["", "Xland", "", "", ""] and "kz_region" not in got
    assert got["who"].tolist() == list("pqrst")  # the points' own columns are kept


def test_join_dated_never_overwrites_a_column_of_the_points(land, pts):
    got = join_dated(pts.assign(polity="as the register says"), "when", layers=["polities"], borders=land)
    assert (got["polity"] == "as the register says").all() and got["polity_right"].tolist()[:3] == ["Aland", "Bland", "Cland"]


def _joined() -> pd.DataFrame:
    """Rows shaped like join_records' accepted table: the second has an unplaced destination."""
    return pd.DataFrame({"row": [1, 2], "origin": ["Aville", "Aville"], "destination": ["Ctown", "Nowhere"],
                         "origin_lon": [10.5, 10.5], "origin_lat": [40.5, 40.5],
                         "destination_lon": [11.5, np.nan], "destination_lat": [40.5, np.nan], "count": [3.0, None]})


@pytest.mark.parametrize("active, kind", [("origin", "Point"), ("destination", "Point"), ("flow", "LineString")])
def test_records_frame_has_both_ends_and_the_line(active, kind):
    got = records_frame(_joined(), active)
    assert isinstance(got, gpd.GeoDataFrame) and got.crs == "EPSG:4326"
    assert got.geometry.name == {"origin": "origin_point", "destination": "destination_point", "flow": "flow_line"}[active]
    assert got.geometry.iloc[0].geom_type == kind
    assert got["origin_point"].iloc[0].equals(shapely.Point(10.5, 40.5))
    assert got["flow_line"].iloc[0].equals(shapely.LineString([(10.5, 40.5), (11.5, 40.5)]))
    assert got["destination_point"].iloc[1] is None and got["flow_line"].iloc[1] is None  # an unplaced end: nothing drawn
    assert got["count"].tolist()[0] == 3.0


def test_records_frame_refuses_an_unknown_geometry():
    with pytest.raises(ValueError, match="origin, destination, flow"):
        records_frame(_joined(), "centroid")


def test_join_records_returns_a_geodataframe_on_request():
    from geo.gazetteer import bundled_gazetteer
    from geo.join import join_records

    g = bundled_gazetteer()
    rec = pd.DataFrame({"origin": ["Lwów", "Lwów"], "destination": ["Karaganda", "Qwrtzxyplk"], "date": ["1940-06", "1940-06"]})
    plain = join_records(rec, g.borders, g)
    geo = join_records(rec, g.borders, g, geometry="flow")
    assert not isinstance(plain.accepted, gpd.GeoDataFrame) and isinstance(geo.accepted, gpd.GeoDataFrame)
    assert geo.accepted.geometry.name == "flow_line" and geo.accepted.crs == "EPSG:4326"
    first = geo.accepted.iloc[0]
    assert first["flow_line"].coords[0] == (first["origin_lon"], first["origin_lat"])
    assert first["flow_line"].coords[-1] == (first["destination_lon"], first["destination_lat"])
    assert geo.accepted["flow_line"].iloc[1] is None  # the unresolved destination is not drawn anywhere
    pd.testing.assert_frame_equal(pd.DataFrame(geo.accepted.drop(columns=["origin_point", "destination_point", "flow_line"])),
                                  plain.accepted)
    with pytest.raises(ValueError, match="geometry must be"):
        join_records(rec, g.borders, g, geometry="line")


def _records() -> pd.DataFrame:
    """Joined-style records: two on one route (one with no count), one on another route."""
    return pd.DataFrame({
        "id": ["r1", "r2", "r3"], "origin_place": ["P", "P", "Q"], "destination_place": ["K", "K", "K"],
        "origin_lat": [50.0, 50.0, 54.0], "origin_lon": [30.0, 30.0, 40.0],
        "destination_lat": [50.0, 50.0, 50.0], "destination_lon": [70.0, 70.0, 70.0],
        "count": pd.array([100.0, None, 7.0], dtype="Float64"), "count_low": pd.array([90.0, None, 7.0], dtype="Float64"),
        "count_high": pd.array([120.0, None, 7.0], dtype="Float64"), "category": ["deportation"] * 3,
        "origin_polity": ["X"] * 3, "origin_republic": [""] * 3, "origin_autonomy": [""] * 3,
        "destination_polity": ["Y"] * 3, "destination_republic": [""] * 3, "destination_autonomy": [""] * 3,
        "destination_kz_region": ["K Oblast"] * 3,
    })


def test_flow_lines_carry_the_totals_of_aggregate():
    flows = aggregate(_records(), "place")
    lines = flow_lines(flows)
    assert isinstance(lines, gpd.GeoDataFrame) and lines.crs == "EPSG:4326" and len(lines) == 2
    pd.testing.assert_frame_equal(pd.DataFrame(lines.drop(columns="geometry")), flows)  # every column of aggregate kept
    pq = lines.set_index(["origin", "destination"]).loc[("P", "K")]
    assert pq["people"] == 100 and pq["unknown"] == 1 and pq["records"] == 2 and (pq["low"], pq["high"]) == (90, 120)


def test_a_curved_flow_runs_from_origin_to_destination_bending_left():
    line = flow_lines(aggregate(_records(), "place"), points=21).set_index("origin").loc["P", "geometry"]
    xy = np.asarray(line.coords)
    assert len(xy) == 21 and tuple(xy[0]) == (30.0, 50.0) and tuple(xy[-1]) == (70.0, 50.0)
    # eastward route: the left is north; the curve's middle is half way to the control point 0.2 x 40 degrees up
    assert xy[10] == pytest.approx([50.0, 50.0 + BEND * 40 / 2])
    straight = flow_lines(aggregate(_records(), "place"), curved=False).set_index("origin").loc["P", "geometry"]
    assert list(straight.coords) == [(30.0, 50.0), (70.0, 50.0)]


def test_curves_are_computed_for_all_routes_at_once():
    got = curve_coords(np.array([[0.0, 0.0], [0.0, 0.0]]), np.array([[0.0, 10.0], [10.0, 0.0]]), points=3)
    assert got.shape == (2, 3, 2)
    assert got[0, 1] == pytest.approx([-BEND * 10 / 2, 5.0]) and got[1, 1] == pytest.approx([5.0, BEND * 10 / 2])


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".parquet"])
def test_write_frame_round_trips_and_keeps_one_geometry_where_the_format_has_one(tmp_path, suffix):
    frame = records_frame(_joined(), "flow").assign(ids=[["a", "b"], ["c"]])
    path = tmp_path / f"out{suffix}"
    write_frame(frame, path)
    back = gpd.read_parquet(path) if suffix == ".parquet" else gpd.read_file(path)
    assert back.crs == "EPSG:4326" and len(back) == 2 and back["ids"].tolist() == ["a; b", "c"]
    assert back.geometry.iloc[0].equals(shapely.LineString([(10.5, 40.5), (11.5, 40.5)]))
    assert back.geometry.iloc[1] is None
    assert back["count"].iloc[0] == 3.0 and back["destination"].tolist() == ["Ctown", "Nowhere"]
    if suffix == ".parquet":  # GeoParquet keeps every geometry column
        assert isinstance(back["origin_point"], gpd.GeoSeries)
    else:
        assert "origin_point" not in back.columns
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left beside it


def test_write_frame_refuses_a_format_it_cannot_write(tmp_path):
    with pytest.raises(ValueError, match=r"cannot write \.kml"):
        write_frame(records_frame(_joined()), tmp_path / "x.kml")
    assert not list(tmp_path.iterdir())
