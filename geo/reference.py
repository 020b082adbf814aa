"""Agreement of the project's polities with an external set of yearly snapshot maps.

The reference is read, never copied: ``compare_reference`` measures, per major
European state and snapshot year, the area of agreement (intersection over
union, in an equal-area projection) between our polity on a date inside that
snapshot's period and the reference's polygons of the same state.

The snapshots of aourednik/historical-basemaps (``world_1920.geojson`` ...) carry
``NAME`` and ``SUBJECTO``; their 1938 map shows Germany after the Anschluss and
Czechoslovakia before Munich, their 1945 map the zones of occupied Germany.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyproj
import shapely

from geo.borders import Borders

#: Snapshot year -> the date our borders are taken on (inside the period the snapshot depicts).
SNAPSHOT_DATES = {
    1920: "1920-07-01",
    1930: "1930-07-01",
    1938: "1938-06-01",  # after the Anschluss (no Austria in the snapshot), before Munich
    1945: "1945-09-15",  # after Potsdam and the Polish-Soviet frontier agreement
}

#: Reference NAME(s) -> our polity unit ids, per state compared.
STATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Germany": (("Germany", "Germany (France)", "Germany (Soviet)", "Germany (UK)", "Germany (USA)"),
                ("DEU", "DEU_EAST", "BERLIN")),
    "Poland": (("Poland",), ("POL",)),
    "Austria": (("Austria",), ("AUT",)),
    "Czechoslovakia": (("Czechoslovakia",), ("CSK",)),
    "Hungary": (("Hungary",), ("HUN",)),
    "Romania": (("Romania",), ("ROU",)),
    "Bulgaria": (("Bulgaria",), ("BGR",)),
    "Yugoslavia": (("Yugoslavia",), ("YUG",)),
    "Greece": (("Greece",), ("GRC",)),
    "Italy": (("Italy",), ("ITA",)),
    "France": (("France",), ("FRA",)),
    "Spain": (("Spain",), ("ESP",)),
    "Finland": (("Finland",), ("FIN",)),
    "Estonia": (("Estonia",), ("EST",)),
    "Latvia": (("Latvia",), ("LVA",)),
    "Lithuania": (("Lithuania",), ("LTU",)),
    "Turkey": (("Turkey",), ("TUR",)),
    "USSR": (("USSR", "Ukraine", "White Russia", "Armenia", "Azerbaijan", "Georgia"),
             ("USSR", "SOV_RUSSIA", "SOV_UKRAINE", "SOV_BELARUS", "SOV_AZERBAIJAN", "SOV_ARMENIA", "SOV_GEORGIA")),
}

#: European states are compared inside this window (lon/lat) so that colonies and
#: overseas departments (French Guiana, Libya ...) do not count; the USSR and Turkey whole.
EUROPE_WINDOW = shapely.box(-25.0, 34.0, 45.0, 72.0)
_WHOLE = {"USSR", "Turkey"}

_EQUAL_AREA = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)


@dataclass
class Agreement:
    """Agreement of one state in one snapshot year."""

    year: int
    date: str
    state: str
    ours_km2: float
    reference_km2: float
    iou: float


def _km2(geom: shapely.Geometry) -> float:
    if geom.is_empty:
        return 0.0
    projected = shapely.transform(geom, lambda xy: np.column_stack(_EQUAL_AREA.transform(xy[:, 0], xy[:, 1])))
    return projected.area / 1e6


def _read_snapshot(path: Path) -> tuple[list[str], np.ndarray]:
    feats = json.loads(path.read_text(encoding="utf-8"))["features"]
    names = [str((f.get("properties") or {}).get("NAME") or "") for f in feats]
    geoms = np.array([shapely.make_valid(shapely.geometry.shape(f["geometry"])) if f.get("geometry") else shapely.Polygon()
                      for f in feats], dtype=object)
    return names, geoms


def compare_reference(borders: Borders, folder: Path, states: dict = STATES) -> list[Agreement]:
    """Measure agreement with every ``world_YEAR.geojson`` snapshot found in ``folder``.

    Parameters
    ----------
    borders : Borders
        Our border layers.
    folder : pathlib.Path
        Folder with the snapshot files.
    states : dict
        State label -> (reference names, our polity unit ids).

    Returns
    -------
    list of Agreement
        One row per state present in both (a state absent on either side,
        such as Austria in 1938, is skipped).
    """
    rows: list[Agreement] = []
    for year, date in SNAPSHOT_DATES.items():
        path = folder / f"world_{year}.geojson"
        if not path.exists():
            continue
        names, geoms = _read_snapshot(path)
        ours = borders.on(date, "polities")
        for state, (ref_names, units) in states.items():
            ref = [g for n, g in zip(names, geoms) if n in ref_names]
            mine = ours.loc[ours["unit"].isin(units), "geometry"].tolist()
            if not ref or not mine:
                continue
            a = shapely.union_all(mine)
            b = shapely.union_all([shapely.make_valid(shapely.buffer(g, 0)) for g in ref])
            if state not in _WHOLE:
                a, b = shapely.intersection(a, EUROPE_WINDOW), shapely.intersection(b, EUROPE_WINDOW)
            inter, union = _km2(shapely.intersection(a, b)), _km2(shapely.union(a, b))
            rows.append(Agreement(year, date, state, round(_km2(a)), round(_km2(b)), round(inter / union, 3) if union else 0.0))
    return rows


def format_report(rows: list[Agreement]) -> str:
    """The agreement table as aligned text."""
    lines = [f"{'year':>4}  {'date':10}  {'state':15} {'ours km2':>11} {'reference km2':>14} {'IoU':>6}"]
    for r in rows:
        lines.append(f"{r.year:>4}  {r.date:10}  {r.state:15} {r.ours_km2:>11,.0f} {r.reference_km2:>14,.0f} {r.iou:>6.3f}")
    return "\n".join(lines)
