"""English, Russian and Kazakh: complete catalogs, names of the era, numbers, and the switch in the browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browserhelp import flow_frame

from geo.i18n import LANGS, catalog, fmt_date, fmt_int, place_label, t, unit_label, value_label
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
    for path in [*ROOT.glob("*.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("geo/*.py")]:
        text = path.read_text("utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[A-Za-z_ .]+)["']""", text))
    for path in [*ROOT.glob("geo/*.html"), *ROOT.glob("geo/*.js"), *ROOT.glob("geo/static/*.js")]:
        used |= set(re.findall(r"""T\[['"]([a-z_]+\.[a-z_]+)['"]\]""", path.read_text("utf-8")))
    assert len(used) > 60
    missing = sorted(k for k in used if k not in catalog("en"))
    assert not missing, missing
    for prefix, values in (("view", ("europe", "ussr", "kazakhstan")), ("group", ("place", "polity", "oblast")),
                           ("shown", ("both", "yours", "bundled")), ("cat", CATEGORIES),
                           ("lecture.scenes", ("ours", "mine"))):
        for v in values:
            assert f"{prefix}.{v}" in catalog("en") or f"{prefix}_{v}" in catalog("en"), (prefix, v)


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
