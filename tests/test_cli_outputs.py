"""`python -m geo join --out`: CSV, XLSX and geodata (GeoPackage, GeoJSON, GeoParquet), or a one-line refusal."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo import cli

ROOT = Path(__file__).resolve().parent.parent
REGISTER = "origin,destination,date,count\nLwów,Karaganda,1940-06,100\nWien,Charkow,IV.1934,3\nLwów,Qwrtzxyplk,1941,5\n"


@pytest.fixture()
def register(tmp_path) -> Path:
    path = tmp_path / "in" / "register.csv"
    path.parent.mkdir()
    path.write_text(REGISTER, encoding="utf-8")
    return path


def _geo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".parquet"])
@pytest.mark.parametrize("geometry, kind", [("origin", "Point"), ("flow", "LineString")])
def test_join_writes_geodata_with_the_geometry_asked_for(register, tmp_path, suffix, geometry, kind, capsys):
    out = tmp_path / f"joined{suffix}"
    assert cli.main(["join", str(register), "--out", str(out), "--geometry", geometry]) == 0, capsys.readouterr().err
    back = gpd.read_parquet(out) if suffix == ".parquet" else gpd.read_file(out)
    assert back.crs == "EPSG:4326" and len(back) == 3
    assert back["origin_polity"].tolist() == ["USSR", "Austria", "USSR"]
    assert back["destination_kz_region"].iloc[0] == "Karaganda Oblast"
    assert back.geometry.iloc[0].geom_type == kind
    first = back.iloc[0]
    assert back.geometry.iloc[0].coords[0] == pytest.approx((first["origin_lon"], first["origin_lat"]))
    if geometry == "flow":  # the unresolved destination: no line is drawn for that record
        assert back.geometry.iloc[2] is None
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in", out.name])  # nothing else left behind


def test_join_writes_xlsx_as_a_workbook_not_csv_text(register, tmp_path):
    out = tmp_path / "joined.xlsx"
    assert cli.main(["join", str(register), "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"  # a zip container, as XLSX is
    book = pd.read_excel(out, dtype=str)
    assert book["origin_polity"].tolist() == ["USSR", "Austria", "USSR"]


@pytest.mark.parametrize("args, message", [
    (["--out", "joined.kml"], "--out joined.kml: cannot write .kml; name a file ending in .csv, .xlsx, .gpkg"),
    (["--out", "joined"], "--out joined: cannot write a file without an ending"),
    (["--out", "joined.shp"], "cannot write .shp"),
    (["--out", "joined.csv", "--rejects", "rejected.gpkg"],
     "--rejects rejected.gpkg: cannot write .gpkg; name a file ending in .csv, .xlsx"),
])
def test_an_output_the_cli_cannot_write_is_refused_in_one_line(register, tmp_path, args, message):
    r = _geo("join", str(register), *[a if a.startswith("--") else str(tmp_path / a) for a in args])
    assert r.returncode == 1 and message in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["in"]  # nothing written, not even the output that was fine


def test_a_full_disk_while_writing_geodata_leaves_nothing_behind(register, tmp_path, monkeypatch, capsys):
    def full(self, filename, *a, **kw):
        Path(filename).write_bytes(b"half a geopackage")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(filename))

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", full)
    out = tmp_path / "joined.gpkg"
    assert cli.main(["join", str(register), "--out", str(out)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["in"]
