"""The notebook in docs/: committed clean, offline by construction (it is executed by nbmake as a test of its own)."""

from __future__ import annotations

import json
import re
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "atlas_in_jupyter.ipynb"


def _code() -> list[str]:
    cells = json.loads(NOTEBOOK.read_text("utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def test_the_notebook_is_committed_without_outputs():
    cells = json.loads(NOTEBOOK.read_text("utf-8"))["cells"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in cells if c["cell_type"] == "code")


def test_every_map_in_the_notebook_is_drawn_without_tiles():
    # folium fetches nothing while a notebook executes, so a tile layer would pass the run and fail offline readers
    code = "\n".join(_code())
    maps = len(re.findall(r"folium\.Map\(", code)) + len(re.findall(r"\.explore\((?!\s*m=)", code))  # calls making a map
    assert maps >= 3 and code.count("tiles=None") == maps
    assert not re.search(r"https?://", code)


def test_the_flowlayer_cell_is_marked_for_issue_14():
    assert any(c.lstrip().startswith("# FLOWLAYER-PLACEHOLDER (issue 14)") for c in _code())
