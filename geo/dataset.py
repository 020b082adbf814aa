"""The bundled dataset: movement records, bibliography, totals and stories.

The records go through the same reader, schema mapping and time-aware join as a
researcher's own file (:mod:`geo.records`, :mod:`geo.join`); this module adds what only
the curated data has: the bibliography every ``source`` id must resolve in, the totals
every breakdown (``part_of``) is checked against, and the narrated stories.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from geo.borders import Borders, bundled_borders
from geo.dates import parse_count
from geo.gazetteer import Gazetteer, bundled_gazetteer
from geo.join import JoinResult, join_records
from geo.paths import MOVEMENTS_DIR, SHAPES_DIR
from geo.records import read_table, to_canonical

SOURCE_FIELDS = ("id", "author", "title", "year", "publisher", "url", "locator", "kind", "language", "read", "notes")
TOTAL_FIELDS = ("id", "label", "count", "count_low", "count_high", "unit", "date", "complete", "source", "notes")
STORY_FIELDS = ("id", "title", "date", "text", "citations")


class DatasetError(ValueError):
    """A bundled data file that is missing or does not have the documented shape."""


@dataclass
class Dataset:
    """Joined records plus the tables that give them their sources and checks."""

    joined: JoinResult
    sources: pd.DataFrame
    totals: pd.DataFrame
    stories: list[dict]

    @property
    def records(self) -> pd.DataFrame:
        return self.joined.accepted


def source_ids(cell: str) -> list[str]:
    """The source ids of a record's ``source`` cell (several are separated by ``;``)."""
    return [s.strip() for s in str(cell).split(";") if s.strip()]


def _read_csv(path: Path, fields: tuple[str, ...]) -> pd.DataFrame:
    if not path.exists():
        raise DatasetError(f"{path.name} is missing from {path.parent}")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [f for f in fields if f not in df.columns]
    if missing:
        raise DatasetError(f"{path.name} lacks the columns {missing}")
    if df["id"].duplicated().any():
        raise DatasetError(f"{path.name} repeats the ids {sorted(set(df.loc[df['id'].duplicated(), 'id']))}")
    return df


def load_sources(path: Path | None = None) -> pd.DataFrame:
    """The bibliography (``sources.csv``), one row per source id."""
    return _read_csv(Path(path or MOVEMENTS_DIR / "sources.csv"), SOURCE_FIELDS)


def load_totals(path: Path | None = None) -> pd.DataFrame:
    """Totals that breakdowns are checked against, with parsed best/low/high counts."""
    df = _read_csv(Path(path or MOVEMENTS_DIR / "totals.csv"), TOTAL_FIELDS)
    counts = [parse_count(c) for c in df["count"]]
    lows = [parse_count(c) for c in df["count_low"]]
    highs = [parse_count(c) for c in df["count_high"]]
    df["total_best"] = [c.best for c in counts]
    df["total_low"] = [lo.best if lo.best is not None else c.low for lo, c in zip(lows, counts)]
    df["total_high"] = [hi.best if hi.best is not None else c.high for hi, c in zip(highs, counts)]
    for col in ("total_best", "total_low", "total_high"):
        df[col] = pd.array(df[col], dtype="Float64")
    return df


def load_stories(folder: Path | None = None) -> list[dict]:
    """The narrated scenes (``stories/*.yaml``), in file-name order."""
    folder = Path(folder or MOVEMENTS_DIR / "stories")
    stories = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            story = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise DatasetError(f"{path.name} is not valid YAML: {exc}") from None
        if not isinstance(story, dict) or any(k not in story for k in STORY_FIELDS):
            raise DatasetError(f"{path.name} needs the keys {', '.join(STORY_FIELDS)}")
        story = {**story, "filters": story.get("filters") or {}, "view": story.get("view") or {}}
        stories.append(story)
    return stories


def load_dataset(folder: Path | None = None, borders: Borders | None = None,
                 gazetteer: Gazetteer | None = None) -> Dataset:
    """Read and join the movement records of ``folder`` (default: the bundled data)."""
    folder = Path(folder or MOVEMENTS_DIR)
    table = read_table(folder / "movements.csv")
    frame, _ = to_canonical(table.frame)
    joined = join_records(frame, borders or bundled_borders(), gazetteer or bundled_gazetteer())
    return Dataset(joined, load_sources(folder / "sources.csv"), load_totals(folder / "totals.csv"),
                   load_stories(folder / "stories"))


def _join_cache_path(folder: Path) -> Path | None:
    """Where the joined bundled records are kept between runs, keyed by every input of the join.

    The key hashes the bundled data files, the border layers and the code of ``geo``; the
    cache never holds user data. ``ATLAS_CACHE_DIR`` overrides the folder (``off`` disables it).
    """
    import hashlib
    import os

    root = os.environ.get("ATLAS_CACHE_DIR", str(Path.home() / ".cache" / "migration-atlas"))
    if root == "off":
        return None
    h = hashlib.sha256()
    inputs = [folder / "movements.csv", folder / "places.csv", *sorted(SHAPES_DIR.glob("*.geojson")),
              *sorted(Path(__file__).parent.glob("*.py"))]
    for f in inputs:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return Path(root) / f"bundled-join-{h.hexdigest()[:16]}"


def _cached_join(folder: Path) -> JoinResult:
    """The join of the bundled records, from the on-disk cache when its inputs are unchanged."""
    import os

    path = _join_cache_path(folder)
    if path is not None:
        try:
            return JoinResult(pd.read_parquet(path / "accepted.parquet"), pd.read_parquet(path / "rejected.parquet"))
        except Exception:  # missing or damaged: rebuilt below
            pass
    table = read_table(folder / "movements.csv")
    frame, _ = to_canonical(table.frame)
    joined = join_records(frame, bundled_borders(), bundled_gazetteer())
    if path is not None:
        try:
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.mkdir(parents=True, exist_ok=True)
            joined.accepted.to_parquet(tmp / "accepted.parquet", index=False)
            joined.rejected.to_parquet(tmp / "rejected.parquet", index=False)
            os.replace(tmp, path)  # atomic: readers see the whole folder or none
        except OSError:
            pass
    return joined


@lru_cache(maxsize=1)
def bundled_dataset() -> Dataset:
    """The bundled dataset, read and joined once per process (and cached on disk between runs)."""
    folder = MOVEMENTS_DIR
    return Dataset(_cached_join(folder), load_sources(folder / "sources.csv"), load_totals(folder / "totals.csv"),
                   load_stories(folder / "stories"))


def check_totals(records: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """Each total against the sum of the records that are ``part_of`` it.

    Columns: ``id``, ``parts``, ``parts_unknown`` (parts with no count), ``parts_sum``
    (sum of best counts), ``total_best``/``total_low``/``total_high``, ``complete`` and
    ``status``: ``ok`` when the parts stay within the total (and, for a total marked
    complete, reach its low bound), otherwise ``over`` or ``short``.
    """
    part = records[records["part_of"].astype(str) != ""]
    g = part.groupby("part_of")
    sums = g["count"].sum(min_count=1)
    n = g.size()
    unknown = g["count"].apply(lambda s: int(s.isna().sum()))
    out = totals[["id", "label", "total_best", "total_low", "total_high", "complete"]].copy()
    out["parts"] = out["id"].map(n).fillna(0).astype(int)
    out["parts_unknown"] = out["id"].map(unknown).fillna(0).astype(int)
    out["parts_sum"] = pd.array(out["id"].map(sums), dtype="Float64").fillna(0)
    high = out["total_high"].fillna(out["total_best"])
    low = out["total_low"].fillna(out["total_best"])
    over = (high.notna() & (out["parts_sum"] > high)).fillna(False).to_numpy(bool)
    short = ((out["complete"] == "yes") & low.notna() & (out["parts_sum"] < low)).fillna(False).to_numpy(bool)
    out["status"] = np.where(over, "over", np.where(short, "short", "ok"))
    return out


def summary(records: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Records and known people by category, nationality, decade and destination oblast."""
    df = records.assign(
        decade=(pd.to_datetime(records["date_from"]).dt.year // 10 * 10).astype("Int64").astype(str) + "s",
        destination_oblast=records["destination_kz_region"].replace("", "(not an oblast)"),
        nationality=records["nationality"].replace("", "(mixed or not given)"),
    )
    out = {}
    for col in ("category", "nationality", "decade", "destination_oblast"):
        t = df.groupby(col).agg(records=("id", "size"), with_count=("count", "count"),
                                people=("count", "sum")).reset_index()
        t["people"] = t["people"].round().astype("Int64")
        out[col] = t.sort_values(["records", col], ascending=[False, True]).reset_index(drop=True)
    return out


def problems(ds: Dataset) -> list[str]:
    """Everything that makes the bundled data fail its own standard, one line each."""
    out = [f"row {r.row}: rejected: {r.reason}" for r in ds.joined.rejected.itertuples()]
    rec = ds.records
    known = set(ds.sources["id"])
    for r in rec.itertuples():
        ids = source_ids(r.source)
        if not ids:
            out.append(f"{r.id}: no source")
        out += [f"{r.id}: source {s!r} not in sources.csv" for s in ids if s not in known]
        if r.part_of and r.part_of not in set(ds.totals["id"]):
            out.append(f"{r.id}: part_of {r.part_of!r} not in totals.csv")
        for end in ("origin", "destination"):
            if getattr(r, f"{end}_match") in ("unresolved", "ambiguous") or str(getattr(r, f"{end}_match")).startswith("fuzzy"):
                out.append(f"{r.id}: {end} {getattr(r, end)!r} is {getattr(r, f'{end}_match')}")
    for t in ds.totals.itertuples():
        out += [f"total {t.id}: source {s!r} not in sources.csv" for s in source_ids(t.source) if s not in known]
    for s in ds.stories:
        out += [f"story {s['id']}: citation {c!r} not in sources.csv" for c in s["citations"] if c not in known]
    bad = check_totals(rec, ds.totals)
    out += [f"total {b.id}: parts add to {b.parts_sum:,.0f}, {b.status} against {b.total_low}..{b.total_high} "
            f"(best {b.total_best})" for b in bad[bad["status"] != "ok"].itertuples()]
    return out
