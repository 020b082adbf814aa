"""``python -m geo evaluate-places FILE``: how often the gazetteer is right on archive spellings.

The file follows the evaluation-set contract of ``data/evaluation/places.csv`` (see the README):
one row per name as written, with its date, optionally the other end of the route, the place
expected (point, today's country) and the state, Soviet republic and Kazakh oblast of the date,
or ``expect=ambiguous`` where the honest answer is "ambiguous".

Each row is resolved exactly as the join resolves a record (:func:`geo.join.resolve_ends`:
the name as origin, ``other_end`` as destination) and scored:

- **right**: ``expect=place`` and the answer lies within 25 km of the expected point (10 km
  for camps and villages; for regions: the answer is the same region) and the polity, union
  republic and Kazakh oblast of the date equal the expected ones (an empty expectation is not
  checked); or ``expect=ambiguous`` and the answer is ``ambiguous``;
- **miss**: ``ambiguous`` or ``unresolved`` where a place was expected (honest, not wrong);
- **wrong**: another place, or the right place with another polity/republic/oblast of the date;
- **wrong continent**: a wrong answer whose country lies on another continent than the
  expected country (GeoNames' continent of each country).

Targets (issue 12): right >= 97 %, no wrong-continent row, and no wrong row at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo.dates import DateError, parse_date
from geo.gazetteer.rules import km
from geo.gazetteer.sources import continent
from geo.names import key

REQUIRED = ("id", "name", "date", "kind", "expected_name", "expected_lat", "expected_lon", "expected_country",
            "expect")
OPTIONAL = ("other_end", "expected_geonameid", "expected_polity", "expected_republic", "expected_kz_region",
            "source", "notes")
KINDS = ("modern_latin", "modern_cyrillic", "prerevolutionary", "soviet_rename", "exonym_german", "exonym_polish",
         "exonym_yiddish", "exonym_other", "kazakh_form", "modern_for_historical", "shared_name", "misspelling",
         "village", "camp", "region")
VERDICTS = ("right", "miss", "wrong", "wrong_continent")
TARGET_RIGHT = 0.97
NEAR_KM = 25.0
NEAR_KM_SMALL = 10.0  # camps and villages
REGION_KINDS = ("oblast", "republic", "region", "country")


class EvaluationError(ValueError):
    """An evaluation file that cannot be read; the message is one line."""


@dataclass
class Report:
    """Per-row answers and verdicts, and the table by kind."""

    rows: pd.DataFrame
    by_kind: pd.DataFrame

    @property
    def overall(self) -> pd.Series:
        return self.by_kind.loc["all"]

    def failures(self) -> list[str]:
        o = self.overall
        out = []
        if o["right_share"] < TARGET_RIGHT:
            out.append(f"right {o['right_share']:.1%} < {TARGET_RIGHT:.0%}")
        if o["wrong_continent"]:
            out.append(f"{int(o['wrong_continent'])} rows on the wrong continent")
        if o["wrong"] + o["wrong_continent"]:
            out.append(f"{int(o['wrong'] + o['wrong_continent'])} wrong rows (should be misses)")
        if o["invalid"]:
            out.append(f"{int(o['invalid'])} rows could not be evaluated")
        return out

    @property
    def meets_targets(self) -> bool:
        return not self.failures()


def read_evaluation(path: Path) -> pd.DataFrame:
    """The evaluation CSV as text cells, its columns checked."""
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise EvaluationError(f"cannot read {path}: {exc}") from None
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise EvaluationError(f"{path} lacks the columns {missing}")
    for c in OPTIONAL:
        if c not in df.columns:
            df[c] = ""
    return df


def evaluate(df: pd.DataFrame, gazetteer=None, borders=None) -> Report:
    """Resolve every row as the join would and score it (see the module docstring)."""
    from geo.borders import SNAP_DISTANCE
    from geo.join import _names_over_span, resolve_ends

    if gazetteer is None:
        from geo.gazetteer import bundled_gazetteer

        gazetteer = bundled_gazetteer()
    borders = borders if borders is not None else gazetteer.borders
    n = len(df)
    first = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    last = first.copy()
    problem = np.full(n, "", dtype=object)
    for i, text in enumerate(df["date"]):
        try:
            d = parse_date(text)
            first[i], last[i] = np.datetime64(d.start, "D"), np.datetime64(d.end, "D")
        except DateError as exc:
            problem[i] = f"date: {exc}"
    for i, e in enumerate(df["expect"]):
        if e not in ("place", "ambiguous"):
            problem[i] = problem[i] or f"expect must be place or ambiguous, not {e!r}"
    ok = problem == ""
    rows = np.flatnonzero(ok)
    ends = resolve_ends(df["name"].to_numpy(object)[rows], df["other_end"].to_numpy(object)[rows], first[rows],
                        last[rows], borders, gazetteer)
    codes, places = ends["origin"]
    got = [places[c] for c in codes]
    lon = np.array([p.lon for p in got], dtype=float)
    lat = np.array([p.lat for p in got], dtype=float)
    lon, lat, _ = borders["polities"].snap(lon, lat, first[rows], SNAP_DISTANCE)  # as the join does (coastal towns)
    found = {
        "polity": _names_over_span(borders, "polities", lon, lat, first[rows], last[rows]),
        "republic": _names_over_span(borders, "republics", lon, lat, first[rows], last[rows], level="union"),
        "kz_region": _names_over_span(borders, "kazakh_regions", lon, lat, first[rows], last[rows]),
    }
    republic_level = np.array([p.kind == "republic" for p in got], dtype=bool)
    found["kz_region"] = np.where(republic_level, "", found["kz_region"])
    out = []
    for j, i in enumerate(rows):
        r, p = df.iloc[i], got[j]
        out.append(_score(r, p, {k: str(v[j]) for k, v in found.items()}))
    for i in np.flatnonzero(~ok):
        r = df.iloc[i]
        out.append({"id": r["id"], "name": r["name"], "date": r["date"], "kind": r["kind"], "expect": r["expect"],
                    "verdict": "invalid", "why": problem[i]})
    res = pd.DataFrame(out)
    order = {v: k for k, v in enumerate(df["id"])}
    res = res.sort_values("id", key=lambda s: s.map(order)).reset_index(drop=True)
    return Report(res, _table(res))


def _score(r: pd.Series, p, found: dict[str, str]) -> dict:
    row = {"id": r["id"], "name": r["name"], "date": r["date"], "kind": r["kind"], "expect": r["expect"],
           "other_end": r["other_end"], "expected_name": r["expected_name"], "answer": p.name,
           "answer_country": p.country, "match": p.match, "rule": p.rule, "note": p.note,
           "found_polity": found["polity"], "found_republic": found["republic"], "found_kz_region": found["kz_region"]}
    if r["expect"] == "ambiguous":
        if p.match == "ambiguous":
            return {**row, "verdict": "right", "why": "reported ambiguous"}
        if not p.resolved:
            return {**row, "verdict": "miss", "why": f"{p.match}, not ambiguous"}
        return {**row, **_wrong(r, p, "chose one place where the honest answer is ambiguous")}
    if not p.resolved:
        return {**row, "verdict": "miss", "why": p.match}
    try:
        elat, elon = float(r["expected_lat"]), float(r["expected_lon"])
    except ValueError:
        elat = elon = math.nan
    dist = km((p.lat, p.lon), (elat, elon)) if not math.isnan(elat + elon) else math.nan
    row["distance_km"] = round(dist, 1) if not math.isnan(dist) else ""
    tol = NEAR_KM_SMALL if r["kind"] in ("camp", "village") else NEAR_KM
    if r["kind"] == "region":
        same = (p.match == "region" or p.kind in REGION_KINDS) and (
            key(p.name) == key(r["expected_name"]) or (r["expected_kz_region"] and found["kz_region"] == r["expected_kz_region"])
            or (not math.isnan(dist) and dist <= NEAR_KM))
        if not same:
            return {**row, **_wrong(r, p, "another place or unit")}
    elif math.isnan(dist) or dist > tol:
        return {**row, **_wrong(r, p, f"{'?' if math.isnan(dist) else round(dist)} km from the expected point")}
    for col in ("polity", "republic", "kz_region"):
        want = r[f"expected_{col}"]
        if want and found[col] != want:
            return {**row, "verdict": "wrong", "why": f"{col} of the date is {found[col]!r}, expected {want!r}"}
    return {**row, "verdict": "right", "why": ""}


def _wrong(r: pd.Series, p, why: str) -> dict:
    exp, got = continent(r["expected_country"]), continent(p.country)
    if exp and got and exp != got:
        return {"verdict": "wrong_continent", "why": f"{why}; {p.country} ({got}) is not on {r['expected_country']}'s "
                                                      f"continent ({exp})"}
    return {"verdict": "wrong", "why": why}


def _table(res: pd.DataFrame) -> pd.DataFrame:
    kinds = [k for k in KINDS if k in set(res["kind"])] + sorted(set(res["kind"]) - set(KINDS))
    rows = []
    for k in [*kinds, "all"]:
        sub = res if k == "all" else res[res["kind"] == k]
        counts = {v: int((sub["verdict"] == v).sum()) for v in (*VERDICTS, "invalid")}
        scored = len(sub) - counts["invalid"]
        rows.append({"kind": k, "rows": len(sub), **counts, "right_share": counts["right"] / scored if scored else 0.0})
    return pd.DataFrame(rows).set_index("kind")


def evaluate_file(path: Path, focus=None, gazetteer=None) -> Report:
    """Read and evaluate an evaluation CSV (with the bundled gazetteer unless one is given)."""
    df = read_evaluation(Path(path))
    if gazetteer is None:
        from geo.gazetteer import bundled_gazetteer

        gazetteer = bundled_gazetteer()
    if focus is not None:
        gazetteer = gazetteer.with_focus(focus)
    return evaluate(df, gazetteer)


def format_report(report: Report) -> str:
    """The table by kind, then every row that is not right, with its reason."""
    t = report.by_kind
    lines = [(f"{'kind':24} {'rows':>5} {'right':>6} {'miss':>5} {'wrong':>6} {'wrong continent':>16} {'invalid':>8} "
              f"{'right %':>8}")]
    for k, r in t.iterrows():
        lines.append(f"{k:24} {r['rows']:>5} {r['right']:>6} {r['miss']:>5} {r['wrong']:>6} {r['wrong_continent']:>16} "
                     f"{r['invalid']:>8} {100 * r['right_share']:>7.1f}%")
    o = report.overall
    lines.append("")
    lines.append(f"targets: right >= {TARGET_RIGHT:.0%} ({100 * o['right_share']:.1f}%), wrong continent = 0 "
                 f"({int(o['wrong_continent'])}), wrong = 0 ({int(o['wrong'])}): "
                 + ("met" if report.meets_targets else "NOT met"))
    bad = report.rows[report.rows["verdict"] != "right"]
    if len(bad):
        lines.append("")
        lines.append("rows not right:")
        for _, r in bad.iterrows():
            ans = f"{r.get('answer') or ''} ({r.get('answer_country') or ''}) [{r.get('match') or ''}]"
            lines.append(f"  {r['id']} {r['kind']} {r['name']!r} {r['date']}: {r['verdict']}: {ans}; {r['why']}")
    return "\n".join(lines)
