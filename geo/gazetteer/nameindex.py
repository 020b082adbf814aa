"""The name index: every name of every place, found by its matching key or by its spelling."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.names import is_cyrillic, key, name_keys, script, translit

#: Names shorter than this (letters) get no spelling match.
FUZZY_MIN_LETTERS = 6
#: Spelling matches are looked for only among places of this many people or more, and the
#: curated and user places: a misspelt village name is too easily another village.
FUZZY_MIN_POPULATION = 15_000
#: Rank of the sources when the same place is found through several entries.
SOURCE_RANK = {"user": 0, "curated": 1, "exact": 2, "alternate": 3, "hinted": 4}


#: Letters one may write for another by a slip of the ear or the pen: vowels for vowels (reduced, unstressed),
#: voiced for voiceless consonants, and the letters transliterations exchange (j/i/y, c/k/q, c/s/z, v/w/f).
#: A spelling match may change a letter only within one of these classes; it may drop, add or swap letters
#: freely. ``Bijskas`` (Lithuanian for Biysk) is not a slip of ``Birskas`` (Birsk): j and r are no such pair.
SLIP_CLASSES: tuple[str, ...] = (
    "aeiouyäöüıə", "ijy", "bp", "dt", "gkq", "ckq", "csz", "vwf", "gh", "xh",
    "аеёиоуыэюяй", "ьъ", "бп", "дт", "гк", "зс", "вф", "жш", "цс", "иыій", "еэє",
)


def plausible_slip(written: str, known: str) -> bool:
    """Whether ``written`` can be a slip for ``known``: every changed letter (apart from two swapped
    neighbours) stays within one of :data:`SLIP_CLASSES`; letters added or dropped are always plausible."""
    from rapidfuzz.distance import Levenshtein

    ops = [op for op in Levenshtein.editops(written, known) if op.tag == "replace"]
    i = 0
    while i < len(ops):
        a = ops[i]
        b = ops[i + 1] if i + 1 < len(ops) else None
        if (b is not None and b.src_pos == a.src_pos + 1 and b.dest_pos == a.dest_pos + 1
                and written[a.src_pos] == known[b.dest_pos] and written[b.src_pos] == known[a.dest_pos]):
            i += 2  # two neighbours swapped
            continue
        x, y = written[a.src_pos], known[a.dest_pos]
        if not any(x in c and y in c for c in SLIP_CLASSES):
            return False
        i += 1
    return True


class _Coded:
    """A text column of the entries as codes into its distinct values; ``column[p]`` is the text."""

    def __init__(self, e: pd.DataFrame, col: str) -> None:
        if col in e.columns:
            codes, uniq = pd.factorize(e[col], use_na_sentinel=True)
            # the distinct values as a numpy object array in one conversion (iterating an Arrow array is slow)
            plain = uniq.to_numpy(dtype=object, na_value="") if hasattr(uniq, "to_numpy") else np.asarray(uniq, dtype=object)
            values = ["" if v is None else str(v) for v in plain] + [""]
            self.codes = np.where(codes < 0, len(values) - 1, codes).astype(np.int32)
        else:
            values, self.codes = [""], np.zeros(len(e), dtype=np.int32)
        self.values = np.asarray(values, dtype=object)

    def __getitem__(self, i):
        return self.values[self.codes[i]]

    def __len__(self) -> int:
        return len(self.codes)

    def isin(self, texts) -> np.ndarray:
        """Boolean mask of the entries whose text is one of ``texts``."""
        wanted = [k for k, v in enumerate(self.values) if v in set(texts)]
        return np.isin(self.codes, wanted)

    def array(self) -> np.ndarray:
        return self.values[self.codes]


def _grouped(values: np.ndarray) -> tuple[dict, np.ndarray, np.ndarray]:
    """Positions grouped by value: value -> group number, positions ordered by group, group bounds."""
    codes, uniq = pd.factorize(values)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniq) + 1))
    return dict(zip(uniq.tolist(), range(len(uniq)))), order, bounds


@dataclass(frozen=True)
class Hit:
    """Entries found for a name: their positions, and how (``exact`` key or ``fuzzy:NN``)."""

    positions: np.ndarray
    how: str = "exact"
    score: float = 100.0


class NameIndex:
    """Entries (see :mod:`geo.gazetteer.sources`) indexed by matching key.

    Parameters
    ----------
    entries : pandas.DataFrame
        The entries table; kept in this order (positions refer to it).
    """

    def __init__(self, entries: pd.DataFrame) -> None:
        self.entries = entries.reset_index(drop=True)
        e = self.entries
        # text columns repeat a lot (a place's label on each of its names): kept as codes into their values
        self.place_id = _Coded(e, "place_id")
        self.name = _Coded(e, "name")
        self.country = _Coded(e, "country")
        self.kind = _Coded(e, "kind")
        self.source_kind = _Coded(e, "source_kind")
        self.source = _Coded(e, "source")
        self.keys = e["key"].to_numpy(dtype=object)
        self.lat = e["lat"].to_numpy(dtype=float)
        self.lon = e["lon"].to_numpy(dtype=float)
        self.population = e["population"].to_numpy(dtype=float)
        self.valid_from = e["valid_from"].to_numpy(dtype=float)
        self.valid_to = e["valid_to"].to_numpy(dtype=float)
        self.reading = _Coded(e, "reading")  # '' as written, translit / yiddish for a reading
        self.admin1 = _Coded(e, "admin1")
        self._key_code, self._key_order, self._key_bounds = _grouped(self.keys)
        self._place_groups: tuple | None = None
        self._fuzzy: dict[str, list[str]] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def by_key(self, k: str) -> np.ndarray:
        """Positions of the entries whose key is ``k``."""
        c = self._key_code.get(k)
        if c is None:
            return np.array([], dtype=np.int64)
        return self._key_order[self._key_bounds[c]:self._key_bounds[c + 1]]

    def lookup(self, text: str) -> Hit:
        """Entries matching a name exactly under any of its keys (:func:`geo.names.name_keys`).

        ``Алма-Ата`` is looked up as ``алма ата`` and ``alma ata``; ``Qızılorda`` as ``qızılorda``
        and ``kyzylorda``.
        """
        found = [self.by_key(k) for k in name_keys(text)]
        pos = np.unique(np.concatenate(found)) if found else np.array([], dtype=np.int64)
        return Hit(pos)

    def place_entries(self, place_id: str) -> np.ndarray:
        """Positions of every entry (every name) of one place."""
        if self._place_groups is None:
            self._place_groups = _grouped(self.place_id.array())
        code, order, bounds = self._place_groups
        c = code.get(place_id)
        return order[bounds[c]:bounds[c + 1]] if c is not None else np.array([], dtype=np.int64)

    def _fuzzy_keys(self, which: str) -> list[str]:
        if self._fuzzy is None:
            ok = (self.population >= FUZZY_MIN_POPULATION) | self.source_kind.isin(["curated", "user"])
            keys = pd.unique(self.keys[ok])
            cyr = np.array([is_cyrillic(k) for k in keys], dtype=bool)
            self._fuzzy = {"cyrillic": list(keys[cyr]), "latin": list(keys[~cyr])}
        return self._fuzzy[which]

    def _queries(self, text: str) -> list[tuple[str, str]]:
        sc = script(text)
        if sc == "cyrillic":
            return [(key(text), "cyrillic"), (key(translit(text)), "latin")]
        if sc == "latin":
            return [(k, "latin") for k in name_keys(text)]
        return []

    def fuzzy(self, text: str, limit: int = 40) -> list[tuple[str, float, int]]:
        """Keys one spelling slip away from ``text``: ``(key, ratio 0-100, edits)``, fewest edits first.

        A slip is one letter inserted, dropped, changed or two swapped (optimal string alignment
        distance) for names of up to 9 letters, two for longer ones; names under 6 letters get
        none (``Zager`` is not ``Eger``); a changed letter must be one a writer may put for the other
        (:func:`plausible_slip`: a vowel for a vowel, ``d`` for ``t`` ...). A Cyrillic name is
        compared with the Cyrillic keys and, transliterated, with the Latin ones; a Latin name (a Kazakh Latin one also in the
        Russian-style reading) with the Latin keys; other scripts get none.
        """
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import OSA

        best: dict[str, tuple[float, int]] = {}
        for q, which in self._queries(text):
            letters = len(q.replace(" ", ""))
            if letters < FUZZY_MIN_LETTERS:
                continue
            edits = 1 if letters <= 9 else 2
            for k, dist, _ in process.extract(q, self._fuzzy_keys(which), scorer=OSA.distance, score_cutoff=edits,
                                              limit=limit):
                if not plausible_slip(q, k):
                    continue
                score = float(fuzz.ratio(q, k))
                if k not in best or (dist, -score) < (best[k][1], -best[k][0]):
                    best[k] = (score, int(dist))
        return sorted(((k, s, d) for k, (s, d) in best.items()), key=lambda t: (t[2], -t[1]))

    def similar(self, text: str, limit: int = 15, cutoff: float = 75.0) -> list[tuple[str, float]]:
        """Keys spelled like ``text`` (rapidfuzz ratio >= ``cutoff``), best first: suggestions for a person."""
        from rapidfuzz import fuzz, process

        best: dict[str, float] = {}
        for q, which in self._queries(text):
            if len(q) < 3:
                continue
            for k, score, _ in process.extract(q, self._fuzzy_keys(which), scorer=fuzz.ratio, score_cutoff=cutoff,
                                               limit=limit):
                best[k] = max(best.get(k, 0.0), float(score))
        return sorted(best.items(), key=lambda kv: -kv[1])
