"""Page logic of the placeholder app (Streamlit AppTest, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "pages" / "0_Borders_of_a_date.py")


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


HOME = str(Path(__file__).resolve().parent.parent / "app.py")


def _home(**params) -> AppTest:
    at = AppTest.from_file(HOME, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_flow_page_defaults_and_writes_its_state_to_the_url():
    at = _home()
    assert not at.exception
    assert at.slider[0].value == (1936, 1944)
    assert "1936-1944" in str(at.query_params["years"])
    flows = at.dataframe[0].value
    assert (flows["people (known counts)"] > 0).any()


def test_filters_from_the_url_change_the_totals():
    at = _home(years="1937-1937", nat="Korean", group="polity")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["People (known counts)"] == "171,781"
    assert set(at.dataframe[0].value["destination"]) == {"Kazakh SSR", "Uzbek SSR"}


@pytest.mark.parametrize("params, fragment", [({"years": "3000"}, "outside"), ({"nat": "Martian"}, "Martian"),
                                              ({"group": "galaxy"}, "galaxy"), ({"view": "mars"}, "mars")])
def test_bad_url_parameters_fall_back_with_a_note(params, fragment):
    at = _home(**params)
    assert not at.exception
    assert any(fragment in w.value for w in at.warning)


def test_the_map_element_carries_no_asset_from_outside():
    at = _home(years="1941-1941")
    frames = at.get("iframe")
    assert len(frames) == 1
    html = frames[0].proto.srcdoc
    import re

    from maphelp import player_data

    assert not re.search(r"<(script|link|img)[^>]+(src|href)=['\"]?(https?:)?//", html)
    assert not re.search(r"url\(['\"]?(https?:)?//", html)
    # Leaflet and the map scripts are linked from the app's own static files, not inlined into every frame
    assert re.search(r'<script src="/app/static/atlas/player.js\?v=\w+"></script>', html) and "L.Map = " not in html
    ends = {f["o"] for f in player_data(html)["frames"]["1941"]}
    assert any("European part of the USSR" in e for e in ends) and any("Polesie" in e for e in ends)  # the 1941 flows

