"""Two visitors at once: neither ever sees the other's rows, places or decisions."""

from __future__ import annotations

import pandas as pd
from playwright.sync_api import Error as PlaywrightError

from browserhelp import flow_frame


def _upload(page, app_url, path):
    page.goto(app_url + "/Import?years=1918-1960")
    page.get_by_role("heading", name="Import your records").wait_for(timeout=60000)
    uploader = page.locator("[data-testid=stFileUploader]").filter(has_text="Records file")
    uploader.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text("Rows in the file").wait_for(timeout=60000)


def _mine(page, want: str):
    for _ in range(100):
        frame = flow_frame(page)
        try:
            frame.evaluate("() => window.atlasMap.setYear(null)")
            got = frame.evaluate("() => window.atlasMap.drawn().filter(f => f.y).map(f => f.o + '>' + f.d + ':' + f.p)")
        except PlaywrightError:
            got = []
        if any(want in g for g in got):
            return got
        page.wait_for_timeout(200)
    raise AssertionError(f"no flow with {want}")


def _download(page) -> pd.DataFrame:
    with page.expect_download() as dl:
        page.get_by_role("button", name="Cleaned, joined table (CSV)").click()
    return pd.read_csv(dl.value.path(), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_two_visitors_never_see_each_others_rows_places_or_decisions(chrome, app_url, tmp_path):
    fa, fb = tmp_path / "a.csv", tmp_path / "b.csv"
    head = "Откуда прибыл;Куда направлен;Дата прибытия;Кол-во чел.\n"
    fa.write_text(head + "Ямышево;Караганда;1942;7\nЭнгельс;Караганда;1941;11\n", "utf-8")
    fb.write_text(head + "Ямышево;Павлодар;1942;5\nСаратов;Павлодар;1941;13\n", "utf-8")
    a = chrome.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    b = chrome.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    _upload(a, app_url, fa)
    _upload(b, app_url, fb)
    # A decides where Ямышево is
    a.get_by_text("1. Ямышево").wait_for(timeout=30000)
    a.get_by_text("type coordinates").first.click()
    a.get_by_label("Latitude", exact=True).first.fill("51.88")
    a.get_by_label("Longitude", exact=True).first.fill("77.47")
    a.get_by_role("button", name="Apply decisions").click()
    a.get_by_text("Every place name is resolved (or decided).").wait_for(timeout=30000)
    # B still has to decide: A's decision is A's alone
    b.reload()
    b.locator("[data-testid=stFileUploader]").filter(has_text="Records file").locator("input[type=file]").set_input_files(str(fb))
    b.get_by_text("1. Ямышево").wait_for(timeout=30000)
    # maps: each sees only their own arrows
    mine_a = _mine(a, "Ямышево")
    assert all("Pavlodar" not in x and ":13" not in x for x in mine_a), mine_a
    mine_b = _mine(b, "Saratov")
    assert all("Ямышево" not in x and "Karag" not in x for x in mine_b), mine_b
    # downloads: each gets only their own rows
    ja, jb = _download(a), _download(b)
    assert set(ja["destination"]) == {"Караганда"} and set(jb["destination"]) == {"Павлодар"}
    assert ja.loc[ja["origin"] == "Ямышево", "origin_match"].tolist() == ["user"]
    assert jb.loc[jb["origin"] == "Ямышево", "origin_match"].tolist() == ["unresolved"]
    a.context.close()
    b.context.close()
