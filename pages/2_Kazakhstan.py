"""Kazakhstan: arrivals per oblast of the date (choropleth), arrows into the oblasts, a table per oblast."""

from __future__ import annotations

import streamlit as st

import ui
from geo.flows import oblast_arrivals
from geo.i18n import t, unit_label

st.set_page_config(page_title="Migration atlas: Kazakhstan", layout="wide")
ui.guard()
f, group = ui.sidebar_filters()
L = ui.lang()
st.title(t("kz.title", L))
st.caption(t("kz.caption", L))
rec = ui.filtered(f)
table = oblast_arrivals(rec)
st.iframe(ui.map_html(f, "oblast", "kazakhstan", shading=True), height=700)
ui.export_panel(f, "oblast", "kazakhstan", shading=True)
props = ui.borders()["kazakh_regions"].props
modern = dict(zip(props["name"], props["name_modern"].fillna("")))
table.insert(1, "today", table["oblast"].map(modern).fillna(""))
table["oblast"] = table["oblast"].map(lambda n: unit_label(n, L))
st.subheader(t("kz.per_oblast", L))
st.dataframe(table.rename(columns={"people": t("col.people", L), "unknown": t("col.unknown", L),
                                   "records": t("col.records", L)}), hide_index=True, width="stretch")
rep = rec[(rec["destination_kz_region"] == "") & rec["destination"].isin(["Kazakh SSR", "Kazakh ASSR", "Kazakhstan"])]
st.subheader(t("kz.republic_only", L))
st.caption(t("kz.republic_caption", L))
st.dataframe(rep[["id", "origin", "date", "date_end", "count", "nationality", "category", "source"]], hide_index=True,
             width="stretch")
