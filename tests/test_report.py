"""One speed table in the README, and it is the one benchmarks/report.py writes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import report  # noqa: E402

HEADER = "| figure | ours | target | peer | peer / ours |"


def test_the_readme_has_one_speed_table_between_the_reports_markers():
    text = (ROOT / "README.md").read_text("utf-8")
    assert text.count(report.BEGIN) == 1 and text.count(report.END) == 1
    inside = text.split(report.BEGIN)[1].split(report.END)[0]
    outside = text.replace(inside, "")
    assert inside.count(HEADER) == 1 and "benchmarks/report.py" in inside  # a table, signed by the run that made it
    for sign in ("peer / ours", "µs/point", "us/point", "| method |", "× faster", "x faster"):
        assert sign not in outside, f"a second speed figure outside the generated table: {sign!r}"
    rows = [ln for ln in inside.splitlines() if ln.startswith("| ") and ln != HEADER]
    assert any("one sjoin of the distinct points, then a date filter" in r for r in rows)  # the best plain peer
    assert any("an sjoin per distinct date" in r for r in rows)  # and the slow one, both with their ratio
    assert all(r.rstrip("| ").endswith("×") for r in rows if "sjoin" in r)


def test_rewrite_replaces_only_what_is_between_the_markers(tmp_path, monkeypatch):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n{report.BEGIN}\nold table\n{report.END}\nafter\n", "utf-8")
    monkeypatch.setattr(report, "README", readme)
    report._rewrite_readme("| new |")
    assert readme.read_text("utf-8") == f"# Title\n\nbefore\n{report.BEGIN}\n| new |\n{report.END}\nafter\n"
    readme.write_text("no markers\n", "utf-8")
    with pytest.raises(SystemExit, match="needs the markers"):
        report._rewrite_readme("| new |")


def test_the_table_gives_each_ratio_as_peer_over_ours():
    table = report._table([("lookup (s)", 0.5, "", 5.0), ("import (s)", 8.0, 10.0, float("nan"))], quick=False)
    lines = table.splitlines()
    assert lines[0] == HEADER and lines[2] == "| lookup (s) | 0.50 |  | 5.00 | 10.0× |"
    assert lines[3] == "| import (s) | 8.00 | 10.00 |  |  |"
