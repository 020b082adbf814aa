"""The borders of a chosen date: states, Soviet republics, Kazakh oblasts and occupation zones, with a table.

Thin by design: read the widgets and the address, call ``geo``, render. The entry script ``app.py`` runs it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from geo.borders import BordersError, bundled_borders
from geo.i18n import t
from geo.mapview import borders_map_html

FIRST, LAST = dt.date(1918, 11, 11), dt.date(1950, 12, 31)
DEFAULT = dt.date(1941, 6, 1)
LAYERS = ("polities", "republics", "kazakh_regions", "occupation")


@st.cache_resource(show_spinner=False)
def _borders():
    return bundled_borders()


@st.cache_data(show_spinner=False, max_entries=64)
def _map_html(day: str) -> str:
    return borders_map_html(_borders(), day, title=f"Borders on {day}", assets="linked")


@st.cache_data(show_spinner=False, max_entries=64)
def _table(day: str) -> pd.DataFrame:
    b = _borders()
    frames = []
    for layer in LAYERS:
        df = b.on(day, layer)
        if len(df):
            df = df.assign(layer=layer)[["layer", "name", "name_ru", "name_kk", "valid_from", "valid_to", "precision", "source"]]
            frames.append(df)
    return pd.concat(frames, ignore_index=True)


def _date_from_url(L: str) -> tuple[dt.date, str | None]:
    raw = st.query_params.get("date")
    if raw is None:
        return DEFAULT, None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return DEFAULT, t("borders.date_bad", L, raw=repr(raw), default=DEFAULT)
    if not FIRST <= day <= LAST:
        return DEFAULT, t("borders.date_out", L, first=FIRST, last=LAST, raw=raw, default=DEFAULT)
    return day, None


L = ui.lang()
st.title(t("borders.title", L))
st.caption(t("borders.caption", L))
start, note = _date_from_url(L)
if note:
    st.warning(note)
day = st.date_input(t("borders.date", L), value=start, min_value=FIRST, max_value=LAST, format="YYYY-MM-DD", key="day")
if st.query_params.get("date") != day.isoformat():
    st.query_params["date"] = day.isoformat()

try:
    html = _map_html(day.isoformat())
except BordersError as exc:
    st.error(t("fault.borders", L, reason=exc))
    st.stop()
ui.static_assets()
st.iframe(html, height=640)
st.subheader(t("borders.units", L, day=day.isoformat()))
st.caption(t("borders.units_caption", L))
table = _table(day.isoformat())
ui.table(table.assign(layer=table["layer"].map(lambda v: t(f"layer.{v}", L))), L)
