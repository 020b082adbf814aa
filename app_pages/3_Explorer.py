"""Explorer: the records behind the current filters, with their sources, and downloads."""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st

import ui
from geo.flows import aggregate, flows_geojson
from geo.i18n import t
from geo.mapview import layer_geojson

ui.guard()
f, group = ui.sidebar_filters()
L = ui.lang()
st.title(t("explorer.title", L))
rec = ui.filtered(f)
st.caption(t("explorer.caption", L, n=len(rec)))
cols = ["id", "origin", "destination", "date", "date_end", "date_precision", "count", "count_low", "count_high",
        "count_approximate", "unit", "nationality", "category", "source", "notes", "origin_polity",
        "destination_polity", "destination_kz_region", "part_of", "detail_of", "warnings"]
if "dataset" in rec:
    cols = ["dataset", *cols]
# a bundled record that is part of a life links to it on the Lives page (the first life, if several)
in_life = {r: lv["id"] for lv in reversed(ui.dataset().lives) for r in lv["records"]}
life = rec["id"].map(lambda i: f"Lives?life={in_life[i]}" if i in in_life else None)
if "dataset" in rec:  # a researcher's own record never links to a bundled life
    life = life.where(rec["dataset"].eq("bundled"), None)
ui.table(rec[cols].assign(life=life), L, column_config={
    "life": st.column_config.LinkColumn(t("col.life", L), display_text=r"life=(.+)$")})
fl = aggregate(rec, group)
day = dt.date(min(f.year_to, 1950), 7, 1)
c1, c2, c3, c4 = st.columns(4)
c1.download_button(t("explorer.records_csv", L), rec[cols].to_csv(index=False).encode("utf-8"), "records.csv", "text/csv")
c2.download_button(t("explorer.flows_csv", L), fl.drop(columns=["ids", "categories"]).assign(
    ids=fl["ids"].map(" ".join)).to_csv(index=False).encode("utf-8"), "flows.csv", "text/csv")
c3.download_button(t("explorer.flows_geojson", L), json.dumps(flows_geojson(fl), ensure_ascii=False).encode("utf-8"),
                   "flows.geojson", "application/geo+json")
c4.download_button(t("explorer.borders", L, day=day), json.dumps(layer_geojson(ui.active_borders(), day, "polities"),
                                                             ensure_ascii=False).encode("utf-8"),
                   f"polities-{day}.geojson", "application/geo+json")
