"""Borders a user brings, read through geopandas/pyogrio in every format the library promises."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import pytest
import shapely

from geo.borders import BordersError
from geo.userborders import load_user_borders


@pytest.fixture()
def dated() -> gpd.GeoDataFrame:
    """Two polities on one square, one after the other (CShapes-style dates), and a neighbour."""
    return gpd.GeoDataFrame(
        {"cntry_name": ["Aland", "Bland", "Cland"],
         "gwsdate": ["1920-01-01", "1930-01-01", "1920-01-01"],
         "gwedate": ["1929-12-31", "1950-12-31", "1950-12-31"]},
        geometry=[shapely.box(10, 40, 11, 41), shapely.box(10, 40, 11, 41), shapely.box(11, 40, 12, 41)], crs=4326)


def _holders(borders) -> list[str]:
    got = borders.locate([10.5, 10.5, 11.5], [40.5, 40.5, 40.5], ["1925-06-01", "1935-06-01", "1935-06-01"],
                         layers=["polities"])
    return got["polity"].tolist()


def _zip(files, target, folder=""):
    with zipfile.ZipFile(target, "w") as z:
        for f in files:
            z.write(f, folder + f.name)
    return target


@pytest.mark.parametrize("fmt", ["gpkg", "shp", "geojson", "parquet", "shp.zip", "shp-in-folder.zip", "gpkg.zip",
                                 "shp parts"])
def test_every_format_reads_to_the_same_borders(tmp_path, dated, fmt):
    src = tmp_path / "src"
    src.mkdir()
    if fmt == "parquet":
        path = src / "b.parquet"
        dated.to_parquet(path)
    elif fmt.startswith("gpkg"):
        path = src / "b.gpkg"
        dated.to_file(path, driver="GPKG")
    elif fmt == "geojson":
        path = src / "b.geojson"
        dated.to_file(path, driver="GeoJSON")
    else:
        path = src / "b.shp"
        dated.to_file(path)
    if fmt.endswith(".zip"):
        path = _zip(sorted(src.iterdir()), tmp_path / "b.zip", "borders/" if "folder" in fmt else "")
    if fmt == "shp parts":  # the parts of one Shapefile uploaded together land in one folder
        path = src
    assert _holders(load_user_borders(path)) == ["Aland", "Bland", "Cland"]


def test_a_projected_file_is_brought_to_longitude_and_latitude(tmp_path, dated):
    path = tmp_path / "b.gpkg"
    dated.to_crs(3857).to_file(path, driver="GPKG")
    assert _holders(load_user_borders(path)) == ["Aland", "Bland", "Cland"]


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04 not really a zip", "not a readable zip archive"),
    (None, "holds 2 .shp files"),
    (b"", "holds no Shapefile"),
])
def test_an_unusable_zip_gets_one_clear_line(tmp_path, dated, content, message):
    target = tmp_path / "b.zip"
    if content is None:
        for k in (1, 2):
            dated.to_file(tmp_path / f"p{k}.shp")
        _zip(sorted(tmp_path.glob("p*.*")), target)
    elif content == b"":
        (tmp_path / "readme.txt").write_text("no borders here")
        _zip([tmp_path / "readme.txt"], target)
    else:
        target.write_bytes(content)
    with pytest.raises(BordersError, match=message) as exc:
        load_user_borders(target)
    assert "\n" not in str(exc.value)


def test_a_broken_geopackage_gets_one_clear_line(tmp_path):
    path = tmp_path / "b.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + bytes(200))
    with pytest.raises(BordersError, match="not a readable GeoPackage, Shapefile, GeoJSON or GeoParquet") as exc:
        load_user_borders(path)
    assert "\n" not in str(exc.value)
