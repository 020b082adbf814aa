"""The one record-card builder (geo.cards): counts as the source gives them, citations, the reader's language."""

from __future__ import annotations

import pandas as pd

from geo.cards import count_text, record_cards

SOURCES = pd.DataFrame([{"id": "src1", "author": "Polian, Pavel", "title": "Against Their Will", "year": "2004",
                         "locator": "p. 134"}])


def _records(**over):
    row = {"id": "r1", "origin": "Somewhere", "destination": "Elsewhere", "date": "1941-09", "date_end": "",
           "date_uncertain": False, "count": None, "count_low": None, "count_high": None, "count_approximate": False,
           "nationality": "German", "category": "re_emigration", "source": "src1", "archival_ref": "", "notes": ""}
    df = pd.DataFrame([{**row, **over}])
    for c in ("count", "count_low", "count_high"):
        df[c] = df[c].astype("Float64")
    return df


def test_a_russian_card_has_no_english_words_no_raw_category_and_cites_the_source():
    card = record_cards(_records(), SOURCES, "ru")["r1"]
    assert card["count"] == "численность неизвестна"
    assert "re_emigration" not in card["what"] and card["what"] == "немцы · реэмиграция"
    assert card["sources"] == ["Polian, Pavel, Against Their Will (2004), p. 134"]
    assert card["date"] == "сентябрь 1941"


def test_counts_keep_the_sources_uncertainty():
    assert count_text(400000, None, None, True) == "~400,000 people"
    assert count_text(None, 13000, 15000, False) == "13,000–15,000 people"
    assert count_text(None, 3000, None, False) == "≥ 3,000 people"
    assert count_text(6000, 4000, 10000, False) == "6,000 people (range 4,000–10,000)"
    assert count_text(None, None, None, False, "kk") != "count unknown"


def test_a_researchers_own_record_shows_its_source_as_written_and_unknown_ids_stay_text():
    own = record_cards(_records(dataset="yours", source="ЦГА РК", archival_ref="ф. 1, оп. 2, д. 3"), SOURCES)["r1"]
    assert own["sources"] == ["ЦГА РК", "ф. 1, оп. 2, д. 3"]
    loose = record_cards(_records(source="not-an-id"), SOURCES)["r1"]
    assert loose["sources"] == ["not-an-id"]


def test_a_count_of_families_or_households_stays_in_its_unit():
    assert count_text(300, None, None, True, unit="families") == "~300 families"
    assert count_text(None, None, 280, False, unit="households") == "≤ 280 households"
    assert count_text(300, None, None, True, "ru", unit="семей") == "~300 семей"
    card = record_cards(_records(count=300, count_approximate=True, unit="families"), SOURCES)["r1"]
    assert card["count"] == "~300 families"


def test_a_parents_card_lists_its_details_with_their_sources_and_a_detail_names_no_life_of_its_own():
    rec = pd.concat([_records(id="parent", count=1000, detail_of=""),
                     _records(id="d1", destination="Pavlodar", count=300, date="1941-10-17", detail_of="parent")],
                    ignore_index=True)
    lives = [{"id": "someone", "name": "Some <b>One</b>", "records": ["d1"]}]
    cards = record_cards(rec, SOURCES, lives=lives)
    assert cards["parent"]["details"] == ["Somewhere → Pavlodar: 300 people, 17 Oct 1941 (Polian (2004))"]
    # the life names the detail; its people are drawn on the parent's arrow, so the parent's card links the life
    assert cards["parent"]["lives"] == [{"id": "someone", "name": "Some <b>One</b>"}]
    assert "details" not in cards["d1"]
    # a page that shows only the parent (a year filter) still lists every detail: it passes all the records
    only = record_cards(rec.iloc[:1], SOURCES, details=rec, lives=lives)
    assert list(only) == ["parent"] and len(only["parent"]["details"]) == 1
    # a researcher's own record never links to a bundled life
    assert "lives" not in record_cards(rec.assign(dataset="yours"), SOURCES, lives=lives)["parent"]


def test_details_that_count_more_than_their_record_are_not_called_of_which():
    def family(parent: dict, *kids: float) -> dict:
        rec = pd.concat([_records(id="parent", detail_of="", **parent),
                         *[_records(id=f"d{i}", count=c, detail_of="parent") for i, c in enumerate(kids)]],
                        ignore_index=True)
        return record_cards(rec, SOURCES, lives=[])["parent"]

    assert "details_wider" not in family({"count": 1000}, 300, 700)  # a breakdown: "of which"
    assert family({"count": 1000}, 600, 401)["details_wider"] == "1"  # 1,001 > 1,000: another, larger count
    # the record's upper bound is what the details are held against; a record with no figure has nothing to exceed
    assert "details_wider" not in family({"count": 1000, "count_high": 1200}, 600, 500)
    assert "details_wider" not in family({"count": None}, 600, 500)


def test_the_bundled_germans_by_origin_are_a_wider_count_beside_those_that_reached_kazakhstan():
    from geo.dataset import bundled_dataset

    ds = bundled_dataset()
    card = record_cards(ds.records, ds.sources)["dep-1941-germans-kz"]
    assert card["count"] == "~400,000 people" and len(card["details"]) == 25
    assert card["details_wider"] == "1"
