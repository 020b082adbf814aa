"""Flows: joined movement records filtered, grouped and summed into arrows.

Records on one route and of one category are summed into one flow (deportees and evacuees on
the same route are two arrows). Known counts are added; records with no
count are counted apart (``unknown``) and never turned into a number. Ends can be
grouped by place, by the polity of the record's date, or by Kazakh oblast (the way
FlowmapBlue clusters locations), so "Ukrainian SSR → Kazakh SSR, 1936" can be one arrow
and the same records can be opened up into towns and oblasts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import geopandas as gpd

GROUPS = ("place", "polity", "oblast")
ENDS = ("origin", "destination")

#: How far a flow's curve bends to the left of its route: the control point of the quadratic
#: curve lies this share of the route's length from its middle (the maps draw the same curve).
BEND = 0.2


@dataclass(frozen=True)
class Filters:
    """What a view shows: a year range and optional value lists (empty means all)."""

    year_from: int = 1918
    year_to: int = 1960
    nationalities: tuple[str, ...] = field(default_factory=tuple)
    categories: tuple[str, ...] = field(default_factory=tuple)
    origin_polities: tuple[str, ...] = field(default_factory=tuple)
    destination_regions: tuple[str, ...] = field(default_factory=tuple)


def years_of(records: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """First and last calendar year each record covers (its date range, or its date)."""
    first = pd.to_datetime(records["date_from"]).dt.year.to_numpy()
    last = pd.to_datetime(records["date_to"]).dt.year.to_numpy()
    return first, last


def _first_name(values: pd.Series) -> pd.Series:
    """For a span such as "Poland → USSR", the name at the start of the record's dates."""
    return values.astype(str).str.split(" → ").str[0]


def _republic(records: pd.DataFrame, end: str) -> pd.Series:
    """The autonomous republic of the date where there is one (Kazakh ASSR in 1936), else the union
    republic, else the polity."""
    aut = _first_name(records[f"{end}_autonomy"])
    rep = _first_name(records[f"{end}_republic"])
    pol = _first_name(records[f"{end}_polity"])
    return aut.where(aut != "", rep.where(rep != "", pol))


def destination_region(records: pd.DataFrame) -> pd.Series:
    """The destination as a lecturer names it: the Kazakh oblast, else the republic, else the polity."""
    kz = _first_name(records["destination_kz_region"])
    out = kz.where(kz != "", _republic(records, "destination"))
    return out.where(out != "", records["destination_place"].astype(str))


#: The republic of Kazakhstan under its names of the period (the autonomy inside the RSFSR until December 1936).
KAZAKH_UNITS = ("Kazakh SSR", "Kazakh ASSR", "Kirghiz ASSR")


def touches_kazakhstan(records: pd.DataFrame) -> pd.Series:
    """Records with an end in Kazakhstan on their date (an oblast of it, or the republic as a whole)."""
    out = pd.Series(False, index=records.index)
    for end in ENDS:
        kz = records.get(f"{end}_kz_region", pd.Series("", index=records.index)).fillna("").astype(str) != ""
        out |= kz | _republic(records, end).isin(KAZAKH_UNITS)
    return out


def filter_records(records: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Records whose dates overlap the year range and whose values pass the filters."""
    first, last = years_of(records)
    keep = (first <= f.year_to) & (last >= f.year_from)
    if f.nationalities:
        keep &= records["nationality"].isin(f.nationalities).to_numpy()
    if f.categories:
        keep &= records["category"].isin(f.categories).to_numpy()
    if f.origin_polities:
        keep &= _first_name(records["origin_polity"]).isin(f.origin_polities).to_numpy()
    if f.destination_regions:
        keep &= destination_region(records).isin(f.destination_regions).to_numpy()
    return records[keep]


def _ends(records: pd.DataFrame, end: str, group: str) -> pd.DataFrame:
    """Key, label and point of one end of every record under ``group``."""
    lat = records[f"{end}_lat"].astype(float).to_numpy()
    lon = records[f"{end}_lon"].astype(float).to_numpy()
    place = records[f"{end}_place"].astype(str)
    if group == "place":
        key = place
    elif group == "polity":
        key = _republic(records, end).where(lambda s: s != "", place)
    elif group == "oblast":
        key = destination_region(records) if end == "destination" else place
    else:
        raise ValueError(f"group must be one of {GROUPS}, not {group!r}")
    df = pd.DataFrame({"key": key.to_numpy(), "lat": lat, "lon": lon}, index=records.index)
    if group != "place":  # a group is drawn at the mean of its members' points
        df[["lat", "lon"]] = df.groupby("key")[["lat", "lon"]].transform("mean")
    return df


def drawn(records: pd.DataFrame) -> pd.Series:
    """Records the maps draw: all but the details (``detail_of``), whose people another record carries.

    A detail gives, from another source, a finer account (an oblast, a person, an origin) of people its
    parent record already carries; it is listed in the parent's record card, never drawn nor summed.
    """
    if "detail_of" not in records:
        return pd.Series(True, index=records.index)
    return records["detail_of"].fillna("").astype(str).str.strip() == ""


def in_persons(records: pd.DataFrame) -> pd.Series:
    """Records whose count is of persons (``unit`` empty or persons): only these are ever summed as people.

    A count of families or households (or of a unit the vocabulary does not know) is kept as written in
    cards and tables and drawn as "count in persons unknown".
    """
    from geo.vocabulary import unit

    if "unit" not in records:
        return pd.Series(True, index=records.index)
    return records["unit"].map(lambda u: unit(u) == "persons").astype(bool)


def other_unit_text(records: pd.DataFrame, lang: str = "en") -> pd.Series:
    """Per record, its count in a unit other than persons as written (``~300 families``, ``≤ 280 households``), else ""."""
    from geo.cards import count_text

    other = ~in_persons(records)
    out = pd.Series("", index=records.index, dtype=object)
    for i in records.index[other.to_numpy()]:
        r = records.loc[i]
        has = any(pd.notna(r.get(c)) for c in ("count", "count_low", "count_high"))
        if has:
            approx = r.get("count_approximate")
            out[i] = count_text(r.get("count"), r.get("count_low"), r.get("count_high"),
                                bool(approx) if approx is not None and not pd.isna(approx) else False, lang,
                                unit=str(r.get("unit") or ""))
    return out


def people_total(records: pd.DataFrame) -> float:
    """The people with a known count among ``records`` as the maps draw them: persons only, details left out."""
    keep = (drawn(records) & in_persons(records)).to_numpy()
    return float(records.loc[keep, "count"].astype("Float64").fillna(0).sum())


FLOW_COLUMNS = ["origin", "destination", "dataset", "category", "origin_lat", "origin_lon", "destination_lat",
                "destination_lon", "people", "drawn", "low", "high", "approximate", "at_least", "records", "unknown",
                "categories", "ids", "other_units", "other_unit_records"]


#: Columns :func:`geo.areas.placed` adds to records and :func:`aggregate` carries to flows.
AREA_COLUMNS = ["origin_area", "destination_area", "origin_grouped", "destination_grouped"]


def aggregate(records: pd.DataFrame, group: str = "place", lang: str = "en") -> pd.DataFrame:
    """One row per route **and category**: different kinds of movement are never summed into one arrow.

    Details (``detail_of``, see :func:`drawn`) are left out: their parent carries their people. A
    count that is not of persons (families, households: see :func:`in_persons`) adds nothing to the
    widths or sums: the record counts as one with no figure in persons (``unknown``, a dashed arrow
    when no other record gives one), and its count is kept as written in ``other_units`` (in ``lang``).

    Columns: ``origin``, ``destination``, ``dataset`` (``bundled`` unless the records carry a
    ``dataset`` column: a user's records get their own arrows), ``category``, the ends'
    ``*_lat``/``*_lon``, ``people`` (sum of the known best counts), ``drawn`` (what the width shows:
    the best count, else the midpoint of a record's low-high range, else its lower bound),
    ``low``/``high`` (sums of the bounds, a record's best standing in for a missing bound),
    ``approximate`` (a source gives one of the counts as approximate, "~"), ``at_least`` (a record
    gives only a lower bound, "more than": ``high`` then holds that bound), ``records``,
    ``unknown`` (records with no figure at all), ``categories`` (the one category, as a list, for
    older callers), ``ids`` and ``other_unit_records`` (of the ``unknown``, those that do give a count, in
    families or households: a tooltip says so rather than "without a count"). Sorted by ``drawn``, largest first.
    """
    records = records[drawn(records).to_numpy()]
    if records.empty:
        return pd.DataFrame(columns=FLOW_COLUMNS)
    o, d = _ends(records, "origin", group), _ends(records, "destination", group)
    persons = in_persons(records).to_numpy()
    # a count of families or households is no figure in persons: never summed, never a width
    best = records["count"].astype("Float64").mask(~persons)
    lo = records["count_low"].astype("Float64").mask(~persons)
    hi = records["count_high"].astype("Float64").mask(~persons)
    other = other_unit_text(records, lang)
    # a record with no best figure is drawn at the middle of its range, or at its lower bound ("more than")
    figure = best.fillna((lo + hi) / 2).fillna(lo)
    approx = (records["count_approximate"].fillna(False).astype(bool) & persons) if "count_approximate" in records else False
    df = pd.DataFrame({
        "origin": o["key"], "destination": d["key"],
        "origin_lat": o["lat"], "origin_lon": o["lon"], "destination_lat": d["lat"], "destination_lon": d["lon"],
        "people": best.fillna(0).astype(float),
        "drawn": figure.fillna(0).astype(float),
        "low": lo.fillna(best).fillna(0).astype(float),
        "high": hi.fillna(best).fillna(lo).fillna(0).astype(float),
        "approximate": approx,
        "at_least": (best.isna() & lo.notna() & hi.isna()).fillna(False).astype(bool),
        "unknown": figure.isna().astype(int),
        "category": records["category"].astype(str),
        "id": records["id"].astype(str),
        "other_units": other.to_numpy(object),
        "other_unit_records": (other != "").to_numpy(int),
        # records from different datasets (the bundled data, a user's file) never share an arrow
        "dataset": records["dataset"].astype(str) if "dataset" in records else "bundled",
    })
    areas = [c for c in AREA_COLUMNS if c in records]  # geo.areas.placed: what each end is drawn to
    for c in areas:
        df[c] = records[c] if c.endswith("_grouped") else records[c].astype(str)
    placed = df[["origin_lat", "origin_lon", "destination_lat", "destination_lon"]].notna().all(axis=1)
    df = df[placed & (df["origin"] != df["destination"])]  # an end with no place cannot be drawn
    if df.empty:
        return pd.DataFrame(columns=FLOW_COLUMNS)
    keys = ["origin", "destination", "dataset", "category"]
    out = df.groupby(keys, sort=False).agg(
        origin_lat=("origin_lat", "first"), origin_lon=("origin_lon", "first"),
        destination_lat=("destination_lat", "first"), destination_lon=("destination_lon", "first"),
        people=("people", "sum"), drawn=("drawn", "sum"), low=("low", "sum"), high=("high", "sum"),
        approximate=("approximate", "any"), at_least=("at_least", "any"), records=("id", "size"), unknown=("unknown", "sum"),
        ids=("id", lambda s: list(s)), other_units=("other_units", lambda s: "; ".join(v for v in s if v)),
        other_unit_records=("other_unit_records", "sum"), **{c: (c, "first") for c in areas}).reset_index()
    out["categories"] = out["category"].map(lambda c: [c])
    return out[FLOW_COLUMNS + areas].sort_values(["drawn", "records"], ascending=False).reset_index(drop=True)


def flows_by_year(records: pd.DataFrame, years: range, group: str) -> dict[int, pd.DataFrame]:
    """The flows active in each year: a record spanning 1925-1932 appears in each of those years."""
    first, last = years_of(records)
    return {y: aggregate(records[(first <= y) & (last >= y)], group) for y in years}


def curve_coords(start: np.ndarray, end: np.ndarray, points: int = 25) -> np.ndarray:
    """Vertices of the curved arrow of each route: a quadratic curve bending to the left.

    Parameters
    ----------
    start, end : numpy.ndarray
        ``(n, 2)`` longitude/latitude of the routes' origins and destinations.
    points : int
        Vertices per curve (at least 2; 2 gives the straight line).

    Returns
    -------
    numpy.ndarray
        ``(n, points, 2)``: from each origin to its destination, through the control point
        :data:`BEND` times the route's length to the left of its middle.
    """
    a, b = np.asarray(start, dtype=float).reshape(-1, 2), np.asarray(end, dtype=float).reshape(-1, 2)
    d = b - a
    control = (a + b) / 2 + BEND * np.column_stack([-d[:, 1], d[:, 0]])
    t = np.linspace(0.0, 1.0, max(points, 2))[None, :, None]
    return (1 - t) ** 2 * a[:, None, :] + 2 * (1 - t) * t * control[:, None, :] + t ** 2 * b[:, None, :]


def flow_lines(flows: pd.DataFrame, curved: bool = True, points: int = 25) -> gpd.GeoDataFrame:
    """Flows as a GeoDataFrame of lines with their totals.

    Parameters
    ----------
    flows : pandas.DataFrame
        The output of :func:`aggregate` (or :func:`flows_by_year`'s tables): one row per
        route with ``origin_lon``, ``origin_lat``, ``destination_lon``, ``destination_lat``
        and its totals (``people``, ``low``, ``high``, ``records``, ``unknown`` ...).
    curved : bool
        Curved lines as the maps draw them (:func:`curve_coords`), or straight ones.
    points : int
        Vertices of a curved line.

    Returns
    -------
    geopandas.GeoDataFrame
        ``flows`` with every column kept and a LineString ``geometry`` from origin to
        destination, EPSG:4326.

    Examples
    --------
    >>> lines = flow_lines(aggregate(records, "oblast"))         # doctest: +SKIP
    >>> lines.explore(column="category", tiles=None)             # doctest: +SKIP
    """
    from geo.frames import lines_frame

    start = flows[["origin_lon", "origin_lat"]].to_numpy(dtype=float)
    end = flows[["destination_lon", "destination_lat"]].to_numpy(dtype=float)
    coords = curve_coords(start, end, points if curved else 2)
    return lines_frame(flows, list(coords))


def flows_geojson(flows: pd.DataFrame) -> dict:
    """Flows as a GeoJSON FeatureCollection of straight LineStrings (the map draws them curved)."""
    import shapely

    cols = [c for c in ("origin", "destination", "dataset", "category", "people", "drawn", "low", "high", "approximate",
                        "at_least", "records", "unknown", "ids") if c in flows.columns]
    lines = flow_lines(flows, curved=False)[[*cols, "geometry"]]
    lines["geometry"] = shapely.transform(lines.geometry.to_numpy(), lambda c: np.round(c, 4))
    if "ids" in lines:
        lines["ids"] = lines["ids"].map(list)
    return lines.to_geo_dict(drop_id=True)


def oblast_arrivals(records: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Arrivals per Kazakh oblast: known people, records and records without a count.

    Only records whose destination lies in one oblast for the whole of their dates are
    counted; republic-level records ("Kazakh SSR") are reported apart, never spread.
    ``people`` sums the counts the map draws (persons, no details); ``records`` and ``unknown``
    (no figure in persons) count the drawn records. Details (``detail_of``: the same people as a
    republic-level record, by another source) are listed apart, never added: ``detail_records``
    and ``details`` (their counts as written). ``other_units`` keeps counts of families or
    households as written.
    """
    from geo.cards import count_text

    kz = records["destination_kz_region"].astype(str)
    one = records[(kz != "") & ~kz.str.contains(" → ")]
    cols = ["oblast", "people", "records", "unknown", "other_units", "detail_records", "details"]
    if one.empty:
        return pd.DataFrame(columns=cols)
    is_drawn, persons = drawn(one), in_persons(one)
    count = one["count"].astype("Float64")
    other = other_unit_text(one, lang)

    def detail_text(r) -> str:
        approx = r.get("count_approximate")
        return count_text(r.get("count"), r.get("count_low"), r.get("count_high"),
                          bool(approx) if approx is not None and not pd.isna(approx) else False, lang,
                          unit=str(r.get("unit") or ""))

    rows = []
    for oblast, idx in one.groupby("destination_kz_region").groups.items():
        d, p = is_drawn.loc[idx], persons.loc[idx]
        det = one.loc[idx][~d.to_numpy()]
        rows.append({"oblast": oblast, "people": float(count.loc[idx][(d & p).to_numpy()].fillna(0).sum()),
                     "records": int(d.sum()), "unknown": int((d & (~p | count.loc[idx].isna())).sum()),
                     "other_units": "; ".join(v for v in other.loc[idx][d.to_numpy()] if v),
                     "detail_records": len(det), "details": "; ".join(detail_text(r) for _, r in det.iterrows())})
    t = pd.DataFrame(rows, columns=cols)
    return t.sort_values(["people", "detail_records"], ascending=False, ignore_index=True)


def largest(flows: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, int]:
    """At most ``limit`` flows, the largest first (by the drawn figure, then records), and how many were left out."""
    if limit <= 0 or len(flows) <= limit:
        return flows, 0
    kept = flows.sort_values(["drawn", "records"], ascending=False).head(limit)
    return kept, len(flows) - limit



def beyond_oblasts(records: pd.DataFrame) -> pd.DataFrame:
    """Records bound for Kazakhstan that no single oblast receives (the complement of :func:`oblast_arrivals`).

    Either the source names only the republic, or the oblast holding the destination changed during the
    record's dates (``destination_kz_region`` is a span "A → B"). Together with the records counted by
    :func:`oblast_arrivals` this is every record whose destination lies in Kazakhstan: none is in both, none
    in neither.
    """
    kz = records["destination_kz_region"].astype(str)
    republic = _republic(records, "destination").astype(str)
    in_kazakhstan = (kz != "") | republic.str.startswith("Kazakh ") | (records["destination_place_id"].astype(str) == "KAZ")
    return records[in_kazakhstan & ((kz == "") | kz.str.contains(" → "))]
