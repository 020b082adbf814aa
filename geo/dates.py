"""Partial and uncertain dates as archives write them, with their precision kept.

Accepted forms (Latin or Cyrillic): ``1941``, ``1941-09``, ``1941-09-03``, ``09.1941``,
``14.06.1941``, ``III.1933`` (Roman month), ``апрель 1934``, ``сентябрь 1941``,
``April 1934``, ``осень 1941`` / ``autumn 1941`` (a season), ``1937/1938`` or
``1937-1938`` (a range of years), ``1936?`` (uncertain), ``ca. 1936`` / ``около 1936``.

A parsed date keeps the text, the first and last day it can mean, its precision
(``day``, ``month``, ``season``, ``year``, ``range``) and whether it is uncertain.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from geo.names import fold

_MONTHS = {  # keys are folded below, as the text is (й folds to и)
    # Russian (nominative and genitive), Kazakh, English, German, Polish
    "январь": 1, "января": 1, "февраль": 2, "февраля": 2, "март": 3, "марта": 3, "апрель": 4, "апреля": 4,
    "май": 5, "мая": 5, "июнь": 6, "июня": 6, "июль": 7, "июля": 7, "август": 8, "августа": 8,
    "сентябрь": 9, "сентября": 9, "октябрь": 10, "октября": 10, "ноябрь": 11, "ноября": 11,
    "декабрь": 12, "декабря": 12,
    "кантар": 1, "акпан": 2, "наурыз": 3, "сәуір": 4, "сауир": 4, "мамыр": 5, "маусым": 6, "шілде": 7,
    "шилде": 7, "тамыз": 8, "кыркуйек": 9, "казан": 10, "караша": 11, "желтоксан": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "januar": 1, "februar": 2, "marz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    "styczen": 1, "luty": 2, "marzec": 3, "kwiecien": 4, "maj": 5, "czerwiec": 6, "lipiec": 7,
    "sierpien": 8, "wrzesien": 9, "pazdziernik": 10, "listopad": 11, "grudzien": 12,
}
_SEASONS = {  # meteorological seasons: (first month, last month)
    "весна": (3, 5), "весной": (3, 5), "лето": (6, 8), "летом": (6, 8), "осень": (9, 11), "осенью": (9, 11),
    "зима": (12, 2), "зимой": (12, 2), "spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11),
    "winter": (12, 2), "коктем": (3, 5), "жаз": (6, 8), "куз": (9, 11), "кыс": (12, 2),
}
_MONTHS = {fold(k): v for k, v in _MONTHS.items()}
_SEASONS = {fold(k): v for k, v in _SEASONS.items()}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12}
_UNCERTAIN = re.compile(r"(\?|\bca\.?|\bc\.|\bcirca\b|\bоколо\b|\bок\.|\bпримерно\b|\bприбл\.?|~)", re.I)

#: Years the atlas accepts for a record.
MIN_YEAR, MAX_YEAR = 1900, 1965


class DateError(ValueError):
    """A date that cannot be read."""


@dataclass(frozen=True)
class PartialDate:
    """A date with its real precision."""

    text: str
    start: dt.date
    end: dt.date
    precision: str  # day, month, season, year, range
    uncertain: bool = False

    @property
    def iso(self) -> str:
        """The date in ISO form at its own precision (``1941``, ``1941-09``, ``1937/1938`` ...), ``?`` if uncertain."""
        if self.precision == "day":
            s = self.start.isoformat()
        elif self.precision == "month":
            s = self.start.isoformat()[:7]
        elif self.precision == "year":
            s = str(self.start.year)
        elif self.precision == "season":
            s = f"{self.start.isoformat()[:7]}/{self.end.isoformat()[:7]}"
        else:
            s = f"{self.start.isoformat()}/{self.end.isoformat()}"
            if self.start == dt.date(self.start.year, 1, 1) and self.end == dt.date(self.end.year, 12, 31):
                s = f"{self.start.year}/{self.end.year}"
        return s + ("?" if self.uncertain else "")


def _year(text: str) -> int:
    y = int(text)
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise DateError(f"year {y} is outside {MIN_YEAR}-{MAX_YEAR}")
    return y


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def parse_date(text: object) -> PartialDate:
    """Read an archival date.

    Parameters
    ----------
    text : object
        The date as written (str; ints are taken as years).

    Returns
    -------
    PartialDate
        Raises :class:`DateError` with a reason for text that is empty,
        unreadable, impossible (31.02.1941) or outside 1900-1965.
    """
    raw = "" if text is None else str(text).strip()
    if not raw or raw.lower() in {"nan", "none"}:
        raise DateError("no date")
    if len(raw) > 60:
        raise DateError("not a date (too long)")
    uncertain = bool(_UNCERTAIN.search(raw))
    s = _UNCERTAIN.sub(" ", fold(raw)).strip().strip(".").strip()
    s = re.sub(r"\s*г(од|\.)?\s*$", "", s).strip()  # "1941 г." / "1941 год"
    s = re.sub(r"\s+", " ", s)
    try:
        if m := re.fullmatch(r"(\d{4})", s):
            y = _year(m[1])
            return PartialDate(raw, dt.date(y, 1, 1), dt.date(y, 12, 31), "year", uncertain)
        if m := re.fullmatch(r"(\d{4})\s*[/–—-]\s*(\d{4})", s):
            a, b = _year(m[1]), _year(m[2])
            if b < a:
                raise DateError(f"range {a}-{b} runs backwards")
            return PartialDate(raw, dt.date(a, 1, 1), dt.date(b, 12, 31), "range", uncertain)
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", s):
            y, mo = _year(m[1]), int(m[2])
            return PartialDate(raw, dt.date(y, mo, 1), _month_end(y, mo), "month", uncertain)
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s):
            d = dt.date(_year(m[1]), int(m[2]), int(m[3]))
            return PartialDate(raw, d, d, "day", uncertain)
        if m := re.fullmatch(r"(\d{1,2})[./](\d{4})", s):
            y, mo = _year(m[2]), int(m[1])
            return PartialDate(raw, dt.date(y, mo, 1), _month_end(y, mo), "month", uncertain)
        if m := re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", s):
            d = dt.date(_year(m[3]), int(m[2]), int(m[1]))
            return PartialDate(raw, d, d, "day", uncertain)
        if m := re.fullmatch(r"([ivx]+)[ .](\d{4})", s):
            if m[1] not in _ROMAN:
                raise DateError(f"{m[1].upper()} is not a Roman month")
            y, mo = _year(m[2]), _ROMAN[m[1]]
            return PartialDate(raw, dt.date(y, mo, 1), _month_end(y, mo), "month", uncertain)
        if m := re.fullmatch(r"(\d{1,2})\s+([^\W\d_]+)\s+(\d{4})", s):
            if m[2] in _MONTHS:
                d = dt.date(_year(m[3]), _MONTHS[m[2]], int(m[1]))
                return PartialDate(raw, d, d, "day", uncertain)
        if m := re.fullmatch(r"([^\W\d_]+)\s+(\d{4})", s):
            word, y = m[1], _year(m[2])
            if word in _MONTHS:
                mo = _MONTHS[word]
                return PartialDate(raw, dt.date(y, mo, 1), _month_end(y, mo), "month", uncertain)
            if word in _SEASONS:
                a, b = _SEASONS[word]
                end = _month_end(y + 1, b) if b < a else _month_end(y, b)
                return PartialDate(raw, dt.date(y, a, 1), end, "season", uncertain)
    except ValueError as exc:
        if isinstance(exc, DateError):
            raise
        raise DateError(f"impossible date {raw!r}: {exc}") from exc
    raise DateError(f"unreadable date {raw!r}")


@dataclass(frozen=True)
class Count:
    """A number of people (or families ...), possibly a range or unknown."""

    best: float | None
    low: float | None
    high: float | None
    approximate: bool = False


class CountError(ValueError):
    """A count that cannot be read or is impossible."""


def parse_count(text: object) -> Count:
    """Read a count: ``1250``, ``1 250``, ``1,250``, ``~300``, ``300-400``, ``?`` or empty (unknown)."""
    raw = "" if text is None else str(text).strip()
    if raw.lower() in {"", "?", "nan", "none", "н/д", "нет данных", "unknown", "-"}:
        return Count(None, None, None)
    if len(raw) > 40:
        raise CountError("not a count (too long)")
    approx = bool(re.match(r"^\s*(~|≈|ca\.?|около|ок\.|примерно|c\.)", raw, re.I))
    s = re.sub(r"^\s*(~|≈|ca\.?|около|ок\.|примерно|c\.)\s*", "", raw, flags=re.I)
    s = s.replace("\u00a0", " ").replace("\u202f", " ")
    s = re.sub(r"(?<=\d)[ ,'](?=\d{3}\b)", "", s)  # thousands separators
    s = s.strip()
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)", s):
        v = float(m[1])
        return Count(v, v if not approx else None, v if not approx else None, approx)
    if m := re.fullmatch(r"(\d+)\s*[–—-]\s*(\d+)", s):
        lo, hi = float(m[1]), float(m[2])
        if hi < lo:
            raise CountError(f"range {raw!r} runs backwards")
        return Count(None, lo, hi, approx)
    if re.fullmatch(r"-\s*\d+(\.\d+)?", s):
        raise CountError(f"negative count {raw!r}")
    raise CountError(f"unreadable count {raw!r}")
