"""Historical migration atlas: flows of people over the borders of their years (home page).

Thin by design: read the widgets and the URL, call ``geo``, render. Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import fmt_int, t
from geo.mapview import VIEW_NAMES

st.set_page_config(page_title="Migration atlas: flows", layout="wide")
ui.guard()
f, group = ui.sidebar_filters()
L = ui.lang()
st.title(t("home.title", L))
st.caption(t("home.caption", L))
rec = ui.filtered(f)
known = rec["count"].notna()
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("metric.records", L), fmt_int(len(rec), L))
c2.metric(t("metric.people", L), fmt_int(rec["count"].fillna(0).sum(), L))
c3.metric(t("metric.unknown", L), fmt_int((~known).sum(), L))
c4.metric(t("metric.sources", L), fmt_int(len({s for cell in rec["source"] for s in ui.source_ids(cell)}), L))
VIEWS = VIEW_NAMES  # "fit" (the drawn flows) first: the default
if "view" not in st.session_state:
    v = st.query_params.get("view", "fit")
    if v not in VIEWS:
        st.session_state["view_note"] = v
        v = "fit"
    st.session_state["view"] = v
if st.session_state.get("view_note"):
    st.warning(t("note.unknown_view", L, value=repr(st.session_state["view_note"])))
view = st.sidebar.radio(t("view.label", L), VIEWS, key="view", horizontal=True, format_func=lambda v: t(f"view.{v}", L))
if view == "fit":
    st.query_params.pop("view", None)
elif st.query_params.get("view") != view:
    st.query_params["view"] = view
st.iframe(ui.map_html(f, group, view), height=700)
ui.export_panel(f, group, view)
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
