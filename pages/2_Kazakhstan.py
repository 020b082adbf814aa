"""Kazakhstan: arrivals per oblast of the date (choropleth), arrows into the oblasts, a table per oblast."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

import ui
from geo.flows import oblast_arrivals

st.set_page_config(page_title="Migration atlas: Kazakhstan", layout="wide")
st.title("Arrivals in the Kazakh oblasts")
st.caption("Oblasts as they were in the years shown (Alma-Ata, Akmolinsk, Guryev, Semipalatinsk …, today's names in "
           "brackets on hover). Shading counts only records whose source names the oblast; records naming only "
           "'Kazakhstan' stay at republic level and are listed apart, never spread over oblasts.")
f, group = ui.sidebar_filters()
rec = ui.filtered(f)
table = oblast_arrivals(rec)
shade = tuple(sorted(zip(table["oblast"], table["people"].astype(float))))
components.html(ui.map_html(f, "oblast", "kazakhstan", shade), height=700)
ui.export_panel(f, "oblast", "kazakhstan")
props = ui.borders()["kazakh_regions"].props
modern = dict(zip(props["name"], props["name_modern"].fillna("")))
table.insert(1, "today", table["oblast"].map(modern).fillna(""))
st.subheader("Per oblast")
st.dataframe(table.rename(columns={"people": "people (known counts)", "unknown": "records without a count"}),
             hide_index=True, width="stretch")
rep = rec[(rec["destination_kz_region"] == "") & rec["destination"].isin(["Kazakh SSR", "Kazakh ASSR", "Kazakhstan"])]
st.subheader("Named only as Kazakhstan")
st.caption("These records' sources give no oblast; the atlas does not guess one.")
st.dataframe(rep[["id", "origin", "date", "date_end", "count", "nationality", "category", "source"]], hide_index=True,
             width="stretch")
