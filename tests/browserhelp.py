"""Shared helpers for the browser tests (Playwright pages of the running app)."""

from __future__ import annotations

import time

from playwright.sync_api import Error as PlaywrightError


def flow_frame(page, timeout: float = 60.0, title: str = ""):
    """The iframe holding a flow map (``window.atlasMap.setYear`` defined), waiting for Streamlit to send it.

    ``title`` picks the map whose accessible title contains it ("grouped by polity"), so a test
    does not read the previous map while a rerun is replacing it.
    """
    deadline = time.time() + timeout
    while time.time() < deadline:
        for f in page.frames[1:]:
            try:
                if f.evaluate("(t) => !!(window.atlasMap && window.atlasMap.setYear) && "
                              "window.atlasMap.map.getContainer().getAttribute('aria-label').includes(t)", title):
                    return f
            except PlaywrightError:  # a frame being replaced by a rerun
                continue
        page.wait_for_timeout(200)  # lets Playwright process events (time.sleep would not)
    raise AssertionError("no flow map iframe")
