"""Where every border comes from: the ledger's sources and the lines drawn by the project."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import yaml

import ui
from geo.i18n import t
from geo.paths import LEDGER_DIR


@st.cache_data(show_spinner=False)
def _read(name: str) -> pd.DataFrame:
    return pd.DataFrame(yaml.safe_load((LEDGER_DIR / name).read_text("utf-8")))


L = ui.lang()
st.title(t("bsources.title", L))
st.markdown(t("bsources.intro", L))
st.subheader(t("bsources.sources", L))
ui.table(_read("sources.yaml"), L)
st.subheader(t("bsources.cuts", L))
ui.table(_read("cuts.yaml").drop(columns=["ring"]), L)
