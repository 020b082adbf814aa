"""The region resolver: names of Kazakh oblasts and of the Kazakh republic, on a date.

A record that names only an oblast ("Северо-Казахстанская обл.") is drawn at the oblast's
centre *of its date*; one that names only the republic ("Казахстан", "КазССР") stays at
republic level and is drawn at the republic's capital of its date. Neither is spread over
towns, and neither is a claim about the capital's oblast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from geo.borders import Borders
from geo.names import key, region_key

#: The Kazakh republic under the names archives use.
KAZAKH_REPUBLIC_NAMES = (
    "Kazakhstan", "Казахстан", "Қазақстан", "Kazakh SSR", "Казахская ССР", "КазССР", "Қазақ КСР",
    "Kazakh ASSR", "Kazak ASSR", "Казакская АССР", "Казахская АССР", "КАССР", "КазАССР", "Kirghiz ASSR",
    "Киргизская АССР", "Kazakhstan SSR",
)
REPUBLIC_KEYS = frozenset(key(n) for n in KAZAKH_REPUBLIC_NAMES)

#: The republic's capital: (last day, name, GeoNames id) — Orenburg until 1925, Kzyl-Orda until 1929, then Alma-Ata.
REPUBLIC_CAPITALS = (
    (dt.date(1925, 7, 15), "Orenburg", 515012),
    (dt.date(1929, 4, 30), "Kzyl-Orda", 1519922),
    (dt.date(9999, 12, 31), "Alma-Ata", 1526384),
)


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
    """

    def __init__(self, borders: Borders, capitals: dict[int, tuple[float, float]]) -> None:
        self.layer = borders["kazakh_regions"]
        self.capitals = capitals
        self.index: dict[str, list[int]] = {}
        for i, row in self.layer.props.iterrows():
            if row.get("level") == "republic":
                continue
            for col in ("name", "name_ru", "name_kk"):
                rk = region_key(str(row.get(col) or ""))
                if rk:
                    self.index.setdefault(rk, []).append(int(i))

    def kind_of(self, text: str) -> str:
        """``oblast`` or ``republic`` when the name is one this resolver answers, else ''."""
        if key(text) in REPUBLIC_KEYS:
            return "republic"
        rk = region_key(text)
        return "oblast" if rk and rk in self.index else ""

    def resolve(self, text: str, first: dt.date | None, last: dt.date | None) -> RegionAnswer:
        """The oblast or republic a name means between ``first`` and ``last`` (None: undated)."""
        if key(text) in REPUBLIC_KEYS:
            return self._republic(first)
        lay = self.layer
        hits = self.index.get(region_key(text) or "", [])
        f = np.datetime64(first, "D") if first else None
        la = np.datetime64(last, "D") if last else None
        valid = [i for i in hits if f is None or (lay.start[i] <= la and f <= lay.end[i])]
        if not valid:
            lo, hi = min(lay.start[i] for i in hits), max(lay.end[i] for i in hits)
            return RegionAnswer(note=f"{lay.props.loc[hits[0], 'name']} existed {lo}..{hi}, not in {first}..{last}")
        i = valid[-1]
        row = lay.props.loc[i]
        when = f" in {first}..{last}" if first else ""
        note = f"oblast; drawn at its centre {row['capital']}{when}"
        if f is not None and (lay.start[i] > f or len(valid) > 1):
            note += f" (this oblast, {lay.start[i]}..{lay.end[i]}, covers only part of the date)"
        return RegionAnswer(float(row["capital_lat"]), float(row["capital_lon"]), str(row["name"]), str(row["unit"]),
                            str(row["id"]), "oblast", note)

    def _republic(self, first: dt.date | None) -> RegionAnswer:
        when = first or dt.date(1941, 1, 1)
        _, capital, gid = next(c for c in REPUBLIC_CAPITALS if when <= c[0])
        lat, lon = self.capitals.get(gid, (float("nan"), float("nan")))
        return RegionAnswer(lat, lon, "Kazakhstan (republic)", "KAZ", "KAZ", "republic",
                            f"republic level, not spread over oblasts; drawn at its capital {capital} on {when}")
