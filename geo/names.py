"""Place names as archives write them: folding, transliteration and place-type words."""

from __future__ import annotations

import re
import unicodedata

#: Russian Cyrillic to Latin, close to the scientific/BGN usage GeoNames alternate names follow.
_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ә": "a", "ғ": "g", "қ": "k",
    "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
}

#: Words that only say what kind of place a name is (dropped before matching).
_PLACE_WORDS = {
    "г", "гор", "город", "пос", "поселок", "посёлок", "пгт", "с", "село", "ст", "станция", "дер", "деревня",
    "аул", "city", "town", "village", "of", "stadt",
}

#: Words that make a name a region (oblast, guberniya, republic ...).
REGION_WORDS = {
    "обл", "область", "облысы", "oblast", "region", "province", "губ", "губерния", "край", "kray", "krai",
    "округ", "okrug", "асср", "ссср", "сср", "assr", "ssr", "республика", "республикасы", "republic",
}

_SEP = re.compile(r"[\s\-‐‑–—_/.,;:()'’`\"«»]+")


def fold(text: str) -> str:
    """Case-fold and strip diacritics (ё → е, ó → o, ł → l), keeping the script."""
    text = str(text)
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", str(text).replace("ł", "l").replace("Ł", "L"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold()


def tokens(text: str) -> list[str]:
    """Folded words of a name, without punctuation."""
    return [t for t in _SEP.split(fold(text)) if t]


def key(text: str) -> str:
    """Matching key of a place name: folded words minus place-type words, joined by spaces."""
    words = [t for t in tokens(text) if t not in _PLACE_WORDS]
    return " ".join(words)


def region_key(text: str) -> str | None:
    """Key of a region name ("Северо-Казахстанская обл." -> "северо казахстанская"), or None.

    A name counts as a region only when it carries a region word (область, обл.,
    oblast, region ...), so "Karaganda" is a town and "Karaganda Oblast" a region.
    """
    words = tokens(text)
    if not any(w in REGION_WORDS for w in words):
        return None
    rest = [w for w in words if w not in REGION_WORDS]
    return " ".join(rest) or None


def translit(text: str) -> str:
    """Latin transliteration of Cyrillic letters (other characters unchanged)."""
    return "".join(_CYR.get(c, c) for c in fold(text))


def is_cyrillic(text: str) -> bool:
    """Whether a name contains Cyrillic letters."""
    return any("\u0400" <= c <= "\u04ff" for c in str(text))
