"""Property tests: random and adversarial text through the parsers, the gazetteer and the join.

No exception escapes; every row is accounted for; whatever is accepted keeps its promises.
"""

from __future__ import annotations

import string

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo.borders import bundled_borders
from geo.dates import DateError, parse_count, parse_date
from geo.gazetteer import bundled_gazetteer
from geo.join import join_records
from geo.records import TableError, read_table, to_canonical

TRICKY = ["1941", "09.1941", "III.1933", "апрель 1934", "осень 1941", "14.06.1941", "1937/1938", "1936?", "май 1941",
          "1 250", "~300", "300-400", "?", "", "-5", "1e9", "0x10", "٣٤", "１９４１", "NaN", "inf", "=HYPERLINK(1)",
          "<script>alert(1)</script>", "\u202e1491", "\x00", "  ", "31.02.1941", "00.1941", "1941-13", "9999"]
text = st.one_of(st.text(max_size=40), st.sampled_from(TRICKY),
                 st.builds(lambda a, b: a + b, st.sampled_from(TRICKY), st.text(alphabet=string.printable, max_size=5)))
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(text)
def test_dates_parse_or_say_why(s):
    try:
        d = parse_date(s)
    except DateError as exc:
        assert str(exc)
        return
    assert d.start <= d.end and d.precision in ("day", "month", "season", "year", "range")
    assert 1900 <= d.start.year <= 1965


@FAST
@given(text)
def test_counts_parse_or_say_why(s):
    try:
        c = parse_count(s)
    except (DateError, ValueError) as exc:
        assert str(exc)
        return
    for v in (c.best, c.low, c.high):
        assert v is None or v >= 0
    if c.low is not None and c.high is not None:
        assert c.low <= c.high


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_a_table_or_one_clear_line(data):
    try:
        t = read_table(data, name="x.csv")
    except TableError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert len(t.frame.columns) >= 2


# often valid enough to be accepted, so that what is accepted is checked too (bounds often come out inverted)
bound = st.one_of(st.integers(0, 500).map(str), st.just(""), text)
day = st.one_of(st.sampled_from(["1941", "09.1941", "III.1933", "1937/1938", "осень 1941"]), text)
name = st.one_of(st.sampled_from(["Lwów", "Алма-Ата", "Karaganda"]), text)
row = st.fixed_dictionaries({"origin": name, "destination": name, "date": day, "count": bound, "count_low": bound,
                             "count_high": bound, "nationality": text, "category": text, "notes": text})


def _row(**cells: str) -> dict:
    return {"origin": "Lwów", "destination": "Karaganda", "date": "1941", "count": "", "count_low": "", "count_high": "",
            "nationality": "", "category": "", "notes": ""} | cells


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(row, min_size=1, max_size=25))
@example([_row(count_low="400", count_high="300"), _row(count_low="300", count_high="400"), _row(count="350")])
def test_every_row_is_accepted_or_rejected_with_a_reason(rows):
    frame, _ = to_canonical(pd.DataFrame(rows, dtype=str))
    r = join_records(frame, bundled_borders(), bundled_gazetteer().fork())
    assert r.rows_in == len(rows)
    assert sorted(r.accepted["row"].tolist() + r.rejected["row"].tolist()) == list(range(1, len(rows) + 1))
    assert (r.rejected["reason"].str.len() > 0).all()
    acc = r.accepted
    assert (acc["count"].dropna() >= 0).all()
    both = acc.dropna(subset=["count_low", "count_high"])
    inverted = (both["count_low"] > both["count_high"]).to_numpy(bool)
    warned = both["warnings"].astype(str).str.contains("count_low is above count_high", regex=False).to_numpy(bool)
    assert (inverted == warned).all()  # row by row: an inverted range is kept as written and always says so
    assert not acc.drop(both.index)["warnings"].astype(str).str.contains("count_low is above", regex=False).any()


@FAST
@given(st.lists(text, min_size=1, max_size=10), st.integers(1900, 1965))
def test_the_gazetteer_answers_any_name(names, year):
    g = bundled_gazetteer().fork()
    places = g.resolve(names, [year] * len(names))
    assert len(places) == len(names)
    for p in places:
        assert p.match in ("unresolved", "ambiguous", "curated", "exact", "alternate", "region", "user") or (
            p.match.startswith("fuzzy:") and 0 < int(p.match.split(":")[1]) <= 100)
        assert p.resolved == (p.match not in ("unresolved", "ambiguous"))
