"""Page logic of the placeholder app (Streamlit AppTest, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _run(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_default_date_and_url_state():
    at = _run()
    assert not at.exception
    assert at.date_input[0].value.isoformat() == "1941-06-01"
    assert at.query_params["date"] == ["1941-06-01"] or at.query_params["date"] == "1941-06-01"


def test_date_from_the_url_is_shown():
    at = _run(date="1930-06-01")
    assert at.date_input[0].value.isoformat() == "1930-06-01"
    table = at.dataframe[0].value
    assert "Free City of Danzig" in set(table["name"])
    assert "Kazakh ASSR" in set(table["name"])


@pytest.mark.parametrize("bad", ["3000-01-01", "yesterday", "1900-05-05"])
def test_bad_date_in_the_url_falls_back_with_a_visible_note(bad):
    at = _run(date=bad)
    assert not at.exception
    assert at.date_input[0].value.isoformat() == "1941-06-01"
    assert at.warning and bad in at.warning[0].value


def test_changing_the_date_updates_the_url_and_the_table():
    at = _run()
    import datetime as dt

    at.date_input[0].set_value(dt.date(1945, 6, 1)).run()
    assert "1945-06-01" in str(at.query_params["date"])
    assert "Kokchetav Oblast" in set(at.dataframe[0].value["name"])
