"""A researcher's own records: read the file, account for every row, review the places, export the result.

The page (``pages/5_Import.py``) is a script of widgets over these steps, in order:
:func:`read_upload` (encoding, delimiter, sheet; a wrong choice explained), the column mapping
(:func:`geo.records.guess_mapping`), :func:`join_upload`, :func:`rows_report`, the review of places
(:func:`places_to_review` for names that need a person, :func:`rule_decisions` for names a rule
decided, both asking the gazetteer's ``resolve`` and ``suggestions`` so that the ranking comes from
one place), typed coordinates checked by :func:`parse_coordinates` and :func:`point_check`, and the
decisions as a gazetteer supplement. The command line (``python -m geo join``) shares the reading and
the join. Messages carry a catalog key (``data/i18n``) so the page says them in the visitor's language:
:class:`ImportProblem` for a file, :func:`explain` for the English reasons and warnings of the join.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.gazetteer import Gazetteer
from geo.i18n import place_label, t, unit_label
from geo.join import ENDS, JoinResult, join_records, neutralise_formulas
from geo.records import REQUIRED, Table, TableError, detect_encoding, guess_mapping, read_table

#: A place needs a person's decision when it was not found, was ambiguous, or matched only by spelling.
REVIEW_MATCHES = ("unresolved", "ambiguous")
SUPPLEMENT_COLUMNS = ("name", "lat", "lon", "names", "country", "source")
#: The example register shipped for a first visit ("Try the sample"): synthetic, see its README.
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "examples" / "sample_register_cp1251.csv"
#: Encodings a person may force, named as people know them.
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "cp1251": "Windows-1251", "koi8_r": "KOI8-R",
                  "utf-16": "UTF-16"}
#: Most candidates offered for one name (the gazetteer ranks them; the small map labels each).
MAX_CANDIDATES = 4


class ImportProblem(TableError):
    """A problem with a person's file or input, with the catalog key that says it in any language.

    ``str(problem)`` is the English text; the page shows ``t(problem.key, lang, **problem.values)``.
    """

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(t(key, "en", **values))

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


def encoding_name(codec: str) -> str:
    """``cp1251`` -> ``Windows-1251``: an encoding as people name it."""
    return ENCODING_NAMES.get(codec, codec)


def _recognised(table: Table) -> int:
    """How many of the required columns the headers name (0 when the text is not what the archive wrote)."""
    return len(set(guess_mapping([str(h) for h in table.frame.columns]).values()) & set(REQUIRED))


def read_upload(data: bytes, name: str, *, encoding: str | None = None, delimiter: str | None = None,
                sheet: str | None = None, max_bytes: int, max_rows: int) -> Table:
    """A person's file as a table, or an :class:`ImportProblem` that says what to do.

    A forced encoding the bytes are not in is said plainly, with the encoding they look like; so is a
    forced encoding that decodes without error into nonsense (KOI8-R for a Windows-1251 file): its
    headers are then unrecognisable while the detected encoding's are not.
    """
    try:
        table = read_table(data, name=name, encoding=encoding, delimiter=delimiter, sheet=sheet, max_bytes=max_bytes,
                           max_rows=max_rows)
    except TableError as exc:
        if encoding and " is not readable as " in str(exc):
            raise ImportProblem("imp.err_encoding", name=name, chosen=encoding_name(encoding),
                                guess=encoding_name(detect_encoding(data))) from None
        raise problem_of(exc) from None
    if encoding and not table.sheet and _recognised(table) == 0:
        guess = detect_encoding(data)
        if guess != encoding:
            try:
                other = read_table(data, name=name, encoding=guess, delimiter=delimiter, max_bytes=max_bytes,
                                   max_rows=max_rows)
            except TableError:
                return table
            if _recognised(other):
                raise ImportProblem("imp.err_garbled", name=name, chosen=encoding_name(encoding), guess=encoding_name(guess),
                                    sample=", ".join(str(h) for h in list(table.frame.columns)[:3]))
    return table


def join_upload(canon: pd.DataFrame, borders, gazetteer: Gazetteer, supplement: pd.DataFrame | None = None
                ) -> tuple[JoinResult, Gazetteer]:
    """Join a person's records; their places (``supplement``) stay in a fork of the gazetteer, never the shared one."""
    gaz = gazetteer.with_supplement(supplement) if supplement is not None and len(supplement) else gazetteer.fork()
    return join_records(canon, borders, gaz), gaz


def drawn_records(result: JoinResult) -> pd.DataFrame:
    """The accepted rows with both ends placed, as "yours" beside the bundled records."""
    yours = result.accepted.assign(dataset="yours", id=lambda d: "yours-" + d["row"].astype(str))
    return yours[yours["origin_lat"].notna() & yours["destination_lat"].notna()]


def year_span(records: pd.DataFrame) -> tuple[int, int] | None:
    """First and last year the records cover (``None`` for no records)."""
    if not len(records):
        return None
    first = pd.to_datetime(records["date_from"]).dt.year
    last = pd.to_datetime(records["date_to"]).dt.year
    return int(first.min()), int(last.max())


def sheet_names(data: bytes) -> list[str]:
    """The sheets of an XLSX workbook (empty for anything else)."""
    if data[:4] != b"PK\x03\x04":
        return []
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return list(load_workbook(io.BytesIO(data), read_only=True).sheetnames)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, InvalidFileException):
        return []


def rows_report(result: JoinResult) -> pd.DataFrame:
    """Every row of the file once: ``accepted``, ``accepted with warnings`` or ``rejected``, with why."""
    acc = result.accepted
    ok = pd.DataFrame({
        "row": acc["row"].astype(int),
        "status": ["accepted with warnings" if w else "accepted" for w in acc["warnings"]],
        "reason": acc["warnings"].astype(str),
        "origin": acc["origin"].astype(str), "destination": acc["destination"].astype(str),
        "date": acc["date"].astype(str),
    })
    rej = result.rejected
    bad = pd.DataFrame({
        "row": rej["row"].astype(int), "status": "rejected", "reason": rej["reason"].astype(str),
        "origin": rej["origin"].astype(str), "destination": rej["destination"].astype(str),
        "date": rej["date"].astype(str),
    })
    return pd.concat([ok, bad], ignore_index=True).sort_values("row", ignore_index=True)


def report_in(report: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The row report as the page shows it: statuses and reasons in ``lang`` (the download stays as is)."""
    return report.assign(status=report["status"].map(lambda s: t(f"imp.status_{s.replace(' ', '_')}", lang)),
                         reason=report["reason"].map(lambda r: explain(r, lang)))


def needs_review(match: str) -> bool:
    return match in REVIEW_MATCHES or str(match).startswith("fuzzy")


def _candidates(gazetteer: Gazetteer, name: str, year: int, place) -> list[dict]:
    """The gazetteer's candidates for a name, in its order, then names spelled alike (its ``suggestions``)."""
    cands = [dict(c) for c in place.candidates]
    if not cands and place.resolved:  # a spelling match: offer what it matched, then its neighbours in spelling
        cands = [{"name": place.name, "country": place.country, "lat": round(place.lat, 4), "lon": round(place.lon, 4),
                  "place_id": place.place_id}]
    seen = {(c["name"], c["country"]) for c in cands}
    cands += [dict(c) for c in gazetteer.suggestions(name) if (c["name"], c["country"]) not in seen]
    return cands[:MAX_CANDIDATES]


def _why(match: str, note: str, place_name: str, n_candidates: int) -> tuple[str, dict]:
    """Why a name needs a person, as a catalog key and its values."""
    if str(match).startswith("fuzzy"):
        return "imp.why_spelling", {"place": place_name}
    if match == "ambiguous":
        return "imp.why_ambiguous", {"n": n_candidates}
    if m := re.search(r"not offered: (.*?); no place had this name then", note):
        return "imp.why_not_then", {"names": m[1]}
    if m := re.search(r"(.+?) existed (\S+)\.\.(\S+), not in (\S+)\.\.(\S+)", note):
        return "imp.why_oblast_not_then", {"unit": m[1], "a": m[2], "b": m[3], "c": m[4], "d": m[5]}
    if "no place given" in note:
        return "imp.why_no_place", {}
    return "imp.why_not_found", {}


def places_to_review(result: JoinResult, gazetteer: Gazetteer, decided: set[str] | frozenset = frozenset()) -> list[dict]:
    """Each distinct place name that needs a person's decision, with its rows and candidates.

    Returns dicts: ``name``, ``rows`` (how many records use it), ``match`` and ``note`` as the
    join left them, ``why`` (a catalog key and its values: not found, several places, a close
    spelling ...), ``year`` (of its first record) and ``candidates`` (at most
    :data:`MAX_CANDIDATES`: the gazetteer's candidates for an ambiguous name, its spelling guess
    for a fuzzy one, or names spelled alike for one not found; in the gazetteer's order).
    """
    acc = result.accepted
    out: dict[str, dict] = {}
    for end in ENDS:
        sub = acc[acc[f"{end}_match"].map(needs_review)]
        for name, g in sub.groupby(end, sort=False):
            if not str(name).strip() or name in decided:
                continue
            d = out.setdefault(name, {"name": name, "rows": 0, "match": g[f"{end}_match"].iloc[0],
                                      "note": g[f"{end}_note"].iloc[0], "place": g[f"{end}_place"].iloc[0],
                                      "year": int(pd.to_datetime(g["date_from"].iloc[0]).year), "candidates": []})
            d["rows"] += len(g)
    for d in out.values():
        place = gazetteer.resolve([d["name"]], [d["year"]])[0]
        d["candidates"] = _candidates(gazetteer, d["name"], d["year"], place)
        d["why"] = _why(d["match"], str(d["note"]), re.sub(r" \([A-Z]{2}\)$", "", str(d.pop("place"))),
                        len(place.candidates))
    return sorted(out.values(), key=lambda d: -d["rows"])


def rules_of(rule: str) -> list[tuple[str, dict]]:
    """The tie-break rule that chose a place (the join's ``*_rule``), as a catalog key; none for a person's own decision."""
    return [(f"rule.{rule}", {})] if rule and rule != "user_decision" else []


def _same_place(a: dict, lat: float, lon: float) -> bool:
    return abs(float(a["lat"]) - lat) < 0.05 and abs(float(a["lon"]) - lon) < 0.05


def rule_decisions(result: JoinResult, gazetteer: Gazetteer, decided: set[str] | frozenset = frozenset()) -> list[dict]:
    """Names several places bear that a rule decided (a namesake abroad passed over, a tie broken by the other end).

    Listed so that a person can see the rule and overturn it. Returns dicts: ``name``, ``rows``,
    ``year``, ``rules`` (catalog keys and values, from the gazetteer's note), ``chosen`` (the
    candidate taken), ``passed_over`` (the others) and ``candidates`` (all, in the gazetteer's order).
    """
    acc = result.accepted
    out: dict[str, dict] = {}
    for end in ENDS:
        rule = acc[f"{end}_rule"].astype(str)
        sub = acc[(rule != "") & (rule != "user_decision") & acc[f"{end}_lat"].notna()]
        for name, g in sub.groupby(end, sort=False):
            if not str(name).strip() or name in decided:
                continue
            if name in out:
                out[name]["rows"] += len(g)
                continue
            first = g.iloc[0]
            year = int(pd.to_datetime(first["date_from"]).year)
            lat, lon = float(first[f"{end}_lat"]), float(first[f"{end}_lon"])
            place = gazetteer.resolve([name], [year])[0]
            cands = [dict(c) for c in place.candidates]
            chosen = next((c for c in cands if _same_place(c, lat, lon)), None)
            if chosen is None:
                chosen = {"name": re.sub(r" \([A-Z]{2}\)$", "", str(first[f"{end}_place"])), "lat": lat, "lon": lon,
                          "country": str(first[f"{end}_place"])[-3:-1], "place_id": str(first[f"{end}_place_id"])}
                cands.insert(0, chosen)
            out[name] = {"name": name, "rows": len(g), "year": year, "rules": rules_of(str(first[f"{end}_rule"])),
                         "chosen": chosen, "passed_over": [c for c in cands if c is not chosen],
                         "candidates": (cands[:MAX_CANDIDATES] if chosen in cands[:MAX_CANDIDATES]
                                        else [chosen, *cands][:MAX_CANDIDATES])}
    return sorted(out.values(), key=lambda d: -d["rows"])


def rules_text(rules: list[tuple[str, dict]], lang: str = "en") -> str:
    """The rules that chose a place, in words of ``lang`` ("the atlas's region (Europe and the USSR)")."""
    return "; ".join(t(rule, lang, **values) for rule, values in rules)


def decision_text(decision: dict, lang: str = "en") -> str:
    """A person's decision about a name, in words of ``lang``."""
    if decision["action"] == "unknown":
        return t("imp.decision_unknown", lang)
    if decision["action"] == "coords":
        return t("imp.decision_coords", lang, lat=decision["lat"], lon=decision["lon"])
    return t("imp.decision_candidate", lang, place=decision.get("shown") or decision.get("label", ""))


def country_name(iso2: str, lang: str = "en") -> str:
    """A country (ISO 3166 alpha-2) as ``lang`` names it (pycountry's translations), else the code."""
    import gettext

    import pycountry

    c = pycountry.countries.get(alpha_2=str(iso2)) if iso2 else None
    if c is None:
        return str(iso2 or "")
    name = getattr(c, "common_name", c.name)
    if lang == "en":
        return name
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext(c.name)
    except OSError:
        return name


def candidate_label(c: dict, year: int, lang: str = "en") -> str:
    """A candidate as the review offers it: its name of the era where known, and its country.

    ``Alma-Ata (Almaty), Kazakhstan``; the gazetteer may give ``era_name`` for places it knows renamed.
    """
    name = place_label(str(c.get("place_id", "")), str(c["name"]), year, lang)
    era = c.get("era_name")
    if era and era not in name:
        name = f"{era} ({name})"
    return f"{name}, {country_name(c.get('country', ''), lang)}" if c.get("country") else name


def supplement_from_decisions(decisions: dict[str, dict]) -> pd.DataFrame:
    """A gazetteer supplement from a person's decisions (``unknown`` ones add no place)."""
    rows = []
    for name, d in decisions.items():
        if d.get("action") == "unknown":
            continue
        lat, lon = float(d["lat"]), float(d["lon"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise TableError(f"{name}: {lat}, {lon} is not a latitude and longitude")
        src = d.get("label") or f"coordinates typed by the user ({lat:.4f}, {lon:.4f})"
        rows.append({"name": name, "lat": lat, "lon": lon, "names": "", "country": d.get("country", ""),
                     "source": f"user decision: {src}"})
    return pd.DataFrame(rows, columns=list(SUPPLEMENT_COLUMNS))


def read_supplement(data: bytes) -> pd.DataFrame:
    """A gazetteer supplement file (CSV: name, lat, lon[, names, country, source]), checked row by row."""
    from geo.records import read_table

    frame = read_table(data, name="supplement.csv").frame
    missing = [c for c in ("name", "lat", "lon") if c not in frame.columns]
    if missing:
        raise TableError(f"the supplement lacks the columns {missing}; it needs name, lat, lon")
    lat = pd.to_numeric(frame["lat"], errors="coerce")
    lon = pd.to_numeric(frame["lon"], errors="coerce")
    bad = frame.index[lat.isna() | lon.isna() | (lat.abs() > 90) | (lon.abs() > 180) | (frame["name"].str.strip() == "")]
    if len(bad):
        raise TableError(f"supplement rows {', '.join(str(i + 2) for i in bad[:10])} have no name or no valid lat/lon")
    out = frame.assign(lat=lat, lon=lon)
    for c in SUPPLEMENT_COLUMNS:
        if c not in out.columns:
            out[c] = ""
    return out[list(SUPPLEMENT_COLUMNS)]


def export_csv(df: pd.DataFrame) -> bytes:
    """CSV for a spreadsheet: UTF-8 with a byte-order mark (Excel reads the Cyrillic), formulas neutralised."""
    return neutralise_formulas(df).to_csv(index=False).encode("utf-8-sig")


def export_xlsx(df: pd.DataFrame, sheet: str = "records") -> bytes:
    """An XLSX workbook of ``df`` with every text cell written as text (formulas neutralised)."""
    from openpyxl import Workbook

    clean = neutralise_formulas(df)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append([str(c) for c in clean.columns])
    for row in clean.itertuples(index=False):
        ws.append([None if (v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA) else
                   (v if isinstance(v, (int, float, bool)) else str(v)) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def mapping_json(mapping: dict[str, str]) -> str:
    """A column mapping as the small JSON file the page and ``python -m geo join --mapping`` take."""
    return json.dumps(mapping, ensure_ascii=False, indent=1)


# ---- typed coordinates -----------------------------------------------------------------------------------

def parse_coordinates(lat_text: str, lon_text: str) -> tuple[float, float]:
    """A latitude and a longitude typed by a person (``51.88`` or ``51,88``), both required and in range.

    Raises :class:`ImportProblem` (``imp.coords_both``, ``imp.coords_number``, ``imp.coords_range``).
    """
    lat_s, lon_s = str(lat_text or "").strip(), str(lon_text or "").strip()
    if not lat_s or not lon_s:
        raise ImportProblem("imp.coords_both")
    values = []
    for text in (lat_s, lon_s):
        try:
            v = float(text.replace(",", ".").replace("−", "-"))
        except ValueError:
            raise ImportProblem("imp.coords_number", value=text) from None
        if not math.isfinite(v):
            raise ImportProblem("imp.coords_number", value=text)
        values.append(v)
    lat, lon = values
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ImportProblem("imp.coords_range", lat=lat_s, lon=lon_s)
    return lat, lon


def named_unit(name: str) -> str:
    """The region or state a name carries besides the place: "Ямышево (Павлодарская обл.)" -> "Павлодарская обл."."""
    m = re.match(r"^(.*?)\s*[(,]\s*(.*?)\)?\s*$", str(name))
    return m[2].strip() if m and m[2].strip() else ""


@dataclass
class PointCheck:
    """Where a typed point lies on a record's date, and whether that is the region or state the record names."""

    units: list[str] = field(default_factory=list)  # polity, republic, oblast of the date (English names of the layers)
    named: str = ""  # what the record names ("" when it names nothing)
    outside: bool = False  # the point lies outside what the record names

    def text(self, lang: str) -> str:
        return ", ".join(unit_label(u, lang) for u in self.units) or t("imp.where_nowhere", lang)


def point_check(name: str, lat: float, lon: float, year: int, borders) -> PointCheck:
    """Where ``(lat, lon)`` lies on 1 July of ``year``, and whether it is inside what ``name`` names.

    A name carrying a region or state ("Ямышево (Павлодарская обл.)", "Odessa, Ukraine") is checked
    against every name (English, Russian, Kazakh, today's) of the units holding the point: a word of the
    named region must share its first five letters with a word of one of them ("Казахстан" and
    "Казахская ССР", "Ukraine" and "Ukrainian SSR", "Павлодарская обл." and "Pavlodar Oblast" via
    "Павлодарская область").
    """
    from geo.names import REGION_WORDS, tokens

    def stems(text: str) -> set[str]:
        return {w[:5] for w in tokens(text) if w not in REGION_WORDS and not w.isdigit()}

    day = dt.date(min(max(int(year), 1919), 1950), 7, 1)
    where = borders.locate([lon], [lat], [day]).iloc[0]
    units = [str(where.get(c) or "") for c in ("polity", "republic", "autonomy", "kz_region")]
    units = [u for u in units if u]
    check = PointCheck(units=units, named=named_unit(name))
    if check.named:
        names: list[str] = []
        for layer, col in (("polities", "polity_id"), ("republics", "republic_id"), ("republics", "autonomy_id"),
                           ("kazakh_regions", "kz_region_id")):
            fid = where.get(col)
            if not fid:
                continue
            try:
                props = borders[layer].props
            except KeyError:  # a person's own borders may have fewer layers
                continue
            row = props[props["id"] == fid]
            if len(row):
                names += [str(row.iloc[0].get(c) or "") for c in ("name", "name_ru", "name_kk", "name_modern")]
        held = set().union(*(stems(n) for n in names if n)) if names else set()
        check.outside = not (stems(check.named) & held)
    return check


# ---- messages in the visitor's language -------------------------------------------------------------------

_END = r"(?P<end>origin|destination)"
_FIELD = r"(?P<field>date|date_end|count|count_low|count_high)"
_QUOTED = r"(?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
_NEXT = r"(?=; |$)"
#: The join's and the reader's messages (English, as the CLI prints them) and the catalog key of each.
#: A message not listed stays as written; the test of the page lists every message its files produce.
_MESSAGES = [(re.compile(p + _NEXT), k) for p, k in (
    (r"no origin", "msg.no_origin"),
    (r"no destination", "msg.no_destination"),
    (r"count unknown", "msg.count_unknown"),
    (r"date_end is before date", "msg.end_before_date"),
    (r"count_low is above count_high; kept as written", "msg.low_above_high"),
    (r"count is outside count_low\.\.count_high", "msg.count_outside_range"),
    (_FIELD + r": no date", "msg.no_date"),
    (_FIELD + r": not a date \(too long\)", "msg.not_a_date"),
    (_FIELD + r": year (?P<year>-?\d+) is outside (?P<lo>\d+)-(?P<hi>\d+)", "msg.year_outside"),
    (_FIELD + r": range (?P<a>\d+)-(?P<b>\d+) runs backwards", "msg.date_backwards"),
    (_FIELD + r": (?P<month>\S+) is not a Roman month", "msg.not_roman"),
    (_FIELD + r": impossible date " + _QUOTED + r": [^;]*", "msg.impossible_date"),
    (_FIELD + r": unreadable date " + _QUOTED, "msg.unreadable_date"),
    (_FIELD + r": not a count \(too long\)", "msg.not_a_count"),
    (_FIELD + r": range " + _QUOTED + r" runs backwards", "msg.count_backwards"),
    (_FIELD + r": negative count " + _QUOTED, "msg.negative_count"),
    (_FIELD + r": unreadable count " + _QUOTED, "msg.unreadable_count"),
    (r"(?P<what>category|nationality) " + _QUOTED + r" not in the vocabulary; kept as written", "msg.not_in_vocabulary"),
    (_END + r": the date (?P<date>.+?) spans a border change \((?P<change>.+?)\)", "msg.spans_border_change"),
    (_END + r": the date (?P<date>.+?) spans an administrative change \((?P<change>.+?)\)", "msg.spans_admin_change"),
    (_END + r" lies just offshore on the simplified coast; drawn on the nearest coast", "msg.offshore"),
    (_END + " " + _QUOTED + r" matched by spelling to (?P<place>.+?) \(fuzzy:\d+\)", "msg.spelling"),
    (_END + " " + _QUOTED + r": (?P<rule>[a-z_]+) chose (?P<place>.+?)", "msg.rule_chose"),
    (r"passed over (?P<places>.+?)", "msg.passed_over"),
    (_END + " " + _QUOTED + r" unresolved: not in the gazetteer", "msg.not_found"),
    (_END + " " + _QUOTED + r" unresolved: no place given", "msg.no_place"),
    (_END + " " + _QUOTED + r" unresolved: (?:former name \(in use until \d+\); )?not offered: (?P<names>.+?); "
     r"no place had this name then", "msg.not_then"),
    (_END + " " + _QUOTED + r" unresolved: (?P<unit>.+?) existed (?P<a>\S+)\.\.(?P<b>\S+), not in (?P<c>\S+)\.\.(?P<d>\S+)",
     "msg.oblast_not_then"),
    (_END + " " + _QUOTED + r" ambiguous: candidates: .+?(?=; (?:origin|destination)\b|$)", "msg.ambiguous"),
    (_END + " " + _QUOTED + r" unresolved", "msg.not_found"),
    # reading a file
    (r"cannot read (?P<name>.+?): .+", "msg.cannot_read"),
    (r"(?P<name>.+?) is (?P<size>[\d.]+) MB; the limit is (?P<limit>\d+) MB", "msg.too_big"),
    (r"(?P<name>.+?) has (?P<n>[\d,]+) rows; the limit is (?P<limit>[\d,]+)", "msg.too_many_rows"),
    (r"(?P<name>.+?) is not a text table \(binary content\)", "msg.binary"),
    (r"(?P<name>.+?): broken CSV \(.+\)", "msg.broken_csv"),
    (r"(?P<name>.+?) has no rows", "msg.no_rows"),
    (r"(?P<name>.+?) has a single column; is the delimiter right \(detected (?P<delimiter>.+)\)\?", "msg.one_column"),
    (r"(?P<name>.+?) is not a readable XLSX workbook \(.+\)", "msg.bad_xlsx"),
    (r"(?P<name>.+?) has no sheet (?P<sheet>.+); sheets: (?P<sheets>.+)", "msg.no_sheet"),
    (r"sheet (?P<sheet>.+) of (?P<name>.+) is empty", "msg.sheet_empty"),
    (r"(?P<name>.+?) is empty", "msg.empty"),
    (r"(?P<name>.+?): not JSON \(.+\)", "msg.mapping_not_json"),
    (r"(?P<name>.+?) must be a JSON object of header -> column", "msg.mapping_not_object"),
    (r"(?P<name>.+?) names unknown columns (?P<bad>.+); known: .+", "msg.mapping_unknown"),
    (r"the mapping names headers not in the file: (?P<missing>.+)", "msg.mapping_missing"),
    (r"two headers map to the same column: (?P<dup>.+)", "msg.mapping_duplicate"),
    (r"no column for (?P<columns>.+?); found headers: (?P<headers>.+)", "msg.no_column"),
    (r"supplement rows (?P<rows>.+) have no name or no valid lat/lon", "msg.supplement_rows"),
    (r"the supplement lacks the columns (?P<missing>.+); it needs name, lat, lon", "msg.supplement_columns"),
)]


def _localise(values: dict, lang: str) -> dict:
    out = dict(values)
    if "end" in out:
        out["end"] = t(f"msg.end_{out['end']}", lang)
    if "field" in out:
        out["field"] = t(f"col.{out['field']}", lang)
    if "what" in out:
        out["what"] = t(f"col.{out['what']}", lang)
    if "change" in out:
        out["change"] = unit_label(out["change"], lang)
    if "rule" in out:
        out["rule"] = t(f"rule.{out['rule']}", lang)
    return out


def message_key(text: str) -> tuple[str, dict] | None:
    """The catalog key and values of one whole message, or ``None`` when it is not one the atlas knows."""
    for pattern, k in _MESSAGES:
        if (m := pattern.match(text)) and m.end() == len(text):
            return k, {n: v for n, v in m.groupdict().items() if v is not None}
    return None


def message_parts(text: str) -> list[tuple[str, str | None, dict]]:
    """A ``"; "``-joined text of the join's messages split into ``(part, catalog key or None, values)``."""
    text, out, pos = str(text or ""), [], 0
    while pos < len(text):
        for pattern, k in _MESSAGES:
            if m := pattern.match(text, pos):
                out.append((m[0], k, {n: v for n, v in m.groupdict().items() if v is not None}))
                pos = m.end()
                break
        else:
            nxt = text.find("; ", pos)
            part = text[pos:] if nxt < 0 else text[pos:nxt]
            out.append((part, None, {}))
            pos += len(part)
        if text.startswith("; ", pos):
            pos += 2
    return out


def explain(text: str, lang: str = "en") -> str:
    """The join's reasons and warnings (``"; "``-joined English messages) in ``lang``, unknown parts as written."""
    if lang == "en":
        return str(text or "")
    return "; ".join(part if k is None else t(k, lang, **_localise(values, lang)) for part, k, values in message_parts(text))


def problem_of(exc: TableError) -> ImportProblem:
    """A reader's error as an :class:`ImportProblem` (its own key when the message is one the atlas knows)."""
    if isinstance(exc, ImportProblem):
        return exc
    found = message_key(str(exc))
    return ImportProblem(*found[:1], **found[1]) if found else ImportProblem("imp.unreadable", reason=str(exc))
