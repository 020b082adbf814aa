"""Sources and method: the bibliography, how the data was made, licences and known gaps."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import ui
from geo.dataset import DatasetError, load_sources, load_totals
from geo.i18n import t

L = ui.lang()
st.title(t("sources.title", L))
try:  # the bibliography and totals need no borders and no join: this page works when those fail
    sources, totals = load_sources(), load_totals()
except (DatasetError, OSError, ValueError) as exc:
    st.error(t("fault.records", L, reason=exc))
    st.stop()
st.subheader(t("sources.bibliography", L, n=len(sources)))
st.caption(t("sources.bibliography_caption", L))
ui.table(sources, L)
st.subheader(t("sources.totals", L))
ui.table(totals.drop(columns=["total_best", "total_low", "total_high"]), L)
root = Path(__file__).resolve().parent.parent
for i, (title, path) in enumerate(((t("sources.records", L), root / "data/movements/README.md"),
                                    (t("sources.borders", L), root / "data/shapes/README.md"))):
    with st.expander(title if L == "en" else t("sources.in_english", L, title=title), expanded=i == 0):
        st.markdown(path.read_text(encoding="utf-8"))
