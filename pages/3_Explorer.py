"""Explorer: the records behind the current filters, with their sources, and downloads."""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st

import ui
from geo.flows import aggregate, flows_geojson
from geo.mapview import layer_geojson

st.set_page_config(page_title="Migration atlas: explorer", layout="wide")
st.title("Records and downloads")
f, group = ui.sidebar_filters()
rec = ui.filtered(f)
st.caption(f"{len(rec)} records match the filters. Every count carries its source; 'count' is the best estimate, "
           "count_low/count_high the range where sources disagree; date_precision says how exact the date is.")
cols = ["id", "origin", "destination", "date", "date_end", "date_precision", "count", "count_low", "count_high",
        "count_approximate", "unit", "nationality", "category", "source", "notes", "origin_polity",
        "destination_polity", "destination_kz_region", "part_of", "warnings"]
if "dataset" in rec:
    cols = ["dataset", *cols]
st.dataframe(rec[cols], hide_index=True, width="stretch")
fl = aggregate(rec, group)
day = dt.date(min(f.year_to, 1950), 7, 1)
c1, c2, c3, c4 = st.columns(4)
c1.download_button("Records (CSV)", rec[cols].to_csv(index=False).encode("utf-8"), "records.csv", "text/csv")
c2.download_button("Flows (CSV)", fl.drop(columns=["ids", "categories"]).assign(
    ids=fl["ids"].map(" ".join)).to_csv(index=False).encode("utf-8"), "flows.csv", "text/csv")
c3.download_button("Flows (GeoJSON)", json.dumps(flows_geojson(fl), ensure_ascii=False).encode("utf-8"),
                   "flows.geojson", "application/geo+json")
c4.download_button(f"Borders on {day} (GeoJSON)", json.dumps(layer_geojson(ui.active_borders(), day, "polities"),
                                                             ensure_ascii=False).encode("utf-8"),
                   f"polities-{day}.geojson", "application/geo+json")
