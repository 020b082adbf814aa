"""The map pages' JavaScript and CSS: Leaflet from the ``xstatic-leaflet`` package, ours from ``geo/static``.

Two modes, one set of files:

- **inline**: every file is written into the page (exports, the offline HTML, the lecture
  download, notebooks). The page needs nothing else and makes no request.
- **linked**: the page links ``/app/static/atlas/<file>?v=<hash>`` (the app). :func:`publish` copies
  the files from the installed packages into Streamlit's static folder (``static/`` next to
  ``app.py``, served when ``server.enableStaticServing`` is true) once at start-up, so the
  browser fetches each file once and revalidates it by its ETag; a new version gets a new
  ``?v=`` and is fetched again. Nothing is fetched from outside the machine in either mode.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Literal

from branca.element import CssLink, Element, JavascriptLink
from folium.elements import JSCSSMixin

AssetMode = Literal["inline", "linked"]
MODES = ("inline", "linked")
#: URL prefix of Streamlit's static file serving, and our folder under it.
STATIC_URL = "/app/static/atlas/"
STATIC_DIR = Path(__file__).with_name("static")
#: Where ``linked`` pages find the files: the app's static URL, or another prefix (:func:`served_from`).
_BASE: ContextVar[str] = ContextVar("atlas_asset_base", default=STATIC_URL)


@lru_cache(maxsize=1)
def _leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as xl

    return Path(xl.BASE_DIR)


def asset_path(name: str) -> Path:
    """The file behind an asset name (``leaflet.js``, ``leaflet.css`` or one of ``geo/static``)."""
    if name.startswith("leaflet"):
        return _leaflet_dir() / name
    path = STATIC_DIR / name
    if not path.is_file():
        raise KeyError(f"unknown map asset {name!r}")
    return path


@lru_cache(maxsize=32)
def _read(name: str, mtime: float) -> str:
    return asset_path(name).read_text("utf-8")


def asset_text(name: str) -> str:
    """The text of an asset (re-read when the file changes)."""
    return _read(name, asset_path(name).stat().st_mtime)


def asset_url(name: str) -> str:
    """The asset's URL under Streamlit's static serving (or :func:`served_from`'s prefix), versioned by its content."""
    digest = hashlib.sha256(asset_text(name).encode("utf-8")).hexdigest()[:10]
    return f"{_BASE.get()}{name}?v={digest}"


@contextmanager
def served_from(prefix: str) -> Iterator[None]:
    """Pages rendered ``linked`` inside this block link their files under ``prefix`` (``../assets/``: the static
    site, :mod:`geo.site`) instead of Streamlit's ``/app/static/atlas/``."""
    token = _BASE.set(prefix)
    try:
        yield
    finally:
        _BASE.reset(token)


def asset_tag(name: str, mode: AssetMode) -> str:
    """A ``<script>`` or ``<style>``/``<link>`` element for one asset in ``mode``."""
    if mode not in MODES:
        raise ValueError(f"asset mode must be one of {MODES}, not {mode!r}")
    is_js = name.endswith(".js")
    if mode == "linked":
        url = asset_url(name)
        return f'<script src="{url}"></script>' if is_js else f'<link rel="stylesheet" href="{url}"/>'
    text = asset_text(name)
    if is_js:
        # a script element ends at the first "</script"; none of our files nor Leaflet contain one
        if "</script" in text.lower():
            raise ValueError(f"{name} contains '</script' and cannot be inlined")
        return f"<script>{text}</script>"
    return f"<style>{text}</style>"


def publish(static_dir: Path | str) -> Path:
    """Copy Leaflet (with its images) and ``geo/static`` into ``static_dir/atlas``; return that folder.

    Files whose bytes are already there are left alone (their modification time, hence their
    ``Last-Modified``, is kept). Written to a temporary name and renamed, so a browser never reads
    half a file.
    """
    target = Path(static_dir) / "atlas"
    target.mkdir(parents=True, exist_ok=True)
    sources = [_leaflet_dir() / "leaflet.js", _leaflet_dir() / "leaflet.css",
               *sorted(p for p in STATIC_DIR.iterdir() if p.suffix in (".js", ".css"))]
    for src in sources:
        _copy_if_changed(src, target / src.name)
    images = _leaflet_dir() / "images"
    if images.is_dir():
        (target / "images").mkdir(exist_ok=True)
        for src in images.iterdir():
            if src.is_file():
                _copy_if_changed(src, target / "images" / src.name)
    return target


def _copy_if_changed(src: Path, dst: Path) -> None:
    if dst.exists() and dst.read_bytes() == src.read_bytes():
        return
    tmp = dst.with_name(f".{dst.name}.tmp")
    shutil.copy2(src, tmp)
    tmp.replace(dst)


def safe_json(data: object) -> str:
    """Compact JSON that can sit inside a ``<script>`` element: ``<``, ``>`` and ``&`` escaped."""
    import json

    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


class RawElement(Element):
    """A piece of the page added exactly as given.

    branca's ``Element(text)`` compiles ``text`` as a Jinja template, and folium's ``MacroElement``
    passes every rendered macro through it: data holding ``{{ ... }}`` would be evaluated on the
    server. Our elements add their output as ``RawElement`` instead, never parsed again.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawElement"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class AtlasAssets(JSCSSMixin):
    """folium mixin: the element's files of ``geo/static`` (and Leaflet) added to the page once, and its
    macros rendered once (never re-parsed as templates: see :class:`RawElement`).

    Set ``assets`` to the file names. The page's mode is the root figure's ``atlas_assets``
    attribute (:func:`geo.mapview.render_page` sets it): ``linked`` fills folium's
    ``default_js``/``default_css`` with the versioned static URLs, ``inline`` (the default, also in
    notebooks) writes the files into the page's head.
    """

    assets: tuple[str, ...] = ()

    def render(self, **kwargs):
        figure = self.get_root()
        mode = getattr(figure, "atlas_assets", "inline")
        if mode == "linked":
            self.default_js = [(f"atlas_{n}", asset_url(n)) for n in self.assets if n.endswith(".js")]
            self.default_css = [(f"atlas_{n}", asset_url(n)) for n in self.assets if n.endswith(".css")]
        else:
            self.default_js, self.default_css = [], []
            for n in sorted(self.assets, key=lambda n: not n.endswith(".css")):  # styles first
                figure.header.add_child(RawElement(asset_tag(n, "inline")), name=f"atlas_{n}")
        for name, url in self.default_js:  # what JSCSSMixin.render does, before our macros
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        render_macros(self, kwargs)


def render_macros(element, kwargs: dict) -> None:
    """``MacroElement.render`` without the second template pass: header, html and script added raw."""
    figure = element.get_root()
    module = element._template.module
    for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
        macro = module.__dict__.get(part)
        if macro is not None:
            target.add_child(RawElement(macro(element, kwargs)), name=element.get_name())
    for child in element._children.values():
        child.render(**kwargs)
