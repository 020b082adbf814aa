"""Lecture mode: the stories (or your own scenes) as projector scenes; arrow keys and clickers step."""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import t
from geo.lecture import check_scenes, dump_scenes, lecture_html, load_scene_file
from geo.records import TableError

st.set_page_config(initial_sidebar_state="collapsed")
S = st.session_state
L = ui.lang()
ui.guard()
ds = ui.dataset()
stories = check_scenes(ds.stories)
mine = S.get("my_scenes", [])
sets = {"ours": stories} | ({"mine": mine} if mine else {})
which = (st.radio(t("lecture.scenes", L), list(sets), key="lecture_set", horizontal=True, label_visibility="collapsed",
                 format_func=lambda k: t(f"lecture.scenes_{k}", L)) if mine else "ours")
scenes = sets[which]

raw = st.query_params.get("scene", "1")
try:
    start = int(raw) - 1
    if not 0 <= start < len(scenes):
        raise ValueError
except ValueError:
    st.warning(t("lecture.bad_scene", L, raw=repr(raw), n=len(scenes)))
    start = 0


@st.cache_data(show_spinner=False, max_entries=8)
def _stories_page(start: int, lang: str, assets: str) -> str:
    return lecture_html(stories, ds.records, ui.borders(), ds.sources, start=start, lang=lang, assets=assets,
                        url_state=assets == "linked")


def _page(assets: str) -> str:
    """The lecture page: ``linked`` in the app (one page per language; it opens the scene of the address),
    ``inline`` (one offline file, opening at this scene) for the download."""
    at = start if assets == "inline" else 0
    if which == "ours" and ui.show_mode() == "bundled":
        return _stories_page(at, L, assets)
    return lecture_html(scenes, ui.records(), ui.active_borders(), ds.sources, start=at, lang=L, assets=assets,
                        url_state=assets == "linked")


ui.static_assets()
st.iframe(_page("linked"), height=720)
st.caption(t("lecture.help", L))
st.download_button(t("lecture.download", L), lambda: _page("inline").encode("utf-8"), "lecture.html", "text/html")

with st.expander(t("lecture.editor", L)):
    st.caption(t("lecture.editor_caption", L))
    up = st.file_uploader(t("lecture.load", L), type=["yaml", "yml", "json"], key="scene_file", max_upload_size=ui.upload_mb())
    if up is not None and S.get("scene_file_loaded") != up.file_id:
        try:
            S["my_scenes"] = load_scene_file(up.getvalue())
            S["scene_file_loaded"] = up.file_id
            st.rerun()
        except TableError as exc:
            st.error(str(exc))
    if mine:
        import pandas as pd

        table = pd.DataFrame([{"order": i + 1, "title": s["title"], "date": s["date"], "date_end": s["date_end"],
                               "view": s["view"], "group": s["group"], "caption": s["text"]} for i, s in enumerate(mine)])
        edited = st.data_editor(
            table, hide_index=True, num_rows="dynamic", key="scene_editor", width="stretch",
            column_config={"order": st.column_config.NumberColumn(t("lecture.col_order", L)),
                           "title": st.column_config.TextColumn(t("scene.title", L)),
                           "date": st.column_config.TextColumn(t("col.date", L)),
                           "date_end": st.column_config.TextColumn(t("col.date_end", L)),
                           "view": st.column_config.SelectboxColumn(t("view.label", L), options=list(ui.VIEWS),
                                                                    format_func=lambda v: t(f"view.{v}", L)),
                           "group": st.column_config.SelectboxColumn(t("filters.group", L), options=["place", "polity", "oblast"],
                                                                     format_func=lambda v: t(f"group.{v}", L)),
                           "caption": st.column_config.TextColumn(t("scene.caption", L))})
        if st.button(t("lecture.apply", L)):
            rows = edited.dropna(subset=["title", "date"]).sort_values("order", kind="stable")
            old = {s["title"]: s for s in mine}
            try:
                S["my_scenes"] = check_scenes([{**old.get(r.title, {}), "title": r.title, "date": str(r.date),
                                                "date_end": "" if pd.isna(r.date_end) else str(r.date_end), "view": r.view,
                                                "group": r.group, "text": "" if pd.isna(r.caption) else r.caption}
                                               for r in rows.itertuples()])
                st.rerun()
            except TableError as exc:
                st.error(str(exc))
        st.download_button(t("lecture.save", L), dump_scenes(mine).encode("utf-8"), "scenes.yaml", "text/yaml")
