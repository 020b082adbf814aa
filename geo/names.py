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
    "обл", "область", "облысы", "oblast", "oblysy", "oblys", "region", "province", "губ", "губерния", "край", "kray", "krai",
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


#: "№ 4", "№4", "No. 4", "Nr. 4", "N 4" before a number: only the number counts ("Особлаг № 4" = "Особлаг 4").
_NUMBER_SIGN = re.compile(r"(?:№|\b(?:no|nr|n|н)\b)\.?\s*(?=\d)")


def tokens(text: str) -> list[str]:
    """Folded words of a name, without punctuation (and without a number sign before a number)."""
    return [t for t in _SEP.split(_NUMBER_SIGN.sub(" ", fold(str(text).replace("№", " № ")))) if t]


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


def script(text: str) -> str:
    """``latin``, ``cyrillic``, ``hebrew`` (Yiddish), ``mixed`` or ``other``: the letters a name is written in."""
    latin = cyr = heb = other = False
    for c in str(text):
        if not c.isalpha():
            continue
        if c <= "\u024f" or "\u1e00" <= c <= "\u1eff":
            latin = True
        elif "\u0400" <= c <= "\u04ff":
            cyr = True
        elif "\u05d0" <= c <= "\u05ea" or "\ufb1d" <= c <= "\ufb4f":
            heb = True
        else:
            other = True
    if other or latin + cyr + heb > 1:
        return "other" if other else "mixed"
    return "cyrillic" if cyr else "hebrew" if heb else "latin"


#: Yiddish letters (Hebrew script) in the YIVO romanisation; digraphs first. Pointing (niqqud) is
#: read where GeoNames gives it (אַ a, אָ o, פּ p, פֿ f, כּ k, תּ t, בֿ v); unpointed letters take
#: their usual Yiddish value (ו u, י i between consonants, ע e).
_YIVO = (
    ("דזש", "dzh"), ("זש", "zh"), ("טש", "tsh"), ("װ", "v"), ("וו", "v"), ("ױ", "oy"), ("וי", "oy"), ("ײַ", "ay"),
    ("ײ", "ey"), ("יי", "ey"), ("אַ", "a"), ("אָ", "o"), ("פּ", "p"), ("פֿ", "f"), ("כּ", "k"), ("תּ", "t"),
    ("בֿ", "v"), ("שׂ", "s"), ("וּ", "u"), ("יִ", "i"),
)
_YIVO_1 = {
    "א": "a", "ב": "b", "ג": "g", "ד": "d", "ה": "h", "ו": "u", "ז": "z", "ח": "kh", "ט": "t", "י": "i", "כ": "kh",
    "ך": "kh", "ל": "l", "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ס": "s", "ע": "e", "פ": "f", "ף": "f", "צ": "ts",
    "ץ": "ts", "ק": "k", "ר": "r", "ש": "sh", "ת": "s",
}
_HEB_POINTS = re.compile("[\u0591-\u05c7]")


def yiddish_latin(text: str, alef: str = "a") -> str:
    """YIVO-style Latin reading of a Yiddish name in Hebrew script (``ווילנע`` -> ``vilne``,
    ``בערדיטשעוו`` -> ``berditshev``); text in other scripts is returned unchanged.

    An unpointed alef inside a word may be *a* or *o* (``ווארשע`` Varshe, ``קאוונע`` Kovne):
    ``alef`` says which to read (see :func:`name_keys`, which tries both).
    """
    t = unicodedata.normalize("NFC", str(text))
    if script(t) != "hebrew":
        return str(text)
    out = []
    words = t.split()
    for w in words:
        if w.startswith("א") and len(w) > 1 and w[1] in "וי":  # a silent alef before a vowel letter
            w = w[1:]
        if w.startswith("י") and len(w) > 1 and w[1] not in "וי":  # a word-initial yud before a vowel is y
            w = "y" + w[1:]
        res = ""
        i = 0
        while i < len(w):
            for heb, lat in _YIVO:
                if w.startswith(heb, i):
                    res += lat
                    i += len(heb)
                    break
            else:
                c = w[i]
                res += "" if _HEB_POINTS.match(c) else (alef if c == "א" else _YIVO_1.get(c, c))
                i += 1
        out.append(res)
    return " ".join(out)


#: Letters that only the Kazakh Latin alphabets use (2017 apostrophes, 2018 acute accents, 2021 alphabet),
#: with what they stand for in the Russian-style romanisation GeoNames and Soviet maps use.
_KAZAKH_LATIN = {
    "q": "k", "ǵ": "g", "ğ": "g", "ń": "n", "ñ": "n", "ş": "sh", "ç": "ch", "ı": "y", "ū": "u", "ü": "u",
    "ú": "u", "ý": "u", "ö": "o", "ó": "o", "ä": "a", "á": "a", "i̇": "i", "j": "zh",
}
_KAZAKH_2017 = re.compile(r"([aAgGnNoOuUyYsScCiI])['’ʼ]")
_KAZAKH_2017_MAP = {"a": "ä", "g": "ğ", "n": "ñ", "o": "ö", "u": "ü", "y": "ū", "s": "ş", "c": "ç", "i": "i"}
_KAZAKH_MARKS = set("qǵğńñşçıūúý") | {"'", "’", "ʼ"}


def looks_kazakh_latin(text: str) -> bool:
    """Whether a Latin name carries a letter only the Kazakh Latin alphabets use (q, ǵ/ğ, ń/ñ, ş, ı, ū ...)."""
    low = str(text).lower()
    return script(low) == "latin" and any(c in _KAZAKH_MARKS for c in low.replace("qu", ""))


def kazakh_latin_key(text: str) -> str | None:
    """Matching key of a Kazakh Latin spelling in the Russian-style romanisation, or None.

    Covers the 2017 alphabet (apostrophes: ``S'ymkent``), the 2018 one (acute accents:
    ``Qaraǵandy``) and the 2021 one (``Qızılorda``, ``Şymkent``): ``q`` is ``k``, ``ǵ/ğ`` is
    ``g``, ``ı`` is ``y``, ``ş`` is ``sh``, ``j`` is ``zh`` ... so that ``Qızılorda`` meets
    ``Kyzylorda`` and ``Jezqazǵan`` meets ``Zhezkazgan``. None for a name without a Kazakh letter.
    """
    if not looks_kazakh_latin(text):
        return None
    low = _KAZAKH_2017.sub(lambda m: _KAZAKH_2017_MAP[m[1].lower()], str(text).lower())
    low = "".join(_KAZAKH_LATIN.get(c, c) for c in unicodedata.normalize("NFC", low))
    return key(low)


def is_abbreviation(text: str) -> bool:
    """Whether a name is an abbreviation in capitals with at most one vowel (УССР, БССР, КазССР): such a
    name is not transliterated letter by letter, since УССР (the Ukrainian SSR) would then read as USSR."""
    letters = [c for c in str(text) if c.isalpha()]
    vowels = sum(c.lower() in "аеёиоуыэюяaeiouy" for c in letters)
    return 2 <= len(letters) <= 7 and sum(c.isupper() for c in letters) >= 3 and vowels <= 1


def name_keys(text: str) -> list[str]:
    """Every matching key of a name as written: the key itself, a Latin transliteration of
    Cyrillic, and the Russian-style reading of a Kazakh Latin spelling (in this order, distinct)."""
    out = [key(text)]
    if is_cyrillic(text) and not is_abbreviation(text):  # УССР is not read 'USSR'
        out.append(key(translit(text)))
    elif script(text) == "hebrew":
        out += [key(yiddish_latin(text, "a")), key(yiddish_latin(text, "o"))]
    kz = kazakh_latin_key(text)
    if kz:
        out.append(kz)
    return [k for k in dict.fromkeys(out) if k]
