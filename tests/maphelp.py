"""Helpers for tests of the map pages: the data a plugin was given, as the page received it."""

from __future__ import annotations

import json
import re


def plugin_data(html: str, call: str) -> dict:
    """The JSON object passed to ``Atlas.<call>(map, {...})`` in a rendered page."""
    m = re.search(r"Atlas\." + call + r"\(map_\w+, (\{.*?\})\);\n", html, re.DOTALL)
    if not m:
        raise AssertionError(f"no Atlas.{call}(...) call in the page")
    return json.loads(m.group(1))


def player_data(html: str) -> dict:
    """The data of the page's flow player (``geo.flowlayer.FlowLayer``)."""
    return plugin_data(html, "player")


def whole_period(data: dict) -> list[dict]:
    """The flows the player draws on "All": its own list, or the one year's frame it stands for (``all_is``)."""
    return data["all"] if data.get("all") is not None else data["frames"][data["all_is"]]
