"""Sources and method: the bibliography, how the data was made, licences and known gaps."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import ui

st.set_page_config(page_title="Migration atlas: sources and method", layout="wide")
st.title("Sources and method")
ds = ui.dataset()
st.subheader(f"Bibliography ({len(ds.sources)} sources)")
st.caption("Every count in the bundled records cites one or more of these, with the page, table or document.")
st.dataframe(ds.sources, hide_index=True, width="stretch")
st.subheader("Totals the breakdowns are checked against")
st.dataframe(ds.totals.drop(columns=["total_best", "total_low", "total_high"]), hide_index=True, width="stretch")
root = Path(__file__).resolve().parent.parent
for title, path in (("The records", root / "data/movements/README.md"), ("The borders", root / "data/shapes/README.md")):
    with st.expander(title, expanded=title == "The records"):
        st.markdown(path.read_text(encoding="utf-8"))
