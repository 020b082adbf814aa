"""The atlas in English, Russian and Kazakh: interface strings, names of the era, numbers and dates.

Strings live in ``data/i18n/{en,ru,kk}.yaml`` (one flat key -> text mapping per language, the
same keys in each; ``tests/test_i18n.py`` fails on a missing one). Place names: the era's name
from the curated gazetteer (``Alma-Ata`` in 1941, with today's ``Almaty`` in brackets), the
Russian and Kazakh names of ``data/i18n/place_names.csv`` and of the border layers.
"""

from __future__ import annotations

import csv
import re
from functools import cache, lru_cache

import pandas as pd

from geo.paths import DATA_DIR, MOVEMENTS_DIR
from geo.textfiles import load_yaml

LANGS = ("en", "ru", "kk")
LANG_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
I18N_DIR = DATA_DIR / "i18n"
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"),
    "kk": ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"),
}
_KAZAKH_LETTERS = set("әғқңөұүһі")


@cache
def catalog(lang: str) -> dict[str, str]:
    """The strings of one language (``en``, ``ru``, ``kk``)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGS)}")
    data = load_yaml((I18N_DIR / f"{lang}.yaml").read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The text of ``key`` in ``lang`` with ``{placeholders}`` filled (English if the key lacks a translation)."""
    text = catalog(lang).get(key)
    if text is None:
        text = catalog("en").get(key, key)
    return text.format(**values) if values else text


def fmt_int(n: float | int | None, lang: str = "en") -> str:
    """``1,250`` in English, ``1 250`` (non-breaking space) in Russian and Kazakh."""
    if n is None or pd.isna(n):
        return ""
    s = f"{round(float(n)):,}"
    return s if lang == "en" else s.replace(",", "\u00a0")


def fmt_date(text: str, lang: str = "en") -> str:
    """An ISO partial date as the language writes it: ``25 Oct 1937`` / ``25.10.1937``; ``Oct 1937`` / ``октябрь 1937``."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(text).strip())
    if not m:
        return str(text)
    y, mo, d = m.groups()
    if d:
        return f"{int(d)} {_MONTHS['en'][int(mo) - 1]} {y}" if lang == "en" else f"{d}.{mo}.{y}"
    if mo:
        return f"{_MONTHS[lang][int(mo) - 1]} {y}"
    return y


@lru_cache(maxsize=1)
def _place_table() -> dict[str, dict[str, str]]:
    with (I18N_DIR / "place_names.csv").open(encoding="utf-8", newline="") as fh:
        return {r["place_id"]: {"ru": r["ru"], "kk": r["kk"]} for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def _curated_variants() -> dict[str, list[tuple[str, int | None, int | None]]]:
    """Curated place id -> its names with the years they were in use (from places.csv)."""
    from geo.gazetteer import _split_validity

    out = {}
    with (MOVEMENTS_DIR / "places.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out[r["id"]] = [_split_validity(v) for v in r["names"].split("|") if v]
    return out


def _is_cyrillic(s: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in s)


def _era(variants, year: int | None, want) -> str | None:
    for name, vf, vt in variants:
        if want(name) and (year is None or ((vf is None or vf <= year) and (vt is None or year < vt))):
            return name
    return None


def _pair(lead: str | None, other: str | None) -> str:
    """``lead (other)``, or one of them alone when one already contains the other."""
    if not other or not lead:
        return lead or other or ""
    if lead in other:
        return other
    if other in lead:
        return lead
    return f"{lead} ({other})"


def _now(variants, want) -> str | None:
    """Today's name: the first variant still in use (no end year)."""
    return next((n for n, _, vt in variants if vt is None and want(n)), None)


def place_label(place_id: str, english: str, year: int | None, lang: str = "en") -> str:
    """A place as the reader of ``lang`` names it in ``year``, today's name in brackets where it differs.

    ``english`` is the gazetteer's label ("Almaty (KZ)"); it is used where nothing better is known.
    English and Russian lead with the name of the era (``Alma-Ata (Almaty)``, ``Алма-Ата (Алматы)``);
    Kazakh leads with today's Kazakh name (``Алматы (Алма-Ата)``).
    """
    plain = re.sub(r" \([A-Z]{2}\)$", "", str(english))
    variants = _curated_variants().get(place_id, [])
    latin = lambda n: not _is_cyrillic(n)  # noqa: E731
    russian = lambda n: _is_cyrillic(n) and not set(n.lower()) & _KAZAKH_LETTERS  # noqa: E731
    if lang == "en":
        return _pair(_era(variants, year, latin), plain) if variants else plain
    table = _place_table().get(place_id, {})
    if not any(vf is not None or vt is not None for _, vf, vt in variants):  # one name at all times
        return table.get(lang) or table.get("ru") or _now(variants, russian) or plain
    era = _era(variants, year, russian)
    now = table.get("ru") or _now(variants, russian)
    if lang == "ru" or not (table.get("kk") or now):
        return _pair(era or now, now) or plain
    return _pair(table.get("kk") or now, era)


@lru_cache(maxsize=8)
def _unit_names(lang: str) -> dict[str, str]:
    from geo.borders import bundled_borders

    b = bundled_borders()
    out = {}
    for layer in ("polities", "republics", "kazakh_regions"):
        props = b[layer].props
        col = f"name_{lang}"
        if col in props:
            out.update({str(n): str(v) for n, v in zip(props["name"], props[col]) if isinstance(v, str) and v})
    return out


def unit_label(name: str, lang: str = "en") -> str:
    """A polity, republic or oblast name of the border layers in ``lang`` (spans "A → B" kept)."""
    if lang == "en" or not name:
        return name
    names = _unit_names(lang)
    return " → ".join(names.get(part, part) for part in str(name).split(" → "))


def value_label(kind: str, value: str, lang: str = "en") -> str:
    """A category or nationality in ``lang`` (``kind`` is ``cat`` or ``nat``); unknown values stay as written."""
    key = f"{kind}.{value}"
    return catalog(lang).get(key) or catalog("en").get(key) or value.replace("_", " ")


def flow_labels(records: pd.DataFrame, group: str, lang: str) -> dict[str, str]:
    """Label of every flow end under ``group`` (the keys of :func:`geo.flows.aggregate`) in ``lang``."""
    from geo.flows import _republic, destination_region

    out: dict[str, str] = {}
    years = pd.to_datetime(records["date_from"]).dt.year.to_numpy()
    for end in ("origin", "destination"):
        if group == "place" or (group == "oblast" and end == "origin"):
            for key, pid, y in zip(records[f"{end}_place"], records[f"{end}_place_id"], years):
                out.setdefault(str(key), place_label(str(pid), str(key), int(y), lang))
        elif group == "polity":
            for key in _republic(records, end):
                out.setdefault(str(key), unit_label(str(key), lang))
        else:
            for key in destination_region(records):
                out.setdefault(str(key), unit_label(str(key), lang))
    return out
