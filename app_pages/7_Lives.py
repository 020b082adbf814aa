"""Lives: one life as a path over the borders of each station's date (the life in the address: ``?life=<id>``)."""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import t
from geo.lives import find_life, life_html

ui.guard()
L = ui.lang()
ds = ui.dataset()
# the chooser beside the title, not in the sidebar: on a phone the sidebar is folded away and a visitor would
# not find how to pick another life (the columns stack there, the chooser right under the title)
head, pick = st.columns([3, 2], vertical_alignment="bottom")
head.title(t("lives.title", L))
lives = sorted(ds.lives, key=lambda lv: str(lv["name"]))
ids = [str(lv["id"]) for lv in lives]
raw = st.query_params.get("life")
if raw is not None and find_life(lives, raw) is None:
    st.warning(t("lives.unknown", L, raw=repr(raw), name=lives[0]["name"]))
    raw = None
S = st.session_state
if (raw and raw != S.get("life_written")) or S.get("life_choice") not in ids:  # a new address (a link) wins
    S["life_choice"] = raw or ids[0]
chosen = pick.selectbox(t("lives.choose", L), ids, key="life_choice",
                        format_func=lambda i: f"{find_life(lives, i)['name']}: {find_life(lives, i)['title']}")
if st.query_params.get("life") != chosen:
    st.query_params["life"] = chosen
if S.get("life_written") not in (None, chosen) and "station" in st.query_params:
    del st.query_params["station"]  # another life: its own first station, not the last one's number
S["life_written"] = chosen
life = find_life(lives, chosen)
try:  # the station shown, 1-based, as the map writes it into the address (station=4)
    start = max(0, int(st.query_params.get("station", "1")) - 1)
except ValueError:
    start = 0
st.caption(t("lives.caption", L))


@st.cache_data(show_spinner=False, max_entries=64)
def _page(life_id: str, lang: str, assets: str, start: int = 0) -> str:
    return life_html(find_life(ds.lives, life_id), ui.borders(), ds.sources, lang=lang, assets=assets, start=start,
                     url_state=assets == "linked")


ui.static_assets()
st.iframe(_page(chosen, L, "linked", start), height=680)
st.caption(t("lives.help", L))
if L != "en":
    st.info(t("lives.english", L))
if life["records"]:
    st.caption(t("lives.records", L, ids=", ".join(f"`{r}`" for r in life["records"])))
st.download_button(t("lives.download", L), lambda: _page(chosen, L, "inline", start).encode("utf-8"), f"life-{chosen}.html",
                   "text/html")
