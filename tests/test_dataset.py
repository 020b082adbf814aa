"""The bundled dataset through the same loader as users' files, and its own checks."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from geo import cli
from geo.dataset import bundled_dataset, check_totals, load_dataset, load_totals, problems, source_ids
from geo.dates import parse_date
from geo.paths import MOVEMENTS_DIR
from geo.vocabulary import CATEGORIES

LAST_BORDER_DAY = dt.date(1950, 12, 31)  # the border layers end here (data/shapes/README.md)


@pytest.fixture(scope="module")
def ds():
    return bundled_dataset()


def test_every_bundled_row_is_accepted_and_there_are_enough(ds):
    assert len(ds.joined.rejected) == 0, ds.joined.rejected[["row", "reason"]].to_string()
    assert ds.joined.rows_in == len(ds.records) >= 80
    assert len(ds.sources) >= 30
    # substantial: most records carry a count, and each scope part is present
    assert ds.records["count"].notna().sum() >= 50
    cats = set(ds.records["category"])
    assert {"political_emigrant", "labour_immigrant", "deportation", "camp_transfer", "evacuation",
            "repatriation"} <= cats
    assert cats <= set(CATEGORIES)


def test_every_source_id_resolves_and_every_source_is_cited(ds):
    known = set(ds.sources["id"])
    cited = {s for cell in ds.records["source"] for s in source_ids(cell)}
    cited |= {s for cell in ds.totals["source"] for s in source_ids(cell)}
    assert cited <= known, cited - known
    cited |= {c for s in ds.stories for c in s["citations"]}
    cited |= {s for table in (ds.events, ds.repressions) for cell in table["source"] for s in source_ids(cell)}
    cited |= {c for life in ds.lives for c in life["citations"]} | {st["source"] for life in ds.lives for st in life["stations"]}
    assert known <= cited, known - cited
    for col in ("author", "title", "year", "url", "locator"):
        assert (ds.sources[col].str.strip() != "").all(), col


def test_every_place_resolves_unambiguously(ds):
    for end in ("origin", "destination"):
        bad = ds.records[~ds.records[f"{end}_match"].isin(["curated", "exact", "alternate", "region"])]
        assert bad.empty, bad[["id", end, f"{end}_match"]].to_string()


def test_every_record_joins_to_a_polity_at_its_date(ds):
    rec = ds.records[pd.to_datetime(ds.records["date_from"]).dt.date <= LAST_BORDER_DAY]
    assert len(rec) >= len(ds.records) - 5
    for end in ("origin", "destination"):
        missing = rec[rec[f"{end}_polity"].astype(str).str.strip() == ""]
        assert missing.empty, missing[["id", end, "date"]].to_string()


def test_counts_are_non_negative_and_ordered(ds):
    r = ds.records
    for col in ("count", "count_low", "count_high"):
        assert (r[col].dropna() >= 0).all()
    both = r.dropna(subset=["count_low", "count_high"])
    assert (both["count_low"] <= both["count_high"]).all()
    b = r.dropna(subset=["count", "count_low", "count_high"])
    assert ((b["count_low"] <= b["count"]) & (b["count"] <= b["count_high"])).all()
    assert not r["warnings"].str.contains("outside|above").any()


def test_dates_keep_their_precision(ds):
    prec = set(ds.records["date_precision"])
    assert {"day", "month", "year"} <= prec
    assert (ds.records["date_end"] != "").sum() >= 20  # ranges stay ranges


def test_breakdowns_never_exceed_their_totals(ds):
    checked = check_totals(ds.records, ds.totals)
    assert (checked["status"] == "ok").all(), checked.to_string()
    complete = checked[checked["complete"] == "yes"]
    assert len(complete) >= 3
    # complete breakdowns reach their total exactly where the source gives one figure
    exact = complete[complete["total_low"] == complete["total_high"]]
    assert (exact["parts_sum"] == exact["total_best"]).all()


def test_total_check_catches_double_counting(ds):
    rec = ds.records.copy()
    i = rec.index[rec["part_of"] == "pl-1940-04"][0]
    rec.loc[i, "count"] = rec.loc[i, "count"] + 5000  # one oblast counted twice over
    out = check_totals(rec, ds.totals).set_index("id")
    assert out.loc["pl-1940-04", "status"] == "over"
    rec2 = ds.records[ds.records["id"] != "dep-1940-06-komi-assr"]
    assert check_totals(rec2, ds.totals).set_index("id").loc["pl-1940-06", "status"] == "short"


def test_republic_level_destinations_are_not_given_an_oblast(ds):
    kz = ds.records[ds.records["destination"] == "Kazakh SSR"]
    assert len(kz) >= 5
    assert (kz["destination_kz_region"] == "").all()


def test_stories_are_scenes_with_citations(ds):
    assert len(ds.stories) >= 8
    known, cats = set(ds.sources["id"]), set(CATEGORIES)
    nats = set(ds.records["nationality"])
    for s in ds.stories:
        words = len(s["text"].split())
        assert 150 <= words <= 300, (s["id"], words)
        assert s["citations"] and set(s["citations"]) <= known
        parse_date(str(s["date"]))
        parse_date(str(s.get("date_end") or s["date"]))
        assert set(s["filters"].get("category", [])) <= cats
        assert set(s["filters"].get("nationality", [])) <= nats, s["id"]


def test_problems_name_a_broken_bundle(tmp_path, ds):
    for name in ("movements.csv", "sources.csv", "totals.csv"):
        shutil.copy(MOVEMENTS_DIR / name, tmp_path / name)
    shutil.copytree(MOVEMENTS_DIR / "stories", tmp_path / "stories")
    src = pd.read_csv(tmp_path / "sources.csv", dtype=str, keep_default_na=False)
    src[src["id"] != "hvg2024"].to_csv(tmp_path / "sources.csv", index=False)
    found = problems(load_dataset(tmp_path))
    assert any("'hvg2024' not in sources.csv" in p for p in found)
    assert problems(ds) == []


def test_data_check_prints_the_summary(capsys):
    assert cli.main(["data-check"]) == 0
    out = capsys.readouterr().out
    for needle in ("by category:", "by nationality:", "by decade:", "by destination oblast:", "0 problems",
                   "pl-1940-04", "Pavlodar Oblast"):
        assert needle in out


def test_totals_parse_ranges_and_approximate_counts():
    t = load_totals().set_index("id")
    assert t.loc["vainakh-1944", "total_low"] == 493269 and t.loc["vainakh-1944", "total_high"] == 650000
    assert t.loc["schutzbund-1934", "total_best"] == 1000


def test_join_cache_is_used_rebuilt_when_damaged_and_keyed_by_its_inputs(tmp_path, monkeypatch, ds):
    from geo import dataset as dmod

    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path))
    path = dmod._join_cache_path(MOVEMENTS_DIR)
    first = dmod._cached_join(MOVEMENTS_DIR)
    assert (path / "accepted.parquet").exists()
    pd.testing.assert_frame_equal(first.accepted, ds.records)
    (path / "accepted.parquet").write_bytes(b"not parquet")  # damaged: rebuilt, never trusted
    again = dmod._cached_join(MOVEMENTS_DIR)
    pd.testing.assert_frame_equal(again.accepted, ds.records)
    copy = tmp_path / "movements"
    shutil.copytree(MOVEMENTS_DIR, copy)
    (copy / "movements.csv").write_text((MOVEMENTS_DIR / "movements.csv").read_text("utf-8") + "\n", "utf-8")
    assert dmod._join_cache_path(copy) != path  # a changed input is a different cache entry
    monkeypatch.setenv("ATLAS_CACHE_DIR", "off")
    assert dmod._join_cache_path(MOVEMENTS_DIR) is None


def test_a_second_process_reads_the_timeline_from_the_cache_without_the_gazetteer(tmp_path):
    import subprocess
    import sys

    from geo.paths import MOVEMENTS_DIR as data

    code = ("from geo.dataset import bundled_dataset; from geo.gazetteer import bundled_gazetteer; "
            "d = bundled_dataset(); print(len(d.events), len(d.repressions), len(d.lives), "
            "sum(len(x['stations']) for x in d.lives), bundled_gazetteer.cache_info().currsize)")
    env = {**__import__("os").environ, "ATLAS_CACHE_DIR": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600, check=True)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600, check=True)
    built, read = first.stdout.split(), second.stdout.split()
    assert built[:4] == read[:4] and int(built[0]) == len(pd.read_csv(data / "events.csv"))
    assert built[4] == "1" and read[4] == "0"  # the first process needed the gazetteer; the second did not
    assert any(p.name.startswith("bundled-timeline-") for p in tmp_path.iterdir())
