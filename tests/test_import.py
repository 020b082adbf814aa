"""Researchers' own files: the bad-file corpus, place review, exports, and the import page in Chromium."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Error as PlaywrightError

from browserhelp import flow_frame, wait_idle
from geo.borders import bundled_borders
from geo.gazetteer import bundled_gazetteer
from geo.importer import export_csv, export_xlsx, places_to_review, read_supplement, rows_report, supplement_from_decisions
from geo.join import join_records
from geo.records import TableError, read_table, to_canonical

BAD = Path(__file__).with_name("bad_files")


def _import(path: Path, **kw):
    t = read_table(path, **kw)
    frame, _ = to_canonical(t.frame)
    # a fork, as the page uses: names never reach the shared one
    return join_records(frame, bundled_borders(), bundled_gazetteer().fork())


@pytest.mark.parametrize("name, message", [
    ("empty.csv", "is empty"),
    ("one_column.csv", "single column; is the delimiter right"),
    ("missing_required.csv", "no column for destination"),
    ("binary_renamed.csv", "not a text table"),
    ("broken.xlsx", "not a readable XLSX workbook"),
])
def test_unreadable_files_get_one_clear_line(name, message):
    with pytest.raises(TableError, match=message):
        _import(BAD / name)


def test_a_wrong_encoding_chosen_says_what_the_bytes_look_like():
    with pytest.raises(TableError, match="not readable as utf-8.*look like cp1251"):
        read_table(BAD / "wrong_encoding_declared.csv", encoding="utf-8")
    r = _import(BAD / "wrong_encoding_declared.csv")
    assert r.accepted["origin_place"].iloc[0].startswith("Engels")


@pytest.mark.parametrize("name, statuses, reasons", [
    ("mixed_delimiters.csv", ["accepted", "rejected", "accepted with warnings"], ["", "no destination", ""]),
    ("out_of_range_years.csv", ["rejected", "rejected", "accepted"], ["year 3000 is outside", "year 1066 is outside", ""]),
    ("negative_counts.csv", ["rejected", "accepted"], ["negative count", ""]),
    ("partly_bad.csv", ["accepted", "rejected", "rejected", "accepted with warnings"], ["", "no origin", "unreadable date", ""]),
    ("duplicate_headers.csv", ["accepted with warnings"], [""]),
])
def test_every_row_of_a_partly_bad_file_is_accounted_for(name, statuses, reasons):
    r = _import(BAD / name)
    rep = rows_report(r)
    assert r.rows_in == len(rep) == len(statuses)
    assert rep["status"].tolist() == statuses
    for got, want in zip(rep["reason"], reasons):
        assert want in got


def test_hostile_text_is_kept_as_data_and_formulas_are_neutralised_in_exports():
    r = _import(BAD / "html_js.csv")
    assert "<script>alert(1)</script>" in set(r.accepted["nationality"])
    f = _import(BAD / "formula.csv").accepted
    csv_text = export_csv(f).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'@SUM" in csv_text and "'+Саратов" in csv_text
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(export_xlsx(f))).active
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_a_file_over_the_size_limit_is_refused_with_its_size(tmp_path):
    big = tmp_path / "big.csv"
    line = "Энгельс;Караганда;1941;немцы;1;" + "x" * 200 + "\n"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("Откуда прибыл;Куда направлен;Дата прибытия;Национальность;Кол-во чел.;Примечание\n")
        fh.write(line * (50_500_000 // len(line.encode())))
    assert big.stat().st_size > 50_000_000
    with pytest.raises(TableError, match=r"big.csv is 5\d\.\d MB; the limit is 50 MB"):
        read_table(big)
    with pytest.raises(TableError, match="rows; the limit is 10"):
        read_table(big, max_bytes=10**9, max_rows=10)


def test_review_lists_unresolved_and_ambiguous_names_and_decisions_apply_to_every_row(tmp_path):
    src = tmp_path / "r.csv"
    src.write_text("Откуда прибыл;Куда направлен;Дата прибытия\nЯмышево;Москва;1941\nЯмышево;Караганда;1942\n"
                   "Варшава;Петропавловск;1940\n", encoding="utf-8")
    g = bundled_gazetteer().fork()  # what the page does: this visitor's names stay in the fork
    r = join_records(to_canonical(read_table(src).frame)[0], bundled_borders(), g)
    todo = {d["name"]: d for d in places_to_review(r, g)}
    assert todo["Ямышево"]["rows"] == 2 and todo["Ямышево"]["match"] == "unresolved"
    pet = todo["Петропавловск"]
    assert pet["match"] == "ambiguous" and {c["country"] for c in pet["candidates"]} >= {"KZ", "RU"}
    kz = next(c for c in pet["candidates"] if c["country"] == "KZ")
    sup = supplement_from_decisions({"Ямышево": {"action": "coords", "lat": 51.88, "lon": 77.47},
                                     "Петропавловск": {"action": "candidate", **kz, "label": "Petropavl (KZ)"}})
    again = join_records(to_canonical(read_table(src).frame)[0], bundled_borders(), g.with_supplement(sup))
    a = again.accepted
    assert (a.loc[a["origin"] == "Ямышево", "origin_match"] == "user").all()
    assert (a.loc[a["origin"] == "Ямышево", "origin_lat"].round(2) == 51.88).all()
    assert a.loc[a["destination"] == "Петропавловск", "destination_lon"].iloc[0] == pytest.approx(kz["lon"], abs=0.01)
    assert places_to_review(again, g.with_supplement(sup)) == []
    # the decisions travel as a supplement file and come back the same
    back = read_supplement(export_csv(sup))
    assert back["name"].tolist() == ["Ямышево", "Петропавловск"] and back["lat"].iloc[0] == pytest.approx(51.88)
    # the shared gazetteer did not learn this visitor's names
    shared = bundled_gazetteer()
    assert "Ямышево" in g._info and "Ямышево" not in shared._info and "Ямышево" not in shared._fuzzy_cache


def test_a_broken_supplement_is_refused_with_the_rows_named():
    with pytest.raises(TableError, match="rows 3"):
        read_supplement(b"name,lat,lon\nA,50,60\nB,500,60\n")
    with pytest.raises(TableError, match="needs name, lat, lon"):
        read_supplement(b"name,x\nA,1\n")


# ---- the page in Chromium ----------------------------------------------------------------------------

SAMPLE_NAMES = {"Engels": "Энгельс", "Atyrau": "Гурьев", "Astana": "Акмолинск", "Bishkek": "Пишпек",
                "Kaliningrad": "Кенигсберг", "Lviv": "Львов", "Almaty": "Алма-Ата"}


def _upload(page, app_url, path, query="?years=1918-1960"):
    page.goto(app_url + "/Import" + query)
    page.get_by_role("heading", name="Import your records").wait_for(timeout=60000)
    page.locator("input[type=file]").first.set_input_files(str(path))
    page.get_by_text("Rows in the file").wait_for(timeout=60000)


def _metrics(page) -> dict[str, str]:
    labels = page.locator("[data-testid=stMetricLabel]").all_inner_texts()
    values = page.locator("[data-testid=stMetricValue]").all_inner_texts()
    return dict(zip([x.strip() for x in labels], values))


def test_the_sample_register_imports_through_the_page(chrome, app_url, sample, artifacts):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _upload(page, app_url, sample)
    page.wait_for_timeout(1500)
    m = _metrics(page)
    assert m["Rows in the file"] == "15" and m["Rejected"] == "0"
    assert int(m["Accepted"]) + int(m["Accepted with warnings"]) == 15
    frame = flow_frame(page)
    frame.evaluate("() => window.atlasMap.setYear(null)")
    mine = frame.evaluate("() => window.atlasMap.drawn().filter(f => f.y).map(f => ({o: f.o, d: f.d, u: f.u, p: f.p}))")
    ends = " ".join(x["o"] + " " + x["d"] for x in mine)
    for english in SAMPLE_NAMES:
        assert english in ends, english
    assert any(x["u"] >= 1 and "Atyrau" in x["d"] for x in mine)  # the '?' count stays unknown
    assert "Places to review" in page.content()
    page.screenshot(path=str(artifacts / "import_sample.png"), full_page=True)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Cleaned, joined table (CSV)").click()
    joined = pd.read_csv(dl.value.path(), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(joined) == 15 and set(joined["origin_match"]) <= {"curated", "exact", "alternate", "region"}
    assert not errors, errors
    page.close()


def test_review_on_the_page_places_an_unknown_name(chrome, app_url, tmp_path):
    src = tmp_path / "unknown.csv"
    src.write_text("Откуда прибыл;Куда направлен;Дата прибытия;Кол-во чел.\nЯмышево;Караганда;1942;7\n", encoding="utf-8")
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    _upload(page, app_url, src)
    page.get_by_text("1. Ямышево").wait_for(timeout=30000)
    page.get_by_text("type coordinates").first.click()
    page.get_by_label("Latitude", exact=True).first.fill("51.88")
    page.get_by_label("Longitude", exact=True).first.fill("77.47")
    page.get_by_role("button", name="Apply decisions").click()
    page.get_by_text("Every place name is resolved (or decided).").wait_for(timeout=30000)
    mine: list = []
    for _ in range(50):  # the map of the rerun replaces the previous one; poll until it has arrived
        frame = flow_frame(page)
        try:
            frame.evaluate("() => window.atlasMap.setYear(null)")
            mine = frame.evaluate("() => window.atlasMap.drawn().filter(f => f.y).map(f => f.o + '|' + f.p)")
        except PlaywrightError:
            mine = []
        if any(x.startswith("Ямышево") and x.endswith("|7") for x in mine):
            break
        page.wait_for_timeout(200)
    assert any(x.startswith("Ямышево") and x.endswith("|7") for x in mine), mine
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download your decisions as a gazetteer supplement (CSV)").click()
    sup = pd.read_csv(dl.value.path(), encoding="utf-8-sig")
    assert sup.loc[0, "name"] == "Ямышево" and sup.loc[0, "lat"] == pytest.approx(51.88)
    page.close()


def test_one_visitors_records_are_never_shown_to_another(chrome, app_url, sample):
    a = chrome.new_context().new_page()
    _upload(a, app_url, sample)
    b = chrome.new_context().new_page()
    b.goto(app_url + "/?years=1918-1960")
    frame = flow_frame(b)
    frame.evaluate("() => window.atlasMap.setYear(null)")
    assert frame.evaluate("() => window.atlasMap.drawn().filter(f => f.y).length") == 0
    assert "Records shown" not in b.content()
    b.goto(app_url + "/Import")
    b.get_by_text("Choose a file to begin").wait_for(timeout=30000)
    a.get_by_role("link", name="Explorer").click()  # in-app navigation keeps the uploader's session
    a.get_by_role("heading", name="Records and downloads").wait_for(timeout=30000)
    a.get_by_role("link", name="Flows").click()
    a.get_by_role("heading", name="Flows into the USSR and Kazakhstan, 1918-1960").wait_for(timeout=30000)
    a.wait_for_timeout(1500)
    fa = flow_frame(a)
    fa.evaluate("() => window.atlasMap.setYear(null)")
    assert fa.evaluate("() => window.atlasMap.drawn().filter(f => f.y).length") > 0
    a.context.close()
    b.context.close()


def test_own_borders_from_the_page(chrome, app_url, sample, tmp_path):
    borders = tmp_path / "testland.geojson"
    borders.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Testland", "gwsdate": "1900-01-01", "gwedate": "1965-12-31"},
        "geometry": {"type": "Polygon", "coordinates": [[[-180, -85], [180, -85], [180, 85], [-180, 85], [-180, -85]]]}}]}))
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    _upload(page, app_url, sample)
    page.get_by_text("Use your own borders (optional)").click()
    uploader = page.locator("[data-testid=stFileUploader]").filter(has_text="Border files")
    uploader.locator("input[type=file]").set_input_files(str(borders))
    page.get_by_text("1 border features read").wait_for(timeout=60000)
    wait_idle(page)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Cleaned, joined table (CSV)").click()
    joined = pd.read_csv(dl.value.path(), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert set(joined["origin_polity"]) == {"Testland"}
    page.close()


def test_yearly_snapshots_from_historical_basemaps_through_the_page(chrome, app_url, sample, reference_dir):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    _upload(page, app_url, sample)
    page.get_by_text("Use your own borders (optional)").click()
    files = [str(reference_dir / f"world_{y}.geojson") for y in (1920, 1930, 1938, 1945)]
    uploader = page.locator("[data-testid=stFileUploader]").filter(has_text="Border files")
    uploader.locator("input[type=file]").set_input_files(files)
    page.get_by_text("border features read").wait_for(timeout=90000)
    wait_idle(page)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Cleaned, joined table (CSV)").click()
    joined = pd.read_csv(dl.value.path(), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(joined) == 15
    lviv = joined[joined["origin"] == "Львов"].iloc[0]  # April 1940: the 1938 snapshot still draws Poland there
    assert lviv["origin_polity"] == "Poland"
    page.close()


def test_a_binary_file_gets_a_clear_message_on_the_page(chrome, app_url):
    page = chrome.new_page()
    page.goto(app_url + "/Import")
    page.get_by_role("heading", name="Import your records").wait_for(timeout=60000)
    page.locator("input[type=file]").first.set_input_files(str(BAD / "binary_renamed.csv"))
    page.get_by_text("binary_renamed.csv is not a text table (its content is binary): save it as CSV or XLSX").wait_for(
        timeout=30000)
    page.close()


def test_the_candidate_map_draws_its_points_without_errors(chrome):
    import datetime as dt

    from geo.mapview import points_map_html

    cands = [{"name": "Petropavl", "country": "KZ", "lat": 54.8734, "lon": 69.1506},
             {"name": "<b>Petropavlovsk</b>", "country": "RU", "lat": 53.0639, "lon": 158.6275}]
    page = chrome.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content(points_map_html(cands, dt.date(1940, 7, 1), bundled_borders()))
    page.wait_for_function("() => window.candidateMap && window.candidateMap.count === 2")
    assert page.locator(".leaflet-tooltip b").count() == 0 and "<b>Petropavlovsk</b>" in page.inner_text("body")
    markers = page.evaluate("() => { let n = 0; "
                            "window.candidateMap.map.eachLayer(l => { if (l instanceof L.CircleMarker) n++; }); return n; }")
    assert markers == 2 and not errors, errors
    page.close()


# ---- the import, step by step (geo.importer) ------------------------------------------------------------

from geo.importer import (  # noqa: E402  (the step-by-step tests below)
    SAMPLE,
    ImportProblem,
    explain,
    message_parts,
    parse_coordinates,
    point_check,
    problem_of,
    read_upload,
    rule_decisions,
    year_span,
)

LIMITS = {"max_bytes": 50_000_000, "max_rows": 1_000_000}


def test_the_sample_register_is_what_its_readme_says():
    raw = SAMPLE.read_bytes()
    text = raw.decode("cp1251")
    assert b"\r\n" in raw and text.count("\r\n") == text.count("\n")  # CRLF throughout
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    header = text.splitlines()[0].split(";")
    assert {"Откуда прибыл", "Куда направлен", "Дата прибытия", "Кол-во чел."} <= set(header)
    rows = [ln.split(";") for ln in text.splitlines()[1:]]
    assert any(r[8] == "?" for r in rows) and any(r[6].startswith(("III.", "X.", "XI.")) for r in rows)
    assert ["Житомир", "Северо-Казахстанская обл.", "1936"] in [r[4:7] for r in rows]
    assert all(r[9] == "Образец (вымышленный)" and r[10].startswith("Образец, ф. 0") for r in rows)  # invented on purpose
    readme = (SAMPLE.parent / "README.md").read_text("utf-8")
    assert "Nothing in it is a historical fact" in readme and "invented" in readme


def test_the_sample_register_imports_with_names_to_review_and_names_a_rule_decided():
    t = read_upload(SAMPLE.read_bytes(), SAMPLE.name, **LIMITS)
    assert (t.encoding, t.delimiter) == ("cp1251", ";")
    g = bundled_gazetteer().fork()
    r = join_records(to_canonical(t.frame)[0], bundled_borders(), g)
    assert r.rows_in == 20 and len(r.rejected) == 0
    todo = {d["name"]: d for d in places_to_review(r, g)}
    assert {"Ямышево", "Караганада"} <= set(todo) and len(todo) >= 3
    assert todo["Ямышево"]["why"][0] == "imp.why_not_found"
    assert all(len(d["candidates"]) <= 4 for d in todo.values())
    assert rule_decisions(r, g)  # at least one name several places bear was decided by a rule
    assert year_span(r.accepted) == (1925, 1941)


@pytest.mark.parametrize("forced, key", [("utf-8", "imp.err_encoding"), ("utf-16", "imp.err_encoding"),
                                         ("koi8_r", "imp.err_garbled")])
def test_a_wrong_forced_encoding_gets_a_plain_message_and_a_suggestion(forced, key):
    with pytest.raises(ImportProblem) as got:
        read_upload(SAMPLE.read_bytes(), SAMPLE.name, encoding=forced, **LIMITS)
    assert got.value.key == key and got.value.values["guess"] == "Windows-1251"
    for lang in ("en", "ru", "kk"):
        text = got.value.text(lang)
        assert "Windows-1251" in text and not any(w in text for w in ("codec", "decode", "position", "no column"))


def test_a_reader_error_becomes_a_message_in_the_language():
    with pytest.raises(TableError) as got:
        read_upload((BAD / "one_column.csv").read_bytes(), "one_column.csv", **LIMITS)
    p = problem_of(got.value)
    assert p.key == "msg.one_column" and "разделитель" in p.text("ru")


@pytest.mark.parametrize("lat, lon, key", [("49", "", "imp.coords_both"), ("", "77", "imp.coords_both"),
                                           ("", "", "imp.coords_both"), ("сорок", "77", "imp.coords_number"),
                                           ("nan", "77", "imp.coords_number"), ("91", "0", "imp.coords_range"),
                                           ("51", "181", "imp.coords_range")])
def test_typed_coordinates_need_both_numbers_in_range(lat, lon, key):
    with pytest.raises(ImportProblem) as got:
        parse_coordinates(lat, lon)
    assert got.value.key == key


def test_typed_coordinates_accept_a_decimal_comma():
    assert parse_coordinates("51,88", " 77.47 ") == (51.88, 77.47)


def test_a_typed_point_outside_what_the_record_names_is_flagged():
    b = bundled_borders()
    here = point_check("Ямышево (Павлодарская обл.)", 51.88, 77.47, 1942, b)
    assert not here.outside and here.units == ["USSR", "Kazakh SSR", "Pavlodar Oblast"]
    france = point_check("Ямышево (Павлодарская обл.)", 49.0, 2.0, 1942, b)
    assert france.outside and france.units == ["France"] and "Франция" in france.text("ru")
    assert not point_check("Odessa, Ukraine", 46.48, 30.73, 1941, b).outside
    assert point_check("Odessa, Ukraine", 31.85, -102.37, 1941, b).outside  # Odessa, Texas
    assert not point_check("Ямышево", 49.0, 2.0, 1942, b).outside  # names nothing to compare with


def test_every_reason_the_corpus_and_the_sample_produce_is_said_in_russian_and_kazakh():
    texts = set()
    for p in [*BAD.glob("*.csv"), SAMPLE]:
        try:
            r = _import(p)
        except TableError as exc:
            texts.add(str(exc))
            continue
        texts |= {x for x in rows_report(r)["reason"] if x}
    assert len(texts) > 10
    unknown = [part for text in texts for part, k, _ in message_parts(text) if k is None]
    assert not unknown, unknown
    for text in texts:
        assert explain(text, "ru") != text and explain(text, "kk") != text


def test_a_rule_decision_is_listed_with_its_rule_and_can_be_overturned(tmp_path):
    src = tmp_path / "r.csv"
    src.write_text("Откуда прибыл;Куда направлен;Дата прибытия\nОдесса;Акмолинск;X.1941\n", encoding="utf-8")
    g = bundled_gazetteer().fork()
    r = join_records(to_canonical(read_table(src).frame)[0], bundled_borders(), g)
    ruled = {d["name"]: d for d in rule_decisions(r, g)}
    odessa = ruled["Одесса"]
    assert odessa["chosen"]["country"] == "UA" and odessa["rules"]
    from geo.gazetteer.rules import RULES

    assert [k for k, _ in odessa["rules"]] == ["rule.focus_region"]
    assert {k for k, _ in odessa["rules"]} <= {f"rule.{r.__name__}" for r in RULES}
    abroad = next(c for c in odessa["passed_over"] if c["country"] == "US")  # the namesake passed over is shown
    sup = supplement_from_decisions({"Одесса": {"action": "candidate", **abroad, "label": "Odessa (US)"}})
    again = join_records(to_canonical(read_table(src).frame)[0], bundled_borders(), g.with_supplement(sup))
    assert again.accepted["origin_match"].iloc[0] == "user" and again.accepted["origin_lon"].iloc[0] < -100
    assert rule_decisions(again, g.with_supplement(sup)) == []  # overturned: no longer the rule's


# ---- the import page in Chromium: a first visit, the review, a wrong encoding -----------------------------

def test_a_first_visitor_sees_the_whole_path_with_the_sample_in_one_click(chrome, app_url, artifacts):
    from geo.i18n import catalog

    ru = catalog("ru")
    page = chrome.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(app_url + "/Import?lang=ru")
    page.get_by_role("heading", name=ru["import.title"]).wait_for(timeout=60000)
    # the language can be chosen before anything is uploaded
    page.locator("[data-testid=stSidebar]").get_by_role("combobox", name=ru["lang.label"]).wait_for(timeout=30000)
    # one upload limit: the label and the uploader's own line say the same figure
    uploader = page.locator("[data-testid=stFileUploader]").first
    assert "до 50 МБ" in uploader.locator("[data-testid=stWidgetLabel]").inner_text()
    line = page.evaluate("() => getComputedStyle(document.querySelector("
                         "'[data-testid=stFileUploaderDropzoneInstructions] span'), '::after').content")
    assert line == '"до 50 МБ на файл"', line
    assert "50MB" in uploader.locator("[data-testid=stFileUploaderDropzoneInstructions] span").text_content()
    page.get_by_role("button", name=ru["imp.try_sample"]).click()
    page.get_by_text(ru["imp.rows_in"]).wait_for(timeout=60000)
    wait_idle(page)
    assert _metrics(page)[ru["imp.rows_in"]] == "20" and _metrics(page)[ru["imp.rejected"]] == "0"
    assert page.get_by_text("Он вымышлен").count() == 1  # the sample says it is synthetic
    assert "years=1925-1941" in page.url  # the map opens on the years of the records
    frame = flow_frame(page)
    frame.evaluate("() => window.atlasMap.setYear(null)")
    assert frame.evaluate("() => window.atlasMap.drawn().filter(f => f.y).length") >= 10
    for text in ("1. ", "Ямышево", "Караганада", ru["imp.by_rule"], "Одесса"):
        assert page.get_by_text(text).count() >= 1, text
    page.screenshot(path=str(artifacts / "import_sample_ru.png"), full_page=True)
    assert not errors, errors
    page.close()


def test_typed_coordinates_are_checked_and_a_point_outside_the_named_region_is_flagged(chrome, app_url, tmp_path):
    src = tmp_path / "named.csv"
    src.write_text("Откуда прибыл;Куда направлен;Дата прибытия;Кол-во чел.\nЯмышево (Павлодарская обл.);Караганда;1942;7\n",
                   encoding="utf-8")
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    _upload(page, app_url, src)
    item = page.get_by_text("1. Ямышево (Павлодарская обл.)")
    item.wait_for(timeout=30000)
    page.get_by_text("type coordinates").first.click()
    page.get_by_label("Latitude", exact=True).first.fill("49")  # the longitude forgotten
    page.get_by_role("button", name="Apply decisions").click()
    page.get_by_text("Give both a latitude and a longitude.").wait_for(timeout=30000)
    wait_idle(page)
    assert item.count() == 1  # nothing was saved: the name is still to review
    page.get_by_text("type coordinates").first.click()
    page.get_by_label("Latitude", exact=True).first.fill("49")
    page.get_by_label("Longitude", exact=True).first.fill("2")
    page.get_by_role("button", name="Apply decisions").click()
    page.get_by_text("names Павлодарская обл., but the point 49.0, 2.0 lay in France in 1942").wait_for(timeout=30000)
    page.get_by_text("Every place name is resolved (or decided).").wait_for(timeout=30000)
    # a decision can be taken back
    page.get_by_role("combobox", name="Reconsider these names").click()
    page.get_by_role("option", name="Ямышево (Павлодарская обл.)").click()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Put them back for review").click()
    page.get_by_text("1. Ямышево (Павлодарская обл.)").wait_for(timeout=30000)
    page.close()


def test_a_wrong_encoding_chosen_on_the_page_is_explained_without_a_traceback(chrome, app_url):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    _upload(page, app_url, SAMPLE)
    page.get_by_role("combobox", name="Encoding").click()
    page.get_by_role("option", name="KOI8-R").click()
    page.get_by_text("the file looks like Windows-1251. Choose Windows-1251 as the encoding").wait_for(timeout=30000)
    wait_idle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert "Traceback" not in page.content() and "no column for" not in page.content()
    page.close()
