"""python -m geo evaluate-places, Linked Places export/import, the focus region in the CLI and the mapping file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geo.gazetteer import bundled_gazetteer
from geo.gazetteer.evaluation import evaluate_file
from geo.gazetteer.lpf import LPFError, export_lpf, read_lpf
from geo.records import TableError, mapping_settings, parse_mapping

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC = ROOT / "tests" / "data" / "evaluation_synthetic.csv"
EVALUATION = ROOT / "data" / "evaluation" / "places.csv"


def _geo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          check=False)


# -- evaluate-places ------------------------------------------------------------------------------
def test_evaluation_scores_each_kind_of_verdict_on_a_synthetic_file():
    report = evaluate_file(SYNTHETIC)
    verdicts = dict(zip(report.rows["id"], report.rows["verdict"]))
    assert verdicts == {"syn-01": "right", "syn-02": "right", "syn-03": "miss", "syn-04": "wrong",
                        "syn-05": "wrong_continent", "syn-06": "right", "syn-07": "invalid", "syn-08": "right"}
    why = dict(zip(report.rows["id"], report.rows["why"]))
    assert "polity of the date is 'Poland'" in why["syn-04"] and "(NA)" in why["syn-05"]
    t = report.by_kind
    assert t.loc["shared_name", ["rows", "right", "wrong_continent"]].tolist() == [4, 3, 1]
    assert t.loc["all", "right_share"] == pytest.approx(4 / 7)
    assert not report.meets_targets and len(report.failures()) == 4


def test_evaluate_places_cli_prints_the_table_and_checks_the_targets(tmp_path):
    r = _geo("evaluate-places", str(SYNTHETIC), "--rows", str(tmp_path / "rows.csv"), "--check")
    assert r.returncode == 4 and "targets not met" in r.stderr
    assert "shared_name" in r.stdout and "wrong continent" in r.stdout and "syn-05" in r.stdout
    assert len(pd.read_csv(tmp_path / "rows.csv")) == 8
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\nx,y\n", encoding="utf-8")
    r = _geo("evaluate-places", str(bad))
    assert r.returncode == 1 and "lacks the columns" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.skipif(not EVALUATION.exists(), reason="data/evaluation/places.csv is not on this branch yet")
def test_the_evaluation_set_meets_the_targets_of_issue_12():
    """Measured on 2026-11-30: 556 of 571 right (97.4 %; 554 before the dated names and the stricter
    spelling match of gaz3), no wrong row, no row on the wrong continent; the floor is what was reached,
    so one row lost fails this test."""
    report = evaluate_file(EVALUATION)
    o = report.overall
    assert o["wrong_continent"] == 0 and o["invalid"] == 0 and o["wrong"] == 0
    assert o["right"] >= 556 and o["right_share"] >= 0.97
    assert report.meets_targets


# -- Linked Places Format -------------------------------------------------------------------------
def test_lpf_export_carries_dated_names_citations_and_links():
    doc = export_lpf(supplement=pd.DataFrame([{"name": "Novaya Zhizn (test)", "lat": 50.1, "lon": 70.2,
                                                "names": "Новая Жизнь@1930..1960", "country": "KZ", "source": "my notes"}]))
    assert doc["type"] == "FeatureCollection" and "linkedplaces" in doc["@context"]
    curated = pd.read_csv(ROOT / "data" / "movements" / "places.csv", dtype=str, keep_default_na=False)
    assert len(doc["features"]) == len(curated) + 1
    almaty = next(f for f in doc["features"] if f["@id"].endswith(":almaty"))
    alma_ata = next(n for n in almaty["names"] if n["toponym"] == "Alma-Ata")
    assert alma_ata["when"]["timespans"] == [{"start": {"in": "1921"}, "end": {"in": "1993"}}]
    verny = next(n for n in almaty["names"] if n["toponym"] == "Verny")
    assert verny["when"]["timespans"][0]["start"] == {"latest": "1921"} and verny["citations"]
    assert almaty["links"] == [{"type": "closeMatch", "identifier": "https://www.geonames.org/1526384"}]
    assert almaty["geometry"]["type"] == "Point" and almaty["properties"]["ccodes"] == ["KZ"]
    mine = doc["features"][-1]
    assert mine["names"][1] == {"toponym": "Новая Жизнь", "when": {"timespans": [{"start": {"in": "1930"},
                                "end": {"in": "1960"}}]}, "citations": [{"label": "my notes"}]}


def test_lpf_round_trip_keeps_names_and_years():
    doc = export_lpf()
    back = read_lpf(json.dumps(doc).encode())
    row = back[back["id"] == "almaty"].iloc[0]
    assert row["name"] == "Almaty" and "Alma-Ata@1921..1993" in row["names"].split("|")
    assert "Verny@..1921" in row["names"].split("|") and "Almaty@1993.." in row["names"].split("|")
    g = bundled_gazetteer().with_supplement(back)
    p = g.resolve(["Alma-Ata"], [1940])[0]
    assert p.match == "user" and p.name == "Almaty"


def test_lpf_bad_input_gets_one_line_and_loses_nothing(tmp_path):
    with pytest.raises(LPFError, match="not a Linked Places file"):
        read_lpf(b"{not json")
    with pytest.raises(LPFError, match="FeatureCollection"):
        read_lpf(b'{"type": "Feature"}')
    frame = read_lpf(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"title": "Somewhere"}, "geometry": None},
        {"type": "Feature", "properties": {"title": "Ok"}, "names": [{"toponym": "Ok"}],
         "geometry": {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [70, 50]}]}},
    ]}).encode())
    assert list(frame["name"]) == ["Ok"] and frame.attrs["skipped"] == ["feature 1 (Somewhere): no point geometry"]


def test_join_takes_an_lpf_supplement_and_export_places_writes_one(tmp_path):
    lpf = tmp_path / "mine.jsonld"
    lpf.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"@id": "x:1", "type": "Feature", "properties": {"title": "Krasnaya Zvezda (test settlement)", "ccodes": ["KZ"]},
         "names": [{"toponym": "Красная Звезда", "citations": [{"label": "family letter, 1941"}],
                    "when": {"timespans": [{"start": {"in": "1936"}, "end": {"in": "1958"}}]}}],
         "geometry": {"type": "Point", "coordinates": [71.5, 51.2]}},
        {"@id": "x:2", "type": "Feature", "properties": {"title": "No point"}, "geometry": None}]}), encoding="utf-8")
    rec = tmp_path / "r.csv"
    rec.write_text("origin,destination,date\nSaratov,Красная Звезда,1941-09\n", encoding="utf-8")
    r = _geo("join", str(rec), "--places", str(lpf), "--out", str(tmp_path / "out.csv"))
    assert r.returncode == 0, r.stderr
    assert "feature 2 (No point): no point geometry" in r.stderr
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out.loc[0, "destination_match"] == "user" and out.loc[0, "destination_kz_region"] == "Akmolinsk Oblast"
    r = _geo("export-places", "--out", str(tmp_path / "all.jsonld"), "--places", str(lpf))
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "all.jsonld").read_text(encoding="utf-8"))["features"][-1]["properties"]["title"] \
        == "Krasnaya Zvezda (test settlement)"


# -- the focus region: library, CLI flag, mapping file --------------------------------------------
def test_focus_in_the_mapping_file_and_on_the_command_line(tmp_path):
    assert parse_mapping('{"Откуда": "origin", "@focus": "none"}') == {"Откуда": "origin"}
    assert mapping_settings('{"Откуда": "origin", "@focus": "none"}') == {"@focus": "none"}
    with pytest.raises(TableError, match="unknown settings"):
        parse_mapping('{"@fokus": "none"}')
    rec = tmp_path / "r.csv"
    rec.write_text("Откуда,Куда,Дата\nOdessa,Qwrtzxyplk,1941\n", encoding="utf-8")  # the other end cannot decide
    for extra, match in (([], "alternate"), (["--focus", "none"], "ambiguous")):
        r = _geo("join", str(rec), "--out", str(tmp_path / "out.csv"), *extra)
        assert r.returncode == 0, r.stderr
        assert pd.read_csv(tmp_path / "out.csv", dtype=str).loc[0, "origin_match"] == match
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"Откуда": "origin", "Куда": "destination", "Дата": "date", "@focus": "none"}))
    r = _geo("join", str(rec), "--mapping", str(mapping), "--out", str(tmp_path / "out.csv"))
    assert r.returncode == 0 and "focus region none" in r.stderr
    assert pd.read_csv(tmp_path / "out.csv", dtype=str).loc[0, "origin_match"] == "ambiguous"
    r = _geo("join", str(rec), "--out", str(tmp_path / "out.csv"), "--focus", "Atlantis")
    assert r.returncode == 1 and "focus 'Atlantis'" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_locate_names_the_rule_and_what_it_passed_over():
    r = _geo("locate", "Odessa", "--date", "1937")
    out = json.loads(r.stdout)
    assert out["rule"] == "focus_region" and out["passed_over"][0]["country"] == "US" and out["focus"] == "europe-ussr"
    r = _geo("locate", "Brest", "--date", "1940-06", "--other-end", "Москва")
    assert json.loads(r.stdout)["country"] == "BY"
