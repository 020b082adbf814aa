"""Historical migration atlas: flows of people over the borders of their years (home page).

Thin by design: read the widgets and the URL, call ``geo``, render. Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

import ui

st.set_page_config(page_title="Migration atlas: flows", layout="wide")
st.title("Flows into the USSR and Kazakhstan, 1918-1960")
st.caption("Each arrow sums the bundled records on one route, drawn over the borders valid in the year shown. "
           "Width is proportional to people with a known count; dashed arrows have no count in the sources. "
           "Play steps through the years inside the map (no reload); arrow keys step too.")
f, group = ui.sidebar_filters()
rec = ui.filtered(f)
known = rec["count"].notna()
c1, c2, c3, c4 = st.columns(4)
c1.metric("Records", f"{len(rec):,}")
c2.metric("People (known counts)", f"{rec['count'].fillna(0).sum():,.0f}")
c3.metric("Records without a count", f"{(~known).sum():,}")
c4.metric("Sources cited", f"{len({s for cell in rec['source'] for s in ui.source_ids(cell)}):,}")
VIEWS = ("europe", "ussr", "kazakhstan")
if "view" not in st.session_state:
    v = st.query_params.get("view", "europe")
    if v not in VIEWS:
        st.session_state["view_note"] = f"Unknown map view {v!r} in the address; showing Europe."
        v = "europe"
    st.session_state["view"] = v
if st.session_state.get("view_note"):
    st.warning(st.session_state["view_note"])
view = st.sidebar.radio("Map view", VIEWS, key="view", horizontal=True, format_func=lambda v: {"ussr": "USSR"}.get(v, v.title()))
if view == "europe":
    st.query_params.pop("view", None)
elif st.query_params.get("view") != view:
    st.query_params["view"] = view
components.html(ui.map_html(f, group, view), height=700)
ui.export_panel(f, group, view)
with st.expander("Add this view as a lecture scene"):
    cap_title = st.text_input("Scene title", f"Flows {f.year_from}-{f.year_to}", key="scene_title")
    caption = st.text_area("Caption", "", key="scene_caption")
    if st.button("Add this view as a scene", key="scene_add"):
        st.session_state.setdefault("my_scenes", []).append({
            "id": f"scene-{len(st.session_state.get('my_scenes', [])) + 1}", "title": cap_title,
            "date": str(f.year_from), "date_end": str(f.year_to),
            "filters": {k: list(v) for k, v in (("nationality", f.nationalities), ("category", f.categories)) if v},
            "view": view, "group": group, "text": caption, "citations": []})
        st.success(f"Added as scene {len(st.session_state['my_scenes'])}; play it on the Lecture page.")
st.subheader("The flows as a table")
st.caption("Text equivalent of the map (for screen readers and for checking): known counts summed; low and high add the "
           "sources' bounds. Open the Explorer page for every record with its source.")
st.dataframe(ui.flows_table(f, group), hide_index=True, width="stretch")
