"""Page logic of the placeholder app (Streamlit AppTest, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app_pages" / "0_Borders_of_a_date.py")


def _run(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_default_date_and_url_state():
    at = _run()
    assert not at.exception
    assert at.date_input[0].value.isoformat() == "1941-06-01"
    assert at.query_params["date"] == "1941-06-01"  # Streamlit 1.67's AppTest gives the value, not a list


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



# ---- one state, carried everywhere -----------------------------------------------------------------------

def test_the_state_is_read_from_the_address_with_a_note_for_what_is_not_understood():
    import ui

    state, notes = ui.state_from_address({"lang": ["kk"], "years": ["1937-1939"], "nat": ["Korean", "German"],
                                          "group": ["polity"], "view": ["mars"], "date": ["1941-06-01"]})
    assert state == {"lang": "kk", "years": (1937, 1939), "nat": ["Korean", "German"], "cat": [], "origin": [],
                     "dest": [], "group": "polity", "view": "fit"}
    assert notes == [("note.unknown_view", {"value": "'mars'"})]
    assert ui.address_of(state) == {"years": "1937-1939", "lang": "kk", "group": "polity", "nat": ["Korean", "German"]}
    back, again = ui.state_from_address({k: v if isinstance(v, list) else [v] for k, v in ui.address_of(state).items()})
    assert back == {**state, "view": "fit"} and again == []
    default, none = ui.state_from_address({})
    assert default["years"] == ui.DEFAULT_YEARS and default["lang"] == "en" and none == []
    _, bad = ui.state_from_address({"lang": ["xx"], "years": ["1900-1910"], "group": ["galaxy"]})
    assert [k for k, _ in bad] == ["note.unknown_lang", "note.years_out", "note.unknown_group"]


def _pages():
    import ast

    tree = ast.parse((Path(HOME)).read_text("utf-8"))
    pages = next(n.value for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PAGES")
    return ast.literal_eval(pages)


def test_every_page_is_listed_with_a_title_and_an_icon_in_every_language():
    from geo.i18n import LANGS, catalog

    pages = _pages()
    files = {p.relative_to(Path(HOME).parent).as_posix() for p in (Path(HOME).parent / "app_pages").glob("*.py")}
    assert {p[0] for p in pages} == files  # no page left out of the navigation
    assert pages[0][3] == "" and len({p[3] for p in pages}) == len(pages)
    for _, key, icon, _ in pages:
        assert icon.startswith(":material/")
        en, ru, kk = (catalog(lang)[key] for lang in LANGS)
        assert en.isascii() and all(any("\u0400" <= c <= "\u04ff" for c in x) for x in (ru, kk)), (en, ru, kk)


def test_the_state_follows_the_visitor_through_every_page():
    at = AppTest.from_file(HOME, default_timeout=120)
    for k, v in {"lang": "ru", "nat": "Korean", "years": "1937-1940", "group": "polity", "view": "ussr"}.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    want = {"lang": "ru", "nat": "Korean", "years": "1937-1940", "group": "polity", "view": "ussr"}
    from geo.i18n import catalog

    for path, _key, _, _ in [*_pages()[1:], _pages()[0]]:
        at.switch_page(path).run()
        assert not at.exception, path
        assert {k: at.query_params[k] for k in want} == want, (path, dict(at.query_params))
        assert at.session_state["atlas"]["lang"] == "ru"  # (AppTest runs a page alone after switch_page)
        if path in ("app_pages/flows.py", "app_pages/2_Kazakhstan.py", "app_pages/3_Explorer.py"):
            assert at.slider(key="years").value == (1937, 1940), path
            assert at.multiselect(key="nat").value == ["Korean"], path
        if path == "app_pages/flows.py":
            assert at.radio(key="view").value == "ussr" and at.radio(key="group").value == "polity"
            assert at.title[0].value == catalog("ru")["home.title"]


# ---- in the browser ------------------------------------------------------------------------------------------

def _sidebar_state(page) -> dict:
    """What the sidebar shows: the language, the year slider's ends, the chosen nationalities."""
    sb = page.locator("[data-testid=stSidebar]")
    out = {"lang": sb.locator("[data-testid=stSelectbox] input").first.input_value()}
    thumbs = sb.get_by_role("slider")
    if thumbs.count():
        out["years"] = tuple(int(thumbs.nth(i).input_value()) for i in range(thumbs.count()))
        tags = sb.locator("[data-testid=stMultiSelect]").first.locator("[data-testid=stMultiSelectTagsContainer] span[title]")
        out["nat"] = tags.evaluate_all("(els) => els.map(e => e.title)")
    return out


def _settled_sidebar(page, want: dict, tries: int = 60, every_key: bool = False) -> dict:
    """The sidebar once it shows ``want`` (a rerun redraws it), or what it shows after ~12 s.

    By default a page without the filters passes once the language matches; ``every_key`` waits until every
    key of ``want`` is shown (a page that does have filters draws them a moment after the language box).
    """
    shown: dict = {}
    for _ in range(tries):
        try:
            shown = _sidebar_state(page)
        except PlaywrightError:  # an element being replaced by a rerun
            shown = {}
        if all(shown.get(k) == v for k, v in want.items() if every_key or k in shown or k == "lang"):
            return shown
        page.wait_for_timeout(200)
    return shown


def _open_sidebar(page) -> None:
    """Open the sidebar if the page collapsed it (the Lecture page does, for the projector)."""
    button = page.locator("[data-testid=stExpandSidebarButton]")
    if button.count() and button.first.is_visible():
        button.first.click()
        page.locator("[data-testid=stSidebarNav]").wait_for(state="visible", timeout=10000)


def _click_nav(page, title: str, tries: int = 4) -> None:
    """Click a page's link in the sidebar, opening the sidebar first; again if a page folded it away meanwhile
    (the Lecture page folds it for the projector a moment after it is drawn)."""
    for k in range(tries):
        _open_sidebar(page)
        try:
            page.locator("[data-testid=stSidebarNav] a", has_text=title).first.click(timeout=8000)
            return
        except PlaywrightError:
            if k == tries - 1:
                raise
            page.wait_for_timeout(500)


def _wait_url(page, *parts: str, timeout: float = 30000) -> None:
    page.wait_for_function("(ps) => ps.every(p => decodeURIComponent(location.href).includes(p))", arg=list(parts),
                           timeout=timeout)


def test_choices_made_on_one_page_follow_through_every_page_and_a_reload(chrome, app_url, artifacts):
    from geo.i18n import catalog

    ru = catalog("ru")
    page = chrome.new_page(viewport={"width": 1366, "height": 900})
    page.goto(app_url + "/")
    page.get_by_role("heading", name=catalog("en")["home.title"]).wait_for(timeout=60000)
    # set everything with the widgets, as a visitor would
    page.get_by_role("combobox", name="Language").click()
    page.get_by_role("option", name="Русский").click()
    page.get_by_role("heading", name=ru["home.title"]).wait_for(timeout=30000)
    sb = page.locator("[data-testid=stSidebar]")
    sb.get_by_role("combobox", name=ru["filters.nationality"]).click()
    page.keyboard.type(ru["nat.Korean"][:5])  # the list is long: narrow it as a visitor would
    page.get_by_role("option", name=ru["nat.Korean"], exact=True).click()
    page.keyboard.press("Escape")
    _wait_url(page, "nat=Korean")
    thumbs = sb.get_by_role("slider")
    thumbs.nth(0).focus()
    page.keyboard.press("ArrowRight")  # 1936 -> 1937
    thumbs.nth(1).focus()
    for _ in range(4):
        page.keyboard.press("ArrowLeft")  # 1944 -> 1940
    _wait_url(page, "years=1937-1940")
    sb.get_by_text(ru["group.polity"], exact=True).click()
    _wait_url(page, "group=polity")
    sb.get_by_text(ru["view.ussr"], exact=True).click()
    _wait_url(page, "view=ussr")
    want = ("lang=ru", "years=1937-1940", "nat=Korean", "group=polity", "view=ussr")
    nav = [t.strip() for t in page.locator("[data-testid=stSidebarNav] a").all_inner_texts()]
    titles = [ru[k] for k in ("nav.flows", "nav.kazakhstan", "nav.explorer", "nav.lecture", "nav.lives", "nav.import",
                              "nav.borders", "nav.border_sources", "nav.sources")]
    assert [n.splitlines()[-1] for n in nav] == titles  # every page listed, titled in Russian (no "app")
    # a public face: no developer chrome (Deploy, the menu with Rerun and Clear cache)
    assert page.get_by_role("button", name="Deploy").count() == 0
    assert page.locator("[data-testid=stMainMenu], [data-testid=stAppDeployButton]").count() == 0
    for title in [*titles[1:], titles[0]]:
        _click_nav(page, title)
        _wait_url(page, *want)
        page.wait_for_function("(t) => document.title.startsWith(t)", arg=title, timeout=30000)
        shown = _settled_sidebar(page, {"lang": "Русский", "years": (1937, 1940), "nat": [ru["nat.Korean"]]})
        assert shown["lang"] == "Русский", (title, shown)
        if "years" in shown:
            assert shown["years"] == (1937, 1940) and shown["nat"] == [ru["nat.Korean"]], (title, shown)
    page.reload()
    page.get_by_role("heading", name=ru["home.title"]).wait_for(timeout=60000)
    _wait_url(page, *want, timeout=60000)
    kept = {"lang": "Русский", "years": (1937, 1940), "nat": [ru["nat.Korean"]]}
    assert _settled_sidebar(page, kept, every_key=True) == kept
    assert sb.get_by_role("radio", name=ru["view.ussr"]).is_checked()
    assert sb.get_by_role("radio", name=ru["group.polity"]).is_checked()
    page.locator("[data-testid=stSidebarNav] a", has_text=ru["nav.kazakhstan"]).first.click()
    _wait_url(page, "/Kazakhstan", *want)
    page.reload()  # a reload on another page keeps it too
    page.get_by_role("heading", name=ru["kz.title"]).wait_for(timeout=60000)
    _wait_url(page, *want)
    assert _settled_sidebar(page, kept, every_key=True) == kept
    page.close()


# ---- Kazakhstan: every record bound for Kazakhstan is counted in one oblast or listed apart -----------------

def test_a_record_is_in_one_oblast_or_listed_apart_never_in_neither():
    import pandas as pd

    from geo.flows import beyond_oblasts, oblast_arrivals

    def rec(id_, kz="", aut="", rep="", pol="USSR", pid="x"):
        return {"id": id_, "destination_kz_region": kz, "destination_autonomy": aut, "destination_republic": rep,
                "destination_polity": pol, "destination_place": id_, "destination_place_id": pid, "count": 10.0}

    r = pd.DataFrame([
        rec("one-oblast", kz="Pavlodar Oblast", rep="Kazakh SSR"),
        rec("oblast-changed", kz="Karaganda Oblast → North Kazakhstan Oblast", rep="Kazakh ASSR → Kazakh SSR"),
        rec("republic-1940", rep="Kazakh SSR", pid="KAZ"),
        rec("assr-1930", aut="Kazakh ASSR", rep="Russian SFSR", pid="KAZ"),
        rec("moscow", rep="Russian SFSR"),
        rec("berlin", pol="Germany"),
    ])
    assert oblast_arrivals(r)["records"].sum() == 1
    assert beyond_oblasts(r)["id"].tolist() == ["oblast-changed", "republic-1940", "assr-1930"]


def test_the_bundled_records_bound_for_kazakhstan_are_all_on_the_kazakhstan_page():
    from geo.dataset import bundled_dataset
    from geo.flows import _republic, beyond_oblasts, oblast_arrivals

    r = bundled_dataset().records
    bound = r[(r["destination_kz_region"] != "") | _republic(r, "destination").str.startswith("Kazakh ")]
    per_oblast = oblast_arrivals(r)  # a detail (detail_of) is listed in its oblast's row, apart from the drawn records
    assert (per_oblast["records"] + per_oblast["detail_records"]).sum() + len(beyond_oblasts(r)) == len(bound) > 0
    assert "rep-1938-alzhir" in set(beyond_oblasts(r)["id"])  # its oblast changed in 1938: it used to vanish


@pytest.mark.parametrize("which", ["shipped", "shared"])
def test_the_sample_register_1936_record_to_north_kazakhstan_oblast_is_listed_on_the_page(which, request):
    from geo.borders import bundled_borders
    from geo.gazetteer import bundled_gazetteer
    from geo.importer import SAMPLE
    from geo.join import join_records
    from geo.records import read_table, to_canonical

    path = SAMPLE if which == "shipped" else request.getfixturevalue("sample")  # data/examples, ../shared/samples
    res = join_records(to_canonical(read_table(path).frame)[0], bundled_borders(),
                       bundled_gazetteer().fork())
    yours = res.accepted.assign(dataset="yours", id=lambda d: "yours-" + d["row"].astype(str))
    want = int(yours.loc[yours["destination"] == "Северо-Казахстанская обл.", "count"].iloc[0])
    at = AppTest.from_file(str(Path(HOME).parent / "app_pages" / "2_Kazakhstan.py"), default_timeout=120)
    at.session_state["mine"] = {"records": yours, "name": path.name, "borders": None}
    at.session_state["atlas_show"] = "yours"
    at.query_params["years"] = "1936-1936"
    at.run()
    assert not at.exception
    per_oblast, apart = at.dataframe[0].value, at.dataframe[1].value
    row = apart[apart["destination as written"] == "Северо-Казахстанская обл."].iloc[0]
    assert row["oblast(s) of the date"] == "Karaganda Oblast → North Kazakhstan Oblast" and row["count"] == want
    assert per_oblast["records"].sum() + len(apart) == 1  # the only 1936 record, counted once


def test_a_deep_link_as_the_first_request_after_a_start_gets_the_atlas_and_its_navigation(chrome):
    """A folder named ``pages/`` beside app.py would put Streamlit in its old multipage mode until someone opened
    the home page: a lecturer's link to /Lecture after a restart then showed pages named "app" and no language
    selector. The pages live in app_pages/ and the first request of a fresh server is a deep link here."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from geo.i18n import catalog

    assert not (Path(HOME).parent / "pages").exists()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = Path(HOME).parent
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", HOME, "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=root,
                            env=dict(os.environ, PYTHONPATH=str(root)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        kk = catalog("kk")
        page = chrome.new_page(viewport={"width": 1366, "height": 768})
        page.goto(url + "/Import?lang=kk")
        page.get_by_role("heading", name=kk["import.title"]).wait_for(timeout=60000)
        nav = page.locator("[data-testid=stSidebarNav] a")
        nav.first.wait_for(timeout=30000)
        titles = [x.strip().splitlines()[-1] for x in nav.all_inner_texts()]
        assert titles[0] == kk["nav.flows"] and kk["nav.import"] in titles and "app" not in titles, titles
        assert page.locator("[data-testid=stSidebar]").get_by_role("combobox", name=kk["lang.label"]).count() == 1
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


SIZES = [(390, 844), (1366, 768), (1920, 1080)]
#: (address, a text of the page to wait for, whether a map is the page's subject)
LAYOUT_PAGES = [("/", "Flows into the USSR", True), ("/Kazakhstan", "Arrivals in the Kazakh oblasts", True),
                ("/Explorer", "Records and downloads", False), ("/Lecture", "Download this lecture", True),
                ("/Import", "Import your records", False), ("/Borders_of_a_date", "Borders of a date", True),
                ("/Border_sources", "Lines drawn by the project", False), ("/Sources_and_method", "Bibliography", False)]


@pytest.mark.parametrize("width, height", SIZES)
def test_every_page_fits_the_screen_and_a_map_starts_above_the_fold(chrome, app_url, artifacts, width, height):
    from browserhelp import wait_idle

    out = artifacts / "layout"
    out.mkdir(exist_ok=True)
    phone = width < 500
    page = chrome.new_page(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    for path, text, is_map in LAYOUT_PAGES:
        page.goto(app_url + path)
        page.get_by_text(text).first.wait_for(state="attached", timeout=90000)
        wait_idle(page)
        page.wait_for_timeout(500)
        name = path.strip("/") or "Flows"
        page.screenshot(path=str(out / f"{name}_{width}x{height}.png"))
        fit = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert fit[0] <= fit[1], (path, fit)  # nothing wider than the screen
        if is_map:
            box = page.locator("[data-testid=stMain] iframe").first.bounding_box()
            assert box and box["width"] <= width
            if not phone:  # a laptop sees the map under a compact header, not a screenful of text
                assert box["y"] < 0.3 * height, (path, box)
            top = page.evaluate("([x, y]) => { const e = document.elementFromPoint(x, y); "
                                "return e.tagName === 'IFRAME' ? 'IFRAME' : e.outerHTML.slice(0, 300); }",
                                [box["x"] + box["width"] / 2, box["y"] + 4])
            assert top == "IFRAME", (path, top)  # nothing (the app's header) covers the top of the map
    page.close()
