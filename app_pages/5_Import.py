"""Import: a researcher's own records, every row accounted for, places reviewed, mapped beside the atlas.

A script of widgets over the steps of :mod:`geo.importer`: the file (or the sample register), its
columns, optional borders, the join, the report of every row, the review of places (names that need a
person, names a rule decided), the decisions as a gazetteer supplement, and the records on the map.
Review widgets are keyed by the name they decide, never by a position in a list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import ui
from geo.borders import BordersError
from geo.gazetteer import bundled_gazetteer
from geo.i18n import fmt_int, t
from geo.importer import (
    SAMPLE,
    ImportProblem,
    candidate_label,
    decision_text,
    drawn_records,
    encoding_name,
    export_csv,
    export_xlsx,
    join_upload,
    mapping_json,
    parse_coordinates,
    places_to_review,
    point_check,
    problem_of,
    read_supplement,
    read_upload,
    report_in,
    rows_report,
    rule_decisions,
    rules_text,
    sheet_names,
    supplement_from_decisions,
    year_span,
)
from geo.mapview import points_map_html
from geo.records import CANONICAL, REQUIRED, TableError, guess_mapping, parse_mapping, to_canonical
from geo.userborders import load_user_borders

ENCODINGS = ("detect", "utf-8", "utf-8-sig", "cp1251", "koi8_r", "utf-16")
DELIMITERS = {"detect": None, "semicolon": ";", "comma": ",", "tab": "\t"}
SHOWN_PER_LIST = 30  # names per review list on one screen; the rest follow once these are decided

L = ui.lang()
ui.guard(need_records=False)
S = st.session_state
st.title(t("import.title", L))
st.caption(t("imp.caption", L))


def widget_key(prefix: str, name: str) -> str:
    """A review widget's key: the name it decides (hashed: any text may be a name), not its place in a list."""
    return f"{prefix}_{hashlib.sha1(name.encode('utf-8')).hexdigest()[:16]}"


# ---- the file (or the sample) ------------------------------------------------------------------------
up = st.file_uploader(t("imp.file", L, mb=ui.upload_limit_text(L)), type=["csv", "txt", "tsv", "xlsx"], key="upload",
                      max_upload_size=ui.upload_mb())
if up is not None:
    S["use_sample"] = False
    name, data = up.name, up.getvalue()
else:
    if not S.get("use_sample"):
        st.info(t("imp.choose", L))
        if st.button(t("imp.try_sample", L), key="try_sample", type="primary", icon=":material/science:"):
            S["use_sample"] = True
            st.rerun()
        st.stop()
    name, data = SAMPLE.name, SAMPLE.read_bytes()
    note, close = st.columns([5, 1], vertical_alignment="center")
    note.info(t("imp.sample_note", L, name=name))
    if close.button(t("imp.close_sample", L), key="close_sample"):
        S["use_sample"] = False
        st.rerun()

c1, c2, c3 = st.columns(3)
enc = c1.selectbox(t("imp.encoding", L), ENCODINGS, key="enc",
                   format_func=lambda e: t("imp.detect", L) if e == "detect" else encoding_name(e))
delim = c2.selectbox(t("imp.delimiter", L), list(DELIMITERS), key="delim", format_func=lambda d: t(f"imp.delim_{d}", L))
sheets = sheet_names(data)
sheet = c3.selectbox(t("imp.sheet", L), sheets, key="sheet") if sheets else None
try:
    table = read_upload(data, name, encoding=None if enc == "detect" else enc, delimiter=DELIMITERS[delim], sheet=sheet,
                        max_bytes=int(ui.upload_mb() * 1_000_000), max_rows=ui.max_rows())
except TableError as exc:
    st.error(problem_of(exc).text(L))
    st.stop()
frame = table.frame
delim_name = next((k for k, v in DELIMITERS.items() if v == table.delimiter), repr(table.delimiter))
how = (t("imp.read_sheet", L, sheet=table.sheet) if table.sheet else
       t("imp.read_csv", L, encoding=encoding_name(table.encoding), delimiter=t(f"imp.delim_{delim_name}", L)))
st.caption(t("imp.read", L, n=fmt_int(len(frame), L), how=how))

# ---- columns -----------------------------------------------------------------------------------------
st.subheader(t("imp.columns", L))
headers = list(frame.columns)
saved = st.file_uploader(t("imp.reuse_mapping", L), type=["json"], key="mapping_file", max_upload_size=ui.upload_mb())
preset: dict[str, str] = guess_mapping(headers)
if saved is not None:
    try:
        preset = {h: c for h, c in parse_mapping(saved.getvalue().decode("utf-8", "replace"), saved.name).items() if h in headers}
    except TableError as exc:
        st.error(problem_of(exc).text(L))
by_col = {c: h for h, c in preset.items()}
NONE = t("imp.not_in_file", L)
cols = st.columns(4)
mapping: dict[str, str] = {}
for i, col in enumerate(CANONICAL):
    opts = [NONE, *headers]
    label = t(f"col.{col}", L) + ("" if L == "en" or t(f"col.{col}", L) == col else f" ({col})")
    pick = cols[i % 4].selectbox(label + (" *" if col in REQUIRED else ""), opts,
                                 index=opts.index(by_col[col]) if col in by_col else 0, key=f"map_{col}")
    if pick != NONE:
        mapping[pick] = col
st.download_button(t("imp.save_mapping", L), mapping_json(mapping).encode("utf-8"), "mapping.json", "application/json")
try:
    canon, used = to_canonical(frame, mapping)
except TableError as exc:
    st.error(t("imp.need_columns", L, reason=problem_of(exc).text(L)))
    st.stop()

# ---- own borders (optional) --------------------------------------------------------------------------
with st.expander(t("imp.own_borders", L)):
    st.caption(t("imp.own_borders_caption", L))
    bfiles = st.file_uploader(t("imp.border_files", L), type=["geojson", "json", "gpkg", "zip"], accept_multiple_files=True,
                              key="border_files", max_upload_size=ui.upload_mb())
    if bfiles:
        sig = hashlib.sha256(b"".join(f.getvalue() for f in bfiles)).hexdigest()
        if S.get("border_sig") != sig:
            S["border_sig"], S["user_borders"], S["border_error"] = sig, None, ""
            with tempfile.TemporaryDirectory() as tmp:  # private to this process, removed at once
                paths = []
                for f in bfiles:
                    p = Path(tmp) / Path(f.name).name
                    p.write_bytes(f.getvalue())
                    paths.append(p)
                target = Path(tmp) if len(paths) > 1 else paths[0]
                try:
                    S["user_borders"] = load_user_borders(target)
                except BordersError as exc:
                    S["border_error"] = str(exc)
        if S.get("border_error"):
            st.error(t("imp.borders_error", L, reason=S["border_error"]))
        elif S.get("user_borders") is not None:
            st.success(t("imp.borders_read", L, n=len(S["user_borders"]["polities"])))
    else:
        S["user_borders"], S["border_sig"] = None, None
borders = S.get("user_borders") or ui.borders()

# ---- places: decisions and supplement ------------------------------------------------------------------
decisions: dict[str, dict] = S.setdefault("decisions", {})
sup_file = st.sidebar.file_uploader(t("imp.supplement", L), type=["csv"], key="sup_file", max_upload_size=ui.upload_mb())
uploaded_sup = pd.DataFrame()
if sup_file is not None:
    try:
        uploaded_sup = read_supplement(sup_file.getvalue())
        st.sidebar.caption(t("imp.supplement_used", L, n=len(uploaded_sup), name=sup_file.name))
    except TableError as exc:
        st.sidebar.error(problem_of(exc).text(L))
supplement = pd.concat([uploaded_sup, supplement_from_decisions(decisions)], ignore_index=True)

# ---- join (recomputed only when an input changes) ---------------------------------------------------------
file_sig = hashlib.sha256(repr((hashlib.sha256(data).hexdigest(), enc, delim, sheet,
                                 sorted(mapping.items()))).encode()).hexdigest()
sig = hashlib.sha256(repr((file_sig, supplement.to_csv(index=False), S.get("border_sig"))).encode()).hexdigest()
if S.get("join_sig") != sig:
    with st.spinner(t("imp.joining", L)):
        result, gaz = join_upload(canon, borders, bundled_gazetteer(), supplement)  # this visitor's names stay in a fork
    S["join_sig"], S["result"], S["gazetteer"] = sig, result, gaz
    S["mine"] = {"records": drawn_records(result), "name": name, "borders": S.get("user_borders")}
    if S.get("years_for") != file_sig and (span := year_span(result.accepted)):
        S["years_for"] = file_sig  # a new file: the map opens on its years (decisions later do not move them)
        ui.set_years(*span)
        S["years_note"] = span
result, gaz = S["result"], S["gazetteer"]
report = rows_report(result)

st.subheader(t("imp.every_row", L))
counts = report["status"].value_counts()
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("imp.rows_in", L), fmt_int(result.rows_in, L))
m2.metric(t("imp.accepted", L), fmt_int(counts.get("accepted", 0), L))
m3.metric(t("imp.accepted_warn", L), fmt_int(counts.get("accepted with warnings", 0), L))
m4.metric(t("imp.rejected", L), fmt_int(counts.get("rejected", 0), L))
st.caption(t("imp.balance", L, n=fmt_int(result.rows_in, L), a=fmt_int(len(result.accepted), L),
             r=fmt_int(len(result.rejected), L), d=fmt_int(len(S["mine"]["records"]), L)))
ui.table(report_in(report, L), L)
st.download_button(t("imp.report", L), export_csv(report), "import-report.csv", "text/csv")

# ---- review -----------------------------------------------------------------------------------------
st.subheader(t("imp.review", L))
for kind, key, values in S.pop("review_messages", []):
    getattr(st, kind)(t(key, L, **values))
todo = places_to_review(result, gaz, decided=set(decisions))
ruled = rule_decisions(result, gaz, decided=set(decisions))
if not todo:
    st.success(t("imp.all_resolved", L))
else:
    st.caption(t("imp.review_caption", L, n=len(todo)))


def _day(year: int) -> dt.date:
    return dt.date(min(max(year, 1919), 1950), 7, 1)


def review_item(number: int, item: dict, picks: dict) -> None:
    """One name: why it needs a person, its candidates (labelled on the small map), coordinates to type."""
    nm, cands, year = item["name"], item["candidates"], item["year"]
    labels = [candidate_label(c, year, L) for c in cands]
    st.text(f"{number}. {nm}")  # a name from the file is shown as text, never as markup
    rows = t("imp.rows_of_name", L, n=item["rows"])
    if "rules" in item:  # decided by a rule: say which, and what was passed over
        rules = rules_text(item["rules"], L)
        chosen = candidate_label(item["chosen"], year, L)
        st.caption(f"{rows} · " + t("imp.chosen_by", L, place=chosen, rules=rules))
        if item["passed_over"]:
            st.caption(t("imp.passed_over", L, places="; ".join(candidate_label(c, year, L) for c in item["passed_over"])))
        first = ("keep", t("imp.keep_rule", L, place=chosen))
    else:
        st.caption(f"{rows} · " + t(item["why"][0], L, **item["why"][1]))
        first = ("later", t("imp.later", L))
    names = {first[0]: first[1], "coords": t("imp.type_coords", L), "unknown": t("imp.unknown", L)}
    others = [i for i, c in enumerate(cands) if c is not item.get("chosen")]  # numbered as on the map
    opts = [first[0], *others, "coords", "unknown"]
    a, b = st.columns([2, 3])
    with a:
        choice = st.radio(t("imp.decision", L), opts, key=widget_key("rv", nm), label_visibility="collapsed",
                          format_func=lambda o: f"{o + 1}. {labels[o]}" if isinstance(o, int) else names[o])
        lat = st.text_input(t("imp.lat", L), key=widget_key("lat", nm), placeholder=t("imp.lat_example", L))
        lon = st.text_input(t("imp.lon", L), key=widget_key("lon", nm), placeholder=t("imp.lon_example", L))
    with b:
        points = [{**c, "label": lab} for c, lab in zip(cands, labels)]
        ui.static_assets()
        st.iframe(points_map_html(points, _day(year), ui.borders(), assets="linked"), height=230)
    picks[nm] = (choice, cands, labels, lat, lon, year)


def apply(picks: dict) -> None:
    """Turn the choices into decisions; typed coordinates are checked and said back with where they lie."""
    messages = []
    for nm, (choice, cands, labels, lat_text, lon_text, year) in picks.items():
        if isinstance(choice, int):
            c = cands[choice]
            decisions[nm] = {"action": "candidate", "lat": c["lat"], "lon": c["lon"], "country": c.get("country", ""),
                             "label": f"{c['name']} ({c.get('country', '')})", "shown": labels[choice]}
        elif choice == "coords":
            try:
                la, lo = parse_coordinates(lat_text, lon_text)
            except ImportProblem as exc:
                messages.append(("error", "imp.coords_not_saved", {"name": nm, "problem": exc.text(L)}))
                continue
            decisions[nm] = {"action": "coords", "lat": la, "lon": lo}
            where = point_check(nm, la, lo, year, borders)
            values = {"name": nm, "lat": la, "lon": lo, "year": year, "where": where.text(L), "named": where.named}
            messages.append(("warning", "imp.outside_named", values) if where.outside else ("info", "imp.placed", values))
        elif choice == "unknown":
            decisions[nm] = {"action": "unknown"}
    S["review_messages"] = messages


if todo or ruled:
    with st.form("review"):
        picks: dict = {}
        for n, item in enumerate(todo[:SHOWN_PER_LIST]):
            review_item(n + 1, item, picks)
        if ruled:
            st.subheader(t("imp.by_rule", L))
            st.caption(t("imp.by_rule_caption", L, n=len(ruled)))
            for n, item in enumerate(ruled[:SHOWN_PER_LIST]):
                review_item(n + 1, item, picks)
        if st.form_submit_button(t("imp.apply", L)):
            apply(picks)
            st.rerun()

if decisions:
    st.subheader(t("imp.decided", L))
    st.caption(t("imp.decisions", L, n=len(decisions), u=sum(1 for d in decisions.values() if d["action"] == "unknown")))
    ui.table(pd.DataFrame([{"name": nm, "decision": decision_text(d, L)} for nm, d in decisions.items()]), L,
             column_config={"name": st.column_config.TextColumn(t("imp.col_name", L)),
                            "decision": st.column_config.TextColumn(t("imp.col_decision", L))})
    again = st.multiselect(t("imp.reconsider", L), list(decisions), key="reconsider")
    if again and st.button(t("imp.reconsider_go", L), key="reconsider_go"):
        for nm in again:
            decisions.pop(nm, None)
            for prefix in ("rv", "lat", "lon"):
                S.pop(widget_key(prefix, nm), None)
        S.pop("reconsider", None)
        st.rerun()
    st.download_button(t("imp.download_decisions", L), export_csv(supplement_from_decisions(decisions)),
                       "gazetteer-supplement.csv", "text/csv")

# ---- results -------------------------------------------------------------------------------------------
st.subheader(t("imp.in_atlas", L))
st.caption(t("imp.in_atlas_caption", L))
if S.get("years_note") and tuple(ui.state()["years"]) == tuple(S["years_note"]):
    st.info(t("imp.years_set", L, y0=S["years_note"][0], y1=S["years_note"][1]))
cleaned = result.accepted
d1, d2 = st.columns(2)
d1.download_button(t("imp.joined_csv", L), export_csv(cleaned), "joined.csv", "text/csv")
d2.download_button(t("imp.joined_xlsx", L), export_xlsx(cleaned), "joined.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
f, group = ui.sidebar_filters()
st.iframe(ui.map_html(f, group, "fit"), height=700)
ui.export_panel(f, group, "fit")
