"""Historical migration atlas: the borders of a chosen date (placeholder home page).

Thin by design: read the widgets and the URL, call ``geo``, render.
Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui
from geo.borders import BordersError, bundled_borders
from geo.mapview import borders_map_html

FIRST, LAST = dt.date(1918, 11, 11), dt.date(1950, 12, 31)
DEFAULT = dt.date(1941, 6, 1)

st.set_page_config(page_title="Migration atlas: borders of a date", layout="wide")


@st.cache_resource(show_spinner=False)
def _borders():
    return bundled_borders()


@st.cache_data(show_spinner=False, max_entries=64)
def _map_html(day: str) -> str:
    return borders_map_html(_borders(), day, title=f"Borders on {day}", assets="linked")


@st.cache_data(show_spinner=False, max_entries=64)
def _table(day: str):
    b = _borders()
    frames = []
    for layer in ("polities", "republics", "kazakh_regions", "occupation"):
        df = b.on(day, layer)
        if len(df):
            df = df.assign(layer=layer)[["layer", "name", "name_ru", "name_kk", "valid_from", "valid_to", "precision", "source"]]
            frames.append(df)
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def _date_from_url() -> tuple[dt.date, str | None]:
    raw = st.query_params.get("date")
    if raw is None:
        return DEFAULT, None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return DEFAULT, f"The date in the address ({raw!r}) is not a date like 1941-06-01; showing {DEFAULT}."
    if not FIRST <= day <= LAST:
        return DEFAULT, f"The atlas covers {FIRST} to {LAST}; {raw} is outside it, showing {DEFAULT}."
    return day, None


st.title("Borders of a date")
st.caption("Europe, the USSR and the Kazakh oblasts, 1918-1950, drawn from the project's ledger of territorial change. "
           "No modern map underneath: historical borders only.")
start, note = _date_from_url()
if note:
    st.warning(note)
day = st.date_input("Date", value=start, min_value=FIRST, max_value=LAST, format="YYYY-MM-DD", key="day")
if st.query_params.get("date") != day.isoformat():
    st.query_params["date"] = day.isoformat()

try:
    html = _map_html(day.isoformat())
except BordersError as exc:
    st.error(f"The border data could not be read: {exc}")
    st.stop()
ui.static_assets()
st.iframe(html, height=640)
st.subheader(f"Units valid on {day.isoformat()}")
st.caption("Text equivalent of the map. Precision: 1 approximate, 2 moderate, 3 fixed by treaty or decree. "
           "Sources are the treaties, decrees and encyclopedia entries of data/shapes/ledger/sources.yaml.")
st.dataframe(_table(day.isoformat()), hide_index=True, width="stretch")
