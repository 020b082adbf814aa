"""The README's install, alone: a fresh virtualenv with only `pip install -r requirements.txt`.

In it, every third-party module the app and ``geo`` import is importable, every ``geo`` module imports,
and ``python -m geo join ... --out x.gpkg`` writes a GeoPackage. The virtualenv is built once per run
(a module fixture; marker ``venv``, deselect with ``-m "not venv"``): pip reaches PyPI (about 1.5-3 min here).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT.parent / "shared" / "hooks" / "runtime_deps.py"

pytestmark = pytest.mark.venv


def _app_files() -> list[Path]:
    """The files the app runs: its entry, shared plumbing, pages and the library."""
    files = [ROOT / "app.py", ROOT / "ui.py", *ROOT.glob("pages/*.py"), *ROOT.glob("app_pages/*.py"), *ROOT.glob("geo/**/*.py")]
    return [f for f in files if f.exists()]


def _third_party(files: list[Path]) -> set[str]:
    local = {p.stem for p in ROOT.glob("*.py")} | {p.name for p in ROOT.iterdir() if p.is_dir()}
    found: set[str] = set()
    for f in files:
        for node in ast.walk(ast.parse(f.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
            found |= {n.split(".")[0] for n in names}
    return {n for n in found if n not in sys.stdlib_module_names and n not in local and n != "__future__"}


@pytest.fixture(scope="module")
def venv_python(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("runtime-venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    python = where / "bin" / "python"
    # pip of the test environment installs into the new environment (its own copy would only add time);
    # no .pyc compilation at install: they are written on first import as usual
    r = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-compile",
                        "--disable-pip-version-check", "-r", str(ROOT / "requirements.txt")],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    return python


def _run(python: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_the_venv_has_only_the_run_time_requirements(venv_python):
    r = _run(venv_python, "-c", "import importlib.util as u, sys; "
             "print(sys.prefix); print([m for m in ('pytest', 'hypothesis', 'playwright') if u.find_spec(m)])")
    prefix, dev = r.stdout.splitlines()
    assert Path(prefix) == venv_python.parent.parent and dev == "[]", r.stderr  # the test install is not visible


def test_every_module_the_app_and_geo_import_imports(venv_python):
    files = _app_files()
    third = sorted(_third_party(files))
    assert {"streamlit", "shapely", "geopandas", "pandas"} <= set(third)
    ours = sorted({"geo." + str(f.relative_to(ROOT / "geo").with_suffix("")).replace("/", ".")
                   for f in ROOT.glob("geo/**/*.py") if f.stem not in ("__init__", "__main__")})
    script = ("import importlib, sys\nbad = []\n"
              f"for m in {third + ['geo'] + ours!r}:\n"
              "    try:\n        importlib.import_module(m)\n"
              "    except Exception as exc:\n        bad.append(f'{m}: {type(exc).__name__}: {exc}')\n"
              "print('\\n'.join(bad))")
    r = _run(venv_python, "-c", script)
    assert r.returncode == 0 and r.stdout.strip() == "", r.stdout + r.stderr[-2000:]


def test_the_cli_joins_to_a_geopackage(venv_python, tmp_path):
    import geopandas as gpd

    src = tmp_path / "sample.csv"
    src.write_text("origin,destination,date,count\nLwów,Karaganda,1940-06,100\nWien,Charkow,IV.1934,3\n", "utf-8")
    out = tmp_path / "x.gpkg"
    r = _run(venv_python, "-m", "geo", "join", str(src), "--out", str(out))
    assert r.returncode == 0, r.stderr[-2000:]
    back = gpd.read_file(out)
    assert len(back) == 2 and back.crs == "EPSG:4326" and back["origin_polity"].tolist() == ["USSR", "Austria"]


def test_the_run_time_dependency_check_finds_nothing_missing():
    if not HOOK.exists():
        pytest.skip(f"{HOOK} not found (shared/ is beside the project in CI)")
    r = subprocess.run([sys.executable, str(HOOK)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout == "", r.stdout
