"""Import: a researcher's own records, every row accounted for, places reviewed, mapped beside the atlas."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import ui
from geo.borders import BordersError
from geo.i18n import fmt_int, t
from geo.gazetteer import bundled_gazetteer
from geo.importer import (export_csv, export_xlsx, mapping_json, places_to_review, read_supplement, rows_report,
                          sheet_names, supplement_from_decisions)
from geo.join import join_records
from geo.mapview import points_map_html
from geo.records import CANONICAL, MAX_ROWS, REQUIRED, TableError, guess_mapping, parse_mapping, read_table, to_canonical
from geo.userborders import load_user_borders

MAX_MB = float(os.environ.get("ATLAS_MAX_UPLOAD_MB", "50"))
MAX_IMPORT_ROWS = int(os.environ.get("ATLAS_MAX_ROWS", str(MAX_ROWS)))
ENCODINGS = ("detect", "utf-8", "utf-8-sig", "cp1251", "koi8_r", "utf-16")
DELIMITERS = {"detect": None, "; (semicolon)": ";", ", (comma)": ",", "tab": "\t"}

st.set_page_config(page_title="Migration atlas: import", layout="wide")
L = ui.lang()
ui.guard(need_records=False)
st.title(t("import.title", L))
st.caption(t("imp.caption", L))

S = st.session_state
up = st.file_uploader(t("imp.file", L, mb=f"{MAX_MB:.0f}"), type=["csv", "txt", "tsv", "xlsx"], key="upload")
if up is None:
    st.info(t("imp.choose", L))
    st.stop()
data = up.getvalue()
c1, c2, c3 = st.columns(3)
enc = c1.selectbox(t("imp.encoding", L), ENCODINGS, key="enc", format_func=lambda e: t("imp.detect", L) if e == "detect" else e)
delim = c2.selectbox(t("imp.delimiter", L), list(DELIMITERS), key="delim",
                     format_func=lambda d: t("imp.detect", L) if d == "detect" else d)
sheets = sheet_names(data)
sheet = c3.selectbox(t("imp.sheet", L), sheets, key="sheet") if sheets else None
try:
    table = read_table(data, name=up.name, encoding=None if enc == "detect" else enc, delimiter=DELIMITERS[delim],
                       sheet=sheet, max_bytes=int(MAX_MB * 1_000_000), max_rows=MAX_IMPORT_ROWS)
except TableError as exc:
    st.error(t("imp.unreadable", L, reason=exc))
    st.stop()
frame = table.frame
st.caption(t("imp.read", L, n=fmt_int(len(frame), L), how=(f"sheet {table.sheet!r}" if table.sheet else
                                                             f"{table.encoding}, {table.delimiter!r}")))

# ---- columns -----------------------------------------------------------------------------------
st.subheader(t("imp.columns", L))
headers = list(frame.columns)
saved = st.file_uploader(t("imp.reuse_mapping", L), type=["json"], key="mapping_file")
preset: dict[str, str] = guess_mapping(headers)
if saved is not None:
    try:
        preset = {h: c for h, c in parse_mapping(saved.getvalue().decode("utf-8", "replace"), saved.name).items() if h in headers}
    except TableError as exc:
        st.error(str(exc))
by_col = {c: h for h, c in preset.items()}
NONE = t("imp.not_in_file", L)
cols = st.columns(4)
mapping: dict[str, str] = {}
for i, col in enumerate(CANONICAL):
    opts = [NONE, *headers]
    pick = cols[i % 4].selectbox(col + (" *" if col in REQUIRED else ""), opts,
                                 index=opts.index(by_col[col]) if col in by_col else 0, key=f"map_{col}")
    if pick != NONE:
        mapping[pick] = col
st.download_button(t("imp.save_mapping", L), mapping_json(mapping).encode("utf-8"), "mapping.json", "application/json")
try:
    canon, used = to_canonical(frame, mapping)
except TableError as exc:
    st.error(t("imp.need_columns", L, reason=exc))
    st.stop()

# ---- own borders (optional) --------------------------------------------------------------------------
with st.expander(t("imp.own_borders", L)):
    st.caption(t("imp.own_borders_caption", L))
    bfiles = st.file_uploader(t("imp.border_files", L), type=["geojson", "json", "gpkg", "zip"], accept_multiple_files=True,
                              key="border_files")
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
            st.error(S["border_error"])
        elif S.get("user_borders") is not None:
            st.success(t("imp.borders_read", L, n=len(S["user_borders"]["polities"])))
    else:
        S["user_borders"], S["border_sig"] = None, None
borders = S.get("user_borders") or ui.borders()

# ---- places: decisions and supplement ------------------------------------------------------------
S.setdefault("decisions", {})
sup_file = st.sidebar.file_uploader(t("imp.supplement", L), type=["csv"], key="sup_file")
uploaded_sup = pd.DataFrame()
if sup_file is not None:
    try:
        uploaded_sup = read_supplement(sup_file.getvalue())
        st.sidebar.caption(t("imp.supplement_used", L, n=len(uploaded_sup), name=sup_file.name))
    except TableError as exc:
        st.sidebar.error(str(exc))
supplement = pd.concat([uploaded_sup, supplement_from_decisions(S["decisions"])], ignore_index=True)

# ---- join (recomputed only when an input changes) -----------------------------------------------------
sig = hashlib.sha256(repr((hashlib.sha256(data).hexdigest(), enc, delim, sheet, sorted(mapping.items()),
                           supplement.to_csv(index=False), S.get("border_sig"))).encode()).hexdigest()
if S.get("join_sig") != sig:
    with st.spinner(t("imp.joining", L)):
        gaz = bundled_gazetteer().with_supplement(supplement)  # a fork: this visitor's names stay in it
        result = join_records(canon, borders, gaz)
    S["join_sig"], S["result"], S["gazetteer"] = sig, result, gaz
    yours = result.accepted.assign(dataset="yours", id=lambda d: "yours-" + d["row"].astype(str))
    yours = yours[yours["origin_lat"].notna() & yours["destination_lat"].notna()]
    S["mine"] = {"records": yours, "name": up.name, "borders": S.get("user_borders")}
result, gaz = S["result"], S["gazetteer"]
report = rows_report(result)

st.subheader(t("imp.every_row", L))
n_in = result.rows_in
counts = report["status"].value_counts()
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("imp.rows_in", L), fmt_int(n_in, L))
m2.metric(t("imp.accepted", L), fmt_int(counts.get("accepted", 0), L))
m3.metric(t("imp.accepted_warn", L), fmt_int(counts.get("accepted with warnings", 0), L))
m4.metric(t("imp.rejected", L), fmt_int(counts.get("rejected", 0), L))
st.caption(t("imp.balance", L, n=fmt_int(n_in, L), a=fmt_int(len(result.accepted), L), r=fmt_int(len(result.rejected), L),
             d=fmt_int(len(S["mine"]["records"]) if S.get("mine") else 0, L)))
st.dataframe(report, hide_index=True, width="stretch")
st.download_button(t("imp.report", L), export_csv(report), "import-report.csv", "text/csv")

# ---- review ------------------------------------------------------------------------------------
st.subheader(t("imp.review", L))
todo = places_to_review(result, gaz, decided=set(S["decisions"]))
if not todo:
    st.success(t("imp.all_resolved", L))
else:
    st.caption(t("imp.review_caption", L, n=len(todo)))
    with st.form("review"):
        picks = {}
        for k, d in enumerate(todo[:30]):
            st.text(f"{k + 1}. {d['name']}")  # a name from the file is shown as text, never as markup
            st.caption(t("imp.rows_of_name", L, n=d["rows"]) + f" · {d['match']} · {d['note']}")
            labels = [f"{c['name']} ({c['country']}, {c['lat']}, {c['lon']})" for c in d["candidates"]]
            opts = ["later", *range(len(labels)), "coords", "unknown"]
            names = {"later": t("imp.later", L), "coords": t("imp.type_coords", L), "unknown": t("imp.unknown", L)}
            a, b = st.columns([2, 3])
            with a:
                choice = st.radio(t("imp.decision", L), opts, key=f"rv_{k}", label_visibility="collapsed",
                                  format_func=lambda o, labels=labels, names=names: labels[o] if isinstance(o, int) else names[o])
                lat = st.number_input(t("imp.lat", L), -90.0, 90.0, 0.0, format="%.4f", key=f"rv_lat_{k}")
                lon = st.number_input(t("imp.lon", L), -180.0, 180.0, 0.0, format="%.4f", key=f"rv_lon_{k}")
            with b:
                ui.static_assets()
                st.iframe(points_map_html(d["candidates"], dt.date(min(max(d["year"], 1919), 1950), 7, 1),
                                          ui.borders(), assets="linked"), height=230)
            picks[d["name"]] = (choice, labels, d["candidates"], lat, lon)
        if st.form_submit_button(t("imp.apply", L)):
            for name, (choice, labels, cands, lat, lon) in picks.items():
                if isinstance(choice, int):
                    c = cands[choice]
                    S["decisions"][name] = {"action": "candidate", "lat": c["lat"], "lon": c["lon"],
                                            "country": c["country"], "label": f"{c['name']} ({c['country']})"}
                elif choice == "coords":
                    S["decisions"][name] = {"action": "coords", "lat": lat, "lon": lon}
                elif choice == "unknown":
                    S["decisions"][name] = {"action": "unknown"}
            st.rerun()
if S["decisions"]:
    sup = supplement_from_decisions(S["decisions"])
    st.caption(t("imp.decisions", L, n=len(S["decisions"]),
                 u=sum(1 for d in S["decisions"].values() if d["action"] == "unknown")))
    st.download_button(t("imp.download_decisions", L), export_csv(sup),
                       "gazetteer-supplement.csv", "text/csv")

# ---- results -------------------------------------------------------------------------------------
st.subheader(t("imp.in_atlas", L))
st.caption(t("imp.in_atlas_caption", L))
cleaned = result.accepted
d1, d2 = st.columns(2)
d1.download_button(t("imp.joined_csv", L), export_csv(cleaned), "joined.csv", "text/csv")
d2.download_button(t("imp.joined_xlsx", L), export_xlsx(cleaned), "joined.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
f, group = ui.sidebar_filters()
st.iframe(ui.map_html(f, group, "fit"), height=700)
ui.export_panel(f, group, "fit")
