"""The bundled dataset: movement records, bibliography, totals and stories.

The records go through the same reader, schema mapping and time-aware join as a
researcher's own file (:mod:`geo.records`, :mod:`geo.join`); this module adds what only
the curated data has: the bibliography every ``source`` id must resolve in, the totals
every breakdown (``part_of``) is checked against, and the narrated stories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from geo.borders import Borders, bundled_borders
from geo.dates import CountError, DateError, parse_count, parse_date
from geo.gazetteer import Gazetteer, bundled_gazetteer
from geo.join import JoinResult, join_records
from geo.paths import MOVEMENTS_DIR, SHAPES_DIR
from geo.records import read_table, to_canonical
from geo.textfiles import load_yaml

SOURCE_FIELDS = ("id", "author", "title", "year", "publisher", "url", "locator", "kind", "language", "read", "notes")
TOTAL_FIELDS = ("id", "label", "count", "count_low", "count_high", "unit", "date", "complete", "source", "notes")
STORY_FIELDS = ("id", "title", "date", "text", "citations")
EVENT_FIELDS = ("id", "date", "date_end", "kind", "title_en", "title_ru", "title_kk", "body", "number", "summary",
                "place", "source", "locator", "checked")
EVENT_KINDS = ("law", "decree", "order", "resolution", "institution", "aid", "operation")
REPRESSION_FIELDS = ("id", "event", "date", "date_end", "place", "nationality", "what", "count", "count_low",
                     "count_high", "source", "notes", "checked")
REPRESSION_WHAT = ("arrested", "sentenced", "shot", "sent_to_camp", "exiled", "handed_over", "released")
LIFE_FIELDS = ("id", "name", "title", "nationality", "category", "summary", "citations", "stations")
STATION_FIELDS = ("date", "place", "kind", "text", "source")
STATION_KINDS = ("arrival", "residence", "work", "study", "arrest", "prison", "trial", "camp", "exile",
                 "special_settlement", "deportation", "handover", "release", "evacuation", "return", "death")
#: Columns a place of an event, a repression figure or a life's station gets from the join.
PLACE_FIELDS = ("lat", "lon", "match", "place", "place_id", "polity", "republic", "autonomy", "kz_region", "note")


class DatasetError(ValueError):
    """A bundled data file that is missing or does not have the documented shape."""


@dataclass
class Dataset:
    """Joined records plus the tables that give them their sources and checks."""

    joined: JoinResult
    sources: pd.DataFrame
    totals: pd.DataFrame
    stories: list[dict]
    events: pd.DataFrame = field(default_factory=lambda: _empty(EVENT_FIELDS))
    repressions: pd.DataFrame = field(default_factory=lambda: _empty(REPRESSION_FIELDS))
    lives: list[dict] = field(default_factory=list)

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
            story = load_yaml(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise DatasetError(f"{path.name} is not valid YAML: {exc}") from None
        if not isinstance(story, dict) or any(k not in story for k in STORY_FIELDS):
            raise DatasetError(f"{path.name} needs the keys {', '.join(STORY_FIELDS)}")
        story = {**story, "filters": story.get("filters") or {}, "view": story.get("view") or {}}
        stories.append(story)
    return stories


def _empty(fields: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({f: pd.Series(dtype=object) for f in fields})


def _dates(df: pd.DataFrame, what: str) -> pd.DataFrame:
    """``date_from``/``date_to`` of each row (its ``date``, or ``date``..``date_end``); a bad date is a DatasetError."""
    starts, ends = [], []
    for r in df.itertuples():
        try:
            d = parse_date(r.date)
            e = parse_date(r.date_end) if str(getattr(r, "date_end", "") or "").strip() else None
        except DateError as exc:
            raise DatasetError(f"{what} {r.id}: {exc}") from None
        starts.append(d.start)
        ends.append(e.end if e is not None else d.end)
    return df.assign(date_from=pd.Series(starts, index=df.index, dtype=object),
                     date_to=pd.Series(ends, index=df.index, dtype=object))


def load_events(path: Path | None = None) -> pd.DataFrame:
    """The policy timeline (``events.csv``) with parsed ``date_from``/``date_to``; empty when the file is absent."""
    path = Path(path or MOVEMENTS_DIR / "events.csv")
    if not path.exists():
        return _empty(EVENT_FIELDS)
    return _dates(_read_csv(path, EVENT_FIELDS), "event")


def load_repressions(path: Path | None = None) -> pd.DataFrame:
    """Figures of repression (``repressions.csv``), long format, with parsed dates and ``best``/``low``/``high``."""
    path = Path(path or MOVEMENTS_DIR / "repressions.csv")
    if not path.exists():
        return _empty(REPRESSION_FIELDS)
    df = _dates(_read_csv(path, REPRESSION_FIELDS), "repression figure")
    best, low, high, approx = [], [], [], []
    for r in df.itertuples():
        try:
            c, lo, hi = parse_count(r.count), parse_count(r.count_low), parse_count(r.count_high)
        except CountError as exc:
            raise DatasetError(f"repression figure {r.id}: {exc}") from None
        best.append(c.best)
        low.append(lo.best if lo.best is not None else c.low)
        high.append(hi.best if hi.best is not None else c.high)
        approx.append(bool(c.approximate))
    return df.assign(best=pd.array(best, dtype="Float64"), low=pd.array(low, dtype="Float64"),
                     high=pd.array(high, dtype="Float64"), approximate=approx)


def load_lives(folder: Path | None = None) -> list[dict]:
    """The lives (``lives/*.yaml``), in file-name order; each station gets ``date_from``/``date_to``."""
    folder = Path(folder or MOVEMENTS_DIR / "lives")
    lives = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            life = load_yaml(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise DatasetError(f"{path.name} is not valid YAML: {exc}") from None
        if not isinstance(life, dict) or any(k not in life for k in LIFE_FIELDS):
            raise DatasetError(f"{path.name} needs the keys {', '.join(LIFE_FIELDS)}")
        stations = life["stations"]
        if not isinstance(stations, list) or not stations or not all(isinstance(s, dict) for s in stations):
            raise DatasetError(f"{path.name}: stations must be a list of mappings")
        out = []
        for k, st in enumerate(stations, 1):
            missing = [f for f in STATION_FIELDS if not str(st.get(f) or "").strip()]
            if missing:
                raise DatasetError(f"{path.name}: station {k} lacks {', '.join(missing)}")
            try:
                d = parse_date(str(st["date"]))
                e = parse_date(str(st["date_end"])) if str(st.get("date_end") or "").strip() else None
            except DateError as exc:
                raise DatasetError(f"{path.name}: station {k}: {exc}") from None
            out.append({**{f: str(st.get(f) or "") for f in (*STATION_FIELDS, "date_end", "locator")},
                        "date_from": d.start, "date_to": e.end if e else d.end})
        lives.append({**life, "citations": list(life.get("citations") or []), "records": list(life.get("records") or []),
                      "stations": out})
    return lives


def join_places(names: list[str], dates: list[str], borders: Borders, gazetteer: Gazetteer) -> pd.DataFrame:
    """Where named places lay on their dates, through the same join as the records.

    Each name becomes a one-place record (origin and destination the same), so an event's
    or a station's place is resolved by exactly the rules a movement's ends are. Returns
    one row per name with :data:`PLACE_FIELDS`.
    """
    if not names:
        return _empty(PLACE_FIELDS)
    frame = pd.DataFrame({"id": [f"p{k}" for k in range(len(names))], "origin": names, "destination": names,
                          "date": dates})
    joined = join_records(frame, borders, gazetteer)
    out = pd.DataFrame({f: joined.accepted[f"origin_{f}"] for f in PLACE_FIELDS})
    out.index = joined.accepted["id"].to_numpy()
    for r in joined.rejected.itertuples():  # a bad date: reported by the loader already; keep the row unplaced
        out.loc[r.id] = {f: ("unresolved" if f == "match" else "") for f in PLACE_FIELDS}
    return out.loc[frame["id"]].reset_index(drop=True)


def _place_events(events: pd.DataFrame, borders: Borders, gazetteer: Gazetteer) -> pd.DataFrame:
    """Events and repression figures with ``place_*`` columns where a place is given."""
    out = events.copy()
    for f in PLACE_FIELDS:
        out[f"place_{f}"] = pd.Series("", index=out.index, dtype=object)
    has = out["place"].astype(str).str.strip() != ""
    if has.any():
        where = join_places(out.loc[has, "place"].tolist(), out.loc[has, "date"].tolist(), borders, gazetteer)
        for f in PLACE_FIELDS:
            out.loc[has, f"place_{f}"] = where[f].to_numpy(object)
    return out


def _place_lives(lives: list[dict], borders: Borders, gazetteer: Gazetteer) -> list[dict]:
    """Each life's stations with the place of their date (``lat``, ``lon``, ``polity`` ...)."""
    stations = [(i, k) for i, life in enumerate(lives) for k in range(len(life["stations"]))]
    if not stations:
        return lives
    where = join_places([lives[i]["stations"][k]["place"] for i, k in stations],
                        [lives[i]["stations"][k]["date"] for i, k in stations], borders, gazetteer)
    out = [{**life, "stations": [dict(s) for s in life["stations"]]} for life in lives]
    for (i, k), row in zip(stations, where.to_dict("records")):
        out[i]["stations"][k].update({f"place_{f}": v for f, v in row.items()})
    return out


def load_dataset(folder: Path | None = None, borders: Borders | None = None,
                 gazetteer: Gazetteer | None = None) -> Dataset:
    """Read and join the movement records of ``folder`` (default: the bundled data)."""
    folder = Path(folder or MOVEMENTS_DIR)
    borders, gazetteer = borders or bundled_borders(), gazetteer or bundled_gazetteer()
    table = read_table(folder / "movements.csv")
    frame, _ = to_canonical(table.frame)
    joined = join_records(frame, borders, gazetteer)
    return _with_timeline(Dataset(joined, load_sources(folder / "sources.csv"), load_totals(folder / "totals.csv"),
                                  load_stories(folder / "stories")), folder, borders, gazetteer)


def _with_timeline(ds: Dataset, folder: Path, borders: Borders, gazetteer: Gazetteer) -> Dataset:
    """The dataset with its events, repression figures and lives, their places joined."""
    ds.events = _place_events(load_events(folder / "events.csv"), borders, gazetteer)
    ds.repressions = _place_events(load_repressions(folder / "repressions.csv"), borders, gazetteer)
    ds.lives = _place_lives(load_lives(folder / "lives"), borders, gazetteer)
    return ds


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
              *sorted(Path(__file__).parent.rglob("*.py")),  # geo/gazetteer/ is a package: rglob, not glob
              *sorted((Path(__file__).parent.parent / "data" / "gazetteer").glob("*.csv"))]
    for f in inputs:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return Path(root) / f"bundled-join-{h.hexdigest()[:16]}"


def _cached_join(folder: Path) -> JoinResult:
    """The join of the bundled records, from the on-disk cache when its inputs are unchanged."""
    import os

    import pyarrow as pa

    path = _join_cache_path(folder)
    cached = None
    if path is not None and (path / "accepted.parquet").exists():
        try:
            cached = JoinResult(pd.read_parquet(path / "accepted.parquet"), pd.read_parquet(path / "rejected.parquet"))
        except (OSError, ValueError, pa.ArrowException):  # damaged: rebuilt below
            cached = None
    if cached is not None:
        return cached
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
    ds = Dataset(_cached_join(folder), load_sources(folder / "sources.csv"), load_totals(folder / "totals.csv"),
                 load_stories(folder / "stories"))
    return _cached_timeline(ds, folder)


def _cached_timeline(ds: Dataset, folder: Path) -> Dataset:
    """The dataset with its events, repression figures and lives, their places from the on-disk cache when the
    inputs are unchanged, so that a server's first visitor does not wait for the gazetteer to load.

    The cache is a pickle the atlas writes itself into its own cache folder (``ATLAS_CACHE_DIR``), keyed by a hash
    of every input (the join's, plus events.csv, repressions.csv and lives/); it never holds a visitor's data.
    """
    import hashlib
    import os
    import pickle

    base = _join_cache_path(folder)
    path = None
    if base is not None:
        h = hashlib.sha256(base.name.encode())
        for f in [folder / "events.csv", folder / "repressions.csv", *sorted((folder / "lives").glob("*.yaml"))]:
            if f.exists():
                h.update(f.name.encode())
                h.update(f.read_bytes())
        path = base.with_name(f"bundled-timeline-{h.hexdigest()[:16]}.pickle")
        try:
            ds.events, ds.repressions, ds.lives = pickle.loads(path.read_bytes())
            return ds
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):  # missing or damaged: rebuilt
            pass
    ds = _with_timeline(ds, folder, bundled_borders(), bundled_gazetteer())
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps((ds.events, ds.repressions, ds.lives)))
            os.replace(tmp, path)
        except OSError:
            pass
    return ds


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
    """Records and known people by category, nationality, decade and destination oblast.

    ``people`` sums the counts the maps draw: persons only (never families or households) and no details
    (``detail_of``), whose people another record carries; ``with_count`` counts every record with a figure.
    """
    from geo.flows import drawn, in_persons

    summed = (drawn(records) & in_persons(records)).to_numpy()
    df = records.assign(
        people_counted=records["count"].astype("Float64").where(summed, pd.NA),
        decade=(pd.to_datetime(records["date_from"]).dt.year // 10 * 10).astype("Int64").astype(str) + "s",
        destination_oblast=records["destination_kz_region"].replace("", "(not an oblast)"),
        nationality=records["nationality"].replace("", "(mixed or not given)"),
    )
    out = {}
    for col in ("category", "nationality", "decade", "destination_oblast"):
        t = df.groupby(col).agg(records=("id", "size"), with_count=("count", "count"),
                                people=("people_counted", "sum")).reset_index()
        t["people"] = t["people"].round().astype("Int64")
        out[col] = t.sort_values(["records", col], ascending=[False, True]).reset_index(drop=True)
    out["category_by_decade"] = pd.crosstab(df["category"], df["decade"], margins=True, margins_name="all")
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
    out += detail_problems(rec, ds.totals)
    bad = check_totals(rec, ds.totals)
    out += [f"total {b.id}: parts add to {b.parts_sum:,.0f}, {b.status} against {b.total_low}..{b.total_high} "
            f"(best {b.total_best})" for b in bad[bad["status"] != "ok"].itertuples()]
    for r in rec.itertuples():
        if any(w in str(r.warnings) for w in ("count_low is above count_high", "count is outside count_low..count_high")):
            out.append(f"{r.id}: count outside its bounds (low <= best <= high fails)")
    out += event_problems(ds.events, known)
    out += repression_problems(ds.repressions, set(ds.events["id"]), known)
    out += life_problems(ds.lives, known, set(rec["id"]))
    return out


def detail_problems(records: pd.DataFrame, totals: pd.DataFrame) -> list[str]:
    """Every ``detail_of`` names an existing record of the same category (not itself a detail), or a total of
    ``totals.csv`` whose drawn parts are all of that category.

    The join already clears a ``detail_of`` that names nothing of its file (with a warning): such a row is
    reported here from its warning, since the bundled data must have none.
    """
    out = [f"{r.id}: {w.strip()}" for r in records.itertuples() for w in str(r.warnings).split(";")
           if w.strip().startswith("detail_of ")]
    if "detail_of" not in records:
        return out
    by_id = records.set_index(records["id"].astype(str))
    known_totals = set(totals["id"])
    for r in records[records["detail_of"].astype(str) != ""].itertuples():
        parent = str(r.detail_of)
        if parent in by_id.index:
            p = by_id.loc[parent]
            if p["category"] != r.category:
                out.append(f"{r.id}: detail_of {parent!r} is a {p['category']} record, this is {r.category}")
            if str(p["detail_of"]):
                out.append(f"{r.id}: detail_of {parent!r} is itself a detail")
        elif parent in known_totals:
            parts = records[records["part_of"].astype(str) == parent]
            if parts.empty:
                out.append(f"{r.id}: detail_of the total {parent!r}, which has no parts to draw")
            elif set(parts["category"]) != {r.category} or (parts["detail_of"].astype(str) != "").any():
                out.append(f"{r.id}: detail_of the total {parent!r}, whose parts are not all drawn {r.category} records")
        else:
            out.append(f"{r.id}: detail_of {parent!r} is neither a record nor a total")
    return out


def _place_problem(what: str, name: str, match: str) -> list[str]:
    if match in ("unresolved", "ambiguous") or str(match).startswith("fuzzy"):
        return [f"{what}: place {name!r} is {match}"]
    return []


def event_problems(events: pd.DataFrame, known_sources: set[str]) -> list[str]:
    """Every event has a known kind, three titles, a summary, a cited source with a locator and a resolvable place."""
    out = []
    for r in events.itertuples():
        what = f"event {r.id}"
        if r.kind not in EVENT_KINDS:
            out.append(f"{what}: kind {r.kind!r} is not one of {', '.join(EVENT_KINDS)}")
        out += [f"{what}: no {c}" for c in ("title_en", "title_ru", "title_kk", "summary", "locator")
                if not str(getattr(r, c)).strip()]
        out += _sources_problems(what, r.source, known_sources)
        if r.date_to < r.date_from:
            out.append(f"{what}: date_end is before date")
        if str(r.place).strip():
            out += _place_problem(what, r.place, r.place_match)
    return out


def repression_problems(rep: pd.DataFrame, event_ids: set[str], known_sources: set[str]) -> list[str]:
    """Every figure belongs to a known event, says what it counts, has a count within its bounds and a source."""
    out = []
    for r in rep.itertuples():
        what = f"repression figure {r.id}"
        if r.event not in event_ids:
            out.append(f"{what}: event {r.event!r} not in events.csv")
        if r.what not in REPRESSION_WHAT:
            out.append(f"{what}: what {r.what!r} is not one of {', '.join(REPRESSION_WHAT)}")
        if pd.isna(r.best) and pd.isna(r.low):
            out.append(f"{what}: no figure")
        lo = r.low if pd.notna(r.low) else r.best
        hi = r.high if pd.notna(r.high) else r.best
        if pd.notna(lo) and pd.notna(hi) and not (lo <= hi and (pd.isna(r.best) or lo <= r.best <= hi)):
            out.append(f"{what}: low <= best <= high fails ({r.low}, {r.best}, {r.high})")
        out += _sources_problems(what, r.source, known_sources)
        out += _place_problem(what, r.place, r.place_match)
    return out


def life_problems(lives: list[dict], known_sources: set[str], record_ids: set[str]) -> list[str]:
    """Every life is cited, its stations are in date order, cited, of a known kind, and their places resolve."""
    from geo.vocabulary import CATEGORIES

    out = []
    for life in lives:
        what = f"life {life['id']}"
        if life["category"] not in CATEGORIES:
            out.append(f"{what}: category {life['category']!r} is not in the vocabulary")
        if not life["citations"]:
            out.append(f"{what}: no citations")
        out += [f"{what}: citation {c!r} not in sources.csv" for c in life["citations"] if c not in known_sources]
        out += [f"{what}: record {r!r} not in movements.csv" for r in life["records"] if r not in record_ids]
        prev = None
        for k, st in enumerate(life["stations"], 1):
            here = f"{what} station {k}"
            if st["kind"] not in STATION_KINDS:
                out.append(f"{here}: kind {st['kind']!r} is not one of {', '.join(STATION_KINDS)}")
            out += _sources_problems(here, st["source"], known_sources)
            if prev is not None and st["date_from"] < prev:
                out.append(f"{here}: dated {st['date']}, before the station above it")
            prev = st["date_from"]
            out += _place_problem(here, st["place"], st.get("place_match", "unresolved"))
    return out


def _sources_problems(what: str, cell: str, known: set[str]) -> list[str]:
    ids = source_ids(cell)
    if not ids:
        return [f"{what}: no source"]
    return [f"{what}: source {s!r} not in sources.csv" for s in ids if s not in known]
