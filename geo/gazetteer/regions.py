"""The region resolver: names of Kazakh oblasts, of the Kazakh republic and of the Soviet union
republics, on a date.

A record that names only an oblast ("Северо-Казахстанская обл.", "Qaraǵandy oblysy") is located
at the oblast's centre *of its date*; one that names only the Kazakh republic ("Казахстан",
"КазССР") stays at republic level and is located at the republic's capital of its date; one that
names another union republic ("Украинская ССР", "BSSR", "Karelo-Finnish SSR") stays at republic
level and is located at a point inside the republic of its date. The point only locates the answer:
the maps draw such an end to the area (geo.areas), never to the town. None is spread over towns, and
none is a claim about a town or about the capital's oblast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from geo.borders import Borders
from geo.names import key, name_keys, region_key

#: The Kazakh republic under the names archives use.
KAZAKH_REPUBLIC_NAMES = (
    "Kazakhstan", "Казахстан", "Қазақстан", "Kazakh SSR", "Казахская ССР", "КазССР", "Қазақ КСР",
    "Kazakh ASSR", "Kazak ASSR", "Казакская АССР", "Казахская АССР", "КАССР", "КазАССР", "Kirghiz ASSR",
    "Киргизская АССР", "Kazakhstan SSR",
)
REPUBLIC_KEYS = frozenset(key(n) for n in KAZAKH_REPUBLIC_NAMES)

#: The republic's capital: (last day, name, GeoNames id) — Orenburg until 1925, Kzyl-Orda until 1929, then Alma-Ata.
#: It only locates a record that names the republic (the maps draw it to the republic). The day of the move to
#: Alma-Ata is not settled by the sources read (1927-1929, data/shapes/README.md, "Capitals"), so the maps name no
#: capital then; the locator has to switch on some day and does so inside that span.
REPUBLIC_CAPITALS = (
    (dt.date(1925, 7, 15), "Orenburg", 515012),
    (dt.date(1929, 4, 30), "Kzyl-Orda", 1519922),
    (dt.date(9999, 12, 31), "Alma-Ata", 1526384),
)


def _keys(text: str, region: bool) -> set[str]:
    """Matching keys of a unit's name: its region key (without "oblast", "ССР" ...) or its whole key,
    in every reading (transliterated, Kazakh Latin: "Qaraǵandy oblysy" meets "Карагандинская")."""
    base = region_key(text) if region else key(text)
    if not base:
        return set()
    return set(name_keys(base)) | {base}


@dataclass
class RegionAnswer:
    """What the resolver says of a region name over a span of days."""

    lat: float = float("nan")
    lon: float = float("nan")
    name: str = ""
    unit: str = ""
    feature_id: str = ""
    kind: str = ""  # oblast, republic
    note: str = ""
    candidates: list[dict] | None = None  # when the name fits several units (an abbreviation such as УССР)

    @property
    def resolved(self) -> bool:
        return not np.isnan(self.lat)


class RegionResolver:
    """Kazakh oblasts (from the ``kazakh_regions`` border layer) and the republic, by name and date.

    Parameters
    ----------
    borders : Borders
        The border layers; their ``kazakh_regions`` layer gives the oblasts, their names
        (English, Russian, Kazakh), centres and validity.
    capitals : dict of int to (lat, lon)
        Points of the republic's capitals by GeoNames id.
    centre_keys : callable, optional
        ``(name, lat, lon) -> keys``: every name (as matching keys) of the town at an oblast's centre.
        An oblast that bears its centre's name is then found by any of them (today's Kazakh names of
        renamed towns: ``Атырау облысы`` for Guryev Oblast).
    """

    def __init__(self, borders: Borders, capitals: dict[int, tuple[float, float]],
                 centre_keys: Callable[[str, float, float], set[str]] | None = None) -> None:
        self.layer = borders["kazakh_regions"]
        self.capitals = capitals
        self.index: dict[str, list[int]] = {}
        for i, row in self.layer.props.iterrows():
            if row.get("level") == "republic":
                continue
            own: set[str] = set()
            for col in ("name", "name_ru", "name_kk"):
                own |= _keys(str(row.get(col) or ""), region=True)
            if centre_keys is not None and row.get("capital"):
                # an oblast named after its centre (Гурьев облысы, centre Guryev) is also named by every
                # other name of that town: "Атырау облысы" is Guryev Oblast, "Qostanay oblysy" Kustanai Oblast
                centre = centre_keys(str(row["capital"]), float(row["capital_lat"]), float(row["capital_lon"]))
                if own & centre:
                    own |= centre
            for k in own:
                self.index.setdefault(k, []).append(int(i))
        rep = borders["republics"]
        self.republics = rep.subset(rep.props["level"].to_numpy() == "union")
        self.republic_index: dict[str, list[int]] = {}
        for i, row in self.republics.props.iterrows():
            names = [str(row.get(c) or "") for c in ("name", "name_ru", "name_kk")]
            adj = names[1].split()[0] if names[1].endswith(" ССР") else ""
            names += [adj[:n] + "ССР" for n in (1, 2, 3)] if adj else []  # УССР, БССР, КазССР ...
            for n in names:
                for k in _keys(n, region=False) | _keys(n, region=True):
                    if k and k not in REPUBLIC_KEYS and k != "ussr":  # "USSR" is the Union, not УССР
                        self.republic_index.setdefault(k, []).append(int(i))
        self._points: dict[int, tuple[float, float]] = {}

    def _oblasts(self, text: str) -> list[int]:
        if not region_key(text):
            return []
        return sorted({i for k in _keys(text, region=True) for i in self.index.get(k, [])})

    def _union_republics(self, text: str) -> list[int]:
        return sorted({i for k in _keys(text, region=False) | _keys(text, region=True) for i in self.republic_index.get(k, [])})

    def kind_of(self, text: str) -> str:
        """``oblast``, ``republic`` (the Kazakh one) or ``union_republic`` when this resolver answers the name, else ''."""
        if key(text) in REPUBLIC_KEYS:
            return "republic"
        if self._oblasts(text):
            return "oblast"
        return "union_republic" if self._union_republics(text) else ""

    def resolve(self, text: str, first: dt.date | None, last: dt.date | None) -> RegionAnswer:
        """The oblast or republic a name means between ``first`` and ``last`` (None: undated)."""
        if key(text) in REPUBLIC_KEYS:
            return self._republic(first)
        if not self._oblasts(text):
            return self._union_republic(text, first, last)
        lay = self.layer
        hits = self._oblasts(text)
        f = np.datetime64(first, "D") if first else None
        la = np.datetime64(last, "D") if last else None
        valid = [i for i in hits if f is None or (lay.start[i] <= la and f <= lay.end[i])]
        if not valid:
            lo, hi = min(lay.start[i] for i in hits), max(lay.end[i] for i in hits)
            return RegionAnswer(note=f"{lay.props.loc[hits[0], 'name']} existed {lo}..{hi}, not on the record's date")
        i = valid[-1]
        row = lay.props.loc[i]
        note = f"oblast, not a town: located at its centre {row['capital']}, drawn to the oblast"
        if f is not None and (lay.start[i] > f or len(valid) > 1):
            note += f" (this oblast, {lay.start[i]}..{lay.end[i]}, covers only part of the date)"
        return RegionAnswer(float(row["capital_lat"]), float(row["capital_lon"]), str(row["name"]), str(row["unit"]),
                            str(row["id"]), "oblast", note)

    def _union_republic(self, text: str, first: dt.date | None, last: dt.date | None) -> RegionAnswer:
        lay = self.republics
        hits = self._union_republics(text)
        f = np.datetime64(first or dt.date(1941, 1, 1), "D")
        la = np.datetime64(last or first or dt.date(1941, 1, 1), "D")
        valid = [i for i in hits if lay.start[i] <= la and f <= lay.end[i]]
        if not valid:
            lo, hi = min(lay.start[i] for i in hits), max(lay.end[i] for i in hits)
            return RegionAnswer(note=f"{lay.props.loc[hits[0], 'name']} existed {lo}..{hi}, not on the record's date")
        units = list(dict.fromkeys(str(lay.props.loc[j, "unit"]) for j in valid))
        if len(units) > 1:  # "УССР" is the Ukrainian SSR to most writers, but the Uzbek SSR's initial is У too
            cands = []
            for u in units:
                j = next(j for j in valid if str(lay.props.loc[j, "unit"]) == u)
                la_, lo_ = self._point(j)
                cands.append({"name": str(lay.props.loc[j, "name"]), "country": "", "lat": round(la_, 4),
                              "lon": round(lo_, 4), "population": 0, "place_id": str(lay.props.loc[j, "id"]),
                              "kind": "republic"})
            return RegionAnswer(note="candidates: " + "; ".join(c["name"] for c in cands), candidates=cands)
        i = min(valid, key=lambda j: (lay.start[j] > f, abs(int((lay.start[j] - f).astype(int)))))
        lat, lon = self._point(i)
        row = lay.props.loc[i]
        return RegionAnswer(lat, lon, str(row["name"]), str(row["unit"]), str(row["id"]), "republic",
                            "union republic level, not spread over its towns: located at a point inside it, "
                            "drawn to the republic")

    def _point(self, i: int) -> tuple[float, float]:
        """A point inside a union republic's feature (cached): where a republic-level record is drawn."""
        if i not in self._points:
            p = shapely.point_on_surface(self.republics.geoms[i])
            self._points[i] = (float(p.y), float(p.x))
        return self._points[i]

    def _republic(self, first: dt.date | None) -> RegionAnswer:
        when = first or dt.date(1941, 1, 1)
        _, capital, gid = next(c for c in REPUBLIC_CAPITALS if when <= c[0])
        lat, lon = self.capitals.get(gid, (float("nan"), float("nan")))
        return RegionAnswer(lat, lon, "Kazakhstan (republic)", "KAZ", "KAZ", "republic",
                            f"republic level, not spread over oblasts: located at its capital of the date, {capital}, "
                            "drawn to the republic")

    def resolve_many(self, text: str, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, list[RegionAnswer]]:
        """:meth:`resolve` for many date spans at once: a code per span into a list of distinct answers.

        The answer depends on a span only through which units were valid in it, so each
        distinct pattern of validity is resolved once (``first``/``last``: ``datetime64[D]``, NaT: undated).
        """
        first = np.asarray(first, dtype="datetime64[D]")
        last = np.asarray(last, dtype="datetime64[D]")
        undated = np.isnat(first) | np.isnat(last)
        if key(text) in REPUBLIC_KEYS:
            ends = np.array([np.datetime64(c[0], "D") for c in REPUBLIC_CAPITALS])
            sig = np.searchsorted(ends, first).astype(np.int64)
        else:
            oblasts = self._oblasts(text)
            lay, hits = (self.layer, oblasts) if oblasts else (self.republics, self._union_republics(text))
            sig = np.zeros(len(first), dtype=np.int64)
            for j, h in enumerate(hits):  # which units were valid in each span, as bits
                sig |= (((lay.start[h] <= last) & (first <= lay.end[h])).astype(np.int64) << (2 * j))
                sig |= (((lay.start[h] <= first) & (first <= lay.end[h])).astype(np.int64) << (2 * j + 1))
        sig = np.where(undated, -1, sig)
        codes, uniq = pd.factorize(sig)
        answers = []
        for u in uniq:
            r = int(np.flatnonzero(sig == u)[0])
            f = None if undated[r] else first[r].astype(object)
            la = None if undated[r] else last[r].astype(object)
            answers.append(self.resolve(text, f, la))
        return codes.astype(np.int64), answers
