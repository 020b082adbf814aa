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
