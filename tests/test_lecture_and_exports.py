"""Lecture mode (scenes, keys, scene URLs, a lecturer's own scenes) and the static exports."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from browserhelp import flow_frame
from geo import cli
from geo.borders import bundled_borders
from geo.dataset import bundled_dataset
from geo.flows import Filters
from geo.lecture import check_scenes, dump_scenes, load_scene_file
from geo.records import TableError
from geo.render import render_bytes, render_figure


@pytest.fixture(scope="module")
def ds():
    return bundled_dataset()


# ---- static exports --------------------------------------------------------------------------------

def test_the_1941_kazakhstan_svg_has_title_legend_and_flows(ds):
    svg = render_bytes(ds.records, bundled_borders(), Filters(1941, 1941), "svg", view="kazakhstan", group="oblast")
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    flows = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if (g.get("id") or "").startswith("flow:")]
    assert len(flows) >= 5
    assert any("Kazakh" in (g.get("id") or "") or "Oblast" in (g.get("id") or "") for g in flows)
    text = svg.decode("utf-8")
    assert "legend_1" in text  # matplotlib's legend group
    assert root.find(".//s:g[@id='legend_1']", ns) is not None


def test_the_figure_has_what_a_slide_needs(ds):
    fig = render_figure(ds.records, bundled_borders(), Filters(1941, 1941), view="kazakhstan", group="oblast")
    texts = [t.get_text() for t in fig.fig.texts] + [fig.fig._suptitle.get_text()]
    assert any("1941" in t and "Movements" in t for t in texts)
    assert any(t.startswith("Sources:") for t in texts)
    ax = fig.fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "deportation" in legend and any(t.endswith("people") for t in legend) and "count unknown" in legend
    drawn = [ln for ln in ax.get_lines() if (ln.get_gid() or "").startswith("flow:")]
    assert len(drawn) == len(fig.flows) >= 5
    widths = sorted(ln.get_linewidth() for ln in drawn)
    assert widths[-1] > widths[0]  # width follows people
    w, h = fig.fig.get_size_inches() * fig.fig.dpi
    assert (w, h) == (1920, 1080)


def test_render_cli_writes_png_gif_and_offline_html(tmp_path, sample):
    from PIL import Image

    assert cli.main(["render", "--date", "1941-10", "--view", "kazakhstan", "--out", str(tmp_path / "m.png")]) == 0
    assert Image.open(tmp_path / "m.png").size == (1920, 1080)
    assert cli.main(["render", "--date", "1936", "--to", "1938", "--out", str(tmp_path / "a.gif")]) == 0
    assert Image.open(tmp_path / "a.gif").n_frames == 3
    assert cli.main(["render", "--date", "1941", "--data", str(sample), "--out", str(tmp_path / "mine.html")]) == 0
    html = (tmp_path / "mine.html").read_text("utf-8")
    assert "window.atlasMap" in html and "Энгельс" in html  # the user's records, with the year player
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=['\"]?https?:", html)
    assert cli.main(["render", "--date", "1941", "--out", str(tmp_path / "m.jpg")]) == 1
    assert not list(tmp_path.glob(".*.tmp"))  # nothing half-written left behind


# ---- scenes -----------------------------------------------------------------------------------------

def test_scene_files_round_trip_and_bad_ones_are_named(ds):
    scenes = check_scenes(ds.stories)
    assert load_scene_file(dump_scenes(scenes).encode()) == scenes
    with pytest.raises(TableError, match="scene 2 needs at least a title and a date"):
        check_scenes([{"title": "a", "date": "1941"}, {"title": ""}])
    with pytest.raises(TableError, match="scene 1 .*unreadable date"):
        check_scenes([{"title": "a", "date": "soon"}])
    with pytest.raises(TableError, match="not readable YAML"):
        load_scene_file(b"- [unclosed")


def _lecture_frame(page, timeout=60000):
    import time

    deadline = time.time() + timeout / 1000
    while time.time() < deadline:
        for f in page.frames[1:]:
            try:
                if f.evaluate("() => !!window.lecture"):
                    return f
            except Exception:
                continue
        page.wait_for_timeout(200)
    raise AssertionError("no lecture frame")


def test_stepping_through_three_scenes_with_the_keyboard(chrome, app_url, artifacts):
    page = chrome.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(app_url + "/Lecture?scene=2")
    frame = _lecture_frame(page)
    seen = []
    for _ in range(3):
        seen.append((frame.inner_text("#title"), frame.inner_text("#period"), frame.inner_text("#text")[:60],
                     tuple(sorted(f["o"] + ">" + f["d"] for f in frame.evaluate("() => window.lecture.drawn()")))))
        page.keyboard.press("PageDown")  # what a presentation clicker sends, to the Streamlit page
        page.wait_for_timeout(300)
    assert len({s[0] for s in seen}) == 3  # title, period, caption and flows all change with the scene
    assert len({s[1] for s in seen}) == 3 and len({s[2] for s in seen}) == 3 and len({s[3] for s in seen}) == 3
    assert seen[0][1] == "1922–1934"  # scene 2, the builders from abroad
    assert "scene=5" in page.url  # the address follows the scene
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(300)
    assert frame.evaluate("() => window.lecture.index") == 3 and "scene=4" in page.url
    page.screenshot(path=str(artifacts / "lecture_scene4.png"))
    assert not errors, errors
    page.close()


def test_a_scene_url_restores_the_scene(chrome, app_url):
    page = chrome.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app_url + "/Lecture?scene=6")
    frame = _lecture_frame(page)
    assert frame.evaluate("() => window.lecture.index") == 5
    assert "Polish citizens" in frame.inner_text("#title") and frame.inner_text("#period") == "1940"
    assert any("Historia na mapie" in c for c in frame.locator(".cite").all_inner_texts())
    page.close()


def test_a_lecturer_adds_the_current_view_as_a_scene_and_plays_it(chrome, app_url):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url + "/?years=1937-1937&nat=Korean")
    flow_frame(page)
    page.get_by_text("Add this view as a lecture scene").click()
    page.get_by_label("Scene title").fill("Koreans, autumn 1937")
    page.get_by_label("Caption").fill("Two arrows that add up to Yezhov's total.")
    page.get_by_role("button", name="Add this view as a scene").click()
    page.get_by_text("Added as scene 1").wait_for(timeout=30000)
    page.get_by_role("link", name="Lecture").click()
    page.get_by_text("My scenes", exact=True).first.click()  # the set selector appears once there are own scenes
    page.wait_for_timeout(1500)
    frame = _lecture_frame(page)
    for _ in range(50):
        if frame.inner_text("#title") == "Koreans, autumn 1937":
            break
        page.wait_for_timeout(200)
        frame = _lecture_frame(page)
    assert frame.inner_text("#title") == "Koreans, autumn 1937"
    assert "Yezhov" in frame.inner_text("#text")
    drawn = frame.evaluate("() => window.lecture.drawn()")
    assert sorted(f["d"] for f in drawn if f["p"] > 0) == ["Kazakhstan (republic)", "Uzbek SSR"]
    page.close()


def test_the_lecture_page_speaks_the_chosen_language(chrome, app_url, ds):
    page = chrome.new_page(viewport={"width": 1280, "height": 900})
    page.goto(app_url + "/Lecture?scene=4&lang=kk")
    frame = _lecture_frame(page)
    assert frame.inner_text("#count") == f"Сахна 4 / {len(ds.stories)}"  # one scene per bundled story
    assert frame.inner_text("#prev").endswith("Алдыңғы") and "undefined" not in frame.inner_text("#nav")
    assert "адам" in frame.inner_text("#total") and "\u00a0" in frame.inner_text("#total")  # 241 758 адам
    page.close()


def test_an_export_names_the_states_and_the_capitals_of_its_day_and_no_others(ds):
    borders = bundled_borders()
    fig = render_figure(ds.records, borders, Filters(1938, 1938), view="europe")
    ax = fig.fig.axes[0]
    words = {t.get_text() for t in ax.texts}
    capitals = {ln.get_gid()[len("capital:"):] for ln in ax.get_lines() if (ln.get_gid() or "").startswith("capital:")}
    assert {"POLAND", "ROMANIA"} <= words  # the states of 31 December 1938, by the name of that day
    assert {"Moscow", "Warsaw", "Kaunas", "Riga"} <= capitals and capitals <= words  # each square is named
    assert "Vilnius" not in words  # Lithuania's capital in 1938 is Kaunas (capitals.csv)
    later = render_figure(ds.records, borders, Filters(1944, 1944), view="europe")
    named = {ln.get_gid() for ln in later.fig.axes[0].get_lines() if (ln.get_gid() or "").startswith("capital:")}
    assert "capital:Moscow" in named and "capital:Kaunas" not in named and "capital:Warsaw" not in named
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("capital" in t for t in legend)
    ru = render_figure(ds.records, borders, Filters(1941, 1941), view="kazakhstan", group="oblast", kazakhstan=True,
                       lang="ru")
    ru_words = {t.get_text() for t in ru.fig.axes[0].texts}
    assert "Караганда" in ru_words and "Karaganda" not in ru_words  # the oblast centres in the page's language
