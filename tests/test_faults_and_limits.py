"""Faults (broken data files, a full disk) and limits (map size): a clear message, the rest keeps working."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import cli

ROOT = Path(__file__).resolve().parent.parent


def _n_sources() -> int:
    """How many sources the Sources page lists (the bundled bibliography's rows)."""
    from geo.dataset import load_sources

    return len(load_sources())


def _server(data_dir: Path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(ROOT), ATLAS_DATA_DIR=str(data_dir), ATLAS_CACHE_DIR="off")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("no server")


@pytest.fixture
def broken_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    return data


def test_a_corrupt_records_file_is_explained_and_the_border_pages_still_work(chrome, broken_copy):
    (broken_copy / "movements" / "movements.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    proc, url = _server(broken_copy)
    try:
        page = chrome.new_page()
        page.goto(url + "/")
        page.get_by_text("The bundled records could not be read: movements.csv is not a text table").wait_for(timeout=60000)
        page.goto(url + "/Borders_of_a_date?date=1941-06-01")
        # the borders are drawn on a canvas: count the polities the map holds, as tests/test_browser.py does
        page.frame_locator("iframe").first.locator(".leaflet-container").first.wait_for(state="attached", timeout=60000)
        page.wait_for_function("""() => [...document.querySelectorAll('iframe')].some(f => {
            try { const m = f.contentWindow.atlasMap; return !!m && m.polities.getLayers().length > 100; }
            catch (e) { return false; } })""", timeout=60000)
        page.goto(url + "/Sources_and_method")
        page.get_by_text(f"Bibliography ({_n_sources()} sources)").wait_for(timeout=60000)
        page.close()
    finally:
        proc.terminate()


def test_a_corrupt_or_missing_shape_file_is_explained_and_sources_still_work(chrome, broken_copy):
    (broken_copy / "shapes" / "polities.geojson").write_text('{"type": "FeatureCollection", "features": [', "utf-8")
    proc, url = _server(broken_copy)
    try:
        page = chrome.new_page()
        page.goto(url + "/")
        page.get_by_text("The border layers could not be read").wait_for(timeout=60000)
        page.goto(url + "/Sources_and_method")
        page.get_by_text(f"Bibliography ({_n_sources()} sources)").wait_for(timeout=60000)
        page.close()
    finally:
        proc.terminate()


def test_a_full_disk_on_export_says_so_and_leaves_nothing_behind(tmp_path, monkeypatch, capsys, sample):
    real = Path.write_bytes

    def full(self, data):
        real(self, data[: len(data) // 3])  # some bytes land, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    out = tmp_path / "map.png"
    assert cli.main(["render", "--date", "1941", "--out", str(out)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # no map.png, no temporary file
    monkeypatch.undo()

    import pyarrow.csv as pacsv

    def full_csv(table, path, **kw):
        Path(path).write_text("half", "utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(pacsv, "write_csv", full_csv)
    assert cli.main(["join", str(sample), "--out", str(tmp_path / "j.csv")]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_map_draws_at_most_the_configured_number_of_arrows(monkeypatch):
    monkeypatch.setenv("ATLAS_MAX_FLOWS", "5")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["years"] = "1940-1940"
    at.run()
    assert not at.exception
    assert any("the 5 largest are drawn" in i.value for i in at.info)
    from maphelp import player_data, whole_period

    data = player_data(at.get("iframe")[0].proto.srcdoc)
    whole = whole_period(data)
    assert len(whole) == 5 and all(len(v) <= 5 for v in data["frames"].values())
    assert whole[0]["w"] >= whole[-1]["w"]  # the largest are the ones kept
