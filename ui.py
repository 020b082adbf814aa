"""Shared Streamlit plumbing for the atlas pages: cached data, filter widgets, URL state.

Everything that is not Streamlit lives in ``geo``; this module only reads widgets and the
address bar, calls ``geo`` and caches the results.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from geo.borders import bundled_borders
from geo.dataset import bundled_dataset, source_ids
from geo.flows import GROUPS, Filters, aggregate, destination_region, filter_records, flows_by_year
from geo.mapview import flow_map_html
from geo.vocabulary import CATEGORIES

YEAR_MIN, YEAR_MAX = 1918, 1960
DEFAULT_YEARS = (1936, 1944)


@st.cache_resource(show_spinner="Reading the bundled records and borders…")
def dataset():
    return bundled_dataset()


@st.cache_resource(show_spinner=False)
def borders():
    return bundled_borders()


def records() -> pd.DataFrame:
    return dataset().records


@st.cache_data(show_spinner=False)
def choices() -> dict[str, list[str]]:
    r = records()
    return {
        "nat": sorted(v for v in r["nationality"].unique() if v),
        "cat": [c for c in CATEGORIES if c in set(r["category"])],
        "origin": sorted(set(r["origin_polity"].astype(str).str.split(" → ").str[0]) - {""}),
        "dest": sorted(set(destination_region(r)) - {""}),
    }


def _list_param(name: str, allowed: list[str], notes: list[str]) -> list[str]:
    raw = st.query_params.get_all(name)
    good = [v for v in raw if v in allowed]
    bad = [v for v in raw if v not in allowed]
    if bad:
        notes.append(f"Unknown {name} in the address ignored: {', '.join(bad)}.")
    return good


def _years_param(notes: list[str]) -> tuple[int, int]:
    raw = st.query_params.get("years")
    if raw is None:
        return DEFAULT_YEARS
    try:
        a, _, b = raw.partition("-")
        y0, y1 = int(a), int(b or a)
    except ValueError:
        notes.append(f"The years in the address ({raw!r}) are not like 1936-1944; showing {DEFAULT_YEARS[0]}-{DEFAULT_YEARS[1]}.")
        return DEFAULT_YEARS
    if not (YEAR_MIN <= y0 <= y1 <= YEAR_MAX):
        notes.append(f"The atlas covers {YEAR_MIN}-{YEAR_MAX}; {raw} is outside it, showing {DEFAULT_YEARS[0]}-{DEFAULT_YEARS[1]}.")
        return DEFAULT_YEARS
    return y0, y1


def sidebar_filters() -> tuple[Filters, str]:
    """Filter widgets, seeded from and written back to the address bar."""
    notes: list[str] = []
    ch = choices()
    if "seeded" not in st.session_state:
        st.session_state["years"] = _years_param(notes)
        st.session_state["nat"] = _list_param("nat", ch["nat"], notes)
        st.session_state["cat"] = _list_param("cat", ch["cat"], notes)
        st.session_state["origin"] = _list_param("origin", ch["origin"], notes)
        st.session_state["dest"] = _list_param("dest", ch["dest"], notes)
        g = st.query_params.get("group", "place")
        if g not in GROUPS:
            notes.append(f"Unknown grouping {g!r} in the address; grouping by place.")
            g = "place"
        st.session_state["group"] = g
        st.session_state["seeded"] = True
        st.session_state["notes"] = notes
    with st.sidebar:
        st.header("Filters")
        y0, y1 = st.slider("Years", YEAR_MIN, YEAR_MAX, key="years")
        nat = st.multiselect("Nationality", ch["nat"], key="nat", placeholder="all")
        cat = st.multiselect("Category", [c for c in ch["cat"]], key="cat", placeholder="all",
                             format_func=lambda c: c.replace("_", " "))
        org = st.multiselect("Origin polity (as on the date)", ch["origin"], key="origin", placeholder="all")
        dst = st.multiselect("Destination region", ch["dest"], key="dest", placeholder="all")
        group = st.radio("Group flows by", GROUPS, key="group", horizontal=True,
                         help="place: towns and regions as written; polity: the republic or state of the date; "
                              "oblast: Kazakh oblasts of the date (other ends by place)")
    for n in st.session_state.get("notes", []):
        st.warning(n)
    qp = {"years": f"{y0}-{y1}", "group": group, "nat": nat, "cat": cat, "origin": org, "dest": dst}
    for k, v in qp.items():
        if v in ([], ""):
            if k in st.query_params:
                del st.query_params[k]
        elif st.query_params.get_all(k) != (v if isinstance(v, list) else [v]):
            st.query_params[k] = v
    return Filters(y0, y1, tuple(nat), tuple(cat), tuple(org), tuple(dst)), group


@st.cache_data(show_spinner=False, max_entries=64)
def filtered(f: Filters) -> pd.DataFrame:
    return filter_records(records(), f)


def record_cards(rec: pd.DataFrame) -> dict[str, dict]:
    """Text shown when a flow is clicked: date, count with its uncertainty, sources."""
    titles = dataset().sources.set_index("id")
    out = {}
    for r in rec.itertuples():
        if pd.notna(r.count):
            count = f"{'~' if r.count_approximate else ''}{r.count:,.0f} {r.unit or 'persons'}"
        elif pd.notna(r.count_low):
            count = f"at least {r.count_low:,.0f}" if pd.isna(r.count_high) or r.count_high == r.count_low else ""
        else:
            count = "count unknown"
        if pd.notna(r.count_low) and pd.notna(r.count_high) and r.count_high > r.count_low:
            count += f" (sources: {r.count_low:,.0f}–{r.count_high:,.0f})"
        date = r.date + (f" – {r.date_end}" if r.date_end else "") + f" ({r.date_precision}{', uncertain' if r.date_uncertain else ''})"
        srcs = []
        for s in source_ids(r.source):
            if s in titles.index:
                t = titles.loc[s]
                srcs.append(f"{t.author}, {t.title} ({t.year}), {t.locator}")
        out[r.id] = {"date": date, "count": count.strip() or "range only", "what": f"{r.nationality or 'mixed'} · {r.category.replace('_', ' ')}",
                     "route": f"{r.origin} → {r.destination}", "sources": srcs, "notes": r.notes}
    return out


@st.cache_data(show_spinner="Drawing the map…", max_entries=32)
def map_html(f: Filters, group: str, view: str, choropleth: tuple | None = None) -> str:
    rec = filtered(f)
    years = range(f.year_from, f.year_to + 1)
    return flow_map_html(borders(), flows_by_year(rec, years, group), record_cards(rec),
                         first=dt.date(f.year_from, 1, 1), last=dt.date(min(f.year_to, 1950), 12, 31),
                         all_years=aggregate(rec, group), view=view, choropleth=dict(choropleth) if choropleth else None,
                         title=f"Flows {f.year_from}-{f.year_to}, grouped by {group}")


@st.cache_data(show_spinner=False, max_entries=64)
def flows_table(f: Filters, group: str) -> pd.DataFrame:
    fl = aggregate(filtered(f), group)
    return fl[["origin", "destination", "people", "low", "high", "records", "unknown", "category"]].rename(
        columns={"people": "people (known counts)", "unknown": "records without a count"})
