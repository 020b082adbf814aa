"""The ledger of territorial change: what each unit held, from when, on whose word.

The ledger lives in ``data/shapes/ledger/`` as reviewable YAML:

``sources.yaml``
    Citations (treaty, decree, encyclopedia entry, atlas) by id.
``cuts.yaml``
    Named cut polygons (longitude/latitude rings) for lines that run through
    today's regions, each with its description, precision and source.
``<layer>.yaml``
    One entry per unit (state, republic, oblast, occupation zone) with its names
    and its periods. A period has ``from`` (first day) and ``until`` (the day of
    the next change, exclusive), an ``area`` expression, ``precision`` and
    ``source``.

Area expressions
----------------
An area is a list of terms applied in order to an empty set of atoms. A term is
added, or removed when it starts with ``-``. A term is one or more selectors
joined by ``&`` (all must hold); a selector may be negated with ``!``:

``A0:POL``
    atoms of today's country with Natural Earth code ``POL``;
``A1:PL-SL``
    atoms of today's admin-1 region with that ISO 3166-2 (or Natural Earth
    ``adm1_code``) code;
``CUT:riga_west_by``
    atoms inside that ledger cut polygon;
``U:RSFSR``
    the atoms of another unit of the ledger on the day evaluated (an error when
    that unit has no period then); ``UE:RSFSR`` is the same but empty then.

A period whose area refers to other units is split by the build wherever the
units it refers to change, so the ledger states each rule once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely

from geo.atoms import Atoms
from geo.textfiles import load_yaml

#: Layers in the order they are written; ``U:`` references may cross layers.
LAYERS = ("polities", "republics", "kazakh_regions", "occupation")

#: Ledger files read but not written out (shared outlines other units refer to).
HELPER_LAYERS = ("helpers",)

#: Fields a unit may carry beside its periods (copied into every feature).
NAME_FIELDS = (
    "name", "name_ru", "name_kk", "name_de", "name_pl", "name_lt", "name_ro",
    "name_hu", "name_fi", "name_uk", "name_be", "name_it", "name_modern",
)
_UNIT_FIELDS = NAME_FIELDS + (
    "kind", "parent", "level", "capital", "capital_ru", "capital_lon", "capital_lat",
    "occupier", "soviet", "note",
)


_PERIOD_KEYS = frozenset({"from", "until", "area", "precision", "source"}) | frozenset(_UNIT_FIELDS)
_UNIT_KEYS = frozenset({"id", "periods", "precision", "source"}) | frozenset(_UNIT_FIELDS)


class LedgerError(ValueError):
    """The ledger is inconsistent (unknown reference, overlap, gap ...)."""


@dataclass
class Period:
    """One period of a unit: a fixed territory between two change dates."""

    unit: str
    layer: str
    start: dt.date
    until: dt.date
    area: list[str]
    precision: int
    source: str
    attrs: dict[str, Any] = field(default_factory=dict)

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` falls in this period (``until`` is exclusive)."""
        return self.start <= day < self.until


@dataclass
class Ledger:
    """Everything read from the ledger folder."""

    sources: dict[str, dict[str, Any]]
    cuts: dict[str, shapely.Polygon]
    cut_info: dict[str, dict[str, Any]]
    periods: dict[str, list[Period]]  # by layer

    def unit_periods(self, unit: str) -> list[Period]:
        """All periods of one unit, in any layer."""
        return [p for ps in self.periods.values() for p in ps if p.unit == unit]

    def change_dates(self, layer: str | None = None) -> list[dt.date]:
        """Sorted distinct first days and ``until`` days of a layer (or all)."""
        layers = [layer] if layer else list(self.periods)
        days = {d for name in layers for p in self.periods[name] for d in (p.start, p.until)}
        return sorted(days)


def _flatten(items: Any) -> list[str]:
    """Flatten nested lists (YAML anchors merged into an area) into terms."""
    out: list[str] = []
    for item in items if isinstance(items, list) else [items]:
        out.extend(_flatten(item) if isinstance(item, list) else [str(item)])
    return out


def _as_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise LedgerError(f"{where}: not an ISO date: {value!r}") from exc


def load_ledger(folder: Path) -> Ledger:
    """Read and validate the ledger files of ``folder``.

    Parameters
    ----------
    folder : pathlib.Path
        ``data/shapes/ledger``.

    Returns
    -------
    Ledger
        The parsed ledger. Raises :class:`LedgerError` on an unknown source,
        a period that ends before it starts, or a malformed cut.
    """
    sources = {s["id"]: s for s in load_yaml((folder / "sources.yaml").read_text("utf-8"))}
    cuts: dict[str, shapely.Polygon] = {}
    cut_info: dict[str, dict[str, Any]] = {}
    for c in load_yaml((folder / "cuts.yaml").read_text("utf-8")):
        ring = c["ring"]
        poly = shapely.Polygon(ring)
        if not poly.is_valid or poly.area <= 0:
            raise LedgerError(f"cut {c['name']}: ring is not a valid polygon")
        if c["source"] not in sources:
            raise LedgerError(f"cut {c['name']}: unknown source {c['source']!r}")
        cuts[c["name"]] = poly
        cut_info[c["name"]] = {k: v for k, v in c.items() if k != "ring"}
    periods: dict[str, list[Period]] = {}
    for layer in LAYERS + HELPER_LAYERS:
        path = folder / f"{layer}.yaml"
        entries = load_yaml(path.read_text("utf-8")) or []
        out: list[Period] = []
        for unit in entries:
            uid = unit["id"]
            if set(unit) - _UNIT_KEYS:
                raise LedgerError(f"{layer}.yaml {uid}: unknown keys {sorted(set(unit) - _UNIT_KEYS)}")
            base = {k: unit[k] for k in _UNIT_FIELDS if k in unit}
            for i, per in enumerate(unit["periods"]):
                where = f"{layer}.yaml {uid} period {i + 1}"
                if set(per) - _PERIOD_KEYS:
                    raise LedgerError(f"{where}: unknown keys {sorted(set(per) - _PERIOD_KEYS)} (an unquoted comma?)")
                start = _as_date(per["from"], where)
                until = _as_date(per["until"], where)
                if until <= start:
                    raise LedgerError(f"{where}: until {until} is not after from {start}")
                src = per.get("source", unit.get("source"))
                for sid in str(src).split(";"):
                    if sid.strip() not in sources:
                        raise LedgerError(f"{where}: unknown source {sid.strip()!r}")
                attrs = dict(base)
                attrs.update({k: per[k] for k in _UNIT_FIELDS if k in per})
                out.append(Period(
                    unit=uid, layer=layer, start=start, until=until,
                    area=_flatten(per["area"]), precision=int(per.get("precision", unit.get("precision", 1))),
                    source=str(src), attrs=attrs,
                ))
        periods[layer] = out
    return Ledger(sources=sources, cuts=cuts, cut_info=cut_info, periods=periods)


class AreaEvaluator:
    """Evaluate area expressions of a ledger to sets of atom indices."""

    def __init__(self, ledger: Ledger, atoms: Atoms) -> None:
        self.ledger = ledger
        self.atoms = atoms
        self._by_adm0: dict[str, set[int]] = {}
        self._by_code: dict[str, set[int]] = {}
        self._by_cut: dict[str, set[int]] = {}
        for i in range(len(atoms)):
            self._by_adm0.setdefault(str(atoms.adm0[i]), set()).add(i)
            for code in atoms.codes[i]:
                self._by_code.setdefault(code, set()).add(i)
            for cut in atoms.cuts[i]:
                self._by_cut.setdefault(cut, set()).add(i)
        self._all = set(range(len(atoms)))
        self._memo: dict[tuple[str, dt.date], frozenset[int]] = {}
        self._stack: list[tuple[str, dt.date]] = []

    def _selector(self, sel: str, day: dt.date, where: str) -> set[int]:
        neg = sel.startswith("!")
        sel = sel[1:] if neg else sel
        kind, _, arg = sel.partition(":")
        if kind == "A0":
            found = self._by_adm0.get(arg)
        elif kind == "A1":
            found = self._by_code.get(arg)
        elif kind == "CUT":
            if arg not in self.ledger.cuts:
                raise LedgerError(f"{where}: unknown cut {arg!r}")
            found = self._by_cut.get(arg, set())
        elif kind == "U":
            found = set(self.unit_on(arg, day))
        elif kind == "UE":
            has = any(p.covers(day) for p in self.ledger.unit_periods(arg))
            if not has and not self.ledger.unit_periods(arg):
                raise LedgerError(f"{where}: unknown unit {arg!r}")
            found = set(self.unit_on(arg, day)) if has else set()
        else:
            raise LedgerError(f"{where}: unknown selector {sel!r}")
        if found is None:
            raise LedgerError(f"{where}: selector {sel!r} matches no atom")
        return self._all - found if neg else set(found)

    def evaluate(self, area: list[str], day: dt.date, where: str) -> frozenset[int]:
        """Atoms of an area expression on ``day``."""
        acc: set[int] = set()
        for term in area:
            sub = term.startswith("-")
            body = term[1:] if sub else term
            sets = [self._selector(s.strip(), day, where) for s in body.split("&")]
            hit = set.intersection(*sets)
            if sub:
                acc -= hit
            else:
                acc |= hit
        if not acc:
            raise LedgerError(f"{where}: area {area} is empty")
        return frozenset(acc)

    def period_on(self, unit: str, day: dt.date) -> Period:
        """The period of ``unit`` that covers ``day``."""
        for p in self.ledger.unit_periods(unit):
            if p.covers(day):
                return p
        raise LedgerError(f"unit {unit!r} has no period on {day}")

    def unit_on(self, unit: str, day: dt.date) -> frozenset[int]:
        """Atoms held by ``unit`` on ``day`` (memoised; detects cycles)."""
        key = (unit, day)
        if key in self._memo:
            return self._memo[key]
        if key in self._stack:
            raise LedgerError(f"circular U: reference through {unit} on {day}")
        self._stack.append(key)
        try:
            p = self.period_on(unit, day)
            atoms = self.evaluate(p.area, day, f"{p.layer}.yaml {unit} on {day}")
        finally:
            self._stack.pop()
        self._memo[key] = atoms
        return atoms
