"""Where every border comes from: the ledger's sources and cut lines."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import yaml

from geo.paths import LEDGER_DIR

st.title("Border sources")
st.markdown(
    "Every unit of the border layers is assembled from Natural Earth's first-level regions (public domain) and "
    "lines drawn by the project, following the treaties and decrees below. See `data/shapes/README.md` for the method, "
    "the precision scale and the comparison with an independent historical map."
)


@st.cache_data(show_spinner=False)
def _read(name: str) -> pd.DataFrame:
    return pd.DataFrame(yaml.safe_load((LEDGER_DIR / name).read_text("utf-8")))


st.subheader("Sources")
st.dataframe(_read("sources.yaml"), hide_index=True, width="stretch")
st.subheader("Lines drawn by the project")
st.dataframe(_read("cuts.yaml").drop(columns=["ring"]), hide_index=True, width="stretch")
