"""Static maps for slides and print: PNG, SVG, PDF, an animated GIF, and the offline HTML map.

Drawn with matplotlib from the same flows as the app (no browser): the borders valid on the
date, the Kazakh oblasts, curved arrows whose width is proportional to people with a known
count (the legend states the scale), colour by category, a title, the period and a source line.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geo.borders import Borders
from geo.cards import record_cards
from geo.flows import Filters, aggregate, filter_records, flows_by_year
from geo.i18n import fmt_int, t, value_label
from geo.mapview import CATEGORY_COLORS, PALETTE, flow_map_html

#: Map extents (lon_min, lon_max, lat_min, lat_max) of the views.
EXTENTS = {"europe": (-12, 75, 33, 68), "ussr": (-5, 150, 30, 75), "kazakhstan": (44, 90, 38, 57)}
FORMATS = ("png", "svg", "pdf", "html", "gif")


@dataclass
class Figure:
    """A rendered map and what it shows (for tests and captions)."""

    fig: object
    flows: pd.DataFrame
    title: str


def _last_day(f: Filters) -> dt.date:
    return dt.date(min(max(f.year_to, 1919), 1950), 12, 31) if f.year_to <= 1950 else dt.date(1950, 12, 31)


def _polygons(ax, geoms, faces, edge: str, lw: float, z: int) -> None:
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath

    patches, colors = [], []
    for geom, face in zip(geoms, faces):
        parts = shapely.get_parts(geom)
        while len(parts) and np.isin(shapely.get_type_id(parts), (4, 5, 6, 7)).any():  # collections in collections
            parts = shapely.get_parts(parts)
        for poly in parts:
            if shapely.get_type_id(poly) != 3 or poly.is_empty:
                continue
            rings = [np.asarray(poly.exterior.coords)[:, :2]] + [np.asarray(r.coords)[:, :2] for r in poly.interiors]
            rings = [r for r in rings if len(r) >= 4]
            if not rings:
                continue
            verts = np.concatenate(rings)
            codes = np.concatenate([np.r_[MPath.MOVETO, np.full(len(r) - 2, MPath.LINETO), MPath.CLOSEPOLY]
                                    for r in rings]).astype(MPath.code_type)
            patches.append(PathPatch(MPath(verts, codes)))
            colors.append(face)
    pc = PatchCollection(patches, facecolors=colors, edgecolors=edge, linewidths=lw, zorder=z)
    ax.add_collection(pc)


def _curve(a: tuple[float, float], b: tuple[float, float], n: int = 40) -> np.ndarray:
    (x1, y1), (x2, y2) = a, b
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    cx, cy = mx - (y2 - y1) * 0.2, my + (x2 - x1) * 0.2
    t = np.linspace(0, 1, n)[:, None]
    return (1 - t) ** 2 * np.array([x1, y1]) + 2 * (1 - t) * t * np.array([cx, cy]) + t ** 2 * np.array([x2, y2])


def render_figure(records: pd.DataFrame, borders: Borders, f: Filters, *, view: str = "europe", group: str = "place",
                  title: str | None = None, source_line: str = "", size: tuple[float, float] = (19.2, 10.8),
                  dpi: int = 100, peak: float | None = None, lang: str = "en") -> Figure:
    """A matplotlib figure of the flows of ``records`` passing ``f`` over the borders of the period's end.

    ``peak`` fixes the width scale (people drawn at full width), so frames of an animation compare.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    rec = filter_records(records, f)
    flows = aggregate(rec, group)
    day = _last_day(f)
    x0, x1, y0, y1 = EXTENTS.get(view, EXTENTS["europe"])
    fig = plt.figure(figsize=size, dpi=dpi)
    ax = fig.add_axes([0.01, 0.06, 0.98, 0.84])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / np.cos(np.radians((y0 + y1) / 2)))
    ax.set_facecolor("#dfe9f3")
    ax.set_xticks([])
    ax.set_yticks([])
    pol = borders.on(day, "polities")
    box = shapely.box(x0 - 5, y0 - 5, x1 + 5, y1 + 5)
    geoms = shapely.intersection(shapely.simplify(np.asarray(pol["geometry"], dtype=object), 0.05), box)
    kind = pol["kind"].to_numpy() if "kind" in pol else np.array([""] * len(pol))
    names = pol["name"].astype(str).to_numpy()
    uniq = {n: i for i, n in enumerate(sorted(set(names)))}
    faces = ["#eeeeee" if k == "modern_outline" else PALETTE[uniq[n] % len(PALETTE)] for n, k in zip(names, kind)]
    _polygons(ax, geoms, faces, "#666666", 0.5, 1)
    kz = borders.on(day, "kazakh_regions")
    if len(kz):
        _polygons(ax, shapely.simplify(np.asarray(kz["geometry"], dtype=object), 0.02), ["none"] * len(kz), "#222222", 0.9, 2)
    peak = peak or max(float(flows["people"].max()) if len(flows) else 1.0, 1.0)
    lw = lambda p: 1.5 + 14 * p / peak
    for r in flows.sort_values("people", ascending=False).itertuples():
        pts = _curve((r.origin_lon, r.origin_lat), (r.destination_lon, r.destination_lat))
        color = CATEGORY_COLORS.get(r.category, "#333333")
        w = lw(r.people)
        if getattr(r, "dataset", "bundled") != "bundled":
            ax.plot(pts[:, 0], pts[:, 1], color="black", lw=w + 3, zorder=3, solid_capstyle="butt")
        ax.plot(pts[:, 0], pts[:, 1], color=color, lw=w, alpha=0.9, zorder=4, solid_capstyle="butt",
                linestyle="-" if r.people > 0 else (0, (4, 3)), gid=f"flow:{r.origin}>{r.destination}")
        ax.annotate("", xy=pts[-1], xytext=pts[-4], zorder=5,
                    arrowprops={"arrowstyle": "-|>", "color": color, "lw": 0, "mutation_scale": 12 + w * 1.5})
    period = f"{f.year_from}" if f.year_from == f.year_to else f"{f.year_from}–{f.year_to}"
    title = title or t("render.title", lang)
    fig.suptitle(f"{title}, {period}", x=0.01, y=0.975, ha="left", fontsize=26, fontweight="bold")
    fig.text(0.01, 0.915, t("render.subtitle", lang, day=day.isoformat(), n=fmt_int(len(rec), lang),
                            people=fmt_int(flows["people"].sum() if len(flows) else 0, lang)), fontsize=15)
    cats = [c for c in CATEGORY_COLORS if c in set(flows["category"])] if len(flows) else []
    handles = [Line2D([], [], color=CATEGORY_COLORS[c], lw=5, label=value_label("cat", c, lang)) for c in cats]
    handles += [Line2D([], [], color="#555555", lw=lw(v), label=f"{fmt_int(v, lang)} {t('map.people', lang)}")
                for v in (peak, peak / 4)]
    handles += [Line2D([], [], color="#555555", lw=2, linestyle=(0, (4, 3)), label=t("map.count_unknown", lang))]
    leg = ax.legend(handles=handles, loc="lower left", fontsize=13, title=t("render.legend", lang), title_fontsize=14,
                    framealpha=0.95)
    leg.set_zorder(10)
    fig.text(0.01, 0.02, source_line or t("render.source", lang), fontsize=11, color="#333333")
    return Figure(fig, flows, title)


def render_file(records: pd.DataFrame, borders: Borders, f: Filters, out: Path, *, view: str = "europe",
                group: str = "place", title: str | None = None, lang: str = "en") -> Path:
    """Write ``out`` as PNG (1920×1080), SVG, PDF, HTML (offline interactive map) or GIF (one frame per year)."""
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {out.suffix!r}; use one of {', '.join('.' + x for x in FORMATS)}")
    data = render_bytes(records, borders, f, fmt, view=view, group=group, title=title, lang=lang)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)  # atomic: a reader never sees half a file
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        raise
    return out


def render_bytes(records: pd.DataFrame, borders: Borders, f: Filters, fmt: str, *, view: str = "europe",
                 group: str = "place", title: str | None = None, lang: str = "en") -> bytes:
    """The export as bytes (for download buttons); see :func:`render_file`."""
    import matplotlib.pyplot as plt

    if fmt == "html":
        rec = filter_records(records, f)
        last = _last_day(f)
        html = flow_map_html(borders, flows_by_year(rec, range(f.year_from, f.year_to + 1), group), record_cards(rec, lang=lang),
                             first=dt.date(f.year_from, 1, 1), last=last, all_years=aggregate(rec, group), view=view,
                             title=title or f"Flows {f.year_from}-{f.year_to}", lang=lang)
        return html.encode("utf-8")
    if fmt == "gif":
        return _gif(records, borders, f, view=view, group=group, title=title, lang=lang)
    fig = render_figure(records, borders, f, view=view, group=group, title=title, lang=lang).fig
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=100)
    plt.close(fig)
    return buf.getvalue()


def _gif(records, borders, f: Filters, *, view: str, group: str, title: str | None, lang: str = "en") -> bytes:
    import matplotlib.pyplot as plt
    from PIL import Image

    rec = filter_records(records, f)
    per_year = flows_by_year(rec, range(f.year_from, f.year_to + 1), group)
    peak = max([float(fl["people"].max()) for fl in per_year.values() if len(fl)] + [1.0])  # one scale for all frames
    frames = []
    for y in range(f.year_from, f.year_to + 1):
        fy = Filters(y, y, f.nationalities, f.categories, f.origin_polities, f.destination_regions)
        fig = render_figure(records, borders, fy, view=view, group=group, title=title, size=(12.8, 7.2), peak=peak,
                            lang=lang).fig
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        plt.close(fig)
        frames.append(Image.open(io.BytesIO(buf.getvalue())).convert("P", palette=Image.Palette.ADAPTIVE))
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=1500, loop=0)
    return out.getvalue()
