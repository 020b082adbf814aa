"""The time-aware join: each record's places, on its date, in the borders of that date.

``join_records`` takes records in the canonical schema (text cells, see
:mod:`geo.records`) and returns every row either accepted (possibly with warnings)
or rejected with its reason: rows in = rows accepted + rows rejected.

For the origin and the destination it adds ``*_lat``, ``*_lon``, ``*_match``,
``*_place``, ``*_polity``, ``*_republic``, ``*_autonomy``, ``*_kz_region``,
``*_occupied_by`` and ``*_note``. A date that spans a border change (a year-only
date in 1940 for Chișinău) gives every unit of the span in order, joined by
``" → "``, and a warning, instead of pretending to know.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo import vocabulary
from geo.borders import SNAP_DISTANCE, Borders
from geo.dates import CountError, DateError, parse_count, parse_date
from geo.gazetteer import Gazetteer
from geo.records import CANONICAL

ENDS = ("origin", "destination")
JOIN_FIELDS = ("lat", "lon", "match", "place", "polity", "republic", "autonomy", "kz_region", "occupied_by", "note")
PARSED = ("date_from", "date_to", "date_precision", "date_uncertain", "count_approximate",
          "category_original", "nationality_original")


@dataclass
class JoinResult:
    """Accepted rows (canonical + parsed + join columns + warnings) and rejected rows with reasons."""

    accepted: pd.DataFrame
    rejected: pd.DataFrame

    @property
    def rows_in(self) -> int:
        return len(self.accepted) + len(self.rejected)


def _parse_rows(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse dates and counts of distinct values; split rows into accepted and rejected."""
    dates = {v: _try(parse_date, v) for v in pd.unique(df["date"])}
    ends = {v: _try(parse_date, v) for v in pd.unique(df["date_end"]) if str(v).strip()}
    counts = {v: _try(parse_count, v) for v in pd.unique(pd.concat([df["count"], df["count_low"], df["count_high"]]))}
    reasons: list[str] = []
    rows = []
    for r in df[list(CANONICAL)].to_dict("records"):
        why = []
        if not str(r["origin"]).strip():
            why.append("no origin")
        if not str(r["destination"]).strip():
            why.append("no destination")
        d = dates[r["date"]]
        if isinstance(d, Exception):
            why.append(f"date: {d}")
        e = ends.get(r["date_end"]) if str(r["date_end"]).strip() else None
        if isinstance(e, Exception):
            why.append(f"date_end: {e}")
        elif e is not None and not isinstance(d, Exception) and e.end < d.start:
            why.append("date_end is before date")
        c, lo, hi = counts[r["count"]], counts[r["count_low"]], counts[r["count_high"]]
        for label, v in (("count", c), ("count_low", lo), ("count_high", hi)):
            if isinstance(v, Exception):
                why.append(f"{label}: {v}")
        reasons.append("; ".join(why))
        rows.append((d, e, c, lo, hi))
    ok = np.array([not w for w in reasons])
    rejected = df[~ok].copy()
    rejected.insert(0, "reason", [w for w in reasons if w])
    accepted = df[ok].copy()
    parsed = [rows[i] for i in np.flatnonzero(ok)]
    warn: list[list[str]] = [[] for _ in parsed]
    date_from, date_to, prec, unc, best, low, high, approx = [], [], [], [], [], [], [], []
    for k, (d, e, c, lo, hi) in enumerate(parsed):
        start, end = d.start, (e.end if e is not None else d.end)
        date_from.append(start)
        date_to.append(end)
        prec.append(d.precision if e is None else "range")
        unc.append(d.uncertain or (e.uncertain if e is not None else False))
        b = c.best
        l_ = lo.best if lo.best is not None else c.low
        h = hi.best if hi.best is not None else c.high
        if l_ is not None and h is not None and l_ > h:
            warn[k].append("count_low is above count_high; kept as written")
        if b is not None and l_ is not None and h is not None and not (l_ <= b <= h):
            warn[k].append("count is outside count_low..count_high")
        if b is None and l_ is None and h is None:
            warn[k].append("count unknown")
        best.append(b)
        low.append(l_)
        high.append(h)
        approx.append(c.approximate)
    accepted["date_from"] = pd.to_datetime(pd.Series(date_from, dtype="object")).dt.date.to_numpy() if parsed else []
    accepted["date_to"] = pd.to_datetime(pd.Series(date_to, dtype="object")).dt.date.to_numpy() if parsed else []
    accepted["date_precision"] = prec
    accepted["date_uncertain"] = unc
    accepted["count_best"] = pd.array(best, dtype="Float64")
    accepted["count_low"] = pd.array(low, dtype="Float64")
    accepted["count_high"] = pd.array(high, dtype="Float64")
    accepted["count_approximate"] = approx
    accepted["warnings"] = ["; ".join(w) for w in warn]
    return accepted, rejected


def _try(fn, value):
    try:
        return fn(value)
    except (DateError, CountError) as exc:
        return exc


def _vocabulary(acc: pd.DataFrame) -> None:
    acc["category_original"] = acc["category"]
    acc["nationality_original"] = acc["nationality"]
    cats = {v: vocabulary.category(v) for v in pd.unique(acc["category"])}
    nats = {v: vocabulary.nationality(v) for v in pd.unique(acc["nationality"])}
    acc["category"] = [cats[v] or v for v in acc["category"]]
    acc["nationality"] = [nats[v] or v for v in acc["nationality"]]
    notes = [[] for _ in range(len(acc))]
    for k, (c, n) in enumerate(zip(acc["category_original"], acc["nationality_original"])):
        if str(c).strip() and cats[c] is None:
            notes[k].append(f"category {c!r} not in the vocabulary; kept as written")
        if str(n).strip() and nats[n] is None:
            notes[k].append(f"nationality {n!r} not in the vocabulary; kept as written")
    _add_warnings(acc, notes)


def _add_warnings(acc: pd.DataFrame, notes: list[list[str]]) -> None:
    acc["warnings"] = ["; ".join(x for x in [w, *n] if x) for w, n in zip(acc["warnings"], notes)]


def _names_over_span(borders: Borders, layer: str, lon, lat, first, last, level: str | None = None,
                     field_name: str = "name") -> list[list[str]]:
    lay = borders[layer]
    if level is not None:
        lay = lay.subset(lay.props["level"].to_numpy() == level)
    hits = lay.locate_span(lon, lat, first, last)
    values = lay.props[field_name].to_numpy()
    out = []
    for feats in hits:
        names: list[str] = []
        for f in feats:
            v = str(values[f])
            if not names or names[-1] != v:
                names.append(v)
        out.append(names)
    return out


def join_records(records: pd.DataFrame, borders: Borders, gazetteer: Gazetteer) -> JoinResult:
    """Validate, parse, resolve and join records to the borders of their dates.

    Parameters
    ----------
    records : pandas.DataFrame
        Canonical columns as text (:func:`geo.records.to_canonical`); other
        columns are carried through. A ``row`` column numbers the input rows
        (added when absent, counting from 1).
    borders : Borders
        The border layers (bundled or the user's own).
    gazetteer : Gazetteer
        The gazetteer to resolve names with.

    Returns
    -------
    JoinResult
        ``accepted`` and ``rejected``; every input row is in exactly one.
    """
    df = records.copy()
    for c in CANONICAL:
        if c not in df.columns:
            df[c] = ""
    df[list(CANONICAL)] = df[list(CANONICAL)].fillna("").astype(str)
    if "row" not in df.columns:
        df.insert(0, "row", np.arange(1, len(df) + 1))
    acc, rej = _parse_rows(df)
    if len(acc) == 0:
        return JoinResult(acc, rej)
    _vocabulary(acc)
    years = [d.year for d in acc["date_from"]]
    spans = list(zip(acc["date_from"], acc["date_to"]))
    places = {end: gazetteer.resolve(acc[end].tolist(), years, spans=spans) for end in ENDS}
    # second pass: an ambiguous end may be settled by the state of the other end on the date
    first_day = acc["date_from"].tolist()
    for end, other in (("origin", "destination"), ("destination", "origin")):
        amb = [k for k, p in enumerate(places[end]) if p.match == "ambiguous" and places[other][k].resolved]
        if amb:
            o = [places[other][k] for k in amb]
            states = borders.locate([p.lon for p in o], [p.lat for p in o], [first_day[k] for k in amb], layers=["polities"])
            again = gazetteer.resolve([acc[end].iloc[k] for k in amb], [years[k] for k in amb],
                                      states=states["polity"].tolist(), spans=[spans[k] for k in amb])
            for k, p in zip(amb, again):
                places[end][k] = p
    notes: list[list[str]] = [[] for _ in range(len(acc))]
    first = np.array(acc["date_from"].tolist(), dtype="datetime64[D]")
    last = np.array(acc["date_to"].tolist(), dtype="datetime64[D]")
    for end in ENDS:
        ps = places[end]
        lon = np.array([p.lon for p in ps], dtype=float)
        lat = np.array([p.lat for p in ps], dtype=float)
        lon, lat, moved = borders["polities"].snap(lon, lat, first, SNAP_DISTANCE)
        acc[f"{end}_lat"] = [round(p.lat, 5) if p.resolved else None for p in ps]
        acc[f"{end}_lon"] = [round(p.lon, 5) if p.resolved else None for p in ps]
        acc[f"{end}_match"] = [p.match for p in ps]
        acc[f"{end}_place"] = [f"{p.name} ({p.country})" if p.resolved and p.country else p.name for p in ps]
        cols = {
            "polity": _names_over_span(borders, "polities", lon, lat, first, last),
            "republic": _names_over_span(borders, "republics", lon, lat, first, last, level="union"),
            "autonomy": _names_over_span(borders, "republics", lon, lat, first, last, level="autonomous"),
            "kz_region": _names_over_span(borders, "kazakh_regions", lon, lat, first, last),
        }
        occ = _names_over_span(borders, "occupation", lon, lat, first, last)
        occupier = _names_over_span(borders, "occupation", lon, lat, first, last, field_name="occupier")
        for name, values in cols.items():
            acc[f"{end}_{name}"] = [" → ".join(v) for v in values]
        acc[f"{end}_occupied_by"] = [" → ".join(f"{o} ({n})" for o, n in zip(oc, oo)) for oc, oo in zip(occupier, occ)]
        acc[f"{end}_note"] = [p.note for p in ps]
        for k, p in enumerate(ps):
            if not p.resolved:
                notes[k].append(f"{end} {p.input!r} {p.match}: {p.note}" if p.note else f"{end} {p.input!r} {p.match}")
                continue
            if moved[k]:
                notes[k].append(f"{end} lies just offshore on the simplified coast; drawn on the nearest coast")
            if len(cols["polity"][k]) > 1:
                notes[k].append(f"{end}: the date {acc['date'].iloc[k]} spans a border change ({' → '.join(cols['polity'][k])})")
            elif len(cols["republic"][k]) > 1 or len(cols["kz_region"][k]) > 1:
                changed = cols["republic"][k] if len(cols["republic"][k]) > 1 else cols["kz_region"][k]
                notes[k].append(f"{end}: the date {acc['date'].iloc[k]} spans an administrative change ({' → '.join(changed)})")
            if p.match.startswith("fuzzy"):
                notes[k].append(f"{end} {p.input!r} matched by spelling to {p.name} ({p.match})")
    _add_warnings(acc, notes)
    acc["count"] = acc.pop("count_best")  # the parsed best estimate replaces the text as written
    order = ["row", *CANONICAL, *PARSED, *(f"{e}_{f}" for e in ENDS for f in JOIN_FIELDS), "warnings"]
    extras = [c for c in acc.columns if c not in order]
    acc = acc[[c for c in order if c in acc.columns] + extras]
    return JoinResult(acc.reset_index(drop=True), rej.reset_index(drop=True))


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (``= + - @``) get a leading apostrophe."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = [("'" + v) if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for v in out[c]]
    return out
