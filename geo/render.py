"""Static maps for slides and print: PNG, SVG, PDF, an animated GIF, and the offline HTML map.

Drawn with matplotlib from the same flows as the app (no browser) and by the same rules: the
borders valid on the date, the Kazakh oblasts, one curved arrow per route and category whose
width follows the flows map type's fixed scale (the legend states it), ranges as a pale band,
area ends drawn to the area, colour by category, a title with the filters, and the sources as
citations. The offline HTML is the app's own flow page with its assets inline.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geo.areas import BEND, SYMBOL, area_shape, bends, bezier, clip, placed
from geo.borderlayer import CAPITAL_KINDS, PALETTE, capitals_between, colors_by_name, label_point
from geo.borders import Borders
from geo.flows import Filters, aggregate, filter_records, touches_kazakhstan
from geo.i18n import flow_labels, fmt_int, t, value_label
from geo.mapview import CATEGORY_COLORS, SEA, VIEWS, WIDTH_SCALES, flows_page, map_title

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
    """Each polygon of ``geoms`` as a path of one collection (paths, not patch objects: thousands per frame)."""
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MPath

    paths, colors = [], []
    for geom, face in zip(geoms, faces):
        parts = shapely.get_parts(geom)
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
            paths.append(MPath(verts, codes))
            colors.append(face)
    ax.add_collection(PathCollection(paths, facecolors=colors, edgecolors=edge, linewidths=lw, zorder=z))


def _view_extent(view: str, paths: list[np.ndarray]) -> tuple[float, float, float, float]:
    """(lon_min, lon_max, lat_min, lat_max): the drawn flows with a margin, or a preset of
    :data:`geo.mapview.VIEWS` widened to hold every arrowhead (no arrow ever ends off the map)."""
    if view in VIEWS:
        (s, w), (n, e) = VIEWS[view]
        for xy in paths:
            x, y = xy[-1]
            w, e, s, n = min(w, x - 1), max(e, x + 1), min(s, y - 1), max(n, y + 1)
        return w, e, s, n
    pts = np.vstack(paths) if paths else np.empty((0, 2))
    if not len(pts):
        (s, w), (n, e) = VIEWS["europe"]
        return w, e, s, n
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    mx, my = max(2.0, (x1 - x0) * 0.06), max(2.0, (y1 - y0) * 0.08)
    return max(-180, x0 - mx), min(180, x1 + mx), max(-80, y0 - my), min(84, y1 + my)


def _fill_box(extent: tuple[float, float, float, float], ratio: float) -> tuple[float, float, float, float]:
    """The extent widened (never cut) so that, drawn at the map's aspect, it fills an axes of ``ratio`` (width / height)."""
    x0, x1, y0, y1 = extent
    squash = np.cos(np.radians((y0 + y1) / 2))
    w, h = (x1 - x0) * squash, (y1 - y0)
    if w / h < ratio:
        grow = (h * ratio / squash - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = (w / ratio - h) / 2
        y0, y1 = y0 - grow, y1 + grow
    return x0, x1, y0, y1


#: label points by the exact shape they are computed for: the frames of an animation draw the same shapes
_LABEL_POINTS: dict[bytes, list[float] | None] = {}


def _label_point(geom) -> list[float] | None:
    """:func:`geo.borderlayer.label_point`, computed once per shape (keyed by a digest of its WKB, so shapes from
    different visitors' border files never share an answer unless they are the same shape)."""
    import hashlib

    k = hashlib.blake2b(shapely.to_wkb(geom), digest_size=16).digest()
    if k not in _LABEL_POINTS:
        if len(_LABEL_POINTS) > 20_000:
            _LABEL_POINTS.clear()
        _LABEL_POINTS[k] = label_point(geom)
    return _LABEL_POINTS[k]


def _names_of_the_day(ax, renderer, units: pd.DataFrame, geoms: np.ndarray, capitals: list[list], lang: str,
                      oblasts: bool) -> None:
    """The units' names and the capitals of the day, as the pages write them: units largest first, then
    capitals (a small hollow grey square, not a flow end); a name that would overlap one already written, or
    that its unit is too small on the figure to hold, is left out (a printed map does the same)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    fig_px = ax.get_window_extent(renderer)
    per_deg = fig_px.width / (x1 - x0)
    placed: list = []

    def write(x: float, y: float, text: str, **style) -> bool:
        if not (x0 < x < x1 and y0 < y < y1) or not text:
            return False
        label = ax.text(x, y, text, zorder=2.6, clip_on=True, **style)
        box = label.get_window_extent(renderer).expanded(1.05, 1.15)
        if any(box.overlaps(b) for b in placed) or not fig_px.contains(box.x0, box.y0) or not fig_px.contains(box.x1, box.y1):
            label.remove()
            return False
        placed.append(box)
        return True

    key = f"name_{lang}" if lang != "en" else "name"
    rows = []
    for (_, row), geom in zip(units.iterrows(), geoms):
        if str(row.get("kind", "")) == "modern_outline" or geom is None or shapely.is_empty(geom):
            continue
        lp = _label_point(geom)
        if lp is None:
            continue
        xmin, ymin, xmax, ymax = shapely.bounds(geom)
        name = str(row.get(key) or row.get("name") or "")
        if (xmax - xmin) * per_deg < len(name) * 6:  # too small on the figure for its name
            continue
        rows.append(((xmax - xmin) * (ymax - ymin), lp, name))
    for _, (lat, lon), name in sorted(rows, key=lambda r: -r[0]):
        if oblasts:
            write(lon, lat, name, fontsize=10, style="italic", color="#3b3b3b", ha="center", va="center")
        else:
            write(lon, lat, name.upper(), fontsize=10, color="#4d4b45", ha="center", va="center")
    for name, lat, lon, *_rest, kind in capitals:
        if not (x0 < lon < x1 and y0 < lat < y1):
            continue
        if write(lon + (x1 - x0) * 0.006, lat, name, fontsize=9, color="#333333", ha="left", va="center"):
            ax.plot([lon], [lat], marker="s", markersize=5 if CAPITAL_KINDS[kind] != "oblast" else 4,
                    markerfacecolor="white", markeredgecolor="#444444", markeredgewidth=1.2, linestyle="none",
                    zorder=2.7, gid=f"capital:{name}")


def flow_paths(flows: pd.DataFrame, borders: Borders) -> list[dict]:
    """Each flow's drawn curve (lon, lat points) with the same bends and area clipping as the pages."""
    bend_of = bends([flows])
    out = []
    for r in flows.itertuples(index=False):
        a, b = (float(r.origin_lat), float(r.origin_lon)), (float(r.destination_lat), float(r.destination_lon))
        k = bend_of.get((r.origin, r.destination, getattr(r, "dataset", "bundled"), r.category), BEND)
        oa, da = str(getattr(r, "origin_area", "") or ""), str(getattr(r, "destination_area", "") or "")
        t0, t1, os_, ds_ = clip(a, b, k, area_shape(borders, oa), area_shape(borders, da))
        lat, lon = bezier(a, b, k, np.linspace(t0, t1, 48))
        out.append({"flow": r, "xy": np.column_stack([lon, lat]), "os": os_ or oa == SYMBOL,
                    "ds": ds_ or da == SYMBOL, "a": a, "b": b})
    return out


def _trim(xy: np.ndarray, centre: tuple[float, float], r: float, squash: float, at_end: bool) -> np.ndarray:
    """Drop the points of a path within ``r`` (as drawn, in degrees of longitude) of ``centre`` at one end."""
    d = np.hypot(xy[:, 0] - centre[1], (xy[:, 1] - centre[0]) / squash)
    keep = d >= r
    if at_end:
        idx = np.flatnonzero(keep)
        return xy[: idx[-1] + 1] if len(idx) >= 2 else xy[-2:]
    idx = np.flatnonzero(keep)
    return xy[idx[0]:] if len(idx) >= 2 else xy[:2]


def _sources_line(records: pd.DataFrame, sources: pd.DataFrame | None, lang: str) -> str:
    """The sources of the drawn records as short citations (author, year), never file paths or ids."""
    from geo.dataset import load_sources, source_ids

    sources = load_sources() if sources is None else sources
    by_id = sources.set_index("id") if len(sources) else None
    seen: list[str] = []
    for cell, ds in zip(records["source"], records["dataset"] if "dataset" in records else ["bundled"] * len(records)):
        for s in ([str(cell)] if ds != "bundled" else source_ids(cell)):
            if by_id is not None and s in by_id.index:
                row = by_id.loc[s]
                text = f"{str(row['author']).split(',')[0]} ({row['year']})"
            else:
                text = s
            if text and text not in seen:
                seen.append(text)
    shown = seen[:14] + ([f"+{len(seen) - 14}"] if len(seen) > 14 else [])
    return t("render.source", lang, sources="; ".join(shown) or "—")


def render_figure(records: pd.DataFrame, borders: Borders, f: Filters, *, view: str = "fit", group: str = "place",
                  title: str | None = None, source_line: str = "", size: tuple[float, float] = (19.2, 10.8),
                  dpi: int = 100, peak: float | None = None, lang: str = "en", sources: pd.DataFrame | None = None,
                  extent: tuple[float, float, float, float] | None = None, kazakhstan: bool = False) -> Figure:
    """A matplotlib figure of the flows of ``records`` passing ``f`` over the borders of the period's end.

    Drawn by the rules of the pages: one arrow per route and category, the flows map type's width
    scale (``1 px = N people``, :data:`geo.mapview.WIDTH_SCALES`; ``peak`` is ignored), a pale band
    for a range, dashed where no count is known, area ends drawn to the area's edge or to a
    labelled symbol (:mod:`geo.areas`), sources as citations. ``extent`` fixes the view (the frames
    of an animation share one). ``kazakhstan``: the Kazakhstan page's map, only the flows with an end
    in Kazakhstan.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rec = filter_records(records, f)
    if kazakhstan:
        rec = rec[touches_kazakhstan(rec).to_numpy()]
    rec = placed(rec, borders, group)
    flows = aggregate(rec, group)
    labels = flow_labels(rec, group, lang) if len(rec) else {}
    day = _last_day(f)
    paths = flow_paths(flows, borders)
    box_w = 0.77  # the legend stands to the right of the map, never on it
    x0, x1, y0, y1 = extent or _fill_box(_view_extent(view, [p["xy"] for p in paths]), size[0] * box_w / (size[1] * 0.80))
    fig = plt.figure(figsize=size, dpi=dpi)
    ax = fig.add_axes([0.01, 0.09, box_w, 0.80])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / np.cos(np.radians((y0 + y1) / 2)))
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    pol = borders.on(day, "polities")
    box = shapely.box(x0 - 10, y0 - 10, x1 + 10, y1 + 10)
    geoms = shapely.intersection(shapely.simplify(np.asarray(pol["geometry"], dtype=object), 0.05), box)
    kind = pol["kind"].to_numpy() if "kind" in pol else np.array([""] * len(pol))
    colors = colors_by_name(pol["name"].astype(str).to_numpy(), geoms) if len(pol) else []
    faces = ["#f4f3ef" if k == "modern_outline" else PALETTE[c % len(PALETTE)] for c, k in zip(colors, kind)]
    _polygons(ax, geoms, faces, "#77756d", 0.5, 1)
    kz = borders.on(day, "kazakh_regions")
    if len(kz):
        _polygons(ax, shapely.simplify(np.asarray(kz["geometry"], dtype=object), 0.02), ["none"] * len(kz), "#4a4a4a", 0.9, 2)
    # names of the day: the oblasts on the Kazakhstan map, the states elsewhere; capitals of the day on both
    renderer = fig.canvas.get_renderer()
    if kazakhstan or view == "kazakhstan":
        _names_of_the_day(ax, renderer, kz, np.asarray(kz["geometry"], dtype=object), [], lang, oblasts=True)
    else:
        _names_of_the_day(ax, renderer, pol, geoms, [], lang, oblasts=False)
    _names_of_the_day(ax, renderer, pol.iloc[:0], np.array([], dtype=object),
                      capitals_between(borders, day, day, lang, oblasts=True), lang, oblasts=False)
    scale = WIDTH_SCALES["flows"]
    px_to_pt = 72 / dpi
    lw = lambda v: (max(scale["min_px"], v / scale["per_px"]) if v > 0 else scale["min_px"]) * px_to_pt  # noqa: E731
    x_span = x1 - x0
    r_sym = x_span * 0.008  # a symbol's radius in degrees of longitude (about 15 px on a 1920 px figure)
    squash = np.cos(np.radians((y0 + y1) / 2))  # a degree of latitude is drawn 1/squash times a degree of longitude
    symbols: dict[str, tuple[float, float]] = {}
    for p in sorted(paths, key=lambda p: -float(p["flow"].drawn)):
        r = p["flow"]
        xy = p["xy"]
        if p["os"]:
            xy = _trim(xy, p["a"], r_sym, squash, at_end=False)
            symbols[labels.get(r.origin, r.origin)] = p["a"]
        if p["ds"]:
            xy = _trim(xy, p["b"], r_sym, squash, at_end=True)
            symbols[labels.get(r.destination, r.destination)] = p["b"]
        color = CATEGORY_COLORS.get(r.category, "#333333")
        w = lw(float(r.drawn))
        if r.drawn > 0 and r.high > r.low:
            ax.plot(xy[:, 0], xy[:, 1], color=color, lw=lw(float(r.high)), alpha=0.28, zorder=3, solid_capstyle="butt")
        if getattr(r, "dataset", "bundled") != "bundled":
            ax.plot(xy[:, 0], xy[:, 1], color="black", lw=w + 3, zorder=3, solid_capstyle="butt")
        ax.plot(xy[:, 0], xy[:, 1], color=color, lw=w, alpha=0.9, zorder=4, solid_capstyle="butt",
                linestyle="-" if r.drawn > 0 else (0, (4, 3)), gid=f"flow:{r.origin}>{r.destination}:{r.category}")
        ax.annotate("", xy=xy[-1], xytext=xy[-4], zorder=5,
                    arrowprops={"arrowstyle": "-|>", "color": color, "lw": 0, "mutation_scale": 12 + w * 1.5})
    for label, (lat, lon) in symbols.items():
        ax.add_patch(matplotlib.patches.Ellipse((lon, lat), 2 * r_sym, 2 * r_sym * squash, facecolor="white",
                                                edgecolor="#222222", linestyle=(0, (3, 2)), lw=1.2, alpha=0.85, zorder=6))
        right = lon < x1 - (x1 - x0) * 0.2  # near the right edge the label goes to the left of its symbol
        ax.text(lon + r_sym * 1.3 * (1 if right else -1), lat, label, fontsize=10, va="center", zorder=7, clip_on=True,
                ha="left" if right else "right", bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1})
    period = f"{f.year_from}" if f.year_from == f.year_to else f"{f.year_from}–{f.year_to}"
    title = title or t("render.title", lang)
    fig.suptitle(f"{title}, {period}", x=0.01, y=0.975, ha="left", fontsize=26, fontweight="bold")
    approx = "~" if len(flows) and flows["approximate"].any() else ""
    fig.text(0.01, 0.915, map_title(f, group, lang) + " · " +
             t("render.subtitle", lang, day=day.isoformat(), n=fmt_int(len(rec), lang),
               people=approx + fmt_int(flows["people"].sum() if len(flows) else 0, lang)), fontsize=15)
    cats = [c for c in CATEGORY_COLORS if c in set(flows["category"])] if len(flows) else []
    handles = [Line2D([], [], color=CATEGORY_COLORS[c], lw=5, label=value_label("cat", c, lang)) for c in cats]
    handles += [Line2D([], [], color="#555555", lw=lw(v), label=f"{fmt_int(v, lang)} {t('map.people', lang)}")
                for v in scale["samples"]]
    handles += [Patch(facecolor="#EE7733", alpha=0.28, label=t("map.range_band", lang)),
                Line2D([], [], color="#555555", lw=2, linestyle=(0, (4, 3)), label=t("map.count_unknown", lang)),
                Line2D([], [], marker="o", markersize=12, markerfacecolor="white", markeredgecolor="#222222",
                       linestyle="none", label=t("map.area_symbol", lang)),
                Line2D([], [], marker="s", markersize=5, markerfacecolor="white", markeredgecolor="#444444",
                       markeredgewidth=1.2, linestyle="none", label=t("map.capital", lang))]
    for h in handles:
        h.set_label("\n".join(textwrap.wrap(h.get_label(), 30)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=12, title=t("map.legend", lang),
              title_fontsize=13, frameon=False, alignment="left")
    fig.text(0.01 + box_w + 0.008, 0.09, "\n".join(textwrap.wrap(
        ". ".join(x.rstrip(".") for x in (
            t("map.scale", lang).replace("{n}", fmt_int(scale["per_px"], lang)),
            t("map.min_width", lang).replace("{n}", fmt_int(scale["min_px"] * scale["per_px"], lang)).replace(
                "{px}", str(scale["min_px"])), t("map.approx", lang), t("render.area_note", lang))) + ".", 44)),
        fontsize=11, color="#333333", va="bottom")
    fig.text(0.01, 0.012, "\n".join(textwrap.wrap(source_line or _sources_line(rec, sources, lang), 230)), fontsize=10,
             color="#333333", va="bottom")
    return Figure(fig, flows, title)


def render_file(records: pd.DataFrame, borders: Borders, f: Filters, out: Path, *, view: str = "fit",
                group: str = "place", title: str | None = None, lang: str = "en", year: int | None = None,
                sources: pd.DataFrame | None = None, kazakhstan: bool = False) -> Path:
    """Write ``out`` as PNG (1920×1080), SVG, PDF, HTML (offline interactive map) or GIF (one frame per year)."""
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {out.suffix!r}; use one of {', '.join('.' + x for x in FORMATS)}")
    data = render_bytes(records, borders, f, fmt, view=view, group=group, title=title, lang=lang, year=year,
                        sources=sources, kazakhstan=kazakhstan)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)  # atomic: a reader never sees half a file
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        raise
    return out


def render_bytes(records: pd.DataFrame, borders: Borders, f: Filters, fmt: str, *, view: str = "fit",
                 group: str = "place", title: str | None = None, lang: str = "en", year: int | None = None,
                 sources: pd.DataFrame | None = None, kazakhstan: bool = False) -> bytes:
    """The export as bytes (for download buttons); see :func:`render_file`.

    ``year``: the year stepped to in the map. The interactive HTML keeps the whole period and opens
    at that year; a still image (PNG, SVG, PDF) shows that year alone; the GIF always plays every year.
    The filters are in every title. ``kazakhstan``: the Kazakhstan page's map (flows with an end in
    Kazakhstan, oblasts shaded by year).
    """
    import matplotlib.pyplot as plt

    if fmt == "html":
        html = flows_page(records, borders, f, group, view=view, lang=lang, sources=sources, year=year,
                          shading=kazakhstan, assets="inline", title=title)
        return html.encode("utf-8")
    if fmt == "gif":
        return _gif(records, borders, f, view=view, group=group, title=title, lang=lang, sources=sources,
                    kazakhstan=kazakhstan)
    if year is not None and f.year_from <= year <= f.year_to:
        f = replace(f, year_from=year, year_to=year)
    fig = render_figure(records, borders, f, view=view, group=group, title=title, lang=lang, sources=sources,
                        kazakhstan=kazakhstan).fig
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=100)
    plt.close(fig)
    return buf.getvalue()


def _gif(records, borders, f: Filters, *, view: str, group: str, title: str | None, lang: str = "en",
         sources: pd.DataFrame | None = None, kazakhstan: bool = False) -> bytes:
    import matplotlib.pyplot as plt
    from PIL import Image

    # one view for every frame: the drawn flows of the whole period (or the preset)
    whole = render_figure(records, borders, f, view=view, group=group, title=title, size=(6.4, 3.6), lang=lang,
                          sources=sources, kazakhstan=kazakhstan)
    extent = (*whole.fig.axes[0].get_xlim(), *whole.fig.axes[0].get_ylim())
    plt.close(whole.fig)
    frames = []
    for y in range(f.year_from, f.year_to + 1):
        fig = render_figure(records, borders, replace(f, year_from=y, year_to=y), view=view, group=group, title=title,
                            size=(12.8, 7.2), lang=lang, sources=sources, extent=extent, kazakhstan=kazakhstan).fig
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        plt.close(fig)
        frames.append(Image.open(io.BytesIO(buf.getvalue())).convert("P", palette=Image.Palette.ADAPTIVE))
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=1500, loop=0)
    return out.getvalue()
