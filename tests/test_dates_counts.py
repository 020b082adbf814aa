"""Archival dates and counts: precision and uncertainty kept, nonsense refused with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.dates import CountError, DateError, parse_count, parse_date

D = dt.date


@pytest.mark.parametrize("text, start, end, precision, uncertain, iso", [
    ("1941", D(1941, 1, 1), D(1941, 12, 31), "year", False, "1941"),
    ("1941-09", D(1941, 9, 1), D(1941, 9, 30), "month", False, "1941-09"),
    ("1941-09-03", D(1941, 9, 3), D(1941, 9, 3), "day", False, "1941-09-03"),
    ("09.1941", D(1941, 9, 1), D(1941, 9, 30), "month", False, "1941-09"),
    ("III.1933", D(1933, 3, 1), D(1933, 3, 31), "month", False, "1933-03"),
    ("XII 1937", D(1937, 12, 1), D(1937, 12, 31), "month", False, "1937-12"),
    ("апрель 1934", D(1934, 4, 1), D(1934, 4, 30), "month", False, "1934-04"),
    ("сентябрь 1941", D(1941, 9, 1), D(1941, 9, 30), "month", False, "1941-09"),
    ("14 июня 1941", D(1941, 6, 14), D(1941, 6, 14), "day", False, "1941-06-14"),
    ("February 1940", D(1940, 2, 1), D(1940, 2, 29), "month", False, "1940-02"),
    ("осень 1941", D(1941, 9, 1), D(1941, 11, 30), "season", False, "1941-09/1941-11"),
    ("зима 1943", D(1943, 12, 1), D(1944, 2, 29), "season", False, "1943-12/1944-02"),
    ("14.06.1941", D(1941, 6, 14), D(1941, 6, 14), "day", False, "1941-06-14"),
    ("1937/1938", D(1937, 1, 1), D(1938, 12, 31), "range", False, "1937/1938"),
    ("1936?", D(1936, 1, 1), D(1936, 12, 31), "year", True, "1936?"),
    ("ок. 1936", D(1936, 1, 1), D(1936, 12, 31), "year", True, "1936?"),
    ("1941 г.", D(1941, 1, 1), D(1941, 12, 31), "year", False, "1941"),
])
def test_dates_keep_their_precision(text, start, end, precision, uncertain, iso):
    d = parse_date(text)
    assert (d.start, d.end, d.precision, d.uncertain, d.iso) == (start, end, precision, uncertain, iso)
    assert d.text == text


@pytest.mark.parametrize("text, reason", [
    ("", "no date"), ("31.02.1941", "impossible"), ("3000", "outside"), ("1850", "outside"), ("XIII.1933", "not a Roman month"),
    ("1939/1937", "backwards"), ("позже", "unreadable"), ("=HYPERLINK(\"x\")", "unreadable"), ("1" * 80, "too long"),
])
def test_bad_dates_are_refused_with_a_reason(text, reason):
    with pytest.raises(DateError, match=reason):
        parse_date(text)


@pytest.mark.parametrize("text, best, low, high, approx", [
    ("1250", 1250, 1250, 1250, False), ("1 250", 1250, 1250, 1250, False), ("1\u00a0250", 1250, 1250, 1250, False),
    ("1,250", 1250, 1250, 1250, False), ("~300", 300, None, None, True), ("около 300", 300, None, None, True),
    ("300-400", None, 300, 400, False), ("300–400", None, 300, 400, False), ("?", None, None, None, False),
    ("", None, None, None, False),
])
def test_counts(text, best, low, high, approx):
    c = parse_count(text)
    assert (c.best, c.low, c.high, c.approximate) == (best, low, high, approx)


@pytest.mark.parametrize("text, reason", [("-5", "negative"), ("400-300", "backwards"), ("many", "unreadable")])
def test_bad_counts_are_refused(text, reason):
    with pytest.raises(CountError, match=reason):
        parse_count(text)


@pytest.mark.parametrize("text, iso", [("май 1941", "1941-05"), ("Май 1941 г.", "1941-05"), ("14 мая 1941", "1941-05-14")])
def test_may_is_read_in_the_nominative_too(text, iso):
    # "май" folds to "маи" (the breve of й is a combining mark); the month table must be folded the same way
    assert parse_date(text).iso == iso
