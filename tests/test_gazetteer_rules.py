"""The gazetteer's parts on tiny synthetic gazetteers: each tie-break rule, the name index, the resolver.

No bundled data here: every place below is made up for the test (names in the style of the
region, points chosen by hand), so these tests check the logic, not the data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo.gazetteer import Gazetteer
from geo.gazetteer.rules import (
    RULES,
    Candidate,
    Context,
    Focus,
    atlas_place_over_village,
    decide,
    focus_region,
    much_larger_place,
    name_in_use_on_the_date,
    name_not_yet_given,
    own_name_over_alias,
    own_name_over_reading,
    rank,
    region_named_in_text,
    republic_of_the_other_end,
    state_of_the_other_end,
    town_name_over_village_alias,
    town_over_villages,
    user_decision,
)
from geo.gazetteer.sources import ENTRY_COLUMNS

EUROPE = Focus("test", frozenset({"UA", "KZ", "PL", "DE"}), "the test region")


def cand(name, country="UA", pop=100_000, *, lat=50.0, lon=30.0, match="exact", curated=False, uses=()):
    return Candidate(place_id=f"t:{name}:{country}", name=name, country=country, lat=lat, lon=lon,
                     population=pop, kind="city", match=match, curated=curated, uses=tuple(uses))


# -- each rule on its own -------------------------------------------------------------------------
def test_user_decision_keeps_the_users_place():
    mine, other = cand("Nova", match="user", curated=True, pop=0), cand("Nova", "PL")
    assert user_decision([mine, other], Context()) == ([mine], "the user's supplement")
    assert user_decision([other], Context()) is None


def test_region_named_in_text_by_unit_names_then_by_a_nearby_place():
    a, b = cand("Sosnivka", "UA", lat=50.0, lon=30.0), cand("Sosnivka", "KZ", lat=50.0, lon=70.0)
    by_unit = Context(hint="Kazakhstan", hint_matches=lambda c: c.country == "KZ")
    assert region_named_in_text([a, b], by_unit)[0] == [b]
    near = Context(hint="Bila", hint_matches=lambda c: False, hint_point=(50.5, 30.5))  # ~66 km from a
    kept, why = region_named_in_text([a, b], near)
    assert kept == [a] and "within 150 km" in why
    assert region_named_in_text([a, b], Context()) is None  # no hint, no decision


def test_name_not_yet_given_passes_over_a_later_name_but_never_refuses_a_lone_modern_name():
    engels = cand("Engels", "UA", curated=True, uses=[(math.nan, 1931.0)])
    later = cand("Pokrovsk", "PL", uses=[(2016.0, math.nan)])
    kept, why = name_not_yet_given([engels, later], Context(year=1941))
    assert kept == [engels] and "after the record's date" in why
    assert name_not_yet_given([later], Context(year=1941)) is None  # alone: kept (modern name, same place)
    assert name_not_yet_given([later, cand("Pokrovsk", "DE")], Context(year=1941)) is None  # undated: no evidence
    assert name_not_yet_given([engels, later], Context(year=None)) is None
    assert later.status(1941) == "later" and later.status(2020) == "then" and engels.status(1941) == "before"


def test_region_named_in_text_that_fits_no_candidate_stops_the_rules():
    toledo_es = cand("Toledo", "ES", 80_000)
    ctx = Context(hint="Ohio", hint_matches=lambda c: False, focus=EUROPE)
    kept, why = region_named_in_text([toledo_es], ctx)
    assert kept == [] and "Ohio" in why
    d = decide([toledo_es, cand("Toledo", "PH", 200_000)], ctx)
    assert d.chosen is None and d.vetoed  # never Toledo in Spain for "Toledo, Ohio"
    alone = decide([toledo_es], ctx)
    assert alone.chosen is None


def test_name_in_use_on_the_date_needs_dates_and_never_passes_over_a_larger_namesake():
    ekb = cand("Yekaterinburg", "RU", 1_500_000, curated=True, uses=[(1924.0, 1991.0)])
    small = cand("Dovzhansk", "UA", 64_000)
    assert name_in_use_on_the_date([ekb, small], Context(year=1930))[0] == [ekb]
    assert name_in_use_on_the_date([ekb, small], Context(year=1995)) is None  # not 'then' any more
    kitchener = cand("Kitchener", "CA", 256_000, curated=True, uses=[(math.nan, 1916.0)])
    assert name_in_use_on_the_date([kitchener, cand("Berlin", "DE", 3_400_000)], Context(year=1910)) is None


def test_focus_region_prefers_inside_but_not_a_village_over_a_world_city():
    port, texas = cand("Odessa", "UA", 1_000_000), cand("Odessa", "US", 114_000)
    assert focus_region([port, texas], Context(focus=EUROPE))[0] == [port]
    assert focus_region([port, texas], Context(focus=Focus("none", frozenset(), "none"))) is None
    village, metropolis = cand("Niu-York", "UA", 9_000), cand("New York", "US", 8_800_000)
    assert focus_region([village, metropolis], Context(focus=EUROPE)) is None  # 25x larger outside: no decision
    town = cand("Oleksandriia", "UA", 80_000)
    assert focus_region([town, cand("Alexandria", "EG", 5_000_000)], Context(focus=EUROPE))[0] == [town]


def test_atlas_place_over_village():
    camp = cand("Dolinka", "KZ", 0, curated=True)
    village, town = cand("Dolinka", "UA", 900), cand("Dolinka", "PL", 40_000)
    assert atlas_place_over_village([camp, village, town], Context())[0] == [camp, town]
    assert atlas_place_over_village([village, town], Context()) is None


def test_town_name_over_village_alias():
    town, alias = cand("Frolovo", "RU", 40_000), cand("Froly", "RU", 3_000, match="alternate")
    assert town_name_over_village_alias([town, alias], Context())[0] == [town]
    small_town = cand("Frolovo", "RU", 9_000)  # not a town of 15,000: no decision
    assert town_name_over_village_alias([small_town, alias], Context()) is None
    big_alias = cand("Samara", "RU", 1_100_000, match="alternate")  # a city's alternate name is never passed over
    both = [cand("Kuybyshev", "RU", 48_000), big_alias]
    assert town_name_over_village_alias(both, Context())[0] == both


def test_town_over_villages():
    tivoli, quarter = cand("Tivoli", "IT", 22_000), cand("Tivoli", "NL", 1_500)
    assert town_over_villages([tivoli, quarter], Context())[0] == [tivoli]
    by_alias = cand("Spassk-Dalny", "RU", 45_000, match="alternate")  # the name is only its alternate
    assert town_over_villages([by_alias, cand("Spassk", "RU", 7_000)], Context()) is None
    assert town_over_villages([tivoli, cand("Tivoli", "US", 30_000)], Context()) is None  # two towns


def test_own_name_over_reading():
    baku = cand("Baku", "AZ", 2_300_000)
    bacau = Candidate(**{**cand("Bacău", "RO", 136_000).__dict__, "reading": "translit"})
    assert own_name_over_reading([baku, bacau], Context())[0] == [baku]
    vilnius = Candidate(**{**cand("Vilnius", "LT", 540_000).__dict__, "reading": "yiddish"})
    village = cand("Vilne", "UA", 5_000)
    assert own_name_over_reading([vilnius, village], Context())[0] == [vilnius, village]  # larger: kept
    assert own_name_over_reading([baku, cand("Baku", "RO", 10)], Context()) is None  # no reading: no decision


def test_much_larger_place_needs_25_times_and_never_beats_a_curated_place_without_figures():
    big, small = cand("Lemberg", "UA", 717_000), cand("Lemberg", "DE", 4_300)
    assert much_larger_place([big, small], Context())[0] == [big]
    assert much_larger_place([big, cand("Lemberg", "PL", 40_000)], Context()) is None  # 18x: not enough
    assert much_larger_place([big, cand("ALZhIR", "KZ", 0, curated=True)], Context()) is None
    assert much_larger_place([big, cand("Moskva", "TJ", 0)], Context())[0] == [big]  # GeoNames without a figure


def test_state_of_the_other_end():
    on_bug, brittany = cand("Brest", "BY"), cand("Brest", "FR")
    ctx = Context(other_polity="USSR", polity_of=lambda c: "USSR" if c.country == "BY" else "France")
    assert state_of_the_other_end([on_bug, brittany], ctx)[0] == [on_bug]
    assert state_of_the_other_end([on_bug, brittany], Context(polity_of=ctx.polity_of)) is None


def test_own_name_over_alias_needs_one_bearer_today_at_least_as_large_and_no_rival_of_the_date():
    city, alias = cand("Samarkand", "UZ", 320_000), cand("Samarkand", "KZ", 170_000, match="alternate")
    assert own_name_over_alias([city, alias], Context())[0] == [city]
    # two places have the name today: no decision (two Wendens in Germany besides Cesis)
    twin = cand("Samarkand", "PL", 20_000)
    assert own_name_over_alias([city, twin, alias], Context()) is None
    # the bearer is smaller than the place known by the name as an exonym: no decision (Kronstadt, Brasov)
    assert own_name_over_alias([cand("Kronstadt", "RU", 43_000), cand("Kronstadt", "RO", 250_000, match="alternate")],
                               Context()) is None
    # a curated name still in use counts as today's; one that ended does not, unless it was in use on the date
    today = cand("Kaliningrad", "RU", 430_000, curated=True, match="curated", uses=[(1946.0, math.nan)])
    former = cand("Kaliningrad", "RU", 220_000, lon=37.8, curated=True, match="curated", uses=[(1938.0, 1996.0)])
    assert own_name_over_alias([today, former], Context(year=1930))[0] == [today]
    assert own_name_over_alias([today, former], Context(year=1950)) is None  # both bore it in 1950


def test_republic_of_the_other_end():
    kz, kam = cand("Petropavlovsk", "KZ"), cand("Petropavlovsk", "RU", lon=158.6)
    ctx = Context(other_republic="Kazakh SSR", republic_of=lambda c: "Kazakh SSR" if c.country == "KZ" else "Russian SFSR")
    assert republic_of_the_other_end([kz, kam], ctx)[0] == [kz]
    assert republic_of_the_other_end([kz, kam], Context(republic_of=ctx.republic_of)) is None
    names = [r.__name__ for r in RULES]
    assert names.index("republic_of_the_other_end") == names.index("state_of_the_other_end") + 1  # after the state


# -- the rules together ---------------------------------------------------------------------------
def test_decide_names_the_rule_and_everything_passed_over():
    port, texas, village = cand("Odessa", "UA", 1_000_000), cand("Odessa", "US", 114_000), cand("Odessa", "PL", 600)
    d = decide([port, texas, village], Context(focus=EUROPE))
    assert d.chosen is port and d.rule == "town_over_villages"
    assert [(c.country, r) for c, r in d.passed_over] == [("US", "focus_region"), ("PL", "town_over_villages")]
    assert len(d.reasons) == 2


def test_decide_reports_ambiguity_instead_of_guessing():
    a, b = cand("Petropavlovsk", "KZ", 200_000), cand("Petropavlovsk", "UA", 180_000)
    d = decide([a, b], Context(focus=EUROPE, year=1940))
    assert d.chosen is None and d.remaining == [a, b] and d.rule == ""


def test_rank_puts_the_kept_first_and_the_earliest_passed_over_last():
    port, texas, village = cand("Odessa", "UA", 1_000_000), cand("Odessa", "US", 114_000), cand("Odessa", "PL", 600)
    order = rank([texas, village, port], Context(focus=EUROPE))
    assert [(c.country, r) for c, r in order] == [("UA", ""), ("PL", "town_over_villages"), ("US", "focus_region")]


def test_the_rule_order_is_documented():
    names = [r.__name__ for r in RULES]
    assert names[:6] == ["user_decision", "region_named_in_text", "close_spellings", "exonym_of_a_larger_namesake",
                         "name_not_yet_given", "focus_region"]
    assert names.index("alias_against_own_name") == names.index("much_larger_place") - 1
    assert all(r.__doc__ and len(r.__doc__) > 80 for r in RULES)


# -- the resolver on a tiny gazetteer -------------------------------------------------------------
def entries(rows: list[dict]) -> pd.DataFrame:
    from geo.names import key

    out = []
    for r in rows:
        out.append({"place_id": r["id"], "name": r["name"], "key": key(r.get("written", r["name"])), "lat": r["lat"],
                    "lon": r["lon"], "country": r["country"], "population": r.get("pop", 0), "kind": r.get("kind", "city"),
                    "valid_from": r.get("vf", math.nan), "valid_to": r.get("vt", math.nan), "source": "test",
                    "source_kind": r.get("sk", "exact"), "written": r.get("written", r["name"])})
    return pd.DataFrame(out, columns=list(ENTRY_COLUMNS))


@pytest.fixture
def tiny() -> Gazetteer:
    return Gazetteer(entries([
        {"id": "a", "name": "Zarechensk", "lat": 50.0, "lon": 70.0, "country": "KZ", "pop": 60_000},
        {"id": "a", "name": "Zarechensk", "written": "Заречинск", "lat": 50.0, "lon": 70.0, "country": "KZ", "pop": 60_000,
         "sk": "alternate"},
        {"id": "a", "name": "Zarechensk", "written": "Staroye Pole", "lat": 50.0, "lon": 70.0, "country": "KZ",
         "sk": "curated", "vt": 1936.0},
        {"id": "a", "name": "Zarechensk", "written": "Zarechensk", "lat": 50.0, "lon": 70.0, "country": "KZ",
         "sk": "curated", "vf": 1936.0},
        {"id": "b", "name": "Zarechensk", "lat": 10.0, "lon": -10.0, "country": "GN", "pop": 70_000},
        {"id": "c", "name": "Qoryqty", "written": "Koryktykala", "lat": 45.0, "lon": 60.0, "country": "KZ", "pop": 20_000},
        {"id": "d", "name": "Karabulakovka", "lat": 35.0, "lon": 50.0, "country": "IR", "pop": 20_000},
    ]), focus=EUROPE)


def test_tiny_focus_and_era_note(tiny):
    p = tiny.resolve(["Zarechensk"], [1940])[0]
    assert (p.place_id, p.rule) == ("a", "focus_region") and p.passed_over[0]["country"] == "GN"
    q = tiny.resolve(["Zarechensk"], [1930])[0]  # the modern name for 1930: same place, name of the era
    assert q.place_id == "a" and "in 1930: Staroye Pole" in q.note


def test_tiny_cyrillic_meets_latin_and_fuzzy_stays_inside(tiny):
    assert tiny.resolve(["Заречинск"], [1940])[0].place_id == "a"
    f = tiny.resolve(["Karabulakovk"], [1940])[0]  # spelled like an Iranian town only: not chosen
    assert f.match == "unresolved" and "outside the focus region" in f.note
    g = tiny.with_focus("none").resolve(["Karabulakovk"], [1940])[0]
    assert g.match.startswith("fuzzy:") and g.country == "IR"


def test_tiny_resolution_runs_once_per_name_and_era_not_per_row(tiny, monkeypatch):
    calls = []
    original = tiny._place
    monkeypatch.setattr(tiny, "_place", lambda a, y, s: calls.append((a.text, y, s)) or original(a, y, s))
    names = np.array(["Zarechensk", "Заречинск"] * 5000, dtype=object)
    years = np.tile(np.arange(1920, 1950), 334)[:10000]
    codes, places = tiny.resolve_codes(names, years.tolist())
    assert len(codes) == 10000 and len(calls) <= 2 * 30  # at most once per (name, year), never per row
    assert len(places) <= 2 * 30
    assert {places[c].place_id for c in codes} == {"a"}


def test_tiny_yiddish_in_hebrew_script_and_in_yivo_latin():
    g = Gazetteer(entries([
        {"id": "v", "name": "Vilnius", "lat": 54.69, "lon": 25.28, "country": "LT", "pop": 540_000},
        {"id": "v", "name": "Vilnius", "written": "ווילנע", "lat": 54.69, "lon": 25.28, "country": "LT", "sk": "alternate"},
    ]))
    assert g.resolve(["ווילנע"], [1930])[0].place_id == "v"
    from geo.names import name_keys, yiddish_latin

    assert yiddish_latin("בערדיטשעוו") == "berditshev" and "kovne" in name_keys("קאוונע")


def test_tiny_small_places_outside_the_area_need_a_hint():
    from geo.gazetteer.sources import HINTED

    g = Gazetteer(entries([
        {"id": "w", "name": "Warsaw", "lat": 52.23, "lon": 21.01, "country": "PL", "pop": 1_700_000},
        {"id": "i", "name": "Warsaw", "lat": 41.24, "lon": -85.85, "country": "US", "pop": 14_000, "sk": HINTED},
        {"id": "q", "name": "Quietvale", "lat": 40.0, "lon": -90.0, "country": "US", "pop": 900, "sk": HINTED},
    ]), focus=EUROPE)
    g.index.entries["admin1"] = ["PL.78", "US.IN", "US.IL"]
    g = Gazetteer(g.index.entries, focus=EUROPE)
    alone = g.resolve(["Warsaw"], [1930])[0]
    assert alone.place_id == "w" and not alone.passed_over  # the small Warsaw is not even a candidate
    far = g.resolve(["Quietvale"], [1930])[0]
    assert far.match == "unresolved" and "only when the text names their state or country" in far.note
    hinted = g.resolve(["Warsaw, Indiana", "Warsaw, IN", "Quietvale (USA)"], [1930] * 3)
    assert [p.place_id for p in hinted] == ["i", "i", "q"] and hinted[0].match == "exact"


def test_tiny_supplement_wins_and_does_not_leak(tiny):
    mine = tiny.with_supplement(pd.DataFrame([{"name": "Zarechensk", "lat": 1.0, "lon": 2.0}]))
    assert mine.resolve(["Zarechensk"], [1940])[0].match == "user"
    assert tiny.resolve(["Zarechensk"], [1940])[0].match != "user"
