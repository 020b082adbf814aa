"""Historical migration atlas: the entry point (``streamlit run app.py``).

Runs on every page: the visitor's state (language, years, filters, grouping, view) from the address, the
language selector, the pages titled in the chosen language, then the page itself (``app_pages/``).
"""

from __future__ import annotations

import streamlit as st

import ui
from geo.i18n import t

#: (script, title key, icon, address). The first is the home page, at the root of the site.
PAGES = (
    ("app_pages/flows.py", "nav.flows", ":material/route:", ""),
    ("app_pages/2_Kazakhstan.py", "nav.kazakhstan", ":material/map:", "Kazakhstan"),
    ("app_pages/3_Explorer.py", "nav.explorer", ":material/table_view:", "Explorer"),
    ("app_pages/6_Lecture.py", "nav.lecture", ":material/co_present:", "Lecture"),
    ("app_pages/5_Import.py", "nav.import", ":material/upload_file:", "Import"),
    ("app_pages/0_Borders_of_a_date.py", "nav.borders", ":material/public:", "Borders_of_a_date"),
    ("app_pages/1_Border_sources.py", "nav.border_sources", ":material/history_edu:", "Border_sources"),
    ("app_pages/4_Sources_and_method.py", "nav.sources", ":material/menu_book:", "Sources_and_method"),
)

st.set_page_config(page_title=t("app.name"), page_icon="🗺️", layout="wide")  # an emoji favicon is drawn locally; a
# material one is fetched from fonts.gstatic.com (the pages' own icons are in the bundled font)
ui.idle_trimmer().touch()  # a run: memory is trimmed again once the server has been quiet for 30 s
L = ui.lang()
page = st.navigation([st.Page(path, title=t(key, L), icon=icon, url_path=url, default=not url)
                      for path, key, icon, url in PAGES])
st.set_page_config(page_title=f"{page.title} · {t('app.name', L)}")
ui.language_selector()
ui.enter(page.url_path)
ui.style()
ui.show_notes()
page.run()
