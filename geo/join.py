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
JOIN_FIELDS = ("lat", "lon", "match", "place", "place_id", "polity", "republic", "autonomy", "kz_region", "occupied_by", "note")
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
    """Parse dates and counts (each distinct value once); split rows into accepted and rejected."""
    errors: dict[int, np.ndarray] = {}
    messages: dict[int, np.ndarray] = {}

    def parsed(col: str, fn) -> pd.Series:
        values = df[col].astype(object)
        table = {v: _try(fn, v) for v in pd.unique(values)}
        out = values.map(table)
        errors[id(out)] = values.map({v: isinstance(p, Exception) for v, p in table.items()}).to_numpy(bool)
        messages[id(out)] = values.map({v: str(p) if isinstance(p, Exception) else "" for v, p in table.items()}).to_numpy(object)
        return out

    d = parsed("date", parse_date)
    has_end = df["date_end"].astype(str).str.strip() != ""
    e_all = parsed("date_end", parse_date)
    e = e_all.where(has_end, None)
    errors[id(e)] = errors[id(e_all)] & has_end.to_numpy(bool)
    messages[id(e)] = messages[id(e_all)]
    c, lo, hi = parsed("count", parse_count), parsed("count_low", parse_count), parsed("count_high", parse_count)
    def is_err(s: pd.Series) -> np.ndarray:
        return errors[id(s)] if id(s) in errors else s.map(lambda v: isinstance(v, Exception)).to_numpy(bool)
    why = pd.DataFrame(index=df.index)
    why["o"] = np.where(df["origin"].astype(str).str.strip() == "", "no origin", "")
    why["d"] = np.where(df["destination"].astype(str).str.strip() == "", "no destination", "")
    d_err, e_err = is_err(d), is_err(e)
    why["date"] = np.where(d_err, "date: " + messages[id(d)].astype(str), "")
    why["end"] = np.where(e_err, "date_end: " + messages[id(e)].astype(str), "")
    both = ~d_err & ~e_err & has_end.to_numpy()
    backwards = np.zeros(len(df), dtype=bool)
    if both.any():
        backwards[both] = [x.end < y.start for x, y in zip(e[both], d[both])]
    why["back"] = np.where(backwards, "date_end is before date", "")
    for label, s in (("count", c), ("count_low", lo), ("count_high", hi)):
        why[label] = np.where(is_err(s), label + ": " + messages[id(s)].astype(str), "")
    reasons = pd.Series(["; ".join(x for x in t if x) for t in zip(*(why[c].to_numpy() for c in why.columns))],
                        index=df.index, dtype=object)
    ok = (reasons == "").to_numpy(bool)
    rejected = df[~ok].copy()
    rejected.insert(0, "reason", reasons[~ok].to_numpy())
    acc = df[ok].copy()
    d, e, c, lo, hi = d[ok], e[ok], c[ok], lo[ok], hi[ok]
    def field(series: pd.Series, attr: str, default=None) -> np.ndarray:
        table = {id(v): (getattr(v, attr) if v is not None and not isinstance(v, Exception) else default)
                 for v in pd.unique(series.to_numpy(object)) if v is not None}
        return np.array([table.get(id(v), default) if v is not None else default for v in series.to_numpy(object)], dtype=object)

    d_start, d_end, d_prec, d_unc = field(d, "start"), field(d, "end"), field(d, "precision"), field(d, "uncertain", False)
    has_e = e.notna().to_numpy(bool)
    e_end, e_unc = field(e, "end"), field(e, "uncertain", False)
    acc["date_from"] = d_start
    acc["date_to"] = np.where(has_e, e_end, d_end)
    acc["date_precision"] = np.where(has_e, "range", d_prec)
    acc["date_uncertain"] = d_unc.astype(bool) | (has_e & e_unc.astype(bool))
    nan = float("nan")
    best = field(c, "best", nan).astype(float)
    c_low, c_high = field(c, "low", nan).astype(float), field(c, "high", nan).astype(float)
    lo_best, hi_best = field(lo, "best", nan).astype(float), field(hi, "best", nan).astype(float)
    low = np.where(np.isnan(lo_best), c_low, lo_best)
    high = np.where(np.isnan(hi_best), c_high, hi_best)
    acc["count_best"] = pd.array(best, dtype="Float64")
    acc["count_low"] = pd.array(low, dtype="Float64")
    acc["count_high"] = pd.array(high, dtype="Float64")
    acc["count_approximate"] = field(c, "approximate", False).astype(bool)
    with np.errstate(invalid="ignore"):
        w_order = np.where(low > high, "count_low is above count_high; kept as written", "")
        w_out = np.where(~np.isnan(best) & ~np.isnan(low) & ~np.isnan(high) & ((best < low) | (best > high)),
                         "count is outside count_low..count_high", "")
    w_unknown = np.where(np.isnan(best) & np.isnan(low) & np.isnan(high), "count unknown", "")
    acc["warnings"] = ["; ".join(x for x in t if x) for t in zip(w_order, w_out, w_unknown)]
    for col in ("count_best", "count_low", "count_high"):
        acc[col] = acc[col].astype("Float64").where(~acc[col].isna(), pd.NA)
    return acc, rejected


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
    cat_warn = {v: (f"category {v!r} not in the vocabulary; kept as written" if str(v).strip() and cats[v] is None else "")
                for v in cats}
    nat_warn = {v: (f"nationality {v!r} not in the vocabulary; kept as written" if str(v).strip() and nats[v] is None else "")
                for v in nats}
    notes = [[a, b] for a, b in zip(acc["category"].map(cat_warn), acc["nationality"].map(nat_warn))]
    acc["category"] = acc["category"].map({v: c or v for v, c in cats.items()})
    acc["nationality"] = acc["nationality"].map({v: n or v for v, n in nats.items()})
    _add_warnings(acc, notes)


def _add_warnings(acc: pd.DataFrame, notes: list[list[str]]) -> None:
    acc["warnings"] = ["; ".join(x for x in [w, *n] if x) for w, n in zip(acc["warnings"], notes)]


def _distinct_places(ps: list) -> tuple[np.ndarray, list]:
    """Codes of the distinct Place objects of a list (resolutions are memoised) and the objects."""
    index: dict[int, int] = {}
    uniq: list = []
    codes = np.empty(len(ps), dtype=np.int64)
    for k, p in enumerate(ps):
        c = index.get(id(p))
        if c is None:
            c = index[id(p)] = len(uniq)
            uniq.append(p)
        codes[k] = c
    return codes, uniq


def _names_over_span(borders: Borders, layer: str, lon, lat, first, last, level: str | None = None,
                     field_name: str = "name") -> np.ndarray:
    """Per record, the names of the units holding its point over its date span, joined by " → "."""
    lay = borders[layer]
    if level is not None:
        lay = lay.subset(lay.props["level"].to_numpy() == level)
    rec, feat = lay.locate_span(lon, lat, first, last)
    values = lay.props[field_name].astype(str).to_numpy() if len(lay) else np.array([], dtype=object)
    out = np.full(len(lon), "", dtype=object)
    if len(rec) == 0:
        return out
    n = np.bincount(rec, minlength=len(lon))
    single = n[rec] == 1
    out[rec[single]] = values[feat[single]]
    for r in np.unique(rec[~single]):  # a border change inside the span: rare, spelled out
        names: list[str] = []
        for v in values[feat[rec == r]]:
            if not names or names[-1] != v:
                names.append(v)
        out[r] = " → ".join(names)
    return out


def join_records(records: pd.DataFrame, borders: Borders, gazetteer: Gazetteer, *,
                 geometry: str | None = None) -> JoinResult:
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
    geometry : {None, "origin", "destination", "flow"}
        ``None`` (default): ``accepted`` is a plain DataFrame. Otherwise it is a
        :class:`geopandas.GeoDataFrame` (EPSG:4326) with ``origin_point``,
        ``destination_point`` and ``flow_line`` (origin to destination), the named one
        active (see :func:`geo.frames.records_frame`).

    Returns
    -------
    JoinResult
        ``accepted`` and ``rejected``; every input row is in exactly one.
    """
    if geometry is None:
        return _join(records, borders, gazetteer)
    from geo.frames import RECORD_GEOMETRIES, records_frame  # geopandas only when a GeoDataFrame is asked for

    if geometry not in RECORD_GEOMETRIES:
        raise ValueError(f"geometry must be None or one of {', '.join(RECORD_GEOMETRIES)}, not {geometry!r}")
    result = _join(records, borders, gazetteer)
    return JoinResult(records_frame(result.accepted, geometry), result.rejected)


def _join(records: pd.DataFrame, borders: Borders, gazetteer: Gazetteer) -> JoinResult:
    """:func:`join_records` on plain tables."""
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
    first_days = np.array(acc["date_from"].tolist(), dtype="datetime64[D]")
    years_arr = np.array(years, dtype=object)
    names = {end: acc[end].to_numpy(dtype=object) for end in ENDS}
    for end, other in (("origin", "destination"), ("destination", "origin")):
        amb = [k for k, p in enumerate(places[end]) if p.match == "ambiguous" and places[other][k].resolved]
        if amb:
            o = [places[other][k] for k in amb]
            states = borders.locate([p.lon for p in o], [p.lat for p in o], first_days[amb], layers=["polities"])
            again = gazetteer.resolve(list(names[end][amb]), list(years_arr[amb]),
                                      states=states["polity"].tolist(), spans=[spans[k] for k in amb])
            for k, p in zip(amb, again):
                places[end][k] = p
    first = np.array(acc["date_from"].tolist(), dtype="datetime64[D]")
    last = np.array(acc["date_to"].tolist(), dtype="datetime64[D]")
    date_text = acc["date"].astype(str).to_numpy(object)
    warn_cols: list[np.ndarray] = []
    for end in ENDS:
        codes, uniq = _distinct_places(places[end])
        resolved = np.array([p.resolved for p in uniq], dtype=bool)[codes]
        lon = np.array([p.lon for p in uniq], dtype=float)[codes]
        lat = np.array([p.lat for p in uniq], dtype=float)[codes]
        lon, lat, moved = borders["polities"].snap(lon, lat, first, SNAP_DISTANCE)
        acc[f"{end}_lat"] = np.where(resolved, np.round(np.array([p.lat for p in uniq])[codes], 5), np.nan)
        acc[f"{end}_lon"] = np.where(resolved, np.round(np.array([p.lon for p in uniq])[codes], 5), np.nan)
        acc[f"{end}_match"] = np.array([p.match for p in uniq], dtype=object)[codes]
        acc[f"{end}_place"] = np.array([f"{p.name} ({p.country})" if p.resolved and p.country else p.name
                                        for p in uniq], dtype=object)[codes]
        acc[f"{end}_place_id"] = np.array([p.place_id for p in uniq], dtype=object)[codes]
        cols = {
            "polity": _names_over_span(borders, "polities", lon, lat, first, last),
            "republic": _names_over_span(borders, "republics", lon, lat, first, last, level="union"),
            "autonomy": _names_over_span(borders, "republics", lon, lat, first, last, level="autonomous"),
            "kz_region": _names_over_span(borders, "kazakh_regions", lon, lat, first, last),
        }
        # a republic named without a town is drawn at its capital: that is not a claim about the capital's oblast
        republic_level = np.array([p.kind == "republic" for p in uniq], dtype=bool)[codes]
        cols["kz_region"] = np.where(republic_level, "", cols["kz_region"])
        occ = _names_over_span(borders, "occupation", lon, lat, first, last)
        occupier = _names_over_span(borders, "occupation", lon, lat, first, last, field_name="occupier")
        for name, values in cols.items():
            acc[f"{end}_{name}"] = values
        acc[f"{end}_occupied_by"] = [f"{o} ({n})" if o and " → " not in o and " → " not in n else (f"{o}: {n}" if o else "")
                                     for o, n in zip(occupier, occ)]
        acc[f"{end}_note"] = np.array([p.note for p in uniq], dtype=object)[codes]
        # warnings: computed per distinct place, then per record only where a span or the coast says more
        unresolved = np.array([("" if p.resolved else (f"{end} {p.input!r} {p.match}: {p.note}" if p.note
                                                       else f"{end} {p.input!r} {p.match}")) for p in uniq], dtype=object)[codes]
        fuzzy = np.array([(f"{end} {p.input!r} matched by spelling to {p.name} ({p.match})"
                           if p.resolved and p.match.startswith("fuzzy") else "") for p in uniq], dtype=object)[codes]
        coast = np.where(moved & resolved, f"{end} lies just offshore on the simplified coast; drawn on the nearest coast", "")
        span = np.full(len(acc), "", dtype=object)
        pol_change = np.char.find(cols["polity"].astype(str), " → ") >= 0
        adm_change = ~pol_change & ((np.char.find(cols["republic"].astype(str), " → ") >= 0)
                                    | (np.char.find(cols["kz_region"].astype(str), " → ") >= 0))
        for k in np.flatnonzero(pol_change & resolved):
            span[k] = f"{end}: the date {date_text[k]} spans a border change ({cols['polity'][k]})"
        for k in np.flatnonzero(adm_change & resolved):
            changed = cols["republic"][k] if " → " in cols["republic"][k] else cols["kz_region"][k]
            span[k] = f"{end}: the date {date_text[k]} spans an administrative change ({changed})"
        warn_cols += [unresolved, coast, span, fuzzy]
    acc["warnings"] = ["; ".join(x for x in t if x) for t in zip(acc["warnings"].to_numpy(object), *warn_cols)]
    acc["count"] = acc.pop("count_best")  # the parsed best estimate replaces the text as written
    order = ["row", *CANONICAL, *PARSED, *(f"{e}_{f}" for e in ENDS for f in JOIN_FIELDS), "warnings"]
    extras = [c for c in acc.columns if c not in order]
    acc = acc[[c for c in order if c in acc.columns] + extras]
    return JoinResult(acc.reset_index(drop=True), rej.reset_index(drop=True))


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (``= + - @``) get a leading apostrophe."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            col = out[c].astype("string")
            risky = col.str[:1].isin(["=", "+", "-", "@", "\t", "\r"]).fillna(False).to_numpy(bool)
            if risky.any():
                out[c] = out[c].astype(object)
                out.loc[risky, c] = "'" + col[risky].astype(str)
    return out
