"""Record cards: the text a map shows when an arrow is opened, built in one place.

The app's flow maps, every export (the offline HTML, the lecture download) and the lecture use
:func:`record_cards`, so a record reads the same everywhere and in every language: its date as
the language writes it, its count with the source's uncertainty (``~`` where the source says
approximately, ``13,000–15,000`` for a range, ``≥ 3,000`` for a lower bound), what moved, the
route as the source writes it (the arrow's own heading names the places in the reader's language), and its
sources **as citations** (author, title, year, locator), never as ids or file
paths. A researcher's own record shows the source as they wrote it.
"""

from __future__ import annotations

import pandas as pd

from geo.i18n import fmt_date, fmt_int, t, value_label


def _flag(value: object) -> bool:
    """A boolean cell that may be missing (``pd.NA``, ``None``) as a plain bool."""
    return False if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else bool(value)


def citation(source: pd.Series | dict) -> str:
    """A bibliography row as one citation: ``author, title (year), locator``."""
    get = source.get
    text = f"{get('author') or ''}, {get('title') or ''} ({get('year') or ''})"
    return f"{text}, {get('locator')}" if get("locator") else text


def count_text(count: float | None, low: float | None, high: float | None, approximate: bool, lang: str = "en") -> str:
    """A record's count as the source gives it: ``~400,000 people``, ``13,000–15,000 people``, ``≥ 3,000 people``.

    A best figure with a wider range keeps both (``6,000 people (range 4,000–10,000)``); no figure at
    all reads "count unknown".
    """
    people = t("map.people", lang)
    has = lambda v: v is not None and not pd.isna(v)  # noqa: E731
    tilde = "~" if approximate else ""
    if has(count):
        text = f"{tilde}{fmt_int(count, lang)} {people}"
        if has(low) and has(high) and high > low:
            text += f" ({t('map.range', lang)} {fmt_int(low, lang)}–{fmt_int(high, lang)})"
        return text
    if has(low) and has(high) and high > low:
        return f"{tilde}{fmt_int(low, lang)}–{fmt_int(high, lang)} {people}"
    if has(low):
        return f"≥ {fmt_int(low, lang)} {people}"
    if has(high):
        return f"≤ {fmt_int(high, lang)} {people}"
    return t("map.count_unknown", lang)


def record_cards(records: pd.DataFrame, sources: pd.DataFrame | None = None, lang: str = "en") -> dict[str, dict]:
    """Record id -> the text shown when one of its arrows is opened (every value a plain string).

    Parameters
    ----------
    records : pandas.DataFrame
        Joined records (``geo.join``); a ``dataset`` column other than ``bundled`` marks a
        researcher's own record, whose ``source`` and ``archival_ref`` are shown as written.
    sources : pandas.DataFrame, optional
        The bibliography (``id, author, title, year, locator``); the bundled one when omitted.
        A source cell naming no known id is shown as written.
    lang : str
        ``en``, ``ru`` or ``kk``.

    Returns
    -------
    dict
        ``{id: {"date", "count", "what", "route", "sources": [...], "notes"}}``; the pages insert
        every value with ``textContent`` only.
    """
    from geo.dataset import load_sources, source_ids

    if sources is None:
        sources = load_sources()
    cite = {str(row["id"]): citation(row) for row in sources.to_dict("records")} if len(sources) else {}
    out: dict[str, dict] = {}
    for r in records.itertuples():
        get = lambda k, default=None: getattr(r, k, default)  # noqa: B023, E731
        date = fmt_date(str(r.date), lang) + (f" – {fmt_date(str(r.date_end), lang)}" if get("date_end") else "")
        if _flag(get("date_uncertain")):
            date += " ?"
        own = str(get("dataset", "bundled") or "bundled") != "bundled"
        ids = [] if own else source_ids(get("source"))
        known = [cite[s] for s in ids if s in cite]
        if own or not known:  # a researcher's source, or text that is no id of the bibliography
            srcs = [str(get("source") or "") or "—"] + ([str(get("archival_ref"))] if get("archival_ref") else [])
        else:
            srcs = known
        nat = str(get("nationality") or "")
        what = (value_label("nat", nat, lang) if nat else "—") + " · " + value_label("cat", str(get("category") or ""), lang)
        out[str(r.id)] = {"date": date,
                          "count": count_text(get("count"), get("count_low"), get("count_high"),
                                              _flag(get("count_approximate")), lang),
                          "what": what, "route": f"{get('origin', '')} → {get('destination', '')}",  # as the source writes it
                          "sources": srcs, "notes": str(get("notes") or "")}
    return out
