"""The one place where a name is resolved: :class:`Gazetteer`.

A name as written ("Покровск", "Lwów", "Odessa", "Qızılorda", "Северо-Казахстанская обл.",
"Петропавловск (Казахстан)") goes through these steps, each recorded in the answer:

1. an empty name, "?" or "-" is "no place given";
2. a Kazakh oblast or the Kazakh republic goes to the :class:`RegionResolver` (its centre or
   capital *on the record's date*);
3. the :class:`NameIndex` finds every place bearing the name, under every reading of it
   (Cyrillic, its transliteration, a Kazakh Latin spelling); only when none does, places
   spelled alike (``fuzzy:NN``), and then only inside the focus region;
4. places found through several entries are merged (same id, or the same point);
5. the tie-break rules of :mod:`geo.gazetteer.rules` choose among several, or the name is
   reported ``ambiguous`` with its candidates.

A modern name used for a historical date resolves to its place, with the name of the era in
the note ("in 1940: Kuibyshev"). Resolution runs once per distinct name and, where the date or
the other end can matter, once per distinct (name, year, state of the other end): never per row.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from geo.borders import Borders
from geo.gazetteer.nameindex import SOURCE_RANK, NameIndex
from geo.gazetteer.regions import REPUBLIC_CAPITALS, RegionResolver
from geo.gazetteer.rules import DOMINANCE, RULES, Candidate, Context, Focus, decide, km, rank
from geo.gazetteer.sources import (
    HINTED,
    atlas_area,
    camp_entries,
    curated_entries,
    geonames_entries,
    geonames_points,
    renamed_entries,
    supplement_entries,
)
from geo.names import key, region_key, translit
from geo.paths import MOVEMENTS_DIR, ROOT

#: The table of renamed towns of the former USSR: which place bore a name in which years.
RENAMES = ROOT / "data" / "gazetteer" / "renames.csv"
#: The GULAG camps of the USSR after Memorial's directory (1998): scripts/extract_gulag_camps.py.
CAMPS = ROOT / "data" / "gazetteer" / "camps.csv"

#: Entries of two sources closer than this (km) are the same place (a curated row and its GeoNames twin).
SAME_PLACE_KM = 25.0
#: Two GeoNames entries closer than this (km) are the same place (a town and its duplicate).
SAME_GEONAMES_KM = 10.0
#: A curated place without a GeoNames link lies in the first-level unit of the GeoNames place nearest to it,
#: when one is this near (km); used only to read a hint ("Holstein, Wolgadeutsche Republik").
ADMIN1_NEAR_KM = 30.0
#: Countries whose postal abbreviations of states and provinces are their ISO 3166-2 codes ("Cleveland, OH").
POSTAL_ABBREVIATIONS = ("US.", "CA.")

_FORMER_USSR = frozenset(("RU", "UA", "BY", "MD", "LT", "LV", "EE", "KZ", "UZ", "KG", "TJ", "TM", "AZ", "AM", "GE"))


def focus_presets() -> dict[str, Focus]:
    """The named focus regions: ``europe-ussr`` (the default), ``ussr`` and ``none``."""
    return {
        "europe-ussr": Focus("europe-ussr", atlas_area(), "Europe and the former USSR"),
        "ussr": Focus("ussr", _FORMER_USSR, "the former USSR"),
        "none": Focus("none", frozenset(), "none"),
    }


def parse_focus(text: str | Focus | None) -> Focus:
    """A focus region from a preset name (``europe-ussr``, ``ussr``, ``none``) or ISO codes (``PL,UA,KZ``).

    Raises ValueError with a one-line message for an unknown name or code.
    """
    if isinstance(text, Focus):
        return text
    if text is None or not str(text).strip():
        return focus_presets()["europe-ussr"]
    t = str(text).strip()
    presets = focus_presets()
    if t.lower() in presets:
        return presets[t.lower()]
    from geo.gazetteer.sources import countries

    codes = [c.strip().upper() for c in t.split(",") if c.strip()]
    bad = [c for c in codes if c not in countries()]
    if bad or not codes:
        raise ValueError(f"focus {t!r}: not one of {', '.join(presets)} nor ISO country codes (unknown: {bad})")
    return Focus(",".join(codes), frozenset(codes), ", ".join(codes))


DEFAULT_FOCUS_NAME = "europe-ussr"


@dataclass
class Place:
    """One resolution of a name."""

    input: str
    lat: float = math.nan
    lon: float = math.nan
    match: str = "unresolved"  # user, curated, exact, alternate, region, fuzzy:NN, ambiguous, unresolved
    name: str = ""
    country: str = ""
    place_id: str = ""
    kind: str = ""
    kz_region: str = ""  # unit id when the name is a Kazakh oblast
    note: str = ""
    rule: str = ""  # the tie-break rule that chose among several candidates
    candidates: list[dict] = field(default_factory=list)  # when ambiguous (or chosen among several): all of them
    passed_over: list[dict] = field(default_factory=list)  # candidates a rule passed over, with "rule"

    @property
    def resolved(self) -> bool:
        return not math.isnan(self.lat)


@dataclass
class _Analysis:
    """What is known of a name before its date and context: its candidates."""

    text: str
    kind: str  # empty, region, names, none
    main: str = ""
    hint: str = ""
    cands: list[Candidate] = field(default_factory=list)
    note: str = ""
    breaks: np.ndarray = field(default_factory=lambda: np.array([], dtype=float))
    era: dict[str, list[tuple[float, float, str]]] = field(default_factory=dict)  # place_id -> dated names
    decisions: dict[tuple, object] = field(default_factory=dict)  # (era, state, year if state) -> Decision


class Gazetteer:
    """Resolve place names to points, aware of the record's date, its text and the other end.

    Build it with :func:`load_gazetteer` (or :func:`bundled_gazetteer`); call :meth:`resolve`.

    Parameters
    ----------
    entries : pandas.DataFrame
        The entries table (:mod:`geo.gazetteer.sources`).
    borders : Borders, optional
        Border layers, for oblast names, hints and the other end's state.
    focus : Focus or str
        The region prior (see :func:`parse_focus`); ``"europe-ussr"`` by default.
    """

    def __init__(self, entries: pd.DataFrame, borders: Borders | None = None,
                 focus: Focus | str | None = DEFAULT_FOCUS_NAME) -> None:
        self.index = NameIndex(entries)
        ix = self.index
        #: places with at least one dated name (whose notes name the name of the era)
        self._dated_places = frozenset(ix.place_id.array()[~(np.isnan(ix.valid_from) & np.isnan(ix.valid_to))])
        self.borders = borders
        self.focus = parse_focus(focus)
        self.regions: RegionResolver | None = None
        if borders is not None:
            caps = {}
            for _, capital, gid in REPUBLIC_CAPITALS:
                for p in self.index.by_key(key(capital)):
                    if str(self.index.source[p]).startswith(f"GeoNames {gid}"):
                        caps[gid] = (float(self.index.lat[p]), float(self.index.lon[p]))
                        break
            self.regions = RegionResolver(borders, caps, self._centre_keys)
        self._reset()

    def _centre_keys(self, name: str, lat: float, lon: float) -> set[str]:
        """Every matching key of the town called ``name`` at (lat, lon) (within :data:`SAME_PLACE_KM`), of
        every source: its historical and today's names, in every script the index reads."""
        ix = self.index
        codes = {int(ix.place_id.codes[int(p)]) for p in ix.lookup(name).positions
                 if km((lat, lon), (ix.lat[int(p)], ix.lon[int(p)])) <= SAME_PLACE_KM and ix.source_kind[int(p)] != HINTED}
        # a scan per centre rather than the index of places, which this would build at load time for 32 oblasts
        return {str(k) for c in codes for k in ix.keys[ix.place_id.codes == c]}

    def _reset(self) -> None:
        self._gn_points: tuple | None = None
        self._union = None  # the union republics of the republics layer
        self._lands: dict[str, list[str]] | None = None
        self._names: dict[str, _Analysis] = {}
        self._units: dict[str, str] = {}
        self._polity: dict[tuple[str, int], str] = {}

    @property
    def entries(self) -> pd.DataFrame:
        return self.index.entries

    def has_seen(self, name: str) -> bool:
        """Whether this gazetteer (this fork) has resolved ``name``: one visitor's names stay in their fork."""
        return name in self._names

    @property
    def _info(self) -> dict:
        """The names this fork has analysed (the old gazetteer's cache name; tests of visitor isolation read it)."""
        return self._names

    @property
    def _fuzzy_cache(self) -> dict:
        """The same cache: spelling matches are part of a name's analysis (the old gazetteer kept them apart)."""
        return self._names

    # -- copies ----------------------------------------------------------------------------------
    def fork(self) -> Gazetteer:
        """A copy sharing the (read-only) index but with its own caches: for one visitor's names."""
        other = copy.copy(self)
        other._reset()
        return other

    def with_focus(self, focus: Focus | str | None) -> Gazetteer:
        """A fork with another focus region (``"none"`` turns the region prior off)."""
        other = self.fork()
        other.focus = parse_focus(focus)
        return other

    def with_supplement(self, supplement: pd.DataFrame | None) -> Gazetteer:
        """A new gazetteer with a user's places added in front (their decisions win); this one is unchanged.

        ``supplement`` has the columns of a supplement CSV (``name, lat, lon[, names, country,
        source]``), or is read from a Linked Places file by :func:`geo.gazetteer.lpf.read_lpf`.
        """
        if supplement is None or not len(supplement):
            return self.fork()
        entries = self.entries[self.entries["source_kind"] != "user"]
        return Gazetteer(pd.concat([supplement_entries(supplement), entries], ignore_index=True), self.borders,
                         self.focus)

    # -- analysis of a name (date-free, cached) --------------------------------------------------
    def _analyse(self, text: str) -> _Analysis:
        a = self._names.get(text)
        if a is None:
            a = self._names[text] = self._analyse_uncached(text)
        return a

    def _analyse_uncached(self, text: str) -> _Analysis:
        t = str(text).strip()
        if not t or t.lower() in {"nan", "?", "-", "none"}:
            return _Analysis(text, "empty", note="no place given")
        if self.regions is not None and (rk := self.regions.kind_of(t)):
            own = [p for p in self.index.by_key(key(t)) if self.index.source_kind[p] in ("curated", "user")]
            if rk != "union_republic" or not own:  # a curated row for a republic ("Uzbek SSR") keeps its point
                return _Analysis(text, "region", main=t)
        main, hint = t, ""
        positions = self._unhinted(self.index.lookup(t).positions)  # "Frankfurt (Oder)" is a name, brackets and all
        if not len(positions) and (m := re.match(r"^(.*?)\s*[(,]\s*(.*?)\)?\s*$", t)) and key(m[1]):
            main, hint = m[1], m[2] if key(m[2]) else ""
            positions = self.index.lookup(main).positions
            if not hint:
                positions = self._unhinted(positions)
        how, note = "", ""
        if not len(positions):
            positions, how, note = self._fuzzy(main)
            if not len(positions) and not note:
                note = self._outside_note(main)
        if not len(positions):
            return _Analysis(text, "none", main, hint, note=note or "not in the gazetteer")
        cands = self._candidates(positions, key_list=self._keys_of(main), how=how)
        if not how:
            cands += self._larger_namesakes(main, cands)
        a = _Analysis(text, "names", main, hint, cands, note)
        bounds: set[float] = set()
        for c in cands:
            for f, to in c.uses:
                bounds.update(x for x in (f, to + 1) if not math.isnan(x))
            era = self._era_names(c)
            if era:
                a.era[c.place_id] = era
                for f, to, _ in era:
                    bounds.update(x for x in (f, to + 1) if not math.isnan(x))
        a.breaks = np.array(sorted(bounds), dtype=float)
        return a

    def _unhinted(self, positions: np.ndarray) -> np.ndarray:
        """The positions without the small places outside the area (:data:`HINTED`): they need a hint."""
        if not len(positions):
            return positions
        return positions[[self.index.source_kind[int(p)] != HINTED for p in positions]]

    def _outside_note(self, text: str) -> str:
        """"not in the gazetteer", naming small places of that name outside the area (reached only with a hint)."""
        far = [int(p) for p in self.index.lookup(text).positions if self.index.source_kind[int(p)] == HINTED]
        if not far:
            return ""
        names = [f"{self.index.name[p]} ({self.index.admin1[p].replace('.', ', ')})" for p in far[:5]]
        return ("not in the gazetteer of the atlas's area; small places of this name elsewhere (" + "; ".join(names)
                + (" ..." if len(far) > 5 else "") + ") are chosen only when the text names their state or country")

    def _keys_of(self, text: str) -> set[str]:
        from geo.names import name_keys

        return set(name_keys(text))

    def _fuzzy(self, text: str) -> tuple[np.ndarray, str, str]:
        """Entries one spelling slip from ``text``, inside the focus region only; the closest keys together."""
        hits = self.index.fuzzy(text)
        if not hits:
            return np.array([], dtype=np.int64), "", ""

        def inside(p: int) -> bool:
            return not self.focus.active or self.focus.contains(self.index.country[p])

        ok = [(k, s, d) for k, s, d in hits if any(inside(p) for p in self.index.by_key(k))]
        if not ok:
            outside = [f"{self.index.name[p]} ({self.index.country[p]})" for k, _, _ in hits for p in self.index.by_key(k)]
            return np.array([], dtype=np.int64), "", (
                "not in the gazetteer; spelled like " + ", ".join(dict.fromkeys(outside[:5]))
                + f", outside the focus region ({self.focus.label}): not chosen")
        fewest = ok[0][2]
        keys = [k for k, _, d in ok if d == fewest]
        pos = sorted({int(p) for k in keys for p in self.index.by_key(k) if inside(p)})
        return np.array(pos, dtype=np.int64), f"fuzzy:{max(s for k, s, d in ok if d == fewest):.0f}", ""

    def _candidates(self, positions: np.ndarray, key_list: set[str], how: str) -> list[Candidate]:
        """One candidate per distinct place: same id, or the same point (see SAME_PLACE_KM)."""
        ix = self.index
        order = sorted((int(p) for p in positions), key=lambda p: (SOURCE_RANK.get(ix.source_kind[p], 9), -ix.population[p]))
        groups: list[list[int]] = []
        for p in order:
            here = (ix.lat[p], ix.lon[p])
            for g in groups:
                q = g[0]
                if ix.place_id[q] == ix.place_id[p]:
                    g.append(p)
                    break
                near = km(here, (ix.lat[q], ix.lon[q]))
                both_gn = str(ix.place_id[q]).startswith("gn:") and str(ix.place_id[p]).startswith("gn:")
                if near < (SAME_GEONAMES_KM if both_gn else SAME_PLACE_KM):
                    g.append(p)
                    break
            else:
                groups.append([p])
        out = []
        for g in groups:
            q = g[0]
            dated = [p for p in g if not (math.isnan(ix.valid_from[p]) and math.isnan(ix.valid_to[p]))]
            undated_curated = [p for p in g if ix.source_kind[p] in ("curated", "user") and p not in dated]
            uses = () if undated_curated or not dated else tuple(sorted({(ix.valid_from[p], ix.valid_to[p]) for p in dated}))
            kind = str(ix.source_kind[q])
            reading = str(ix.reading[g[0]]) if all(ix.reading[p] for p in g) else ""
            spelled = frozenset(str(ix.keys[p]) for p in g) if how.startswith("fuzzy") else frozenset()
            out.append(Candidate(
                place_id=str(ix.place_id[q]), name=str(ix.name[q]), country=str(ix.country[q]),
                lat=float(ix.lat[q]), lon=float(ix.lon[q]), population=float(max(ix.population[p] for p in g)),
                kind=str(ix.kind[q]), match=how or ("exact" if kind == HINTED else kind),
                curated=kind in ("curated", "user"), uses=uses,
                positions=tuple(g), reading=reading, spelled=spelled))
        return out

    def _larger_namesakes(self, text: str, cands: list[Candidate]) -> list[Candidate]:
        """Places 25 times larger than every candidate, in the focus region, that bear a name one spelling
        slip from ``text`` which is also a name of a candidate (see
        :func:`geo.gazetteer.rules.exonym_of_a_larger_namesake`). Looked for only when every candidate
        has the name as an undated GeoNames alternate name (an exonym or former name)."""
        from rapidfuzz.distance import OSA

        if not cands or any(c.match != "alternate" or c.curated or c.uses or c.reading for c in cands):
            return []
        ix, q = self.index, key(text)
        biggest = max(max(c.population for c in cands), 1.0)
        mine = {c.place_id for c in cands}
        out: dict[str, Candidate] = {}
        for c in cands:
            own = {str(ix.keys[p]) for p in ix.place_entries(c.place_id) if not ix.reading[p]}
            for k in own:
                if k == q or len(k.replace(" ", "")) < 4 or OSA.distance(q, k, score_cutoff=1) > 1:
                    continue
                pos = [int(p) for p in ix.by_key(k) if ix.place_id[int(p)] not in mine
                       and ix.source_kind[int(p)] != HINTED and ix.population[int(p)] >= DOMINANCE * biggest
                       and (not self.focus.active or self.focus.contains(ix.country[int(p)]))
                       and all(km((ix.lat[int(p)], ix.lon[int(p)]), (x.lat, x.lon)) > SAME_PLACE_KM for x in cands)]
                for r in self._candidates(np.array(pos, dtype=np.int64), {k}, how=""):
                    out.setdefault(r.place_id, dataclasses.replace(r, namesake_of=k))
        return list(out.values())

    def _era_names(self, c: Candidate) -> list[tuple[float, float, str]]:
        """The dated names of a place (curated list, user, table of renamed towns): (from, to, name) — for
        the note on a modern name."""
        if c.place_id not in self._dated_places:
            return []
        ix = self.index
        out = []
        src = ix.entries
        for p in ix.place_entries(c.place_id):
            if not ix.reading[p] and not (math.isnan(ix.valid_from[p]) and math.isnan(ix.valid_to[p])):
                out.append((float(ix.valid_from[p]), float(ix.valid_to[p]), str(src.at[p, "key"])))
        return out

    # -- context ---------------------------------------------------------------------------------
    def _unit_keys(self, c: Candidate) -> str:
        """Every name (any language) of the country and the units that held a candidate in 1918-1991."""
        got = self._units.get(c.place_id)
        if got is None:
            names = list(_country_names(c.country))
            if self.borders is not None:
                for layer in ("polities", "republics", "kazakh_regions"):
                    lay = self.borders[layer]
                    _, feats = lay.locate_span([c.lon], [c.lat], np.array(["1918-01-01"], "datetime64[D]"),
                                               np.array(["1991-12-31"], "datetime64[D]"))
                    for f in feats:
                        names += [str(lay.props.iloc[f].get(col) or "") for col in ("name", "name_ru", "name_kk")]
            every = list(c.positions) + [int(p) for p in self.index.place_entries(c.place_id)]
            codes = {str(self.index.admin1[p]) for p in every} - {""}
            if not codes and (near := self._nearest_admin1(c.lat, c.lon)):
                codes = {near}  # a curated place without a GeoNames link: the unit of its nearest GeoNames place
            lands = self._land_names()
            for code in codes:
                names += list(_admin1_names().get(code, ())) + lands.get(code, [])
            keys = set()
            for n in names:
                for k in (region_key(n) or key(n), key(n)):
                    if k:
                        keys.add(k)
                        keys.add(key(translit(k)))
            got = self._units[c.place_id] = "|".join(sorted(keys))
        return got

    def _nearest_admin1(self, lat: float, lon: float) -> str:
        """The first-level unit (GeoNames admin1 code) of the GeoNames place nearest to a point, within
        :data:`ADMIN1_NEAR_KM`; '' if none is that near."""
        if self._gn_points is None:
            ix = self.index
            code = ix.admin1.codes
            ok = ix.source_kind.isin(["exact"]) & (ix.admin1.values[code] != "")
            self._gn_points = (ix.lat[ok], ix.lon[ok], ix.admin1.array()[ok])
        la, lo, codes = self._gn_points
        if not len(la):
            return ""
        d2 = (la - lat) ** 2 + ((lo - lon) * math.cos(math.radians(lat))) ** 2
        i = int(np.argmin(d2))
        return str(codes[i]) if km((lat, lon), (la[i], lo[i])) <= ADMIN1_NEAR_KM else ""

    def _land_names(self) -> dict[str, list[str]]:
        """GeoNames admin1 code -> the names of the historical lands that cover it, wholly or in part
        (``data/gazetteer/lands.csv``; the names are those of the land's row in the curated list)."""
        if self._lands is None:
            self._lands = {}
            for land, codes in _land_codes().items():
                names = [self._written(int(p)) for p in self.index.place_entries(land)
                         if self.index.source_kind[int(p)] == "curated" and not self.index.reading[int(p)]]
                for code in codes:
                    self._lands.setdefault(code, []).extend(dict.fromkeys(names))
        return self._lands

    def _hint_matcher(self, hint: str):
        hk = region_key(hint) or key(hint)
        variants = {hk, key(translit(hk))} - {""}

        def matches(c: Candidate) -> bool:
            for unit in self._unit_keys(c).split("|"):
                for h in variants:
                    if unit == h or (len(h) >= 4 and (unit.startswith(h) or h.startswith(unit) and len(unit) >= 4)):
                        return True
            return False
        return matches

    def _hint_point(self, hint: str) -> tuple[float, float] | None:
        a = self._analyse(hint)
        if a.kind != "names" or a.hint:
            return None
        d = decide(a.cands, Context(focus=self.focus), RULES)
        return (d.chosen.lat, d.chosen.lon) if d.chosen is not None else None

    def _polity_of(self, c: Candidate, year: int) -> str:
        """The polity holding a candidate on 1 July of a year; all years of a place in one lookup."""
        k = (c.place_id, year)
        if k not in self._polity:
            lay = self.borders["polities"]
            years = np.arange(1900, 1966)
            days = np.array([f"{y}-07-01" for y in years], dtype="datetime64[D]")
            lon, lat, _ = lay.snap(np.full(len(days), c.lon), np.full(len(days), c.lat), days, 0.3)
            hit = lay.locate(lon, lat, days)
            names = lay.props["name"].to_numpy()
            for y, h in zip(years.tolist(), hit):
                self._polity[(c.place_id, y)] = str(names[h]) if h >= 0 else ""
            if k not in self._polity:  # a year outside 1900-1965
                day = np.array([f"{year}-07-01"], dtype="datetime64[D]")
                lon1, lat1, _ = lay.snap([c.lon], [c.lat], day, 0.3)
                h = lay.locate(lon1, lat1, day)[0]
                self._polity[k] = str(names[h]) if h >= 0 else ""
        return self._polity[k]

    def _republic_of(self, c: Candidate, year: int) -> str:
        """The union republic holding a candidate on 1 July of a year ('' outside the Soviet republics);
        all years 1918-1951 of a place in one lookup, as :meth:`_polity_of`."""
        k = ("republic", c.place_id, year)
        if k not in self._polity:
            if self._union is None:
                rep = self.borders["republics"]
                self._union = rep.subset(rep.props["level"].to_numpy() == "union")
            lay = self._union
            years = sorted(set(range(1918, 1952)) | {year})
            days = np.array([f"{y}-07-01" for y in years], dtype="datetime64[D]")
            lon, lat, _ = lay.snap(np.full(len(days), c.lon), np.full(len(days), c.lat), days, 0.3)
            names = lay.props["name"].to_numpy()
            for y, h in zip(years, lay.locate(lon, lat, days)):
                self._polity[("republic", c.place_id, y)] = str(names[h]) if h >= 0 else ""
        return self._polity[k]

    def _context(self, a: _Analysis, year: int | None, state) -> Context:
        """The rules' context; ``state`` is the other end's polity, or a (polity, union republic) pair."""
        polity, republic = state if isinstance(state, tuple) else (state, None)
        ctx = Context(year=year, hint=a.hint, focus=self.focus, other_polity=polity or None,
                      other_republic=republic or None, name=key(a.main))
        if a.hint:
            ctx.hint_matches = self._hint_matcher(a.hint)
            ctx.hint_point = self._hint_point(a.hint)
        if self.borders is not None:
            y = year if year is not None else 1935
            ctx.polity_of = lambda c: self._polity_of(c, y)
            ctx.republic_of = lambda c: self._republic_of(c, y)
        return ctx

    # -- decisions -------------------------------------------------------------------------------
    def _decision(self, a: _Analysis, year: int | None, state: str | None):
        """The rules' decision, once per era of the name's candidates (and per year only when the
        other end's state is asked about: the candidates' states change with the year)."""
        era = -1 if year is None else int(np.searchsorted(a.breaks, year, side="right"))
        k = (era, state, year if state else None)
        if k not in a.decisions:
            a.decisions[k] = decide(a.cands, self._context(a, year, state), RULES)
        return a.decisions[k]

    def _place(self, a: _Analysis, year: int | None, state: str | None) -> Place:
        place = Place(input=a.text)
        if a.kind in ("empty", "none"):
            place.note = a.note
            return place
        d = self._decision(a, year, state)
        notes = [a.note] if a.note else []
        if d.passed_over:
            place.passed_over = [{**c.describe(), "rule": r} for c, r in d.passed_over]
        if d.chosen is None:
            place.match = "ambiguous"
            place.candidates = [c.describe() for c in d.remaining]
            notes += d.reasons
            notes.append("candidates: " + "; ".join(f"{c.name} ({c.country}, {round(c.lat, 4)}, {round(c.lon, 4)})"
                                                    for c in d.remaining))
            if d.passed_over:
                notes.append("passed over: " + "; ".join(f"{c.label()} by {r}" for c, r in d.passed_over))
            place.note = "; ".join(notes)
            return place
        c = d.chosen
        place.lat, place.lon, place.name, place.country = c.lat, c.lon, c.name, c.country
        place.place_id, place.kind, place.match, place.rule = c.place_id, c.kind, c.match, d.rule
        if len(a.cands) > 1:
            place.candidates = [x.describe() for x in a.cands]
            notes.append(f"{len(a.cands)} candidates, chose by " + "; ".join(d.reasons))
            notes.append("passed over: " + "; ".join(f"{x.label()} by {r}" for x, r in d.passed_over))
        notes += self._era_note(a, c, year)
        place.note = "; ".join(x for x in notes if x)
        return place

    def _era_note(self, a: _Analysis, c: Candidate, year: int | None) -> list[str]:
        """"former name (in use until 1931)", "a name given only in 1993", and the name of the era."""
        status = c.status(year)
        out = []
        if status == "before":
            last = max((to for f, to in c.uses if not math.isnan(to) and to < year), default=math.nan)
            again = min((f for f, to in c.uses if not math.isnan(f) and f > year), default=math.nan)
            out.append(f"named so until {int(last)} and again from {int(again)}" if not math.isnan(again)
                       else f"former name (in use until {int(last)})")
        elif status == "later":
            out.append(f"a name given only in {int(min(f for f, _ in c.uses if not math.isnan(f)))}")
        if year is not None and status in ("before", "later") and c.place_id in a.era:
            then = [n for f, to, n in a.era[c.place_id]
                    if (math.isnan(f) or f <= year) and (math.isnan(to) or year <= to)]
            if then:
                out.append(f"in {year}: {self._display(c, then[0])}")
        return out

    def _display(self, c: Candidate, k: str) -> str:
        """The written form of one of a place's names, from its key."""
        src = self.index.entries
        for p in self.index.place_entries(c.place_id):
            if src.at[p, "key"] == k and self._written(p) != k:
                return str(self._written(p))
        return k

    def _written(self, p: int) -> str:
        w = self.index.entries.at[p, "written"] if "written" in self.index.entries.columns else ""
        return str(w) if isinstance(w, str) and w else str(self.index.entries.at[p, "key"])

    def _region_place(self, text: str, ans) -> Place:
        place = Place(input=text, note=ans.note)
        if ans.candidates:
            place.match, place.candidates = "ambiguous", ans.candidates
        if ans.resolved:
            place.lat, place.lon, place.name = ans.lat, ans.lon, ans.name
            country = "KZ" if ans.kind != "republic" or ans.unit == "KAZ" else ""
            place.match, place.kind, place.country = "region", ans.kind, country
            place.place_id = ans.feature_id
            place.kz_region = ans.unit if ans.kind == "oblast" else ""
        return place

    # -- the public entry points -----------------------------------------------------------------
    def resolve_codes(
        self,
        names: Sequence[str],
        years: Sequence[int | None] | None = None,
        states: Sequence[str | None] | None = None,
        spans: Sequence[tuple[dt.date, dt.date] | None] | None = None,
        *,
        first: np.ndarray | None = None,
        last: np.ndarray | None = None,
    ) -> tuple[np.ndarray, list[Place]]:
        """Resolve many names at once: a code per name into a list of distinct answers.

        Same parameters as :meth:`resolve`; ``first``/``last`` (``datetime64[D]`` arrays) may be
        given instead of ``spans``. Each distinct name is analysed once; the rules decide once per
        era of its names (the years where one of its candidates was renamed) and, only when several
        candidates remain, per state of the other end; an oblast or republic name once per pattern
        of the units valid over the record's dates. Never once per row.
        """
        n = len(names)
        arr = np.asarray(names, dtype=object)
        codes, uniq = pd.factorize(arr, use_na_sentinel=False)
        if any(not isinstance(u, str) for u in uniq):  # None, NaN or numbers: resolve their text ('' for missing)
            text = np.array(["" if u is None or (isinstance(u, float) and math.isnan(u)) else str(u) for u in uniq],
                            dtype=object)
            codes, uniq = pd.factorize(text[codes], use_na_sentinel=False)
        if years is None and first is not None:
            yrs = np.where(np.isnat(first), np.nan, first.astype("datetime64[Y]").astype(np.int64) + 1970.0)
        else:
            yrs = np.array([np.nan if y is None or (isinstance(y, float) and math.isnan(y)) else float(y)
                            for y in (years if years is not None else [None] * n)], dtype=float)
        if first is None:
            first = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
            last = first.copy()
            for k in range(n):
                sp = spans[k] if spans is not None else None
                if sp is not None:
                    first[k], last[k] = np.datetime64(sp[0], "D"), np.datetime64(sp[1], "D")
                elif not math.isnan(yrs[k]):
                    first[k], last[k] = np.datetime64(f"{int(yrs[k])}-01-01"), np.datetime64(f"{int(yrs[k])}-12-31")
        if states is None:
            st_codes, st_uniq = np.zeros(n, dtype=np.int64), np.array([None], dtype=object)
        elif len(states) and isinstance(states[0], tuple):  # (polity, republic) pairs: each part factorized apart
            pc, pu = pd.factorize(pd.Series([s[0] for s in states], dtype=object), use_na_sentinel=False)
            rc, ru = pd.factorize(pd.Series([s[1] for s in states], dtype=object), use_na_sentinel=False)
            st_codes, pair = pd.factorize(pc.astype(np.int64) * (len(ru) + 1) + rc)
            st_uniq = np.empty(len(pair), dtype=object)
            st_uniq[:] = [(pu[int(x) // (len(ru) + 1)], ru[int(x) % (len(ru) + 1)]) for x in pair]
        else:
            st_codes, st_uniq = pd.factorize(pd.Series(list(states), dtype=object), use_na_sentinel=False)
            st_uniq = np.asarray(st_uniq, dtype=object)
        out = np.empty(n, dtype=np.int64)
        places: list[Place] = []
        small = codes.astype(np.int16) if len(uniq) < 32_000 else codes  # a stable sort of int16 is a radix sort
        order = np.argsort(small, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(uniq) + 1))
        for u in range(len(uniq)):
            rows = order[bounds[u]:bounds[u + 1]]
            if not len(rows):
                continue
            a = self._analyse(str(uniq[u]))
            if a.kind == "region":
                rc, answers = self.regions.resolve_many(a.text, first[rows], last[rows])
                out[rows] = rc + len(places)
                places += [self._region_place(a.text, ans) for ans in answers]
                continue
            if a.kind != "names" or len(a.cands) == 1 and not a.era and not a.cands[0].uses and not a.hint:
                out[rows] = len(places)
                places.append(self._place(a, None, None))
                continue
            y = yrs[rows]
            many = len(a.cands) > 1
            # the year matters through the era boundaries (and the note names it where the name is not of
            # the era); the other end only when several candidates remain
            key_year = np.where(np.isnan(y), -1, y).astype(np.int64)
            s = st_codes[rows] if many else np.zeros(len(rows), dtype=np.int64)
            combo, combo_uniq = pd.factorize(key_year * (len(st_uniq) + 1) + s)
            seen: dict[tuple, int] = {}
            local = np.empty(len(combo_uniq), dtype=np.int64)
            for j, c in enumerate(combo_uniq):
                yr, sc = divmod(int(c), len(st_uniq) + 1) if c >= 0 else (-1, int(c) + len(st_uniq) + 1)
                year = None if yr < 0 else yr
                place = self._place(a, year, st_uniq[sc] if many else None)
                sig = (place.match, place.place_id, place.rule, place.note)
                if sig not in seen:
                    seen[sig] = len(places)
                    places.append(place)
                local[j] = seen[sig]
            out[rows] = local[combo]
        return out, places

    def resolve(
        self,
        names: Iterable[str],
        years: Iterable[int | None] | None = None,
        states: Iterable[str | None] | None = None,
        spans: Iterable[tuple[dt.date, dt.date] | None] | None = None,
    ) -> list[Place]:
        """Resolve names, each at its record's date.

        Parameters
        ----------
        names : iterable of str
            Names as written ("Покровск", "Lwów", "Северо-Казахстанская обл.",
            "Petropavlovsk (Kazakhstan)", "Qızılorda").
        years : iterable of int or None
            Year of each record, for names in use only in some years.
        states : iterable of str, (str, str) or None
            The polity (on the record's date) of the other end of the route, or a pair (polity,
            union republic), used only by the last tie-break rules.
        spans : iterable of (datetime.date, datetime.date) or None
            First and last day each record's date can mean (for oblasts and the republic's capital).

        Returns
        -------
        list of Place
            One per name, in order (records sharing an answer share the object).
        """
        names = list(names)
        codes, places = self.resolve_codes(names, None if years is None else list(years),
                                           None if states is None else list(states),
                                           None if spans is None else list(spans))
        return [places[c] for c in codes]

    def ranked_candidates(self, name: str, year: int | None = None, other_polity: str | None = None) -> list[dict]:
        """Every place a name may mean, ranked by the tie-break rules (for a person to choose).

        Each dict has ``name, country, lat, lon, population, place_id, kind`` and ``passed_over_by``
        (the rule that passed it over; '' for the ones the rules kept). The import page shows
        these, in this order.
        """
        a = self._analyse(name)
        if a.kind != "names":
            return []
        return [{**c.describe(), "passed_over_by": r} for c, r in rank(a.cands, self._context(a, year, other_polity))]

    def suggestions(self, text: str, limit: int = 5, cutoff: float = 75.0) -> list[dict]:
        """Places whose names are spelled like ``text`` (for a person to choose from), best first,
        those inside the focus region before those outside."""
        out, seen = [], set()
        for k, score in self.index.similar(text, limit=limit * 3, cutoff=cutoff):
            for c in self._candidates(self.index.by_key(k), {k}, f"fuzzy:{score:.0f}"):
                if c.place_id not in seen:
                    seen.add(c.place_id)
                    out.append({**c.describe(), "score": round(score)})
        inside = self.focus.contains if self.focus.active else (lambda _c: True)
        return sorted(out, key=lambda d: (not inside(d["country"]), -d["score"], -d["population"]))[:limit]


@lru_cache(maxsize=1)
def _admin1_names() -> dict[str, tuple[str, ...]]:
    """GeoNames admin1 code ("US.OH") -> the names a hint may give the unit (data/gazetteer/):

    the subdivision's names (``admin1.csv``); for the United States and Canada also its postal
    abbreviation, which is its ISO 3166-2 code ("OH", "ON"); and the names of the second-level units
    inside it that ISO 3166-2 lists (``admin2.csv``: "Finistère" is read as Brittany, since GeoNames'
    cities tables do not give a place's second-level unit).
    """
    from geo.paths import ROOT

    folder = ROOT / "data" / "gazetteer"
    if not (folder / "admin1.csv").exists():
        return {}
    df = pd.read_csv(folder / "admin1.csv", dtype=str, keep_default_na=False, skiprows=1)
    out: dict[str, list[str]] = {}
    for c, iso, n, al in zip(df["code"], df["iso"], df["name"], df["aliases"]):
        out[c] = [n, *[a for a in al.split("|") if a]]
        if c[:3] in POSTAL_ABBREVIATIONS and "-" in iso:
            out[c].append(iso.split("-", 1)[1])
    if (folder / "admin2.csv").exists():
        df2 = pd.read_csv(folder / "admin2.csv", dtype=str, keep_default_na=False, skiprows=1)
        for a1, n, al in zip(df2["admin1"], df2["name"], df2["aliases"]):
            out.setdefault(a1, []).extend([n, *[a for a in al.split("|") if a]])
    return {c: tuple(dict.fromkeys(v)) for c, v in out.items()}


@lru_cache(maxsize=1)
def _land_codes() -> dict[str, tuple[str, ...]]:
    """Historical land (its id in the curated list) -> the GeoNames admin1 codes it covers wholly or in part
    (``data/gazetteer/lands.csv``)."""
    from geo.paths import ROOT

    path = ROOT / "data" / "gazetteer" / "lands.csv"
    if not path.exists():
        return {}
    df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    return {i: tuple(c for c in codes.split("|") if c) for i, codes in zip(df["id"], df["admin1"])}


@lru_cache(maxsize=64)
def _country_names(iso2: str) -> tuple[str, ...]:
    import gettext

    import pycountry

    c = pycountry.countries.get(alpha_2=iso2) if iso2 else None
    if c is None:
        return (iso2,) if iso2 else ()
    out = [iso2, c.alpha_3, c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)]
    for lang in ("ru", "kk", "de", "pl", "uk"):
        try:
            out.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext(c.name))
        except OSError:
            pass
    return tuple(out)


def load_gazetteer(borders: Borders | None = None, places: Path = MOVEMENTS_DIR / "places.csv",
                   supplement: pd.DataFrame | None = None, focus: Focus | str | None = DEFAULT_FOCUS_NAME,
                   renames: Path | None = RENAMES, camps: Path | None = CAMPS) -> Gazetteer:
    """The gazetteer: a user's supplement (first), the curated places, the dated names of renamed towns
    (``renames``, see :func:`geo.gazetteer.sources.renamed_entries`), the GULAG camps of the USSR (``camps``,
    see :func:`geo.gazetteer.sources.camp_entries`), GeoNames, the Kazakh oblasts.

    GeoNames entries of a place the curated list links (by ``geonameid``) are kept as names of
    the curated place, so its GeoNames alternate names still find it.
    """
    gn = geonames_entries()
    linked = pd.read_csv(places, dtype=str, keep_default_na=False)
    curated = curated_entries(places, geonames_points(gn, [int(g) for g in linked["geonameid"] if g]))
    renamed = _renamed(gn, linked, curated, renames)
    link = {f"gn:{g}": r for g, r in zip(linked["geonameid"], linked.index) if g}
    if link:
        taken = gn["place_id"].isin(link)
        sub = gn[taken].copy()
        rows = linked.loc[[link[p] for p in sub["place_id"]]]
        sub["place_id"] = rows["id"].to_numpy()
        sub["name"] = rows["name"].to_numpy()
        sub["kind"] = rows["kind"].to_numpy()
        sub["country"] = rows["country"].to_numpy()
        sub["source"] = sub["source"] + "; " + rows["id"].to_numpy()
        # a dated curated name overrides GeoNames' undated use of the same key
        dated = set(zip(curated["place_id"], curated["key"]))
        sub = sub[[(p, k) not in dated for p, k in zip(sub["place_id"], sub["key"])]]
        gn = pd.concat([sub, gn[~taken]], ignore_index=True)
    if len(renamed):  # a dated name overrides GeoNames' undated use of the same key for the same place
        near = gn["place_id"].isin(set(renamed["place_id"])).to_numpy()  # only these rows can be taken
        sub = gn[near]
        first = sub.drop_duplicates("place_id").set_index("place_id")
        renamed["country"] = first["country"].reindex(renamed["place_id"]).fillna("").to_numpy()
        renamed["admin1"] = first["admin1"].reindex(renamed["place_id"]).fillna("").to_numpy()
        taken = set(zip(renamed["place_id"], renamed["key"]))
        drop = np.zeros(len(gn), dtype=bool)
        drop[np.flatnonzero(near)] = [(p, k) in taken for p, k in zip(sub["place_id"], sub["key"])]
        gn = gn[~drop]
    parts = [supplement_entries(supplement)] if supplement is not None and len(supplement) else []
    parts += [curated, renamed]
    if camps is not None and Path(camps).exists():
        camp = camp_entries(Path(camps))
        # a camp's other name that is also a name of a populated place (Bautzen, Torgau, Лесной) is the place's
        keys = gn["key"]
        named = set(keys[keys.isin(set(camp["key"]))])  # the big column's isin of a small set is fast
        shared = (camp["source_kind"] == "alternate").to_numpy() & camp["key"].isin(named).to_numpy()
        parts.append(camp[~shared])
    parts.append(gn)
    return Gazetteer(pd.concat([p for p in parts if len(p)], ignore_index=True), borders, focus)


def _renamed(gn: pd.DataFrame, linked: pd.DataFrame, curated: pd.DataFrame, path: Path | None) -> pd.DataFrame:
    """The dated names of the table of renamed towns, less the names the curated list already dates or
    gives for the same place (the curated row is the authority on its own place)."""
    if path is None or not Path(path).exists():
        return pd.DataFrame(columns=curated.columns)
    ids = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")["geonameid"]
    link = {int(g): i for g, i in zip(linked["geonameid"], linked["id"]) if g}
    dated = renamed_entries(Path(path), geonames_points(gn, [int(g) for g in ids if g]), link)
    own = set(zip(curated["place_id"], curated["key"]))
    return dated[[(p, k) not in own for p, k in zip(dated["place_id"], dated["key"])]].reset_index(drop=True)


@lru_cache(maxsize=1)
def bundled_gazetteer() -> Gazetteer:
    """The gazetteer over the bundled borders, built once per process."""
    from geo.borders import bundled_borders

    return load_gazetteer(bundled_borders())
