"""Shared Streamlit plumbing for the atlas pages: cached data, filter widgets, URL state.

Everything that is not Streamlit lives in ``geo``; this module only reads widgets and the
address bar, calls ``geo`` and caches the results.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.assets import publish
from geo.borders import bundled_borders
from geo.cards import record_cards as geo_record_cards
from geo.dataset import bundled_dataset, source_ids  # noqa: F401  (app.py calls ui.source_ids)
from geo.flows import GROUPS, Filters, aggregate, destination_region, filter_records, largest
from geo.i18n import LANG_NAMES, LANGS, flow_labels, fmt_int, t, unit_label, value_label
from geo.mapview import flows_page
from geo.vocabulary import CATEGORIES

YEAR_MIN, YEAR_MAX = 1918, 1960
def max_flows() -> int:
    """Most arrows one map draws (``ATLAS_MAX_FLOWS``, 3,000): beyond it the largest are drawn and the page says so."""
    return int(os.environ.get("ATLAS_MAX_FLOWS", "3000"))
DEFAULT_YEARS = (1936, 1944)


@st.cache_resource(show_spinner="Reading the bundled records and borders…")
def dataset():
    return bundled_dataset()


@st.cache_resource(show_spinner=False)
def borders():
    return bundled_borders()


SHOW = ("both", "yours", "bundled")
_FILTER_KEYS = ("years", "nat", "cat", "origin", "dest", "group", "show", "lang")


def lang() -> str:
    """The interface language of this visitor: the address's ``lang`` on arrival, then the selector."""
    if "lang" not in st.session_state and "_lang" not in st.session_state:
        raw = st.query_params.get("lang", "en")
        if raw not in LANGS:
            st.session_state["lang_note"] = raw
            raw = "en"
        st.session_state["lang"] = raw
    if "lang" not in st.session_state:
        st.session_state["lang"] = st.session_state["_lang"]
    return st.session_state["lang"]


def language_selector() -> str:
    """The language selector at the top of the sidebar, kept in the address (``?lang=ru``)."""
    current = lang()
    chosen = st.sidebar.selectbox(t("lang.label", current), LANGS, key="lang", format_func=LANG_NAMES.get)
    st.session_state["_lang"] = chosen
    if st.session_state.get("lang_note"):
        st.warning(t("note.unknown_lang", chosen, value=repr(st.session_state["lang_note"])))
    if chosen == "en":
        st.query_params.pop("lang", None)
    elif st.query_params.get("lang") != chosen:
        st.query_params["lang"] = chosen
    return chosen


def mine() -> dict | None:
    """This visitor's imported records (``st.session_state`` only: never a shared cache)."""
    m = st.session_state.get("mine")
    return m if m and len(m["records"]) else None


def show_mode() -> str:
    return st.session_state.get("show", "both") if mine() else "bundled"


def active_borders():
    m = mine()
    return m["borders"] if m and m.get("borders") is not None and show_mode() == "yours" else borders()


def guard(need_records: bool = True) -> None:
    """Stop the page with a clear message when the bundled borders or records cannot be read.

    Other pages keep working: each page asks only for what it needs.
    """
    from geo.borders import BordersError
    from geo.dataset import DatasetError
    from geo.records import TableError

    L = lang()
    try:
        borders()
    except (BordersError, OSError, ValueError) as exc:
        st.error(t("fault.borders", L, reason=exc))
        st.stop()
    if need_records:
        try:
            dataset()
        except (DatasetError, TableError, BordersError, OSError, ValueError) as exc:
            st.error(t("fault.records", L, reason=exc))
            st.stop()


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
        notes.append(("note.unknown_values", {"name": name, "values": ", ".join(bad)}))
    return good


def _years_param(notes: list) -> tuple[int, int]:
    raw = st.query_params.get("years")
    if raw is None:
        return DEFAULT_YEARS
    y0d, y1d = DEFAULT_YEARS
    try:
        a, _, b = raw.partition("-")
        y0, y1 = int(a), int(b or a)
    except ValueError:
        notes.append(("note.years_bad", {"raw": repr(raw), "y0": y0d, "y1": y1d}))
        return DEFAULT_YEARS
    if not (YEAR_MIN <= y0 <= y1 <= YEAR_MAX):
        notes.append(("note.years_out", {"raw": raw, "lo": YEAR_MIN, "hi": YEAR_MAX, "y0": y0d, "y1": y1d}))
        return DEFAULT_YEARS
    return y0, y1


def sidebar_filters() -> tuple[Filters, str]:
    """Filter widgets, seeded from and written back to the address bar, labelled in the visitor's language."""
    notes: list = []
    ch = choices()
    L = language_selector()
    if "seeded" not in st.session_state:
        st.session_state["years"] = _years_param(notes)
        st.session_state["nat"] = _list_param("nat", ch["nat"], notes)
        st.session_state["cat"] = _list_param("cat", ch["cat"], notes)
        st.session_state["origin"] = _list_param("origin", ch["origin"], notes)
        st.session_state["dest"] = _list_param("dest", ch["dest"], notes)
        g = st.query_params.get("group", "place")
        if g not in GROUPS:
            notes.append(("note.unknown_group", {"value": repr(g)}))
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
            st.radio(t("filters.shown", L), SHOW, key="show", horizontal=True,
                     format_func=lambda v: t(f"shown.{v}", L), help=t("filters.shown_help", L))
        st.header(t("filters.header", L))
        y0, y1 = st.slider(t("filters.years", L), YEAR_MIN, YEAR_MAX, key="years")
        nat = st.multiselect(t("filters.nationality", L), ch["nat"], key="nat", placeholder=t("filters.all", L),
                             format_func=lambda v: value_label("nat", v, L))
        cat = st.multiselect(t("filters.category", L), ch["cat"], key="cat", placeholder=t("filters.all", L),
                             format_func=lambda v: value_label("cat", v, L))
        org = st.multiselect(t("filters.origin", L), ch["origin"], key="origin", placeholder=t("filters.all", L),
                             format_func=lambda v: unit_label(v, L))
        dst = st.multiselect(t("filters.destination", L), ch["dest"], key="dest", placeholder=t("filters.all", L),
                             format_func=lambda v: unit_label(v, L))
        group = st.radio(t("filters.group", L), GROUPS, key="group", horizontal=True,
                         format_func=lambda v: t(f"group.{v}", L), help=t("filters.group_help", L))
    for k in _FILTER_KEYS:
        if k in st.session_state:
            st.session_state[f"_{k}"] = st.session_state[k]
    for key, values in st.session_state.get("notes", []):
        st.warning(t(key, L, **values))
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


def record_cards(rec: pd.DataFrame, L: str = "en") -> dict[str, dict]:
    """Text shown when a flow is clicked (the one card builder, :func:`geo.cards.record_cards`)."""
    return geo_record_cards(rec, dataset().sources, L)


def static_assets() -> str:
    """Leaflet and the map scripts published into ``static/`` (served at ``/app/static/``): once per server
    start, and again only if the package's files change (their URLs carry a hash of their content)."""
    from geo.assets import STATIC_DIR

    return _published(tuple(sorted((p.name, p.stat().st_mtime_ns) for p in STATIC_DIR.iterdir())))


@st.cache_resource(show_spinner=False, max_entries=1)
def _published(stamp: tuple) -> str:
    return str(publish(Path(__file__).resolve().parent / "static"))


def map_year(f: Filters) -> int | None:
    """The year the map was stepped to, from the address (``?year=1941``), if it lies in the filters' years."""
    raw = st.query_params.get("year")
    try:
        y = int(raw) if raw is not None else None
    except ValueError:
        return None
    return y if y is not None and f.year_from <= y <= f.year_to else None


def map_html(f: Filters, group: str, view: str, shading: bool = False) -> str:
    """The flow map page (linked assets); from the shared cache only while it shows the bundled records."""
    L = lang()
    static_assets()
    left_out = largest(aggregate(filtered(f), group), max_flows())[1]
    if left_out:
        st.info(t("limit.flows", L, n=fmt_int(max_flows(), L), m=fmt_int(left_out, L)))
    year = map_year(f)
    if show_mode() == "bundled":
        return _bundled_map_html(f, group, view, shading, L, max_flows(), year)
    return flows_page(records(), active_borders(), f, group, view=view, lang=L, sources=dataset().sources, shading=shading,
                      limit=max_flows(), year=year, assets="linked", url_state=True)


@st.cache_data(show_spinner=False, max_entries=32)
def _bundled_map_html(f: Filters, group: str, view: str, shading: bool, L: str, limit: int, year: int | None) -> str:
    return flows_page(dataset().records, borders(), f, group, view=view, lang=L, sources=dataset().sources,
                      shading=shading, limit=limit, year=year, assets="linked", url_state=True)


def _relabel(flows: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    return flows.assign(origin=flows["origin"].map(lambda k: labels.get(k, k)),
                        destination=flows["destination"].map(lambda k: labels.get(k, k)))


def flows_table(f: Filters, group: str) -> pd.DataFrame:
    L = lang()
    rec = filtered(f)
    fl = _relabel(aggregate(rec, group), flow_labels(rec, group, L) if len(rec) else {})
    fl = fl.assign(category=fl["category"].map(lambda c: value_label("cat", c, L)))
    cols = ["origin", "destination", "dataset", "people", "low", "high", "records", "unknown", "category"]
    return fl[cols].rename(columns={c: t(f"col.{c}", L) for c in cols})


EXPORT_FORMATS = {"PNG image (1920×1080)": "png", "SVG (vector)": "svg", "PDF (print)": "pdf",
                  "HTML (interactive, offline)": "html", "GIF (one frame per year)": "gif"}
_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "html": "text/html", "gif": "image/gif"}


@st.cache_data(show_spinner=False, max_entries=16)
def _bundled_export(f: Filters, group: str, view: str, fmt: str, L: str, year: int | None, kazakhstan: bool) -> bytes:
    from geo.render import render_bytes

    return render_bytes(dataset().records, borders(), f, fmt, view=view, group=group, lang=L, year=year,
                        sources=dataset().sources, kazakhstan=kazakhstan)


# "Prepare the file" is a button that reads the year the map was stepped to from the address (the map
# writes it there without a rerun) and sends it with its click: one rerun, with the year
_PREPARE_JS = """
export default function(component) {
  const { data, setTriggerValue, parentElement } = component;
  let b = parentElement.querySelector('button');
  if (!b) { b = document.createElement('button'); b.type = 'button'; parentElement.appendChild(b); }
  b.textContent = data.label;
  b.onclick = () => {
    const y = new URL(window.location.href).searchParams.get('year');
    setTriggerValue('prepare', {year: y});
  };
}
"""
_PREPARE_CSS = """
button { font: inherit; font-size: 1rem; padding: 0.25rem 0.75rem; min-height: 2.5rem; margin-top: 1.75rem; cursor: pointer;
         border-radius: 0.5rem; border: 1px solid rgba(49, 51, 63, 0.2); background: var(--st-background-color, #fff);
         color: var(--st-text-color, #31333f); }
button:hover, button:focus-visible { border-color: var(--st-primary-color, #ff4b4b); color: var(--st-primary-color, #ff4b4b); }
"""


@st.cache_resource(show_spinner=False)
def _prepare_button():
    return st.components.v2.component("atlas_prepare_export", css=_PREPARE_CSS, js=_PREPARE_JS)


def export_panel(f: Filters, group: str, view: str, shading: bool = False) -> None:
    """Exports of the current view with its filters and the year stepped to in the map, made on request.

    ``shading``: the Kazakhstan page's map (as :func:`map_html`)."""
    from geo.mapview import map_title
    from geo.render import render_bytes

    L = lang()
    with st.expander(t("export.title", L)):
        c1, c2 = st.columns([3, 2])
        label = c1.selectbox(t("export.format", L), list(EXPORT_FORMATS), key="export_format")
        fmt = EXPORT_FORMATS[label]
        sig = (f, group, view, fmt, show_mode(), st.session_state.get("join_sig"), L, shading)
        with c2:
            res = _prepare_button()(key="export_go", data={"label": t("export.prepare", L)}, on_prepare_change=lambda: None)
        asked = getattr(res, "prepare", None)
        if asked is not None:
            raw = (asked or {}).get("year")
            year = int(raw) if raw and str(raw).isdigit() and f.year_from <= int(raw) <= f.year_to and fmt != "gif" else None
            with st.spinner(t("export.rendering", L)):
                data = (_bundled_export(f, group, view, fmt, L, year, shading) if show_mode() == "bundled" else
                        render_bytes(records(), active_borders(), f, fmt, view=view, group=group, lang=L, year=year,
                                     sources=dataset().sources, kazakhstan=shading))
            st.session_state["export"] = (sig, year, data)
        got = st.session_state.get("export")
        if got and got[0] == sig:
            _, year, data = got
            st.caption(t("export.shows", L, title=map_title(f, group, L, year)))
            when = year if year is not None else f"{f.year_from}-{f.year_to}"
            st.download_button(t("export.download", L, fmt=fmt.upper()), data, f"atlas-{when}-{view}.{fmt}", _MIME[fmt],
                               key="export_dl")
