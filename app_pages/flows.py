"""Flows (the home page): people's movements over the borders of their years.

Thin by design: read the widgets, call ``geo``, render. The entry script ``app.py`` runs it.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import fmt_int, t

ui.guard()
f, group = ui.sidebar_filters()
L = ui.lang()
st.title(t("home.title", L))
n_records, people, unknown, n_sources = ui.metrics(f)
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("metric.records", L), fmt_int(n_records, L))
c2.metric(t("metric.people", L), fmt_int(people, L))
c3.metric(t("metric.unknown", L), fmt_int(unknown, L))
c4.metric(t("metric.sources", L), fmt_int(n_sources, L))
view = ui.view_selector()
compare = ui.compare_selector()
if compare:  # two dates side by side (kept in the address: ?compare=1939-09-01~1941-06-22)
    st.iframe(ui.compare_html(f, group, *compare), height=720)
    st.caption(t("compare.caption", L))
    ui.compare_download(f, group, *compare)
else:
    st.iframe(ui.map_html(f, group, view), height=700)
    ui.export_panel(f, group, view)
st.caption(t("home.caption", L))
with st.expander(t("scene.add_title", L)):
    cap_title = st.text_input(t("scene.title", L), f"{t('nav.flows', L)} {f.year_from}-{f.year_to}", key="scene_title")
    caption = st.text_area(t("scene.caption", L), "", key="scene_caption")
    if st.button(t("scene.add", L), key="scene_add"):
        st.session_state.setdefault("my_scenes", []).append({
            "id": f"scene-{len(st.session_state.get('my_scenes', [])) + 1}", "title": cap_title,
            "date": str(f.year_from), "date_end": str(f.year_to),
            "filters": {k: list(v) for k, v in (("nationality", f.nationalities), ("category", f.categories)) if v},
            "view": view, "group": group, "text": caption, "citations": []})
        st.success(t("scene.added", L, n=len(st.session_state["my_scenes"])))
st.subheader(t("home.table", L))
st.caption(t("home.table_caption", L))
st.dataframe(ui.flows_table(f, group), hide_index=True, width="stretch")
