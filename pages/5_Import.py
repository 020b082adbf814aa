"""Import: a researcher's own records, every row accounted for, places reviewed, mapped beside the atlas."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

import ui
from geo.borders import BordersError
from geo.i18n import t
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
st.title(t("import.title", ui.lang()))
st.caption("CSV or XLSX as archives make them (Windows-1251, KOI8-R, UTF-8/16; `;`, `,` or tab). Every row is "
           "either accepted or listed with the reason it was not. Your file stays in this browser session: it is "
           "not written to disk or to any cache another visitor can reach, and it is gone when you close the tab.")

S = st.session_state
up = st.file_uploader(f"Records file (CSV or XLSX, up to {MAX_MB:.0f} MB)", type=["csv", "txt", "tsv", "xlsx"], key="upload")
if up is None:
    st.info("Choose a file to begin. The sample register from the archive "
            "(`archive_register_cp1251.csv`) imports as it is.")
    st.stop()
data = up.getvalue()
c1, c2, c3 = st.columns(3)
enc = c1.selectbox("Encoding", ENCODINGS, key="enc")
delim = c2.selectbox("Delimiter", list(DELIMITERS), key="delim")
sheets = sheet_names(data)
sheet = c3.selectbox("Sheet", sheets, key="sheet") if sheets else None
try:
    table = read_table(data, name=up.name, encoding=None if enc == "detect" else enc, delimiter=DELIMITERS[delim],
                       sheet=sheet, max_bytes=int(MAX_MB * 1_000_000), max_rows=MAX_IMPORT_ROWS)
except TableError as exc:
    st.error(f"This file cannot be read: {exc}")
    st.stop()
frame = table.frame
st.caption(f"Read {len(frame):,} rows: " + (f"sheet {table.sheet!r}" if table.sheet else
                                             f"encoding {table.encoding}, delimiter {table.delimiter!r}"))

# ---- columns -----------------------------------------------------------------------------------
st.subheader("Columns")
headers = list(frame.columns)
saved = st.file_uploader("Reuse a saved mapping (JSON)", type=["json"], key="mapping_file")
preset: dict[str, str] = guess_mapping(headers)
if saved is not None:
    try:
        preset = {h: c for h, c in parse_mapping(saved.getvalue().decode("utf-8", "replace"), saved.name).items() if h in headers}
    except TableError as exc:
        st.error(str(exc))
by_col = {c: h for h, c in preset.items()}
NONE = "— not in the file —"
cols = st.columns(4)
mapping: dict[str, str] = {}
for i, col in enumerate(CANONICAL):
    opts = [NONE, *headers]
    pick = cols[i % 4].selectbox(col + (" *" if col in REQUIRED else ""), opts,
                                 index=opts.index(by_col[col]) if col in by_col else 0, key=f"map_{col}")
    if pick != NONE:
        mapping[pick] = col
st.download_button("Save this mapping (JSON)", mapping_json(mapping).encode("utf-8"), "mapping.json", "application/json")
try:
    canon, used = to_canonical(frame, mapping)
except TableError as exc:
    st.error(f"{exc}. Choose the columns marked * above.")
    st.stop()

# ---- own borders (optional) --------------------------------------------------------------------------
with st.expander("Use your own borders (optional)"):
    st.caption("A GeoJSON, GeoPackage or zipped Shapefile whose features carry validity dates (CShapes-style "
               "gwsdate/gwedate, or valid_from/valid_to), or several yearly snapshots named world_YEAR.geojson "
               "(historical-basemaps style). Your records are then joined to these borders.")
    bfiles = st.file_uploader("Border files", type=["geojson", "json", "gpkg", "zip"], accept_multiple_files=True,
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
            st.success(f"{len(S['user_borders']['polities']):,} border features read; your records are joined to them.")
    else:
        S["user_borders"], S["border_sig"] = None, None
borders = S.get("user_borders") or ui.borders()

# ---- places: decisions and supplement ------------------------------------------------------------
S.setdefault("decisions", {})
sup_file = st.sidebar.file_uploader("Gazetteer supplement (CSV: name, lat, lon)", type=["csv"], key="sup_file")
uploaded_sup = pd.DataFrame()
if sup_file is not None:
    try:
        uploaded_sup = read_supplement(sup_file.getvalue())
        st.sidebar.caption(f"{len(uploaded_sup)} places from {sup_file.name} are used first.")
    except TableError as exc:
        st.sidebar.error(str(exc))
supplement = pd.concat([uploaded_sup, supplement_from_decisions(S["decisions"])], ignore_index=True)

# ---- join (recomputed only when an input changes) -----------------------------------------------------
sig = hashlib.sha256(repr((hashlib.sha256(data).hexdigest(), enc, delim, sheet, sorted(mapping.items()),
                           supplement.to_csv(index=False), S.get("border_sig"))).encode()).hexdigest()
if S.get("join_sig") != sig:
    with st.spinner("Resolving places and joining to the borders of each date…"):
        gaz = bundled_gazetteer().with_supplement(supplement)  # a fork: this visitor's names stay in it
        result = join_records(canon, borders, gaz)
    S["join_sig"], S["result"], S["gazetteer"] = sig, result, gaz
    yours = result.accepted.assign(dataset="yours", id=lambda d: "yours-" + d["row"].astype(str))
    yours = yours[yours["origin_lat"].notna() & yours["destination_lat"].notna()]
    S["mine"] = {"records": yours, "name": up.name, "borders": S.get("user_borders")}
result, gaz = S["result"], S["gazetteer"]
report = rows_report(result)

st.subheader("Every row")
n_in = result.rows_in
counts = report["status"].value_counts()
m1, m2, m3, m4 = st.columns(4)
m1.metric("Rows in the file", f"{n_in:,}")
m2.metric("Accepted", f"{counts.get('accepted', 0):,}")
m3.metric("Accepted with warnings", f"{counts.get('accepted with warnings', 0):,}")
m4.metric("Rejected", f"{counts.get('rejected', 0):,}")
st.caption(f"{n_in:,} rows in = {len(result.accepted):,} accepted + {len(result.rejected):,} rejected. "
           f"{len(S['mine']['records']) if S.get('mine') else 0:,} accepted rows have both ends placed and are drawn.")
st.dataframe(report, hide_index=True, width="stretch")
st.download_button("Download this report (CSV)", export_csv(report), "import-report.csv", "text/csv")

# ---- review ------------------------------------------------------------------------------------
st.subheader("Places to review")
todo = places_to_review(result, gaz, decided=set(S["decisions"]))
if not todo:
    st.success("Every place name is resolved (or decided).")
else:
    st.caption(f"{len(todo)} names need a decision; each applies to every row with that name. The map shows the "
               "candidates over the borders of the name's first year.")
    with st.form("review"):
        picks = {}
        for k, d in enumerate(todo[:30]):
            st.text(f"{k + 1}. {d['name']}")  # a name from the file is shown as text, never as markup
            st.caption(f"{d['rows']} row(s) · {d['match']} · {d['note']}")
            labels = [f"{c['name']} ({c['country']}, {c['lat']}, {c['lon']})" for c in d["candidates"]]
            opts = ["leave for now", *labels, "type coordinates", "unknown: leave unplaced"]
            a, b = st.columns([2, 3])
            with a:
                choice = st.radio("Decision", opts, key=f"rv_{k}", label_visibility="collapsed")
                lat = st.number_input("Latitude", -90.0, 90.0, 0.0, format="%.4f", key=f"rv_lat_{k}")
                lon = st.number_input("Longitude", -180.0, 180.0, 0.0, format="%.4f", key=f"rv_lon_{k}")
            with b:
                components.html(points_map_html(d["candidates"], dt.date(min(max(d["year"], 1919), 1950), 7, 1),
                                                ui.borders(), height=220), height=230)
            picks[d["name"]] = (choice, labels, d["candidates"], lat, lon)
        if st.form_submit_button("Apply decisions"):
            for name, (choice, labels, cands, lat, lon) in picks.items():
                if choice in labels:
                    c = cands[labels.index(choice)]
                    S["decisions"][name] = {"action": "candidate", "lat": c["lat"], "lon": c["lon"],
                                            "country": c["country"], "label": f"{c['name']} ({c['country']})"}
                elif choice == "type coordinates":
                    S["decisions"][name] = {"action": "coords", "lat": lat, "lon": lon}
                elif choice.startswith("unknown"):
                    S["decisions"][name] = {"action": "unknown"}
            st.rerun()
if S["decisions"]:
    sup = supplement_from_decisions(S["decisions"])
    st.caption(f"{len(S['decisions'])} decisions taken ({sum(1 for d in S['decisions'].values() if d['action'] == 'unknown')} left unplaced).")
    st.download_button("Download your decisions as a gazetteer supplement (CSV)", export_csv(sup),
                       "gazetteer-supplement.csv", "text/csv")

# ---- results -------------------------------------------------------------------------------------
st.subheader("Your records in the atlas")
st.caption("Every page (Flows, Kazakhstan, Explorer) now shows your records beside the bundled ones, with a black "
           "edge on your arrows; choose 'Records shown' in the sidebar of those pages.")
cleaned = result.accepted
d1, d2 = st.columns(2)
d1.download_button("Cleaned, joined table (CSV)", export_csv(cleaned), "joined.csv", "text/csv")
d2.download_button("Cleaned, joined table (XLSX)", export_xlsx(cleaned), "joined.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
f, group = ui.sidebar_filters()
components.html(ui.map_html(f, group, "europe"), height=700)
ui.export_panel(f, group, "europe")
