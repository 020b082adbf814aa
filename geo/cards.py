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

from functools import lru_cache

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


def unit_word(unit: str, lang: str = "en") -> str:
    """What a count counts, in ``lang``: people, families, households, or an unknown unit as written."""
    from geo.vocabulary import unit as canonical

    u = canonical(unit)
    if u is None:
        return str(unit)
    return t("map.people", lang) if u == "persons" else t(f"unit.{u}", lang)


def count_text(count: float | None, low: float | None, high: float | None, approximate: bool, lang: str = "en",
               unit: str = "persons") -> str:
    """A record's count as the source gives it: ``~400,000 people``, ``13,000–15,000 people``, ``≥ 3,000 people``.

    A best figure with a wider range keeps both (``6,000 people (range 4,000–10,000)``); no figure at
    all reads "count unknown". A count of families or households says so (``~300 families``): it is
    never turned into people.
    """
    people = unit_word(unit, lang)
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


def record_cards(records: pd.DataFrame, sources: pd.DataFrame | None = None, lang: str = "en", *,
                 details: pd.DataFrame | None = None, lives: list[dict] | None = None) -> dict[str, dict]:
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
    details : pandas.DataFrame, optional
        Where to look for the details (``detail_of``) of each record: by default ``records``
        itself; a page that filters by year passes all its records, so a parent lists every detail.
    lives : list of dict, optional
        The lives (``geo.dataset.Dataset.lives``; by default the bundled ones). A bundled record that
        a life names in its ``records``, or whose detail a life names, carries that life (``id``,
        ``name``): the app links it to its Lives page (``?life=<id>``).

    Returns
    -------
    dict
        ``{id: {"date", "count", "what", "route", "sources": [...], "notes", "details": [...],
        "lives": [{"id", "name"}]}}``; ``details`` are lines "route: count, date (source)" of the
        records that give, by another source, a finer account of this record's people (listed, not
        drawn); the pages insert every value with ``textContent`` only.
    """
    from geo.dataset import load_sources, source_ids

    if sources is None:
        sources = load_sources()
    cite = {str(row["id"]): citation(row) for row in sources.to_dict("records")} if len(sources) else {}
    short = {str(row["id"]): short_citation(row) for row in sources.to_dict("records")} if len(sources) else {}
    pool = records if details is None else details
    children: dict[str, list] = {}
    if "detail_of" in pool:
        for r in pool[pool["detail_of"].fillna("").astype(str) != ""].itertuples():
            children.setdefault(str(r.detail_of), []).append(r)
    in_lives: dict[str, list[dict]] = {}
    for life in _bundled_lives() if lives is None else lives:
        for rid in life.get("records") or []:
            in_lives.setdefault(str(rid), []).append({"id": str(life["id"]), "name": str(life["name"])})
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
        card = {"date": date,
                "count": count_text(get("count"), get("count_low"), get("count_high"), _flag(get("count_approximate")),
                                    lang, unit=str(get("unit") or "persons")),
                "what": what, "route": f"{get('origin', '')} → {get('destination', '')}",  # as the source writes it
                "sources": srcs, "notes": str(get("notes") or "")}
        kids = children.get(str(r.id), [])
        if kids:
            card["details"] = [_detail_line(k, short, lang) for k in kids]
            if details_count_more(kids, get("count"), get("count_high")):
                card["details_wider"] = "1"  # not "of which": the other source counts more than this record
        linked = [] if own else [lv for rid in [str(r.id), *(str(k.id) for k in kids)] for lv in in_lives.get(rid, [])]
        if linked:
            card["lives"] = list({lv["id"]: lv for lv in linked}.values())
        out[str(r.id)] = card
    return out


def details_count_more(kids: list, count: object, count_high: object) -> bool:
    """Whether a record's details (``detail_of``), in persons, add up to more than its own upper figure.

    Then they are no breakdown "of which" of this record, and the card says that the other source counts
    more: a wider group (the 865,633 Germans of the NKVD's list by region of origin, sent to Siberia and
    Kazakhstan, beside the ~400,000 that reached Kazakhstan) or the same people counted higher (5,549 in
    four oblasts beside 5,307 for the Kazakh SSR, February 1940).
    """
    top = count_high if pd.notna(count_high) else count
    if pd.isna(top):
        return False
    total = sum(float(k.count) for k in kids
                if pd.notna(getattr(k, "count", None)) and str(getattr(k, "unit", "") or "persons") in ("persons", ""))
    return total > float(top)


#: An event's place is marked as a point only where it is a town; an area the source names is marked as the
#: atlas marks such ends (a dashed ring, "the source names no town"); a placeholder ("place not given") not at all.
_TOWN_MATCHES = ("exact", "alternate")


def _locator_for(locator: str, source_id: str, n_sources: int) -> str:
    """The part of an event's locator that belongs to one of its sources.

    Locators of several sources name each one, as ``p. 5 (a); p. 7 (b)`` or ``a p. 5; b p. 7``; the
    part of no source stays with the only source, and with none when there are several.
    """
    parts = [p.strip() for p in str(locator or "").split(";") if p.strip()]
    for p in parts:
        if p.endswith(f"({source_id})"):
            return p[: -len(source_id) - 2].strip()
        if p.startswith(f"{source_id} "):
            return p[len(source_id) + 1:].strip()
    return str(locator or "") if n_sources == 1 or len(parts) == 1 else ""


def event_cards(events: pd.DataFrame, repressions: pd.DataFrame | None = None, sources: pd.DataFrame | None = None,
                lang: str = "en", first: str | None = None, last: str | None = None) -> list[dict]:
    """The events of the policy timeline as the maps' events strip shows them (every value a plain string).

    Parameters
    ----------
    events : pandas.DataFrame
        ``geo.dataset.bundled_dataset().events`` (``id, date, date_from, date_to, kind, title_en/ru/kk,
        summary, source, locator, place, place_*``).
    repressions : pandas.DataFrame, optional
        Figures attached to events (``event, what, nationality, count, count_low, count_high, approximate, source``).
    sources : pandas.DataFrame, optional
        The bibliography; the bundled one when omitted.
    lang : str
        ``en``, ``ru`` or ``kk`` (the title; the summary is in English, as the timeline stores it).
    first, last : str, optional
        ISO days: only the events that overlap this period.

    Returns
    -------
    list of dict
        ``{id, from, to, date, kind, kind_label, title, summary, sources: [citation], figures: [text],
        place?: {lat, lon, name, area}}`` sorted by date; sources are citations (author, title, year,
        locator), never ids.
    """
    from geo.dataset import load_sources, source_ids

    if sources is None:
        sources = load_sources()
    by_id = {str(r["id"]): r for r in sources.to_dict("records")} if len(sources) else {}

    def cites(ids_text, locator: str = "") -> list[str]:
        ids = source_ids(ids_text)
        return [citation({**by_id[s], "locator": _locator_for(locator, s, len(ids)) or by_id[s].get("locator")})
                if s in by_id else s for s in ids]

    figures: dict[str, list[str]] = {}
    if repressions is not None and len(repressions):
        for r in repressions.to_dict("records"):
            raw = str(r.get("count") or "").lstrip("~").strip()
            best = float(raw) if raw.replace(".", "", 1).isdigit() else None
            text = count_text(best, r.get("count_low"), r.get("count_high"), _flag(r.get("approximate")), lang)
            nat = str(r.get("nationality") or "")
            what = t(f"event.what.{r.get('what')}", lang)
            line = f"{value_label('nat', nat, lang) if nat else '—'} · {what}: {text}"
            srcs = "; ".join(cites(r.get("source")))
            figures.setdefault(str(r.get("event")), []).append(f"{line} ({srcs})" if srcs else line)
    out = []
    for e in events.sort_values(["date_from", "id"]).to_dict("records"):
        start, end = str(e.get("date_from") or e.get("date"))[:10], str(e.get("date_to") or e.get("date_from"))[:10]
        if (first and end < first) or (last and start > last):
            continue
        date = fmt_date(str(e["date"]), lang) + (f" – {fmt_date(str(e['date_end']), lang)}" if e.get("date_end") else "")
        card = {"id": str(e["id"]), "from": start, "to": end, "date": date, "kind": str(e.get("kind") or ""),
                "kind_label": t(f"event.kind.{e.get('kind')}", lang),
                "title": str(e.get(f"title_{lang}") or e.get("title_en") or ""), "summary": str(e.get("summary") or ""),
                "sources": cites(e.get("source"), str(e.get("locator") or "")), "figures": figures.get(str(e["id"]), [])}
        if lang != "en" and card["summary"]:
            card["summary_lang"] = "en"  # the timeline stores summaries in English only: the panel says so
        lat, lon, match = e.get("place_lat"), e.get("place_lon"), str(e.get("place_match") or "")
        named = str(e.get("place_place") or "")
        if match and lat not in (None, "") and not pd.isna(lat) and "place not given" not in named:
            card["place"] = {"lat": round(float(lat), 3), "lon": round(float(lon), 3), "name": str(e.get("place") or named),
                             "area": match not in _TOWN_MATCHES}
        out.append(card)
    return out


@lru_cache(maxsize=1)
def _bundled_lives() -> tuple[dict, ...]:
    """The bundled lives' ids, names and records (their YAML only: no join)."""
    from geo.dataset import load_lives

    return tuple({"id": lv["id"], "name": lv["name"], "records": lv["records"]} for lv in load_lives())


def short_citation(source: pd.Series | dict) -> str:
    """A bibliography row as author and year: ``Pohl (2009)``."""
    author = str(source.get("author") or "").split(",")[0].split(";")[0].strip()
    return f"{author} ({source.get('year') or ''})" if author else str(source.get("title") or "")


def _detail_line(r, short: dict[str, str], lang: str) -> str:
    """One detail of a record as its parent's card lists it: route, count as written, date, source."""
    from geo.dataset import source_ids

    get = lambda k, default=None: getattr(r, k, default)  # noqa: E731
    date = fmt_date(str(r.date), lang) + (f" – {fmt_date(str(r.date_end), lang)}" if get("date_end") else "")
    count = count_text(get("count"), get("count_low"), get("count_high"), _flag(get("count_approximate")), lang,
                       unit=str(get("unit") or "persons"))
    who = ", ".join(short.get(s, s) for s in source_ids(get("source") or ""))
    return f"{get('origin', '')} → {get('destination', '')}: {count}, {date}" + (f" ({who})" if who else "")
