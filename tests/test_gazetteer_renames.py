"""Issue 12, third round: never wrong on names it has not seen.

The rules that make a weak match *ambiguous* instead of a guess, and the dated names of renamed towns, first
on small synthetic fixtures (made-up places, points chosen by hand: these test the logic), then the table
``data/gazetteer/renames.csv`` against its sources (every point is its GeoNames record's, dates parse, the
names of one place do not overlap).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from geo.gazetteer import Gazetteer
from geo.gazetteer.nameindex import plausible_slip
from geo.gazetteer.rules import (
    Candidate,
    Context,
    Focus,
    alias_against_own_name,
    close_spellings,
    decide,
    exonym_of_a_larger_namesake,
    name_not_yet_given,
)
from geo.gazetteer.sources import ENTRY_COLUMNS, renamed_entries
from geo.names import key

REGION = Focus("test", frozenset({"UA", "KZ", "RU", "AT"}), "the test region")


def cand(name, country="RU", pop=100_000, *, match="exact", uses=(), curated=False, spelled=(), namesake_of=""):
    return Candidate(place_id=f"t:{name}:{country}:{pop}", name=name, country=country, lat=50.0, lon=40.0,
                     population=pop, kind="city", match=match, curated=curated, uses=tuple(uses),
                     spelled=frozenset(spelled), namesake_of=namesake_of)


# -- the rules on their own -----------------------------------------------------------------------
def test_close_spellings_stop_the_rules_when_two_different_names_are_one_slip_away():
    big, small = cand("Pavlograd", pop=900_000, match="fuzzy:90", spelled={"pavlograd"}), \
        cand("Pavlodar", "KZ", 300_000, match="fuzzy:88", spelled={"pavlodar"})
    kept, why = close_spellings([big, small], Context())
    assert kept == [] and "pavlodar" in why and "pavlograd" in why
    d = decide([big, small], Context(focus=REGION))
    assert d.chosen is None and d.vetoed and len(d.remaining) == 2  # not the larger one by population
    same = cand("Pavlodar", "KZ", 5_000, match="fuzzy:88", spelled={"pavlodar"})
    assert close_spellings([small, same], Context()) is None  # one spelling, two places: the rules decide
    assert close_spellings([cand("A"), cand("B", "UA")], Context()) is None  # no spelling match at all


def test_a_text_hint_still_decides_between_close_spellings():
    a = cand("Pavlograd", "UA", match="fuzzy:90", spelled={"pavlograd"})
    b = cand("Pavlodar", "KZ", match="fuzzy:88", spelled={"pavlodar"})
    d = decide([a, b], Context(hint="Kazakhstan", hint_matches=lambda c: c.country == "KZ"))
    assert d.chosen is b


def test_an_exonym_that_is_also_a_spelling_of_a_larger_namesake_is_ambiguous():
    small = cand("Rostovets", pop=30_000, match="alternate")
    larger = cand("Rostov-na-Donu", pop=1_000_000, match="alternate", namesake_of="rostov")
    kept, why = exonym_of_a_larger_namesake([small, larger], Context())
    assert kept == [] and "'rostov'" in why and "Rostov-na-Donu" in why
    assert exonym_of_a_larger_namesake([small, cand("Other", "UA")], Context()) is None
    d = decide([small, larger], Context(focus=REGION))
    assert d.chosen is None and {c.name for c in d.remaining} == {"Rostovets", "Rostov-na-Donu"}


def test_a_short_or_foreign_alias_does_not_beat_a_place_s_own_name_by_population():
    own = cand("Erlau", "AT", 500)
    short_alias = cand("Erenburg", "CN", 16_000, match="alternate")
    kept, why = alias_against_own_name([own, short_alias], Context(focus=REGION, name="erl"))
    assert kept == [] and "3 letters or fewer" in why
    kept, why = alias_against_own_name([own, short_alias], Context(focus=REGION, name="erlauberg"))
    assert kept == [] and "outside the focus region" in why  # the alias of a place abroad
    inside_alias = cand("Erenburg", "KZ", 16_000, match="alternate")  # inside, long name: population may decide
    assert alias_against_own_name([own, inside_alias], Context(focus=REGION, name="erlauberg")) is None
    documented = cand("Erenburg", "CN", 16_000, match="alternate", uses=[(1900.0, 1950.0)])
    assert alias_against_own_name([own, documented], Context(focus=REGION, name="erl")) is None
    smaller_alias = cand("Erenburg", "CN", 100, match="alternate")
    assert alias_against_own_name([own, smaller_alias], Context(focus=REGION, name="erl")) is None
    d = decide([own, short_alias], Context(focus=REGION, name="erl"))
    assert d.chosen is None and d.vetoed  # much_larger_place never gets to pick the alias


def test_a_name_given_later_loses_to_one_documented_on_the_date():
    later = cand("Novograd", pop=130_000, uses=[(1961.0, math.nan)])
    then = cand("Novograd", "UA", 70_000, match="alternate", uses=[(1794.0, 2024.0)])
    kept, _ = name_not_yet_given([later, then], Context(year=1940))
    assert kept == [then]
    assert name_not_yet_given([later, then], Context(year=1970)) is None  # both bore it then


def test_a_name_dated_only_by_the_table_does_not_pass_over_an_undated_town():
    from geo.gazetteer.rules import name_in_use_on_the_date

    table_dated = cand("Ordzhonikidze", pop=300_000, match="alternate", uses=[(1931.0, 1944.0)])
    undated_town = cand("Yenakiieve", "UA", 77_000, match="alternate")
    undated_village = cand("Ordzhonikidze", "KZ", 4_000)
    assert name_in_use_on_the_date([table_dated, undated_town], Context(year=1940)) is None
    assert name_in_use_on_the_date([table_dated, undated_village], Context(year=1940))[0] == [table_dated]
    curated_dated = cand("Ordzhonikidze", pop=300_000, match="curated", curated=True, uses=[(1931.0, 1944.0)])
    assert name_in_use_on_the_date([curated_dated, undated_town], Context(year=1940))[0] == [curated_dated]


@pytest.mark.parametrize("written, known, ok", [
    ("chimkend", "chimkent", True),      # d for t
    ("pavladar", "pavlodar", True),      # a for o
    ("павладар", "павлодар", True),
    ("novosibrisk", "novosibirsk", True),  # two letters swapped
    ("stalingrd", "stalingrad", True),    # a letter dropped
    ("pavlodarr", "pavlodar", True),      # a letter doubled
    ("bijskas", "birskas", False),        # j and r: another name, not a slip
    ("karaganda", "karaganga", False),    # d and g
])
def test_plausible_slips(written, known, ok):
    assert plausible_slip(written, known) is ok


# -- dated names on a tiny gazetteer --------------------------------------------------------------
def _tiny_renamed(tmp_path):
    table = tmp_path / "renames.csv"
    table.write_text(
        "# test table\n"
        "place,geonameid,name,from,to,lat,lon,source,locator,checked\n"
        "Novograd,1,Bobrovo|Боброво,,1934,54.0,38.3,test source,p. 1,test\n"
        "Novograd,1,Novograd|Новоград,1961,,54.0,38.3,test source,p. 1,test\n"
        "Samarka,2,Novograd|Новоград,1794,2024,48.6,35.3,test source,p. 2,test\n",
        encoding="utf-8")
    points = {1: (54.0, 38.3, 130_000, "Novograd"), 2: (48.6, 35.3, 70_000, "Samarka")}
    dated = renamed_entries(table, points)
    assert set(dated["place_id"]) == {"gn:1", "gn:2"}
    assert set(dated.loc[dated["place_id"] == "gn:1", "source_kind"]) == {"exact", "alternate"}
    assert (dated["source"].str.startswith("renames.csv: test source")).all()
    undated = pd.DataFrame([
        {"place_id": "gn:2", "name": "Samarka", "key": key("Samarka"), "lat": 48.6, "lon": 35.3, "country": "UA",
         "population": 70_000, "kind": "city", "valid_from": math.nan, "valid_to": math.nan, "source": "GeoNames 2",
         "source_kind": "exact", "written": "", "admin1": "", "reading": ""},
    ], columns=list(ENTRY_COLUMNS))
    dated = dated.assign(country=dated["place_id"].map({"gn:1": "RU", "gn:2": "UA"}))
    return Gazetteer(pd.concat([dated, undated], ignore_index=True), focus=REGION)


def test_the_namesake_that_bore_the_name_on_the_date_wins(tmp_path):
    g = _tiny_renamed(tmp_path)
    p = g.resolve(["Novograd"], [1940])[0]
    assert p.place_id == "gn:2" and p.rule == "name_not_yet_given"
    assert g.resolve(["Новоград"], [1940])[0].place_id == "gn:2"
    assert g.resolve(["Novograd"], [1970])[0].match == "ambiguous"  # both bore it in 1970


def test_a_former_name_resolves_and_a_modern_name_names_the_era(tmp_path):
    g = _tiny_renamed(tmp_path)
    old = g.resolve(["Bobrovo"], [1930])[0]
    assert old.place_id == "gn:1"
    modern = g.resolve(["Bobrovo"], [1950])[0]  # a former name used later: still the same place
    assert modern.place_id == "gn:1" and "former name" in modern.note


# -- the table against its sources ----------------------------------------------------------------
@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    from geo.gazetteer.resolver import RENAMES

    return pd.read_csv(RENAMES, dtype=str, keep_default_na=False, comment="#")


def test_every_row_cites_a_read_source_and_its_dates_parse(table):
    assert list(table.columns) == ["place", "geonameid", "name", "from", "to", "lat", "lon", "source", "locator",
                                   "checked"]
    assert len(table) >= 15
    for _, r in table.iterrows():
        assert r["geonameid"].isdigit() and r["name"].strip() and len(r["source"]) > 10, r.to_dict()
        assert r["locator"] and r["checked"].startswith("2026-"), r.to_dict()
        assert r["from"] or r["to"], r.to_dict()  # a name without years says nothing about its era
        for y in (r["from"], r["to"]):
            assert not y or (y.isdigit() and 1700 <= int(y) <= 2030), r.to_dict()
        if r["from"] and r["to"]:
            assert int(r["from"]) <= int(r["to"]), r.to_dict()


def test_every_point_is_its_geonames_record_s(table):
    from geo.gazetteer.rules import km
    from geo.gazetteer.sources import geonames_entries, geonames_points

    points = geonames_points(geonames_entries(), {int(g) for g in table["geonameid"]})
    for _, r in table.iterrows():
        gid = int(r["geonameid"])
        assert gid in points, f"GeoNames {gid} ({r['place']}) is not in the bundled GeoNames tables"
        lat, lon, _, name = points[gid]
        assert km((float(r["lat"]), float(r["lon"])), (lat, lon)) < 0.1, (r["place"], lat, lon)
        assert r["place"] == name, (r["place"], name)


def test_two_names_of_one_place_never_overlap(table):
    for gid, rows in table.groupby("geonameid"):
        spans = []
        for _, r in rows.iterrows():
            spans.append((int(r["from"]) if r["from"] else -math.inf, int(r["to"]) if r["to"] else math.inf,
                          frozenset(key(n) for n in r["name"].split("|"))))
        for i, (a0, a1, an) in enumerate(spans):
            for b0, b1, bn in spans[i + 1:]:
                if an & bn:  # the same name in two periods (Ridder until 1941 and again from 2002)
                    assert a1 < b0 or b1 < a0, gid
                else:  # two names of one place share at most the year of the renaming
                    assert min(a1, b1) - max(a0, b0) <= 0, (gid, a0, a1, b0, b1)


def test_the_bundled_gazetteer_uses_the_table():
    from geo.gazetteer import bundled_gazetteer

    g = bundled_gazetteer()
    # two towns called Novomoskovsk: the Ukrainian one bore the name 1794-2024, the Russian one only from 1961
    p = g.resolve(["Novomoskovsk"], [1940])[0]
    assert p.country == "UA" and p.rule == "name_not_yet_given"
    q = g.resolve(["Stalinogorsk"], [1940])[0]
    assert q.country == "RU" and q.name == "Novomoskovsk"
    r = g.resolve(["Ridder"], [1950])[0]  # today's name for 1950: the same town, the name of the era in the note
    assert r.country == "KZ" and "in 1950: Leninogorsk" in r.note


# -- the GULAG camps of the USSR (scripts/extract_gulag_camps.py -> data/gazetteer/camps.csv) -----------
def _script():
    import importlib.util

    from geo.paths import ROOT

    spec = importlib.util.spec_from_file_location("extract_gulag_camps", ROOT / "scripts" / "extract_gulag_camps.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_extract_script_reads_sql_values_and_the_years_of_the_first_paragraph():
    mod = _script()
    sql = ("INSERT INTO camps(id, title) VALUES (7, '{\"ru\": \"Лаг O''Нил\"}', NULL);\n"
           "INSERT INTO camp_locations(id, geom) VALUES\n  (1, 'a, (b)'),\n  (2, 'c');\n")
    assert mod.sql_tuples(sql, "camps") == [["7", '{"ru": "Лаг O\'Нил"}', "NULL"]]
    assert mod.sql_tuples(sql, "camp_locations") == [["1", "a, (b)"], ["2", "c"]]
    text = ("Тестовый ИТЛ был организован 1 мая 1931 года. Максимальная численность была в 1950 году. "
            "Лагерь действовал до 1938 года.\n\n## Источники\nСправочник, 1998.")
    assert mod.years_named(text) == ("1931", "1938")  # not 1950 (prisoner numbers), not 1998 (the book)
    assert mod.years_named("Без дат.") == ("", "")


def test_camps_with_several_administration_places_are_ambiguous_and_short_names_are_not_indexed(tmp_path):
    from geo.gazetteer.sources import camp_entries

    path = tmp_path / "camps.csv"
    path.write_text(
        "# test\n"
        "camp_id,name,names,years_from,years_to,order,place,lat,lon,country,source\n"
        "1,Тестовый ИТЛ,Тестлаг|ТИТЛ,1931,1938,0,город А,60.0,60.0,RU,test 1\n"
        "2,Двойной ИТЛ,Двойлаг,1938,1950,0,город Б,57.7,63.0,RU,test 2\n"
        "2,Двойной ИТЛ,Двойлаг,1938,1950,1,поселок В,59.2,61.8,RU,test 2\n", encoding="utf-8")
    e = camp_entries(path)
    assert set(e["place_id"]) == {"gulag:1:0", "gulag:2:0", "gulag:2:1"} and set(e["kind"]) == {"camp"}
    assert "титл" not in set(e["key"])  # an abbreviation of 4 letters is not a name to resolve by
    g = Gazetteer(e, focus=REGION)
    one = g.resolve(["Тестлаг"], [1935])[0]
    assert one.place_id == "gulag:1:0" and "город А" not in one.note and one.lat == 60.0
    assert g.resolve(["Testlag"], [1935])[0].place_id == "gulag:1:0"  # the Latin reading
    two = g.resolve(["Двойлаг"], [1945])[0]
    assert two.match == "ambiguous" and len(two.candidates) == 2


def test_the_camps_table_is_complete_and_cites_each_record():
    from geo.gazetteer.resolver import CAMPS
    from geo.gazetteer.sources import atlas_area

    df = pd.read_csv(CAMPS, dtype=str, keep_default_na=False, comment="#")
    assert len(df) >= 600 and df["camp_id"].nunique() >= 500
    assert set(df["country"]) <= atlas_area()
    for _, r in df.iterrows():
        lat, lon = float(r["lat"]), float(r["lon"])
        assert 35 <= lat <= 75 and 10 <= lon <= 180, r.to_dict()  # the USSR and the Soviet zone of Germany
        assert r["source"].startswith("Memorial (1998) via urbica/gulag-api@") and f"camps.sql id {r['camp_id']}," in r["source"]
        assert not r["years_from"] or 1917 <= int(r["years_from"]) <= int(r["years_to"]) <= 1960, r.to_dict()
    assert CAMPS.stat().st_size < 1_000_000


def test_the_bundled_gazetteer_places_camps_and_leaves_place_names_to_places():
    from geo.gazetteer import bundled_gazetteer

    g = bundled_gazetteer()
    vyatlag = g.resolve(["Вятлаг"], [1943])[0]
    assert vyatlag.kind == "camp" and vyatlag.place_id.startswith("gulag:") and vyatlag.country == "RU"
    assert g.resolve(["Vyatlag"], [1943])[0].place_id == vyatlag.place_id  # the Latin reading
    karlag = g.resolve(["Карлаг"], [1940])[0]
    assert karlag.match == "curated"  # the curated camp keeps its own row
    torgau = g.resolve(["Торгау"], [1946])[0]  # also an other name of special camp No. 8: the town's
    assert torgau.country == "DE" and torgau.kind != "camp" and not any(
        c["place_id"].startswith("gulag:") for c in torgau.candidates)
