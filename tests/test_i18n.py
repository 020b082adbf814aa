"""English, Russian and Kazakh: complete catalogs, names of the era, numbers, and the switch in the browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browserhelp import flow_frame
from geo.i18n import LANGS, catalog, fmt_date, fmt_int, place_label, t, unit_label, value_label
from geo.records import CANONICAL
from geo.vocabulary import CATEGORIES

ROOT = Path(__file__).resolve().parent.parent


def test_every_language_has_every_key_with_the_same_placeholders():
    keys = set(catalog("en"))
    for lang in LANGS:
        assert set(catalog(lang)) == keys, (lang, set(catalog(lang)) ^ keys)
        for k, v in catalog(lang).items():
            assert v.strip(), (lang, k)
            assert set(re.findall(r"{(\w+)}", v)) == set(re.findall(r"{(\w+)}", catalog("en")[k])), (lang, k)


def test_every_key_the_code_asks_for_exists():
    used = set()
    for path in [*ROOT.glob("*.py"), *ROOT.glob("app_pages/*.py"), *ROOT.glob("geo/*.py")]:
        text = path.read_text("utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[A-Za-z_ .]+)["']""", text))
    for path in [*ROOT.glob("geo/*.html"), *ROOT.glob("geo/*.js"), *ROOT.glob("geo/static/*.js")]:
        used |= set(re.findall(r"""T\[['"]([a-z_]+\.[a-z_]+)['"]\]""", path.read_text("utf-8")))
    assert len(used) > 60
    missing = sorted(k for k in used if k not in catalog("en"))
    assert not missing, missing
    # keys built from a value, spelled exactly as the code builds them (ui.py, geo/i18n.py, app_pages/*)
    for prefix, values in (("view.", ("europe", "ussr", "kazakhstan")), ("group.", ("place", "polity", "oblast")),
                           ("shown.", ("both", "yours", "bundled")), ("cat.", CATEGORIES),
                           ("lecture.scenes_", ("ours", "mine")), ("col.", CANONICAL),
                           ("imp.status_", ("accepted", "accepted_with_warnings", "rejected")),
                           ("imp.delim_", ("detect", "semicolon", "comma", "tab")),
                           ("layer.", ("polities", "republics", "kazakh_regions", "occupation"))):
        for v in values:
            assert f"{prefix}{v}" in catalog("en"), (prefix, v)


def test_a_missing_translation_fails_loudly_in_tests_but_falls_back_for_visitors(tmp_path, monkeypatch):
    from geo import i18n

    bad = tmp_path / "i18n"
    bad.mkdir()
    for lang in LANGS:
        text = (ROOT / "data/i18n" / f"{lang}.yaml").read_text("utf-8")
        if lang == "kk":
            text = "\n".join(ln for ln in text.splitlines() if not ln.startswith("map.play:"))
        (bad / f"{lang}.yaml").write_text(text, "utf-8")
    monkeypatch.setattr(i18n, "I18N_DIR", bad)
    i18n.catalog.cache_clear()
    try:
        assert "map.play" not in i18n.catalog("kk")
        assert i18n.t("map.play", "kk") == "Play"  # a visitor still gets a word
        with pytest.raises(AssertionError):
            test_every_language_has_every_key_with_the_same_placeholders()
    finally:
        monkeypatch.undo()
        i18n.catalog.cache_clear()


@pytest.mark.parametrize("lang, alma, pishpek, moscow", [
    ("en", "Alma-Ata (Almaty)", "Pishpek (Bishkek)", "Moscow"),
    ("ru", "Алма-Ата (Алматы)", "Пишпек (Бишкек)", "Москва"),
    ("kk", "Алматы (Алма-Ата)", "Бішкек (Пишпек)", "Мәскеу"),
])
def test_places_are_named_as_in_their_era_and_language(lang, alma, pishpek, moscow):
    assert place_label("almaty", "Almaty (KZ)", 1941, lang) == alma
    assert place_label("bishkek", "Bishkek (KG)", 1925, lang) == pishpek
    assert place_label("gn:524901", "Moscow (RU)", 1941, lang) == moscow
    assert place_label("almaty", "Almaty (KZ)", 1995, "en") == "Almaty"  # after 1993 there is nothing to add


def test_units_categories_nationalities_numbers_and_dates():
    assert unit_label("Kazakh SSR", "ru") == "Казахская ССР" and unit_label("Kazakh SSR", "kk") == "Қазақ КСР"
    assert unit_label("Poland → USSR", "ru") == "Польша → СССР"
    assert value_label("cat", "deportation", "kk") == "жер аудару" and value_label("nat", "Korean", "ru") == "корейцы"
    assert fmt_int(1250, "en") == "1,250" and fmt_int(1250, "ru") == "1\u00a0250" and fmt_int(1250, "kk") == "1\u00a0250"
    assert fmt_date("1937-10-25", "en") == "25 Oct 1937" and fmt_date("1937-10-25", "ru") == "25.10.1937"
    assert fmt_date("1941-09", "kk") == "қыркүйек 1941" and fmt_date("1941", "ru") == "1941"
    assert t("export.download", "ru", fmt="PNG") == "Скачать PNG"


def _metric_labels(page):
    return [x.strip() for x in page.locator("[data-testid=stMetricLabel]").all_inner_texts()]


def test_switching_language_changes_the_labels_and_stays_in_the_url(chrome, app_url):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url + "/?years=1941-1941")
    flow_frame(page)
    assert "People (known counts)" in _metric_labels(page)
    page.get_by_role("combobox", name="Language").click()
    page.get_by_role("option", name="Русский").click()
    page.get_by_text("Людей (известная численность)").wait_for(timeout=30000)
    assert "lang=ru" in page.url
    frame = flow_frame(page, title="")
    for _ in range(50):
        frame = flow_frame(page)
        if frame.inner_text("#allbtn") == "Все":
            break
        page.wait_for_timeout(200)
    assert frame.inner_text("#allbtn") == "Все" and "Категория" in frame.inner_text(".atlas-legend")
    copied = page.url
    other = chrome.new_page(viewport={"width": 1400, "height": 1000})
    other.goto(copied.replace("lang=ru", "lang=kk"))
    other.get_by_text("Адамдар (саны белгілі)").wait_for(timeout=30000)
    f2 = flow_frame(other)
    assert f2.inner_text("#allbtn") == "Барлығы"
    f2.evaluate("() => window.atlasMap.setYear(null)")
    ends = [d["d"] for d in f2.evaluate("() => window.atlasMap.drawn()")]
    assert "Қазақстан (республика)" in ends, ends  # place labels follow the language too
    other.goto(app_url + "/?lang=xx")
    other.get_by_text("Unknown language 'xx' in the address; showing English.").wait_for(timeout=30000)
    page.close()
    other.close()


# ---- every page, every visible string, in Russian and Kazakh ---------------------------------------------

#: Latin words a Russian or Kazakh page may show: formats, file and column names a file must carry, keys.
LATIN_OK = {"CSV", "XLSX", "JSON", "YAML", "GeoJSON", "PNG", "SVG", "PDF", "HTML", "GIF", "UTF-8", "UTF-16", "BOM", "KOI8-R",
            "Windows-1251",
            "GeoPackage", "Shapefile", "zip", "CShapes", "gwsdate", "gwedate", "valid_from", "valid_to", "world_YEAR",
            "geojson", "historical", "basemaps", "Natural", "Earth", "README", "PageDown", "PageUp", "name", "lat", "lon",
            "names", "country", "source", "utf-8-sig", "cp1251", "koi8_r", "utf-16", "utf-8", "F11", "historical-basemaps",
            "origin", "destination", "via", "date", "date_end", "count", "count_low", "count_high", "unit",
            "nationality", "category", "archival_ref", "notes", "part_of", "detail_of", "id"}
DOCUMENTS = {(ROOT / p).read_text("utf-8").strip() for p in ("data/movements/README.md", "data/shapes/README.md")}
#: The export panel belongs to the map's area (issue 14) and is not in the catalog yet: its format names are
#: the one known gap, listed here so that the test says so instead of passing them silently.
PENDING_MAP_STRINGS = {"PNG image (1920×1080)", "SVG (vector)", "PDF (print)", "HTML (interactive, offline)",
                       "GIF (one frame per year)"}


def visible_strings(at) -> list[str]:
    """Every string a visitor reads on an AppTest page (map iframes and table contents excluded)."""
    import json

    out: list[str] = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            for f, v in proto.ListFields():
                if f.name in ("label", "body", "placeholder", "help", "caption") and isinstance(v, str):
                    out.append(v)
                elif f.name == "options" and not isinstance(v, str):
                    out.extend(str(x) for x in v)
                elif f.name == "columns" and isinstance(v, str) and v.startswith("{"):
                    out.extend(str(c.get("label", "")) for c in json.loads(v).values())
                elif f.name == "expandable":
                    out.append(v.label)
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for c in children.values():
                walk(c)

    walk(at._tree)
    return [s for s in out if s and s.strip() not in DOCUMENTS]


def english_left(texts: list[str]) -> list[str]:
    """Texts with a Latin word that is not a format, a file's column name or a key (code in backticks aside)."""
    bad = []
    for s in texts:
        words = re.findall(r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*", re.sub(r"`[^`]*`", "", s))
        if any(w not in LATIN_OK for w in words if len(w) > 2):
            bad.append(s)
    return bad


def _page(path: str, lang: str, state: dict | None = None, **params):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / path), default_timeout=180)
    at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = v
    for k, v in (state or {}).items():
        at.session_state[k] = v
    return at.run()


PAGES = ["app_pages/flows.py", "app_pages/2_Kazakhstan.py", "app_pages/3_Explorer.py", "app_pages/4_Sources_and_method.py",
         "app_pages/0_Borders_of_a_date.py", "app_pages/1_Border_sources.py", "app_pages/6_Lecture.py", "app_pages/5_Import.py"]


def test_the_english_detector_finds_english_and_passes_formats():
    assert english_left(["Download the file (CSV)", "Скачать (CSV)", "Файл `register.csv`", "name, lat, lon"]) == \
        ["Download the file (CSV)"]


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_speaks_the_chosen_language(path, lang):
    scene = {"id": "scene-1", "title": "Сцена", "date": "1937", "date_end": "1938", "filters": {}, "view": "ussr",
             "group": "place", "text": "", "citations": []}
    at = _page(path, lang, {"my_scenes": [scene]} if "Lecture" in path else None, years="1937-1938")
    assert not at.exception, at.exception
    texts = visible_strings(at)
    assert len(texts) > 3
    assert not english_left([x for x in texts if x not in PENDING_MAP_STRINGS]), english_left(texts)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_import_page_with_the_sample_and_its_review_speaks_the_chosen_language(lang):
    from geo.borders import bundled_borders
    from geo.gazetteer import bundled_gazetteer
    from geo.importer import SAMPLE, places_to_review, rule_decisions
    from geo.join import join_records
    from geo.records import read_table, to_canonical

    at = _page("app_pages/5_Import.py", lang)
    at.button(key="try_sample").click().run()
    assert not at.exception, at.exception
    texts = visible_strings(at)
    assert any("1925" in x for x in texts) and len(texts) > 60
    # place names as the gazetteer holds them (GeoNames' English names) are data, not interface
    g = bundled_gazetteer().fork()
    r = join_records(to_canonical(read_table(SAMPLE).frame)[0], bundled_borders(), g)
    places = {c["name"] for d in [*places_to_review(r, g), *rule_decisions(r, g)]
              for c in [*d["candidates"], *d.get("passed_over", []), *([d["chosen"]] if "chosen" in d else [])]}
    places |= {"Kitchener, Ontario", "Karagandy"}  # a former name in a rule's note; the spelling match's place
    for p in sorted(places, key=len, reverse=True):
        texts = [x.replace(p, "") for x in texts]
    left = english_left([x for x in texts if x not in PENDING_MAP_STRINGS])
    assert not left, left
