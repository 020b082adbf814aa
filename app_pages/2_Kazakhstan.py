"""Kazakhstan: arrivals per oblast of the date (choropleth), arrows into the oblasts, a table per oblast."""

from __future__ import annotations

import streamlit as st

import ui
from geo.flows import beyond_oblasts, oblast_arrivals
from geo.i18n import t, unit_label, value_label

ui.guard()
f, group = ui.sidebar_filters(grouping=False)  # this page groups by oblast
L = ui.lang()
st.title(t("kz.title", L))
st.caption(t("kz.caption", L))
rec = ui.filtered(f)
table = oblast_arrivals(rec, L)
st.iframe(ui.map_html(f, "oblast", "kazakhstan", shading=True), height=700)
ui.export_panel(f, "oblast", "kazakhstan", shading=True)
props = ui.borders()["kazakh_regions"].props
modern = dict(zip(props["name"], props["name_modern"].fillna("")))
table.insert(1, "today", table["oblast"].map(modern).fillna(""))
table["oblast"] = table["oblast"].map(lambda n: unit_label(n, L))
st.subheader(t("kz.per_oblast", L))
st.dataframe(table.rename(columns={c: t(f"col.{c}", L) for c in table.columns}), hide_index=True, width="stretch")
st.subheader(t("kz.republic_only", L))
st.caption(t("kz.republic_caption", L))
apart = beyond_oblasts(rec)
apart = apart.assign(oblasts_of_date=apart["destination_kz_region"].map(lambda n: unit_label(n, L)),
                     nationality=apart["nationality"].map(lambda v: value_label("nat", v, L) if v else ""),
                     category=apart["category"].map(lambda v: value_label("cat", v, L)))
cols = {"id": "id", "origin": "origin", "destination": "destination_written", "oblasts_of_date": "oblasts_of_date",
        "date": "date", "date_end": "date_end", "count": "count", "nationality": "nationality", "category": "category",
        "source": "source"}
st.dataframe(apart[list(cols)].rename(columns={c: t(f"col.{k}", L) for c, k in cols.items()}), hide_index=True,
             width="stretch")
