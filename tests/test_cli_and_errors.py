"""Command line and bad-input behaviour: one clear line, a non-zero exit, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from geo.borders import BordersError, load_borders

ROOT = Path(__file__).resolve().parent.parent


def _geo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_build_without_the_npm_input_says_what_to_do(tmp_path):
    r = _geo("build-shapes", "--admin1", str(tmp_path / "missing.json"), "--out", str(tmp_path / "out"))
    assert r.returncode == 2
    assert "npm ci" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_compare_borders_reports_a_missing_folder(tmp_path):
    r = _geo("compare-borders", str(tmp_path / "nowhere"))
    assert r.returncode == 2 and "not found" in r.stderr and "Traceback" not in r.stderr


def test_compare_borders_prints_the_agreement_table(reference_dir):
    r = _geo("compare-borders", str(reference_dir))
    assert r.returncode == 0, r.stderr
    assert "IoU" in r.stdout and "Poland" in r.stdout and r.stdout.count("\n") > 60


def test_missing_border_files_raise_a_clear_error(tmp_path):
    with pytest.raises(BordersError, match="border layer 'polities' not found"):
        load_borders(tmp_path)


@pytest.mark.parametrize("content, message", [
    ("{not json", "not readable GeoJSON"),
    ('{"type": "FeatureCollection"}', "no feature list"),
    ('{"type": "FeatureCollection", "features": [{"properties": {}, "geometry": null}]}', "malformed feature"),
    (b"\xff\xfe\x00garbage", "not readable GeoJSON"),
])
def test_corrupt_border_files_raise_a_clear_error(tmp_path, content, message):
    for name in ("polities", "republics", "kazakh_regions", "occupation"):
        (tmp_path / f"{name}.geojson").write_bytes((ROOT / "data" / "shapes" / f"{name}.geojson").read_bytes())
    target = tmp_path / "polities.geojson"
    target.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(BordersError, match=message):
        load_borders(tmp_path)


def test_benchmark_script_runs_and_prints_all_three_methods():
    r = subprocess.run([sys.executable, "benchmarks/bench_borders.py", "--points", "3000", "--dates", "50"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "ours: Layer.locate" in r.stdout and "plain: geopandas.sjoin of distinct points" in r.stdout
    assert "loop: geopandas.sjoin per distinct date" in r.stdout
    assert "ours vs plain sjoin + date filter" in r.stdout and "ours vs per-date loop" in r.stdout
    assert r.stdout.count("answers agree on 100.00%") == 2  # the same answers from all three methods
