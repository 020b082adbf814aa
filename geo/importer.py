"""A researcher's own records: account for every row, review the places, export the result.

The page (``pages/5_Import.py``) and the command line (``python -m geo join``) share these
steps; reading and joining live in :mod:`geo.records` and :mod:`geo.join`.
"""

from __future__ import annotations

import io
import json
import math

import pandas as pd

from geo.gazetteer import Gazetteer
from geo.join import ENDS, JoinResult, neutralise_formulas
from geo.records import TableError

#: A place needs a person's decision when it was not found, was ambiguous, or matched only by spelling.
REVIEW_MATCHES = ("unresolved", "ambiguous")
SUPPLEMENT_COLUMNS = ("name", "lat", "lon", "names", "country", "source")


def sheet_names(data: bytes) -> list[str]:
    """The sheets of an XLSX workbook (empty for anything else)."""
    if data[:4] != b"PK\x03\x04":
        return []
    from openpyxl import load_workbook

    try:
        return list(load_workbook(io.BytesIO(data), read_only=True).sheetnames)
    except Exception:
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


def needs_review(match: str) -> bool:
    return match in REVIEW_MATCHES or str(match).startswith("fuzzy")


def places_to_review(result: JoinResult, gazetteer: Gazetteer, decided: set[str] | frozenset = frozenset()) -> list[dict]:
    """Each distinct place name that needs a decision, with its rows and candidates.

    Returns dicts: ``name``, ``rows`` (how many records use it), ``match`` and ``note`` as the
    join left them, ``year`` (of its first record) and ``candidates`` (the gazetteer's
    candidates for an ambiguous name, its spelling guess for a fuzzy one, or names spelled
    alike for one not found).
    """
    acc = result.accepted
    out: dict[str, dict] = {}
    for end in ENDS:
        sub = acc[acc[f"{end}_match"].map(needs_review)]
        for name, g in sub.groupby(end, sort=False):
            if not str(name).strip() or name in decided:
                continue
            d = out.setdefault(name, {"name": name, "rows": 0, "match": g[f"{end}_match"].iloc[0],
                                      "note": g[f"{end}_note"].iloc[0],
                                      "year": int(pd.to_datetime(g["date_from"].iloc[0]).year), "candidates": []})
            d["rows"] += len(g)
    for d in out.values():
        place = gazetteer.resolve([d["name"]], [d["year"]])[0]
        cands = list(place.candidates)
        if not cands and place.resolved:  # a fuzzy match: offer what it matched, and its neighbours in spelling
            cands = [{"name": place.name, "country": place.country, "lat": round(place.lat, 4), "lon": round(place.lon, 4)}]
        names = {(c["name"], c["country"]) for c in cands}
        cands += [c for c in gazetteer.suggestions(d["name"]) if (c["name"], c["country"]) not in names]
        d["candidates"] = cands[:8]
    return sorted(out.values(), key=lambda d: -d["rows"])


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
