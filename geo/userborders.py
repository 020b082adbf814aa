"""Borders a user brings: a GeoPackage, Shapefile (also zipped), GeoJSON or GeoParquet with validity dates, or yearly snapshots.

Two shapes of data historians already have:

* one file whose features carry validity dates, CShapes-style (``gwsdate``/``gwedate``,
  or ``valid_from``/``valid_to``, ``start``/``end``) and a name (``cntry_name``, ``name``, ``NAME``);
* a folder of yearly snapshots (``world_1930.geojson`` ...) in the style of
  historical-basemaps (``NAME``, ``SUBJECTO``, ``BORDERPRECISION``): each snapshot is
  taken to hold from 1 January of its year until the day before the next snapshot.

Either becomes the ``polities`` layer; the other layers are empty (a user's borders
say nothing of Soviet republics or Kazakh oblasts unless they carry them).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.borders import LAYER_NAMES, Borders, BordersError, Layer

_START = ("gwsdate", "valid_from", "start", "startdate", "start_date", "from")
_END = ("gwedate", "valid_to", "end", "enddate", "end_date", "to")
_NAME = ("name", "cntry_name", "country_name", "NAME", "Name", "ABBREVN")


def _empty(name: str) -> Layer:
    props = pd.DataFrame(columns=["id", "unit", "name", "valid_from", "valid_to", "level", "occupier"])
    return Layer(name, props, np.array([], dtype=object), np.array([], "datetime64[D]"), np.array([], "datetime64[D]"))


#: File endings read with :func:`geopandas.read_parquet` (GeoParquet); everything else goes through pyogrio.
PARQUET = (".parquet", ".geoparquet")
#: What a zip archive may hold (the first kind found is read).
ZIPPED = (".shp", ".gpkg", ".geojson", ".json", ".parquet", ".geoparquet")


def _zip_member(path: Path) -> str:
    """The one border file inside a zip archive (a Shapefile's ``.shp``, a GeoPackage ...), at any depth."""
    try:
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if not n.endswith("/") and not n.startswith("__MACOSX/")]
    except (zipfile.BadZipFile, OSError) as exc:
        raise BordersError(f"{path.name} is not a readable zip archive: {exc}") from None
    for ext in ZIPPED:
        found = [n for n in names if n.lower().endswith(ext)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise BordersError(f"{path.name} holds {len(found)} {ext} files ({', '.join(found[:4])}); zip one border file")
    raise BordersError(f"{path.name} holds no Shapefile, GeoPackage, GeoJSON or GeoParquet file")


def read_border_file(path: Path) -> gpd.GeoDataFrame:
    """Read one border file with geopandas: GeoPackage, Shapefile (also zipped), GeoJSON or GeoParquet.

    Parameters
    ----------
    path : pathlib.Path
        ``.gpkg``, ``.shp``, ``.zip`` (holding one of the others), ``.geojson``/``.json``,
        ``.parquet``/``.geoparquet``.

    Returns
    -------
    geopandas.GeoDataFrame
        As stored (its own CRS); :class:`~geo.borders.BordersError` with one line when unreadable.
    """
    path = Path(path)
    try:
        if path.suffix.lower() in PARQUET:
            return gpd.read_parquet(path)
        if path.suffix.lower() == ".zip":
            member = _zip_member(path)
            if member.lower().endswith(PARQUET):
                with zipfile.ZipFile(path) as z:
                    return gpd.read_parquet(io.BytesIO(z.read(member)))
            return gpd.read_file(f"/vsizip/{path.resolve()}/{member}")
        return gpd.read_file(path)
    except BordersError:
        raise
    except Exception as exc:  # pyogrio and pyarrow raise several types for unreadable files
        reason = " ".join(str(exc).split())[:300]
        raise BordersError(f"{path.name} is not a readable GeoPackage, Shapefile, GeoJSON or GeoParquet file: {reason}") from None


def _layer(gdf, start: np.ndarray, end: np.ndarray, names: list[str], extra: dict) -> Layer:
    geoms = shapely.make_valid(np.asarray(gdf.geometry.to_numpy(), dtype=object))
    keep = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms) & ~pd.isna(start) & ~pd.isna(end)
    props = pd.DataFrame({
        "name": np.asarray(names, dtype=object)[keep],
        "valid_from": [str(d) for d in start[keep]],
        "valid_to": [str(d) for d in end[keep]],
        **{k: np.asarray(v, dtype=object)[keep] for k, v in extra.items()},
    })
    props.insert(0, "unit", props["name"])
    props.insert(0, "id", [f"{n}@{s}#{i}" for i, (n, s) in enumerate(zip(props["name"], props["valid_from"]))])
    if "source" not in props:
        props["source"] = "user borders"
    return Layer("polities", props, geoms[keep], start[keep].astype("datetime64[D]"), end[keep].astype("datetime64[D]"))


def load_user_borders(path: Path) -> Borders:
    """Read a user's border dataset: one file with validity dates, or a folder of yearly snapshots.

    Parameters
    ----------
    path : pathlib.Path
        A GeoPackage, Shapefile (or a zip holding one), GeoJSON or GeoParquet file whose
        features carry validity dates; or a folder of ``world_YEAR.geojson`` snapshots; or a
        folder holding the parts of one Shapefile (``.shp``, ``.shx``, ``.dbf``, ``.prj``).

    Returns
    -------
    Borders
        The user's borders as the ``polities`` layer; the other layers empty.
        :class:`~geo.borders.BordersError` with one line when the data cannot be used.
    """
    path = Path(path)
    if not path.exists():
        raise BordersError(f"borders {path} not found")
    if path.is_dir():
        shp = sorted(path.glob("*.shp"))
        if len(shp) == 1 and not any(path.glob("world_*.*json")):  # a Shapefile uploaded as its parts
            path = shp[0]
        else:
            return _snapshots(path)
    gdf = read_border_file(path)
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    cols = {c.lower(): c for c in gdf.columns}
    s_col = next((cols[c] for c in _START if c in cols), None)
    e_col = next((cols[c] for c in _END if c in cols), None)
    n_col = (next((c for c in _NAME if c in gdf.columns), None)
             or next((cols[c.lower()] for c in _NAME if c.lower() in cols), None))
    if s_col is None or e_col is None:
        raise BordersError(f"{path.name}: no validity dates (looked for {', '.join(_START)} and {', '.join(_END)}); "
                           "for yearly snapshots give a folder of world_YEAR.geojson files")
    start = pd.to_datetime(gdf[s_col], errors="coerce").to_numpy("datetime64[D]")
    end = pd.to_datetime(gdf[e_col], errors="coerce").to_numpy("datetime64[D]")
    names = [str(v) for v in (gdf[n_col] if n_col else gdf.index)]
    layer = _layer(gdf, start, end, names, {})
    if len(layer) == 0:
        raise BordersError(f"{path.name}: no feature with a geometry and readable dates")
    return Borders({"polities": layer, **{n: _empty(n) for n in LAYER_NAMES if n != "polities"}})


def _snapshots(folder: Path) -> Borders:
    files = sorted((int(m[1]), f) for f in folder.iterdir() if (m := re.fullmatch(r"world_(\d{4})\.(geo)?json", f.name)))
    if not files:
        raise BordersError(f"{folder} has no world_YEAR.geojson snapshot files")
    frames = []
    for k, (year, f) in enumerate(files):
        gdf = read_border_file(f)
        until = files[k + 1][0] if k + 1 < len(files) else year + 1
        gdf["_start"] = np.datetime64(f"{year}-01-01")
        gdf["_end"] = np.datetime64(f"{until}-01-01") - np.timedelta64(1, "D")
        gdf["_source"] = f.name
        frames.append(gdf)
    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    name_col = "NAME" if "NAME" in gdf.columns else next((c for c in _NAME if c in gdf.columns), None)
    names = [str(v) if v is not None and str(v) != "nan" else "(unnamed)" for v in (gdf[name_col] if name_col else gdf.index)]
    extra = {"sovereign": gdf["SUBJECTO"].to_numpy() if "SUBJECTO" in gdf.columns else [""] * len(gdf),
             "precision": gdf["BORDERPRECISION"].to_numpy() if "BORDERPRECISION" in gdf.columns else [None] * len(gdf),
             "source": gdf["_source"].to_numpy()}
    layer = _layer(gdf, gdf["_start"].to_numpy("datetime64[D]"), gdf["_end"].to_numpy("datetime64[D]"), names, extra)
    return Borders({"polities": layer, **{n: _empty(n) for n in LAYER_NAMES if n != "polities"}})
