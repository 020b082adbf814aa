"""Linked Places Format (LPF): the World Historical Gazetteer's GeoJSON-LD, out and in.

Export: the curated places (``data/movements/places.csv``) plus a user's supplement, one
Feature per place, every name with the years it was in use as an LPF ``when`` timespan, the
source as the citation, the GeoNames id as a ``closeMatch`` link.

Import: an LPF FeatureCollection becomes a gazetteer supplement (the columns of a supplement
CSV: ``name, lat, lon, names, country, source``), so a researcher's own dated names work in
``python -m geo join --places file.jsonld`` and on the import page.

Timespans: a name in use from 1921 to 1993 is ``{"start": {"in": "1921"}, "end": {"in": "1993"}}``;
an open start (in use until 1921) is ``{"start": {"latest": "1921"}, "end": {"in": "1921"}}`` and
an open end (in use from 1993) ``{"start": {"in": "1993"}, "end": {"earliest": "1993"}}``.
Spec: github.com/LinkedPasts/linked-places-format (v1.2).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from geo.gazetteer.sources import split_validity

CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
#: Base of the ``@id`` of the places this project publishes (an IRI; no web address is claimed).
ID_BASE = "urn:migration-atlas:place:"
SUPPLEMENT_COLUMNS = ("name", "lat", "lon", "names", "country", "source")


class LPFError(ValueError):
    """A file that is not a usable Linked Places FeatureCollection; the message is one line."""


def _when(vf: int | None, vt: int | None) -> dict | None:
    if vf is None and vt is None:
        return None
    if vf is not None and vt is not None:
        span = {"start": {"in": f"{vf:04d}"}, "end": {"in": f"{vt:04d}"}}
    elif vf is None:
        span = {"start": {"latest": f"{vt:04d}"}, "end": {"in": f"{vt:04d}"}}
    else:
        span = {"start": {"in": f"{vf:04d}"}, "end": {"earliest": f"{vf:04d}"}}
    return {"timespans": [span]}


def _feature(pid: str, title: str, lat: float, lon: float, country: str, names: list[str], source: str,
             kind: str = "", geonameid: str = "", notes: str = "") -> dict:
    out_names = []
    for i, variant in enumerate(dict.fromkeys([title] + [n for n in names if n])):
        toponym, vf, vt = split_validity(variant)
        if not toponym:
            continue
        n: dict = {"toponym": toponym}
        when = _when(vf, vt)
        if when:
            n["when"] = when
        if i == 0 or when:
            n["citations"] = [{"label": source}]
        out_names.append(n)
    feat: dict = {
        "@id": ID_BASE + pid,
        "type": "Feature",
        "properties": {"title": title, "ccodes": [country] if country else []},
        "names": out_names,
        "geometry": {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]},
    }
    if kind:
        feat["types"] = [{"label": kind, "sourceLabels": [{"label": kind, "lang": "en"}]}]
    if geonameid:
        feat["links"] = [{"type": "closeMatch", "identifier": f"https://www.geonames.org/{geonameid}"}]
    if notes:
        feat["descriptions"] = [{"value": notes, "lang": "en"}]
    return feat


def export_lpf(places: Path | None = None, supplement: pd.DataFrame | None = None,
               points: dict[int, tuple[float, float, int, str]] | None = None) -> dict:
    """The curated places (and a user's supplement) as an LPF FeatureCollection.

    Parameters
    ----------
    places : pathlib.Path, optional
        The curated list (default: the bundled ``data/movements/places.csv``).
    supplement : pandas.DataFrame, optional
        A user's supplement (columns of a supplement CSV); its places follow the curated ones.
    points : dict, optional
        GeoNames id -> (lat, lon, population, name) for curated rows that take GeoNames' point
        (default: read from the GeoNames table).
    """
    from geo.gazetteer.sources import geonames_entries, geonames_points
    from geo.paths import MOVEMENTS_DIR

    path = places or MOVEMENTS_DIR / "places.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if points is None:
        points = geonames_points(geonames_entries(), [int(g) for g in df["geonameid"] if g])
    feats = []
    for _, r in df.iterrows():
        if r["geonameid"] and int(r["geonameid"]) in points:
            lat, lon = points[int(r["geonameid"])][:2]
        else:
            lat, lon = float(r["lat"]), float(r["lon"])
        feats.append(_feature(r["id"], r["name"], lat, lon, r["country"], r["names"].split("|"), r["source"],
                              r["kind"], r["geonameid"], r["notes"]))
    if supplement is not None:
        for i, r in supplement.reset_index(drop=True).iterrows():
            pid = str(r.get("id") or "") or f"user-{i + 1}"
            feats.append(_feature(pid, str(r["name"]), float(r["lat"]), float(r["lon"]), str(r.get("country") or ""),
                                  str(r.get("names") or "").split("|"), str(r.get("source") or "user supplement"),
                                  "user"))
    return {"type": "FeatureCollection", "@context": CONTEXT, "features": feats}


def _year(part: dict | None, *keys: str) -> int | None:
    if not isinstance(part, dict):
        return None
    for k in keys:
        v = part.get(k)
        if v:
            digits = str(v).lstrip("-")[:4]
            if digits.isdigit():
                return int(digits)
    return None


def _point(geom: dict | None) -> tuple[float, float] | None:
    if not isinstance(geom, dict):
        return None
    if geom.get("type") == "Point":
        c = geom.get("coordinates")
        if isinstance(c, (list, tuple)) and len(c) >= 2:
            try:
                lon, lat = float(c[0]), float(c[1])
            except (TypeError, ValueError):
                return None
            return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 and not math.isnan(lat + lon) else None
        return None
    for g in geom.get("geometries") or []:
        p = _point(g)
        if p:
            return p
    return None


def read_lpf(source: str | Path | bytes) -> pd.DataFrame:
    """A Linked Places FeatureCollection as a gazetteer supplement.

    Each Feature with a point (a Point, or the first Point of a GeometryCollection) gives one
    row: ``name`` (its title), ``lat``, ``lon``, ``names`` (every toponym, ``|``-separated,
    with ``@from..to`` years from its first timespan), ``country`` (the first ccode),
    ``source`` (the first citation's label, else the ``@id``) and ``id``. Features without a
    point are listed in ``frame.attrs["skipped"]`` with the reason, never silently dropped.

    Raises :class:`LPFError` with a one-line reason when the file is not an LPF FeatureCollection.
    """
    try:
        data = Path(source).read_bytes() if isinstance(source, (str, Path)) else bytes(source)
        doc = json.loads(data.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LPFError(f"not a Linked Places file: {exc}") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise LPFError("not a Linked Places file: no GeoJSON FeatureCollection with a feature list")
    rows, skipped = [], []
    for i, f in enumerate(doc["features"], start=1):
        if not isinstance(f, dict):
            skipped.append(f"feature {i}: not an object")
            continue
        props = f.get("properties") if isinstance(f.get("properties"), dict) else {}
        names_in = [n for n in f.get("names") or [] if isinstance(n, dict) and str(n.get("toponym") or "").strip()]
        title = str(props.get("title") or (names_in[0]["toponym"] if names_in else "")).strip()
        point = _point(f.get("geometry"))
        if not title:
            skipped.append(f"feature {i}: no title or toponym")
            continue
        if point is None:
            skipped.append(f"feature {i} ({title}): no point geometry")
            continue
        variants, source = [], ""
        for n in names_in:
            spans = (n.get("when") or {}).get("timespans") or [] if isinstance(n.get("when"), dict) else []
            vf = vt = None
            if spans and isinstance(spans[0], dict):
                vf, vt = _year(spans[0].get("start"), "in"), _year(spans[0].get("end"), "in")
                if vf is None and vt is None:
                    vf = _year(spans[0].get("start"), "earliest")
            tag = f"@{vf or ''}..{vt or ''}" if vf or vt else ""
            variants.append(str(n["toponym"]).strip() + tag)
            cites = n.get("citations") or []
            if not source and cites and isinstance(cites[0], dict):
                source = str(cites[0].get("label") or cites[0].get("@id") or "")
        cc = props.get("ccodes") or []
        rows.append({"name": title, "lat": point[0], "lon": point[1], "names": "|".join(variants),
                     "country": str(cc[0]) if cc else "", "source": source or str(f.get("@id") or "Linked Places file"),
                     "id": str(f.get("@id") or "").removeprefix(ID_BASE)})
    if not rows:
        raise LPFError("the Linked Places file has no feature with a title and a point"
                       + (f" ({'; '.join(skipped[:3])})" if skipped else ""))
    out = pd.DataFrame(rows, columns=[*SUPPLEMENT_COLUMNS, "id"])
    out.attrs["skipped"] = skipped
    return out


def is_lpf(source: str | Path | bytes, name: str = "") -> bool:
    """Whether a supplement file is Linked Places JSON rather than CSV (by its name, else its first byte)."""
    label = str(source) if isinstance(source, (str, Path)) else name
    if label.lower().endswith((".json", ".jsonld", ".geojson", ".lpf")):
        return True
    data = Path(source).read_bytes()[:64] if isinstance(source, (str, Path)) else bytes(source)[:64]
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
