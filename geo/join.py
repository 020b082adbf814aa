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
JOIN_FIELDS = ("lat", "lon", "match", "rule", "place", "place_id", "polity", "republic", "autonomy", "kz_region",
               "occupied_by", "note")
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


class _Parsed:
    """One column parsed once per distinct text: a code per row into the distinct results."""

    def __init__(self, values: pd.Series, fn) -> None:
        codes, uniq = pd.factorize(values.astype(object).fillna(""), use_na_sentinel=False)
        self.codes = codes
        self.results = _fast_days(uniq) if fn is parse_date else [None] * len(uniq)
        self.results = [r if r is not None else _try(fn, v) for r, v in zip(self.results, uniq)]
        self.errors = np.array([isinstance(r, Exception) for r in self.results], dtype=bool)[codes]
        self.messages = np.array([str(r) if isinstance(r, Exception) else "" for r in self.results], dtype=object)[codes]

    def days(self, attr: str, rows: np.ndarray) -> np.ndarray:
        """``start`` or ``end`` of each selected row's date as ``datetime64[D]`` (NaT for errors)."""
        table = np.array([np.datetime64("NaT") if isinstance(r, Exception) else np.datetime64(getattr(r, attr), "D")
                          for r in self.results] + [np.datetime64("NaT")], dtype="datetime64[D]")
        return table[self.codes[rows]]

    def field(self, attr: str, default=None, rows: np.ndarray | None = None) -> np.ndarray:
        """An attribute of each row's parsed value (``default`` for errors), for the selected rows."""
        table = np.empty(len(self.results) + 1, dtype=object)
        table[:-1] = [default if isinstance(r, Exception) else getattr(r, attr) for r in self.results]
        table[-1] = default
        codes = self.codes if rows is None else self.codes[rows]
        return table[codes]


def _fast_days(values) -> list:
    """Day dates in the two commonest exact forms (1941-09-03, 03.09.1941), parsed without the general
    reader; None for every other value (which :func:`geo.dates.parse_date` then reads, or rejects)."""
    from geo.dates import MAX_YEAR, MIN_YEAR, PartialDate

    s = pd.Series(list(values), dtype=object).astype(str)
    out: list = [None] * len(s)
    for pattern, fmt in ((r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"), (r"\d{2}\.\d{2}\.\d{4}", "%d.%m.%Y")):
        hit = s.str.fullmatch(pattern).fillna(False).to_numpy(bool)
        if not hit.any():
            continue
        d = pd.to_datetime(s[hit], format=fmt, errors="coerce")
        ok = d.notna() & d.dt.year.between(MIN_YEAR, MAX_YEAR)
        for i, day, raw in zip(np.flatnonzero(hit)[ok.to_numpy()], d[ok].dt.date, s[hit][ok]):
            out[i] = PartialDate(raw, day, day, "day", False)
    return out


def _parse_rows(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, tuple[np.ndarray, np.ndarray]]:
    """Parse dates and counts (each distinct value once); split rows into accepted and rejected.

    Returns the accepted rows, the rejected rows with their reasons, and the first and last day of
    each accepted row's date as ``datetime64[D]`` arrays.
    """
    d = _Parsed(df["date"], parse_date)
    has_end = (df["date_end"].astype(str).str.strip() != "").to_numpy(bool)
    e = _Parsed(df["date_end"], parse_date)
    e_err = e.errors & has_end
    c, lo, hi = (_Parsed(df[col], parse_count) for col in ("count", "count_low", "count_high"))
    n = len(df)
    parts = [
        np.where(df["origin"].astype(str).str.strip().to_numpy() == "", "no origin", ""),
        np.where(df["destination"].astype(str).str.strip().to_numpy() == "", "no destination", ""),
        np.where(d.errors, "date: " + d.messages.astype(str), ""),
        np.where(e_err, "date_end: " + e.messages.astype(str), ""),
    ]
    both = np.flatnonzero(~d.errors & ~e_err & has_end)
    backwards = np.zeros(n, dtype=bool)
    if len(both):
        e_end_b, d_start_b = e.field("end", rows=both), d.field("start", rows=both)
        backwards[both] = [x < y for x, y in zip(e_end_b, d_start_b)]
    parts.append(np.where(backwards, "date_end is before date", ""))
    for label, p in (("count", c), ("count_low", lo), ("count_high", hi)):
        parts.append(np.where(p.errors, label + ": " + p.messages.astype(str), ""))
    bad_any = np.zeros(n, dtype=bool)
    for part in parts:
        bad_any |= part != ""
    reasons = np.full(n, "", dtype=object)
    for k in np.flatnonzero(bad_any):
        reasons[k] = "; ".join(str(part[k]) for part in parts if part[k])
    ok = ~bad_any
    rejected = df[~ok].copy()
    rejected.insert(0, "reason", reasons[~ok])
    acc = df[ok].copy()
    rows = np.flatnonzero(ok)
    has_e = has_end[rows]
    d_prec, d_unc = d.field("precision", rows=rows), d.field("uncertain", False, rows=rows)
    e_unc = e.field("uncertain", False, rows=rows)
    first = d.days("start", rows)
    last = np.where(has_e, e.days("end", rows), d.days("end", rows))
    acc["date_from"] = first.astype(object)
    acc["date_to"] = last.astype(object)
    acc["date_precision"] = np.where(has_e, "range", d_prec)
    acc["date_uncertain"] = d_unc.astype(bool) | (has_e & e_unc.astype(bool))
    nan = float("nan")

    def num(p: _Parsed, attr: str) -> np.ndarray:
        return np.array([nan if v is None else v for v in p.field(attr, None, rows=rows)], dtype=float)

    best = num(c, "best")
    c_low, c_high = num(c, "low"), num(c, "high")
    lo_best, hi_best = num(lo, "best"), num(hi, "best")
    low = np.where(np.isnan(lo_best), c_low, lo_best)
    high = np.where(np.isnan(hi_best), c_high, hi_best)
    acc["count_best"] = pd.array(best, dtype="Float64")
    acc["count_low"] = pd.array(low, dtype="Float64")
    acc["count_high"] = pd.array(high, dtype="Float64")
    acc["count_approximate"] = c.field("approximate", False, rows=rows).astype(bool)
    with np.errstate(invalid="ignore"):
        w_order = np.where(low > high, "count_low is above count_high; kept as written", "")
        w_out = np.where(~np.isnan(best) & ~np.isnan(low) & ~np.isnan(high) & ((best < low) | (best > high)),
                         "count is outside count_low..count_high", "")
    w_unknown = np.where(np.isnan(best) & np.isnan(low) & np.isnan(high), "count unknown", "")
    acc["warnings"] = _join_texts([w_order, w_out, w_unknown])
    for col in ("count_best", "count_low", "count_high"):
        acc[col] = acc[col].astype("Float64").where(~acc[col].isna(), pd.NA)
    return acc, rejected, (first, last)


def _join_texts(columns: list[np.ndarray]) -> np.ndarray:
    """Per row, the non-empty texts of several columns joined by "; " (column by column, no per-row loop)."""
    n = len(columns[0]) if columns else 0
    out = np.full(n, "", dtype=object)
    for c in columns:
        c = np.asarray(c, dtype=object)
        has = c != ""
        if not has.any():
            continue
        both = has & (out != "")
        only = has & ~both
        out[only] = c[only]
        if both.any():
            out[both] = out[both] + "; " + c[both]
    return out


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
    cw = acc["category"].map(cat_warn).to_numpy(object)
    nw = acc["nationality"].map(nat_warn).to_numpy(object)
    acc["category"] = acc["category"].map({v: c or v for v, c in cats.items()})
    acc["nationality"] = acc["nationality"].map({v: n or v for v, n in nats.items()})
    unit_warn = {v: (f"unit {v!r} is not persons, families or households; its count is not summed as people"
                     if vocabulary.unit(v) is None else "") for v in pd.unique(acc["unit"])}
    uw = acc["unit"].map(unit_warn).to_numpy(object)
    acc["warnings"] = _join_texts([acc["warnings"].to_numpy(object), cw, nw, uw])


def _details(acc: pd.DataFrame) -> None:
    """Check ``detail_of``: a row that breaks down, from another source, people another row already carries.

    It must name another accepted row of the same category that is not itself a detail, or a total
    (a ``part_of`` value of this file) whose parts are all of that category and none a detail. A
    detail is never drawn nor summed (its parent carries the people); one that names no such parent
    is cleared, with a warning, and drawn as its own arrow, so that nothing is lost.
    """
    detail = acc["detail_of"].astype(str).str.strip()
    acc["detail_of"] = detail
    if not (detail != "").any():
        return
    ids = acc["id"].astype(str)
    is_detail = dict(zip(ids, detail != ""))
    category = dict(zip(ids, acc["category"].astype(str)))
    parts = acc[acc["part_of"].astype(str) != ""].groupby("part_of")
    total_category = {k: (set(g["category"].astype(str)), bool((g["detail_of"].astype(str).str.strip() != "").any()))
                      for k, g in parts}
    warn = np.full(len(acc), "", dtype=object)
    for k, (rid, parent, cat) in enumerate(zip(ids, detail, acc["category"].astype(str))):
        if not parent:
            continue
        if parent == rid:
            reason = "names the row itself"
        elif parent in category:
            reason = ("names a row of another category" if category[parent] != cat else
                      "names a row that is itself a detail" if is_detail[parent] else "")
        elif parent in total_category:
            cats, has_detail = total_category[parent]
            reason = ("names a total whose parts are of another category" if cats != {cat} else
                      "names a total with a part that is itself a detail" if has_detail else "")
        else:
            reason = "names no row and no total of this file"
        if reason:
            warn[k] = f"detail_of {parent!r} {reason}; drawn as its own arrow"
            acc.iloc[k, acc.columns.get_loc("detail_of")] = ""
    acc["warnings"] = _join_texts([acc["warnings"].to_numpy(object), warn])


def resolve_ends(
    origins: np.ndarray, destinations: np.ndarray, first: np.ndarray, last: np.ndarray, borders: Borders,
    gazetteer: Gazetteer,
) -> dict[str, tuple[np.ndarray, list]]:
    """Resolve both ends of many records: per end, a code per record into a list of distinct places.

    Each distinct name is resolved once (see :meth:`Gazetteer.resolve_codes`); an end left
    ambiguous is resolved again only where the other end is placed, with the state and the Soviet
    union republic holding the other end on the record's first day (the last tie-break rules).

    Parameters
    ----------
    origins, destinations : numpy.ndarray
        Names as written (object arrays; '' for none).
    first, last : numpy.ndarray
        ``datetime64[D]``: the first and last day each record's date can mean.
    """
    first = np.asarray(first, dtype="datetime64[D]")
    last = np.asarray(last, dtype="datetime64[D]")
    names = {"origin": np.asarray(origins, dtype=object), "destination": np.asarray(destinations, dtype=object)}
    out = {end: gazetteer.resolve_codes(names[end], first=first, last=last) for end in ENDS}
    for end, other in (("origin", "destination"), ("destination", "origin")):
        codes, places = out[end]
        o_codes, o_places = out[other]
        amb = np.array([p.match == "ambiguous" for p in places], dtype=bool)[codes]
        o_ok = np.array([p.resolved for p in o_places], dtype=bool)[o_codes]
        rows = np.flatnonzero(amb & o_ok)
        if not len(rows):
            continue
        o_lon = np.array([p.lon for p in o_places], dtype=float)
        o_lat = np.array([p.lat for p in o_places], dtype=float)
        where = _Where(borders, o_codes[rows], o_lon, o_lat, first[rows])
        states = where.names("polities", first[rows], first[rows])
        republics = where.names("republics", first[rows], first[rows], level="union")
        c2, p2 = gazetteer.resolve_codes(names[end][rows], states=list(zip(states, republics)), first=first[rows],
                                         last=last[rows])
        codes = codes.copy()
        codes[rows] = c2 + len(places)
        out[end] = (codes, places + p2)
    return out


class _Where:
    """Who held each record's point over its dates, for records that share a few points.

    Points are snapped to the coast once per distinct (place, period of the polities layer), as
    :meth:`geo.borders.Layer.snap` would per record. For each layer, the features holding each
    distinct point are listed once through all time (:meth:`geo.borders.Layer.locate_span`) and
    laid out as a table of days 1900-1965 (the years a date may have): a record then reads the
    features of its first and last day from the table, without a search. Points whose features
    overlap in time (on a shared border) are looked up record by record, exactly as before.
    """

    DAY0 = np.datetime64("1900-01-01", "D")
    DAYS = int((np.datetime64("1966-01-01", "D") - np.datetime64("1900-01-01", "D")).astype(np.int64))

    def __init__(self, borders: Borders, codes: np.ndarray, lon_u: np.ndarray, lat_u: np.ndarray,
                 first: np.ndarray) -> None:
        self.borders = borders
        pol = borders["polities"]
        interval = np.searchsorted(pol.breaks, first, side="right")
        combo, uniq = pd.factorize(codes.astype(np.int64) * (len(pol.breaks) + 2) + interval)
        rep = np.empty(len(uniq), dtype=np.int64)
        rep[combo] = np.arange(len(combo))
        lon, lat = lon_u[codes[rep]], lat_u[codes[rep]]
        slon, slat, moved = pol.snap(lon, lat, first[rep], SNAP_DISTANCE)
        self.moved = moved[combo]
        pts = pd.Series(list(zip(slon.tolist(), slat.tolist())), dtype=object)
        pcode, puniq = pd.factorize(pts)
        self.lon = np.array([p[0] for p in puniq], dtype=float)
        self.lat = np.array([p[1] for p in puniq], dtype=float)
        self.point = pcode.astype(np.int64)[combo]
        self._timelines: dict[tuple, tuple] = {}
        self.changed: dict[tuple, np.ndarray] = {}  # (layer, level, field) -> records whose span crosses a change

    def _timeline(self, layer: str, level: str | None) -> tuple:
        k = (layer, level)
        if k not in self._timelines:
            lay = self.borders[layer]
            if level is not None:
                lay = lay.subset(lay.props["level"].to_numpy() == level)
            n = len(self.lon)
            rec, feat = lay.locate_span(self.lon, self.lat, np.full(n, np.datetime64("1000-01-01")),
                                        np.full(n, np.datetime64("2999-12-31")))
            start = (lay.start[feat] - self.DAY0).astype(np.int64)
            end = (lay.end[feat] - self.DAY0).astype(np.int64)
            bounds = np.searchsorted(rec, np.arange(n + 1))
            grid = np.arange(self.DAYS)
            last_start = np.full((n, self.DAYS), -1, dtype=np.int32)  # position of the last feature begun by a day
            covered = np.zeros((n, self.DAYS), dtype=bool)  # ... and whether it still holds the point that day
            overlap = np.zeros(n, dtype=bool)
            for p in range(n):
                a, b = bounds[p], bounds[p + 1]
                if a == b:
                    continue
                s, e = start[a:b], end[a:b]
                overlap[p] = bool((s[1:] <= e[:-1]).any())
                i = np.searchsorted(s, grid, side="right") - 1
                last_start[p] = np.where(i >= 0, i + a, -1)
                covered[p] = (i >= 0) & (e[np.clip(i, 0, None)] >= grid)
            self._timelines[k] = (lay, feat, last_start, covered, bounds, overlap)
        return self._timelines[k]

    def _days(self, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Table columns of each record's first and last day (clipped), computed once for all layers."""
        cached = getattr(self, "_days_of", None)
        if cached is None or cached[0] is not first or cached[1] is not last:
            f = (first - self.DAY0).astype(np.int64)
            la = f if last is first else (last - self.DAY0).astype(np.int64)
            inside = (f >= 0) & (la < self.DAYS) & (f <= la)
            fi = np.clip(f, 0, self.DAYS - 1)
            li = fi if last is first else np.clip(la, 0, self.DAYS - 1)
            self._days_of = (first, last, (fi, li, inside))
        return self._days_of[2]

    def names(self, layer: str, first: np.ndarray, last: np.ndarray, level: str | None = None,
              field_name: str = "name") -> np.ndarray:
        """Per record, the names of the units holding its point over ``first..last``, joined by " → "."""
        lay, feat, last_start, covered, bounds, overlap = self._timeline(layer, level)
        n = len(self.point)
        changed = np.zeros(n, dtype=bool)
        self.changed[(layer, level, field_name)] = changed
        if len(feat) == 0:
            return np.full(n, "", dtype=object)
        values = np.append(lay.props[field_name].astype(str).to_numpy(dtype=object), "")
        p = self.point
        fi, li, inside = self._days(first, last)
        flat_ls, flat_cov = last_start.reshape(-1), covered.reshape(-1)
        at_f = flat_ls[p * self.DAYS + fi]
        lo = np.where(at_f < 0, bounds[p], at_f + ~flat_cov[p * self.DAYS + fi])  # first feature holding it on day one
        hi = at_f if li is fi else flat_ls[p * self.DAYS + li]
        ok = inside & ~np.isnan(self.lon[p]) & (hi >= lo) & (hi >= 0) & ~overlap[p]
        single = ok & (hi == lo)
        out = values[np.where(single, feat[np.clip(lo, 0, len(feat) - 1)], len(values) - 1)]
        for k in np.flatnonzero(ok & (hi > lo)):  # a border change inside the span: rare, spelled out
            seq: list[str] = []
            for v in values[feat[lo[k]:hi[k] + 1]]:
                if not seq or seq[-1] != v:
                    seq.append(v)
            out[k] = " → ".join(seq)
            changed[k] = len(seq) > 1
        slow = np.flatnonzero((overlap[p] | ~inside) & ~np.isnan(self.lon[p]))
        if len(slow):
            out[slow] = _names_over_span(self.borders, layer, self.lon[p[slow]], self.lat[p[slow]], first[slow],
                                         last[slow], level=level, field_name=field_name)
            changed[slow] = [" → " in v for v in out[slow]]
        return out


def _passed_over_text(p) -> str:
    names = [f"{c['name']} ({c['country']})" for c in p.passed_over]
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return ", ".join(names[:3]) + more


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
    multi = np.flatnonzero(~single)  # a border change inside the span: rare, spelled out
    if len(multi):
        r_m, f_m = rec[multi], feat[multi]  # sorted by record, then by the feature's first day
        cuts = np.flatnonzero(np.diff(r_m)) + 1
        for rs, fs in zip(np.split(r_m, cuts), np.split(f_m, cuts)):
            names: list[str] = []
            for v in values[fs]:
                if not names or names[-1] != v:
                    names.append(v)
            out[rs[0]] = " → ".join(names)
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
    acc, rej, (first, last) = _parse_rows(df)
    if len(acc) == 0:
        return JoinResult(acc, rej)
    _vocabulary(acc)
    _details(acc)
    resolved_ends = resolve_ends(acc["origin"].to_numpy(object), acc["destination"].to_numpy(object), first, last,
                                 borders, gazetteer)
    date_text = acc["date"].astype(str).to_numpy(object)
    warn_cols: list[np.ndarray] = []
    for end in ENDS:
        codes, uniq = resolved_ends[end]
        resolved = np.array([p.resolved for p in uniq], dtype=bool)[codes]
        lon_u = np.array([p.lon for p in uniq], dtype=float)
        lat_u = np.array([p.lat for p in uniq], dtype=float)
        where = _Where(borders, codes, lon_u, lat_u, first)
        moved = where.moved
        acc[f"{end}_lat"] = np.where(resolved, np.round(lat_u, 5)[codes], np.nan)
        acc[f"{end}_lon"] = np.where(resolved, np.round(lon_u, 5)[codes], np.nan)
        acc[f"{end}_match"] = np.array([p.match for p in uniq], dtype=object)[codes]
        acc[f"{end}_place"] = np.array([f"{p.name} ({p.country})" if p.resolved and p.country else p.name
                                        for p in uniq], dtype=object)[codes]
        acc[f"{end}_place_id"] = np.array([p.place_id for p in uniq], dtype=object)[codes]
        acc[f"{end}_rule"] = np.array([p.rule for p in uniq], dtype=object)[codes]
        cols = {
            "polity": where.names("polities", first, last),
            "republic": where.names("republics", first, last, level="union"),
            "autonomy": where.names("republics", first, last, level="autonomous"),
            "kz_region": where.names("kazakh_regions", first, last),
        }
        # a republic named without a town is located at its capital: that is not a claim about the capital's oblast
        republic_level = np.array([p.kind == "republic" for p in uniq], dtype=bool)[codes]
        cols["kz_region"] = np.where(republic_level, "", cols["kz_region"])
        occ = where.names("occupation", first, last)
        occupier = where.names("occupation", first, last, field_name="occupier")
        for name, values in cols.items():
            acc[f"{end}_{name}"] = values
        occupied = np.full(len(acc), "", dtype=object)
        for k in np.flatnonzero(occupier != ""):
            o, n = occupier[k], occ[k]
            occupied[k] = f"{o} ({n})" if " → " not in o and " → " not in n else f"{o}: {n}"
        acc[f"{end}_occupied_by"] = occupied
        acc[f"{end}_note"] = np.array([p.note for p in uniq], dtype=object)[codes]
        # warnings: computed per distinct place, then per record only where a span or the coast says more
        unresolved = np.array([("" if p.resolved else (f"{end} {p.input!r} {p.match}: {p.note}" if p.note
                                                       else f"{end} {p.input!r} {p.match}")) for p in uniq], dtype=object)[codes]
        fuzzy = np.array([(f"{end} {p.input!r} matched by spelling to {p.name} ({p.match})"
                           if p.resolved and p.match.startswith("fuzzy") else "") for p in uniq], dtype=object)[codes]
        chosen = np.array([(f"{end} {p.input!r}: {p.rule} chose {p.name} ({p.country}); passed over "
                            f"{_passed_over_text(p)}" if p.resolved and p.rule and p.passed_over else "")
                           for p in uniq], dtype=object)[codes]
        coast = np.where(moved & resolved, f"{end} lies just offshore on the simplified coast; drawn on the nearest coast", "")
        span = np.full(len(acc), "", dtype=object)
        pol_change = where.changed[("polities", None, "name")]
        adm_change = ~pol_change & (where.changed[("republics", "union", "name")]
                                    | (where.changed[("kazakh_regions", None, "name")] & ~republic_level))
        for k in np.flatnonzero(pol_change & resolved):
            span[k] = f"{end}: the date {date_text[k]} spans a border change ({cols['polity'][k]})"
        for k in np.flatnonzero(adm_change & resolved):
            changed = cols["republic"][k] if " → " in cols["republic"][k] else cols["kz_region"][k]
            span[k] = f"{end}: the date {date_text[k]} spans an administrative change ({changed})"
        warn_cols += [unresolved, coast, span, fuzzy, chosen]
    acc["warnings"] = _join_texts([acc["warnings"].to_numpy(object), *warn_cols])
    acc["count"] = acc.pop("count_best")  # the parsed best estimate replaces the text as written
    order = ["row", *CANONICAL, *PARSED, *(f"{e}_{f}" for e in ENDS for f in JOIN_FIELDS), "warnings"]
    extras = [c for c in acc.columns if c not in order]
    acc = acc[[c for c in order if c in acc.columns] + extras]
    return JoinResult(acc.reset_index(drop=True), rej.reset_index(drop=True))


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (``= + - @``) get a leading apostrophe."""
    import pyarrow as pa
    import pyarrow.compute as pc

    starts = pa.array(["=", "+", "-", "@", "\t", "\r"])
    out = df.copy()
    for c in out.columns:
        if not (out[c].dtype == object or pd.api.types.is_string_dtype(out[c])):
            continue
        try:  # the first character of every cell in one vectorised pass (Arrow), texts only
            arr = pa.array(out[c], from_pandas=True)  # zero-copy for Arrow-backed text columns
            if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
                raise pa.ArrowTypeError(str(arr.type))
            risky = pc.fill_null(pc.is_in(pc.utf8_slice_codeunits(arr, 0, 1), value_set=starts), False)
            risky = risky.to_numpy(zero_copy_only=False).astype(bool)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed cells (numbers, dates): the slow way
            col = out[c].astype("string")
            risky = col.str[:1].isin(["=", "+", "-", "@", "\t", "\r"]).fillna(False).to_numpy(bool)
        if risky.any():
            out[c] = out[c].astype(object)
            out.loc[risky, c] = "'" + out.loc[risky, c].astype(str)
    return out
