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
S["life_written"] = chosen
life = find_life(lives, chosen)
st.caption(t("lives.caption", L))


@st.cache_data(show_spinner=False, max_entries=64)
def _page(life_id: str, lang: str, assets: str) -> str:
    return life_html(find_life(ds.lives, life_id), ui.borders(), ds.sources, lang=lang, assets=assets)


ui.static_assets()
st.iframe(_page(chosen, L, "linked"), height=680)
st.caption(t("lives.help", L))
if L != "en":
    st.info(t("lives.english", L))
if life["records"]:
    st.caption(t("lives.records", L, ids=", ".join(f"`{r}`" for r in life["records"])))
st.download_button(t("lives.download", L), lambda: _page(chosen, L, "inline").encode("utf-8"), f"life-{chosen}.html",
                   "text/html")
