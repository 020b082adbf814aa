"""Events, repression figures and lives: the loader's checks, on small synthetic folders."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from geo.dataset import DatasetError, load_dataset, problems

RECORD = ("id,origin,destination,via,date,date_end,count,count_low,count_high,unit,nationality,category,source,"
          "archival_ref,notes,part_of,checked\n"
          "r1,Vienna,Moscow,,1934-04-25,,350,,,persons,Austrian,political_emigrant,s1,,,,\n")
SOURCES = ("id,author,title,year,publisher,url,locator,kind,language,read,notes\n"
           "s1,\"Doe, J.\",A book,2001,Press,https://example.org,p. 1,book,en,2026-11,\n"
           "s2,\"Roe, R.\",Another,2002,Press,https://example.org/2,p. 2,book,en,2026-11,\n")
TOTALS = "id,label,count,count_low,count_high,unit,date,complete,source,notes,checked\n"
EVENTS_HEAD = "id,date,date_end,kind,title_en,title_ru,title_kk,body,number,summary,place,source,locator,checked\n"
REP_HEAD = "id,event,date,date_end,place,nationality,what,count,count_low,count_high,source,notes,checked\n"
GOOD_EVENT = "ev-1937-07-25-order-00439,1937-07-25,,order,Order 00439,Приказ 00439,00439 бұйрық,NKVD,00439,Summary.,Moscow,s1,p. 5,\n"


def _folder(tmp_path: Path, events: str = "", repressions: str = "", lives: dict[str, str] | None = None) -> Path:
    (tmp_path / "stories").mkdir()
    (tmp_path / "movements.csv").write_text(RECORD, encoding="utf-8")
    (tmp_path / "sources.csv").write_text(SOURCES, encoding="utf-8")
    (tmp_path / "totals.csv").write_text(TOTALS, encoding="utf-8")
    (tmp_path / "events.csv").write_text(EVENTS_HEAD + events, encoding="utf-8")
    (tmp_path / "repressions.csv").write_text(REP_HEAD + repressions, encoding="utf-8")
    (tmp_path / "lives").mkdir()
    for name, text in (lives or {}).items():
        (tmp_path / "lives" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _life(stations: str, citations: str = "[s1]") -> str:
    head = ("id: someone\nname: Some One\ntitle: A path\nnationality: Austrian\ncategory: political_emigrant\n"
            f"summary: A short life.\ncitations: {citations}\nrecords: [r1]\nstations:\n")
    return head + textwrap.dedent(stations)


GOOD_STATIONS = """\
    - {date: "1934-04-25", place: Vienna, kind: arrival, text: Left Vienna., source: s1, locator: p. 3}
    - {date: "1938", place: Karaganda, kind: camp, text: Sent to a camp., source: s2}
"""


def test_a_clean_folder_has_no_problems_and_places_are_joined(borders, tmp_path):
    folder = _folder(tmp_path, events=GOOD_EVENT,
                     repressions="rep-1,ev-1937-07-25-order-00439,1937-07-25,1938-11-15,USSR,German,shot,~41898,,,s1,,\n",
                     lives={"someone": _life(GOOD_STATIONS)})
    ds = load_dataset(folder, borders=borders)
    assert problems(ds) == []
    ev = ds.events.iloc[0]
    assert (ev["place_polity"], ev["place_republic"]) == ("USSR", "Russian SFSR")
    rep = ds.repressions.iloc[0]
    assert rep["best"] == 41898 and bool(rep["approximate"]) is True
    karaganda = ds.lives[0]["stations"][1]
    assert karaganda["place_kz_region"] == "Karaganda Oblast"  # the oblast of 1938, from the borders of the date
    assert ds.lives[0]["stations"][0]["place_polity"] == "Austria"


@pytest.mark.parametrize("event, expected", [
    (GOOD_EVENT.replace(",order,", ",edict,"), "kind 'edict' is not one of"),
    (GOOD_EVENT.replace(",00439 бұйрық,", ",,"), "no title_kk"),
    (GOOD_EVENT.replace(",s1,p. 5,", ",s9,p. 5,"), "source 's9' not in sources.csv"),
    (GOOD_EVENT.replace(",s1,p. 5,", ",s1,,"), "no locator"),
    (GOOD_EVENT.replace(",Moscow,", ",Qwxzyvv,"), "place 'Qwxzyvv' is unresolved"),
    (GOOD_EVENT.replace("1937-07-25,,", "1937-07-25,1936,"), "date_end is before date"),
])
def test_each_bad_event_is_named(borders, tmp_path, event, expected):
    found = problems(load_dataset(_folder(tmp_path, events=event), borders=borders))
    assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize("row, expected", [
    ("rep-1,ev-missing,1937,,USSR,German,shot,100,,,s1,,\n", "event 'ev-missing' not in events.csv"),
    ("rep-1,ev-1937-07-25-order-00439,1937,,USSR,German,killed,100,,,s1,,\n", "what 'killed' is not one of"),
    ("rep-1,ev-1937-07-25-order-00439,1937,,USSR,German,shot,500,100,200,s1,,\n", "low <= best <= high fails"),
    ("rep-1,ev-1937-07-25-order-00439,1937,,USSR,German,shot,,,,s1,,\n", "no figure"),
])
def test_each_bad_repression_figure_is_named(borders, tmp_path, row, expected):
    found = problems(load_dataset(_folder(tmp_path, events=GOOD_EVENT, repressions=row), borders=borders))
    assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize("stations, citations, expected", [
    (GOOD_STATIONS.replace('"1938"', '"1933"'), "[s1]", "station 2: dated 1933, before the station above it"),
    (GOOD_STATIONS.replace("kind: camp", "kind: holiday"), "[s1]", "kind 'holiday' is not one of"),
    (GOOD_STATIONS.replace("place: Karaganda", "place: Qwxzyvv"), "[s1]", "place 'Qwxzyvv' is unresolved"),
    (GOOD_STATIONS.replace("source: s2", "source: s7"), "[s1]", "source 's7' not in sources.csv"),
    (GOOD_STATIONS, "[]", "no citations"),
])
def test_each_bad_life_is_named(borders, tmp_path, stations, citations, expected):
    found = problems(load_dataset(_folder(tmp_path, lives={"someone": _life(stations, citations)}), borders=borders))
    assert len(found) == 1 and expected in found[0], found


def test_a_station_without_a_place_or_an_unreadable_date_stops_the_loader(borders, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    no_place = _folder(tmp_path / "a", lives={"someone": _life(GOOD_STATIONS.replace("place: Karaganda, ", ""))})
    with pytest.raises(DatasetError, match="station 2 lacks place"):
        load_dataset(no_place, borders=borders)
    bad_date = _folder(tmp_path / "b", lives={"someone": _life(GOOD_STATIONS.replace('"1934-04-25"', '"spring-ish"'))})
    with pytest.raises(DatasetError, match="station 1"):
        load_dataset(bad_date, borders=borders)
