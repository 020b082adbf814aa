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


SHOW = ("both", "yours", "bundled")
_FILTER_KEYS = ("years", "nat", "cat", "origin", "dest", "group", "show")


def mine() -> dict | None:
    """This visitor's imported records (``st.session_state`` only: never a shared cache)."""
    m = st.session_state.get("mine")
    return m if m and len(m["records"]) else None


def show_mode() -> str:
    return st.session_state.get("show", "both") if mine() else "bundled"


def active_borders():
    m = mine()
    return m["borders"] if m and m.get("borders") is not None and show_mode() == "yours" else borders()


def records() -> pd.DataFrame:
    """The records the pages show: the bundled ones, this visitor's, or both (told apart by ``dataset``)."""
    m, mode = mine(), show_mode()
    if m is None or mode == "bundled":
        return dataset().records
    if mode == "yours":
        return m["records"]
    return pd.concat([dataset().records.assign(dataset="bundled"), m["records"]], ignore_index=True)


@st.cache_data(show_spinner=False)
def _bundled_choices() -> dict[str, list[str]]:
    return _choices(dataset().records)


def choices() -> dict[str, list[str]]:
    """Filter options: the bundled values, plus this visitor's (computed apart, never cached across sessions)."""
    base = _bundled_choices()
    m = mine()
    if m is None:
        return base
    extra = _choices(m["records"])
    return {k: sorted(set(base[k]) | set(extra[k])) if k != "cat" else
            [c for c in CATEGORIES if c in set(base[k]) | set(extra[k])] for k in base}


def _choices(r: pd.DataFrame) -> dict[str, list[str]]:
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
    # Streamlit forgets a widget's state when another page runs; keep the values under our own keys
    for k in _FILTER_KEYS:
        if k not in st.session_state and f"_{k}" in st.session_state:
            st.session_state[k] = st.session_state[f"_{k}"]
    with st.sidebar:
        if mine():
            st.radio("Records shown", SHOW, key="show", horizontal=True,
                     format_func={"both": "both", "yours": "yours only", "bundled": "bundled only"}.get,
                     help="Your imported records stay in this browser session only.")
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
    for k in _FILTER_KEYS:
        if k in st.session_state:
            st.session_state[f"_{k}"] = st.session_state[k]
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
def _bundled_filtered(f: Filters) -> pd.DataFrame:
    return filter_records(dataset().records, f)


def filtered(f: Filters) -> pd.DataFrame:
    """Records passing the filters; cached only while they are the bundled ones."""
    return _bundled_filtered(f) if show_mode() == "bundled" else filter_records(records(), f)


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
        if getattr(r, "dataset", "bundled") != "bundled":  # a user's own record: their source as written
            srcs = [f"source: {r.source}" if r.source else "no source given"] + (
                [f"archive: {r.archival_ref}"] if r.archival_ref else [])
        out[r.id] = {"date": date, "count": count.strip() or "range only", "what": f"{r.nationality or 'mixed'} · {r.category.replace('_', ' ')}",
                     "route": f"{r.origin} → {r.destination}", "sources": srcs, "notes": r.notes}
    return out


def map_html(f: Filters, group: str, view: str, choropleth: tuple | None = None) -> str:
    """The flow map page; from the shared cache only while it shows the bundled records."""
    if show_mode() == "bundled":
        return _bundled_map_html(f, group, view, choropleth)
    return _map_html(filtered(f), active_borders(), f, group, view, choropleth)


@st.cache_data(show_spinner="Drawing the map…", max_entries=32)
def _bundled_map_html(f: Filters, group: str, view: str, choropleth: tuple | None = None) -> str:
    return _map_html(filtered(f), borders(), f, group, view, choropleth)


def _map_html(rec: pd.DataFrame, b, f: Filters, group: str, view: str, choropleth: tuple | None) -> str:
    years = range(f.year_from, f.year_to + 1)
    return flow_map_html(b, flows_by_year(rec, years, group), record_cards(rec),
                         first=dt.date(f.year_from, 1, 1), last=dt.date(min(f.year_to, 1950), 12, 31),
                         all_years=aggregate(rec, group), view=view, choropleth=dict(choropleth) if choropleth else None,
                         title=f"Flows {f.year_from}-{f.year_to}, grouped by {group}")


def flows_table(f: Filters, group: str) -> pd.DataFrame:
    fl = aggregate(filtered(f), group)
    return fl[["origin", "destination", "dataset", "people", "low", "high", "records", "unknown", "category"]].rename(
        columns={"people": "people (known counts)", "unknown": "records without a count"})


EXPORT_FORMATS = {"PNG image (1920×1080)": "png", "SVG (vector)": "svg", "PDF (print)": "pdf",
                  "HTML (interactive, offline)": "html", "GIF (one frame per year)": "gif"}
_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "html": "text/html", "gif": "image/gif"}


@st.cache_data(show_spinner=False, max_entries=16)
def _bundled_export(f: Filters, group: str, view: str, fmt: str) -> bytes:
    from geo.render import render_bytes

    return render_bytes(dataset().records, borders(), f, fmt, view=view, group=group)


def export_panel(f: Filters, group: str, view: str) -> None:
    """Static and interactive exports of the current view, made on request (never on every rerun)."""
    from geo.render import render_bytes

    with st.expander("Export this map for slides or print"):
        c1, c2 = st.columns([3, 2])
        label = c1.selectbox("Format", list(EXPORT_FORMATS), key="export_format")
        fmt = EXPORT_FORMATS[label]
        sig = (f, group, view, fmt, show_mode(), st.session_state.get("join_sig"))
        if c2.button("Prepare the file", key="export_go"):
            with st.spinner("Rendering…"):
                data = (_bundled_export(f, group, view, fmt) if show_mode() == "bundled" else
                        render_bytes(records(), active_borders(), f, fmt, view=view, group=group))
            st.session_state["export"] = (sig, data)
        got = st.session_state.get("export")
        if got and got[0] == sig:
            st.download_button(f"Download {fmt.upper()}", got[1], f"atlas-{f.year_from}-{f.year_to}-{view}.{fmt}",
                               _MIME[fmt], key="export_dl")
