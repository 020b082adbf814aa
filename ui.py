"""Shared Streamlit plumbing for the atlas pages: cached data, filter widgets, URL state.

Everything that is not Streamlit lives in ``geo``; this module only reads widgets and the
address bar, calls ``geo`` and caches the results.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.assets import publish
from geo.borders import Borders, bundled_borders
from geo.cards import record_cards as geo_record_cards
from geo.dataset import bundled_dataset, source_ids
from geo.flows import GROUPS, Filters, aggregate, destination_region, filter_records, largest, people_total
from geo.i18n import LANG_NAMES, LANGS, catalog, flow_labels, fmt_int, place_label, t, unit_label, value_label
from geo.mapview import VIEW_NAMES, compare_page, flows_page
from geo.vocabulary import CATEGORIES

YEAR_MIN, YEAR_MAX = 1918, 1960
def upload_mb() -> int:
    """Largest file a visitor may upload, in MB (``ATLAS_MAX_UPLOAD_MB``, 50): one figure for every uploader and label."""
    return max(1, int(float(os.environ.get("ATLAS_MAX_UPLOAD_MB", "50"))))


def upload_limit_text(L: str) -> str:
    """The upload limit as the labels state it (the uploaders' own line says the same, see :func:`style`)."""
    return fmt_int(upload_mb(), L)


def max_rows() -> int:
    """Most rows of an uploaded file (``ATLAS_MAX_ROWS``, 1,000,000)."""
    from geo.records import MAX_ROWS

    return int(os.environ.get("ATLAS_MAX_ROWS", str(MAX_ROWS)))


def max_flows() -> int:
    """Most arrows one map draws (``ATLAS_MAX_FLOWS``, 3,000): beyond it the largest are drawn and the page says so."""
    return int(os.environ.get("ATLAS_MAX_FLOWS", "3000"))
DEFAULT_YEARS = (1936, 1944)


@st.cache_resource(show_spinner=False)
def dataset():
    import gc

    ds = bundled_dataset()
    # The bundled data, borders and gazetteer live as long as the server: move them out of the garbage
    # collector's reach, so that its passes stay short while many visitors' runs allocate and free.
    gc.freeze()
    return ds


@st.cache_resource(show_spinner=False)
def idle_trimmer():
    """One per server: at most two allocator arenas for the script threads, and the heap given back to the
    system 30 s after the last script run (:mod:`geo.memory`)."""
    from geo.memory import IdleTrimmer, limit_arenas

    limit_arenas(2)
    return IdleTrimmer(idle_s=30.0)


@st.cache_resource(show_spinner=False)
def borders():
    return bundled_borders()


SHOW = ("both", "yours", "bundled")
VIEWS = VIEW_NAMES  # "fit" (to the drawn flows) first: the default

# ---- one state, carried everywhere ----------------------------------------------------------------------
# What a visitor chose follows them across pages and reloads. The address is its written form: read on
# the first run of a session (a reload or a shared link starts one) and rewritten on every run of every
# page, so it always says what is shown. Within a session the state lives under "atlas" in
# st.session_state; widgets are only its editors (Streamlit forgets a widget's value on another page).
#: The chosen things and their defaults.
STATE_DEFAULTS: dict[str, object] = {"lang": "en", "years": DEFAULT_YEARS, "nat": [], "cat": [], "origin": [],
                                     "dest": [], "group": "place", "view": "fit"}
LIST_KEYS = ("nat", "cat", "origin", "dest")


def state_from_address(params: dict[str, list[str]]) -> tuple[dict, list[tuple[str, dict]]]:
    """The visitor's state as an address writes it, and a note for every value that was not understood.

    ``params`` maps a parameter to all its values (``{"nat": ["Korean"], "years": ["1937-1937"]}``).
    Lists of values (nationalities, ...) are checked later against what the records hold.
    """
    state = {k: (list(v) if isinstance(v, list) else v) for k, v in STATE_DEFAULTS.items()}
    notes: list[tuple[str, dict]] = []
    first = {k: v[-1] for k, v in params.items() if v}
    if "lang" in first:
        if first["lang"] in LANGS:
            state["lang"] = first["lang"]
        else:
            notes.append(("note.unknown_lang", {"value": repr(first["lang"])}))
    if "years" in first:
        state["years"], note = _years_from_text(first["years"])
        notes += note
    for k, allowed, note_key in (("group", GROUPS, "note.unknown_group"), ("view", VIEWS, "note.unknown_view")):
        if k in first:
            if first[k] in allowed:
                state[k] = first[k]
            else:
                notes.append((note_key, {"value": repr(first[k])}))
    for k in LIST_KEYS:
        state[k] = [v for v in params.get(k, []) if v]
    return state, notes


def _years_from_text(raw: str) -> tuple[tuple[int, int], list[tuple[str, dict]]]:
    y0d, y1d = DEFAULT_YEARS
    try:
        a, _, b = raw.partition("-")
        y0, y1 = int(a), int(b or a)
    except ValueError:
        return DEFAULT_YEARS, [("note.years_bad", {"raw": repr(raw), "y0": y0d, "y1": y1d})]
    if not (YEAR_MIN <= y0 <= y1 <= YEAR_MAX):
        return DEFAULT_YEARS, [("note.years_out", {"raw": raw, "lo": YEAR_MIN, "hi": YEAR_MAX, "y0": y0d, "y1": y1d})]
    return (y0, y1), []


def address_of(state: dict) -> dict[str, str | list[str]]:
    """The parameters that write ``state`` (defaults left out, except the years a link should always carry)."""
    out: dict[str, str | list[str]] = {"years": f"{state['years'][0]}-{state['years'][1]}"}
    for k in ("lang", "group", "view"):
        if state[k] != STATE_DEFAULTS[k]:
            out[k] = str(state[k])
    for k in LIST_KEYS:
        if state[k]:
            out[k] = list(state[k])
    return out


def state() -> dict:
    """This visitor's state (seeded from the address on the first run of the session)."""
    S = st.session_state
    if "atlas" not in S:
        S["atlas"], S["atlas_notes"] = state_from_address({k: st.query_params.get_all(k) for k in st.query_params})
    return S["atlas"]


def write_address() -> None:
    """Rewrite the address from the state; parameters of one page (``date``, ``scene``) are left alone."""
    want = address_of(state())
    for k in STATE_DEFAULTS:
        if k not in want:
            if k in st.query_params:
                del st.query_params[k]
        elif st.query_params.get_all(k) != (want[k] if isinstance(want[k], list) else [want[k]]):
            st.query_params[k] = want[k]


def _page() -> str:
    """The page this run draws (Streamlit's id for it)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx else ""


def _seed(key: str) -> None:
    """Give a widget the state's value when Streamlit has forgotten it (first run, or another page ran).

    On the first run of a page the value is set even if the key is still there: it belongs to the previous
    page's widget, which the new page's widget (another element) would not adopt.
    """
    S = st.session_state
    seen = S.setdefault("atlas_seen", {})
    if key not in S or seen.get(key) != _page():
        v = state()[key]
        S[key] = list(v) if isinstance(v, list) else v
    seen[key] = _page()


def enter(page: str) -> None:
    """Called by the entry script once the page is known: a note about the address lasts for its page only."""
    S = st.session_state
    state()
    if S.get("atlas_page") not in (None, page):
        S["atlas_notes"] = []
    S["atlas_page"] = page
    write_address()


def show_notes(notes: list | None = None) -> None:
    """The notes about values in the address that were not understood, in the visitor's language."""
    L = lang()
    for key, values in (st.session_state.get("atlas_notes", []) if notes is None else notes):
        st.warning(t(key, L, **values))


def lang() -> str:
    """The interface language of this visitor: the address's ``lang`` on arrival, then the selector."""
    current = st.session_state.get("lang")
    if current in LANGS:  # the selector's value of this run (it is drawn on every page)
        state()["lang"] = current
    return state()["lang"]


def language_selector() -> str:
    """The language selector in the sidebar (drawn by the entry script on every page), kept in the address."""
    _seed("lang")
    current = lang()
    st.sidebar.selectbox(t("lang.label", current), LANGS, key="lang", format_func=LANG_NAMES.get)
    return lang()


def view_selector() -> str:
    """The map view (Europe, USSR, Kazakhstan), part of the state."""
    L = lang()
    _seed("view")
    view = st.sidebar.radio(t("view.label", L), VIEWS, key="view", horizontal=True, format_func=lambda v: t(f"view.{v}", L))
    state()["view"] = view
    write_address()
    return view


#: The atlas's own layout: a compact header so that a map starts above the fold on a laptop (1366x768),
#: and nothing wider than a phone's screen (390 px). Streamlit's test ids are its stable hooks.
_CSS = """
[data-testid="stMainBlockContainer"] {padding-top: 2.2rem; padding-bottom: 2rem}
header[data-testid="stHeader"], header[data-testid="stHeader"] * {background: transparent !important;
  pointer-events: none !important}
header[data-testid="stHeader"] button, header[data-testid="stHeader"] a {pointer-events: auto !important}
[data-testid="stMainBlockContainer"] h1 {font-size: 1.75rem; padding: 0 0 .25rem 0}
[data-testid="stMainBlockContainer"] h2, [data-testid="stMainBlockContainer"] h3 {font-size: 1.3rem; padding: .4rem 0 .2rem}
[data-testid="stMetric"] {padding: 0}
[data-testid="stMetricValue"] {font-size: 1.5rem}
[data-testid="stMetricLabel"] p {font-size: .85rem}
[data-testid="stStatusWidget"] button {display: none}
[data-testid="stMainBlockContainer"] iframe {max-width: 100%}
[data-testid="stCaptionContainer"] {opacity: 1 !important}  /* a caption in full colour: 0.6 of it fails contrast */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color: #55575f !important}
[data-testid="stMarkdownPre"] pre {white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {padding-left: .6rem; padding-right: .6rem; padding-top: 3.6rem}
  [data-testid="stMainBlockContainer"] h1 {font-size: 1.35rem}
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) {flex-wrap: wrap; flex-direction: row; gap: .5rem}
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) > div {min-width: calc(50% - .5rem);
    width: calc(50% - .5rem); flex: 1 1 calc(50% - .5rem)}
  [data-testid="stMetricValue"] {font-size: 1.2rem}
}
"""


def _css_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def style() -> None:
    """The atlas's layout rules (one style sheet for every page), and the file uploaders' own words in the
    visitor's language: Streamlit writes "Upload" and "200MB per file" in English only, so its text is
    hidden and the atlas's shown in its place (the same limit the labels state)."""
    L = lang()
    uploader = f"""
[data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: {_css_text(t("upload.limit", L, mb=upload_limit_text(L)))};
  font-size: .875rem}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{font-size: 0}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: {_css_text(t("upload.button", L))};
  font-size: .875rem}}
"""
    st.html(f"<style>{_CSS}{uploader}</style>")


def table(df: pd.DataFrame, L: str, **kw) -> None:
    """A table with its column headings in the visitor's language (``col.NAME``); the data as it is."""
    known = catalog("en")
    config = {c: st.column_config.Column(t(f"col.{c}", L)) for c in df.columns if f"col.{c}" in known}
    st.dataframe(df, hide_index=True, width="stretch", column_config={**config, **kw.pop("column_config", {})}, **kw)


def mine() -> dict | None:
    """This visitor's imported records (``st.session_state`` only: never a shared cache)."""
    m = st.session_state.get("mine")
    return m if m and len(m["records"]) else None


def show_mode() -> str:
    """Which records the pages show: ``both``, ``yours`` or ``bundled`` (kept for the session, not the address)."""
    S = st.session_state
    return S.get("show", S.get("atlas_show", "both")) if mine() else "bundled"


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
        with st.spinner(t("app.loading", L)):  # the first visitor after a start waits for the caches
            borders()
    except (BordersError, OSError, ValueError) as exc:
        st.error(t("fault.borders", L, reason=exc))
        st.stop()
    if need_records:
        try:
            with st.spinner(t("app.loading", L)):
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
    out = {k: sorted(set(base[k]) | set(extra[k])) if k != "cat" else
           [c for c in CATEGORIES if c in set(base[k]) | set(extra[k])] for k in LIST_KEYS}
    return {**out, "places": {**extra["places"], **base["places"]}}


def _choices(r: pd.DataFrame) -> dict:
    dest = destination_region(r)
    by_place = dest == r["destination_place"].astype(str)  # beyond the border layers: a place stands for its region
    return {
        "nat": sorted(v for v in r["nationality"].unique() if v),
        "cat": [c for c in CATEGORIES if c in set(r["category"])],
        "origin": sorted(set(r["origin_polity"].astype(str).str.split(" → ").str[0]) - {""}),
        "dest": sorted(set(dest) - {""}),
        "places": dict(zip(dest[by_place], r.loc[by_place, "destination_place_id"].astype(str))),
    }


def region_label(value: str, L: str, places: dict[str, str]) -> str:
    """A destination region in ``L``: a unit of the border layers, or a place standing for one ("Spain (ES)")."""
    return place_label(places[value], value, None, L) if value in places else unit_label(value, L)


def sidebar_filters(*, grouping: bool = True) -> tuple[Filters, str]:
    """Filter widgets in the sidebar, seeded from and written back to the state (and so to the address)."""
    S, st_, L = st.session_state, state(), lang()
    ch = choices()
    fresh = []
    for k in LIST_KEYS:  # values the records do not hold (a mistyped link) are dropped with a note
        bad = [v for v in st_[k] if v not in ch[k]]
        if bad:
            fresh.append(("note.unknown_values", {"name": k, "values": ", ".join(bad)}))
            st_[k] = [v for v in st_[k] if v in ch[k]]
            S.pop(k, None)
    S.setdefault("atlas_notes", []).extend(fresh)
    for k in ("years", *LIST_KEYS, "group"):
        _seed(k)
    with st.sidebar:
        if mine():
            S.setdefault("show", S.get("atlas_show", "both"))
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
                             format_func=lambda v: region_label(v, L, ch["places"]))
        group = (st.radio(t("filters.group", L), GROUPS, key="group", horizontal=True,
                          format_func=lambda v: t(f"group.{v}", L), help=t("filters.group_help", L))
                 if grouping else st_["group"])
    st_.update(years=(y0, y1), nat=list(nat), cat=list(cat), origin=list(org), dest=list(dst), group=group)
    if "show" in S:
        S["atlas_show"] = S["show"]
    show_notes(fresh)
    write_address()
    return Filters(y0, y1, tuple(nat), tuple(cat), tuple(org), tuple(dst)), group


def set_years(y0: int, y1: int) -> None:
    """Move the year range (the Import page opens on the years of the imported records)."""
    y0, y1 = max(YEAR_MIN, min(y0, YEAR_MAX)), max(YEAR_MIN, min(y1, YEAR_MAX))
    state()["years"] = (y0, y1)
    st.session_state["years"] = (y0, y1)
    write_address()


@st.cache_data(show_spinner=False, max_entries=64)
def _bundled_filtered(f: Filters) -> pd.DataFrame:
    return filter_records(dataset().records, f)


def metrics(f: Filters) -> tuple[int, float, int, int]:
    """Records, people with a known count, records without one, and sources of the view (shared for bundled data)."""
    return _bundled_metrics(f) if show_mode() == "bundled" else _metrics(filtered(f))


@st.cache_data(show_spinner=False, max_entries=64)
def _bundled_metrics(f: Filters) -> tuple[int, float, int, int]:
    return _metrics(filtered(f))


def _metrics(rec: pd.DataFrame) -> tuple[int, float, int, int]:
    known = rec["count"].notna()
    # people: persons only, and no detail (detail_of) beside the record that carries its people (geo.flows)
    return (len(rec), people_total(rec), int((~known).sum()),
            len({s for cell in rec["source"] for s in source_ids(cell)}))


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
    left_out = (_bundled_left_out(f, group, max_flows()) if show_mode() == "bundled"
                else largest(aggregate(filtered(f), group), max_flows())[1])
    if left_out:
        st.info(t("limit.flows", L, n=fmt_int(max_flows(), L), m=fmt_int(left_out, L)))
    year = map_year(f)
    if show_mode() == "bundled":
        return _bundled_map_html(f, group, view, shading, L, max_flows(), year)
    return flows_page(records(), active_borders(), f, group, view=view, lang=L, sources=dataset().sources, shading=shading,
                      limit=max_flows(), year=year, assets="linked", url_state=True)


@st.cache_data(show_spinner=False, max_entries=64)
def _bundled_left_out(f: Filters, group: str, limit: int) -> int:
    """How many flows of the bundled view the map leaves out (beyond ``limit``), computed once per view."""
    return largest(aggregate(filtered(f), group), limit)[1]


@st.cache_data(show_spinner=False, max_entries=32)
def _bundled_map_html(f: Filters, group: str, view: str, shading: bool, L: str, limit: int, year: int | None) -> str:
    return flows_page(dataset().records, borders(), f, group, view=view, lang=L, sources=dataset().sources,
                      shading=shading, limit=limit, year=year, assets="linked", url_state=True)


#: The two dates compared by default: the invasion of Poland and the German invasion of the USSR.
COMPARE_DEFAULT = (dt.date(1939, 9, 1), dt.date(1941, 6, 22))


def compare_from_address(raw: str | None) -> tuple[tuple[dt.date, dt.date] | None, str | None]:
    """The two days of ``?compare=1939-09-01~1941-06-22`` (None when absent), and a note when not understood."""
    if not raw:
        return None, None
    try:
        a, _, b = raw.partition("~")
        days = (dt.date.fromisoformat(a), dt.date.fromisoformat(b))
    except ValueError:
        return COMPARE_DEFAULT, t("compare.bad", lang(), raw=repr(raw))
    if not all(dt.date(YEAR_MIN, 1, 1) <= d <= dt.date(YEAR_MAX, 12, 31) for d in days):
        return COMPARE_DEFAULT, t("compare.bad", lang(), raw=repr(raw))
    return days, None


def compare_selector() -> tuple[dt.date, dt.date] | None:
    """The Flows page's "compare two dates" control, kept in the address (``compare=``); the two days or None."""
    L = lang()
    days, note = compare_from_address(st.query_params.get("compare"))
    if note:
        st.info(note)
    on = st.toggle(t("compare.toggle", L), value=days is not None, key="compare_on")
    if not on:
        if "compare" in st.query_params:
            del st.query_params["compare"]
        return None
    a0, b0 = days or COMPARE_DEFAULT
    lo, hi = dt.date(YEAR_MIN, 1, 1), dt.date(YEAR_MAX, 12, 31)
    c1, c2 = st.columns(2)
    a = c1.date_input(t("compare.first", L), a0, min_value=lo, max_value=hi, key="compare_a")
    b = c2.date_input(t("compare.second", L), b0, min_value=lo, max_value=hi, key="compare_b")
    want = f"{a.isoformat()}~{b.isoformat()}"
    if st.query_params.get("compare") != want:
        st.query_params["compare"] = want
    return a, b


def _compare_inputs() -> tuple[pd.DataFrame, Borders]:
    """The records and borders the two-date view draws: the bundled ones, or this visitor's records and borders."""
    if show_mode() == "bundled":
        return dataset().records, borders()
    return records(), active_borders()


def compare_html(f: Filters, group: str, a: dt.date, b: dt.date) -> str:
    """The two-date view of the Flows page (linked assets); from the shared cache while it shows the bundled records."""
    L = lang()
    static_assets()
    if show_mode() == "bundled":
        return _bundled_compare_html(f, group, a, b, L, max_flows())
    return compare_page(*_compare_inputs(), a, b, f, group, lang=L, sources=dataset().sources,
                        assets="linked", limit=max_flows())


def compare_download(f: Filters, group: str, a: dt.date, b: dt.date) -> None:
    """A button that saves the two-date view as one offline HTML file (built when clicked, scripts inline)."""
    L = lang()

    def page() -> bytes:
        return compare_page(*_compare_inputs(), a, b, f, group, lang=L, sources=dataset().sources, assets="inline",
                            limit=max_flows()).encode("utf-8")

    st.download_button(t("compare.download", L), page, f"atlas-compare-{a.isoformat()}-{b.isoformat()}.html",
                       "text/html", key="compare_download")


@st.cache_data(show_spinner=False, max_entries=16)
def _bundled_compare_html(f: Filters, group: str, a: dt.date, b: dt.date, L: str, limit: int) -> str:
    return compare_page(dataset().records, borders(), a, b, f, group, lang=L, sources=dataset().sources,
                        assets="linked", limit=limit)


def _relabel(flows: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    return flows.assign(origin=flows["origin"].map(lambda k: labels.get(k, k)),
                        destination=flows["destination"].map(lambda k: labels.get(k, k)))


def flows_table(f: Filters, group: str) -> pd.DataFrame:
    """The flows of the view as a table, in the visitor's language (shared between visitors for the bundled data)."""
    L = lang()
    if show_mode() == "bundled":
        return _bundled_flows_table(f, group, L)
    return _flows_table(filtered(f), group, L)


@st.cache_data(show_spinner=False, max_entries=64)
def _bundled_flows_table(f: Filters, group: str, L: str) -> pd.DataFrame:
    return _flows_table(filtered(f), group, L)


def _flows_table(rec: pd.DataFrame, group: str, L: str) -> pd.DataFrame:
    fl = _relabel(aggregate(rec, group, L), flow_labels(rec, group, L) if len(rec) else {})
    fl = fl.assign(category=fl["category"].map(lambda c: value_label("cat", c, L)))
    cols = ["origin", "destination", "dataset", "people", "low", "high", "records", "unknown", "other_units", "category"]
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
