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
            if _is_flow_map(f, title):
                return f
        page.wait_for_timeout(200)  # lets Playwright process events (time.sleep would not)
    raise AssertionError("no flow map iframe")


def _is_flow_map(frame, title: str) -> bool:
    try:
        return bool(frame.evaluate("(t) => !!(window.atlasMap && window.atlasMap.setYear) && "
                                   "window.atlasMap.map.getContainer().getAttribute('aria-label').includes(t)", title))
    except PlaywrightError:  # a frame being replaced by a rerun
        return False


def wait_idle(page, timeout: float = 60.0) -> None:
    """Until Streamlit has finished the current run (the app's script state stays "not running" for 0.6 s)."""
    deadline, quiet = time.time() + timeout, 0
    while time.time() < deadline:
        state = page.evaluate("() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')")
        quiet = quiet + 1 if state not in ("running", "rerunRequested", "initial", None) else 0
        if quiet >= 3:
            return
        page.wait_for_timeout(200)
    raise AssertionError("the app did not finish its run")
