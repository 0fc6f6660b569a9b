"""Text helpers of :mod:`vinculo.linkage.synthetic`: romanisation schemes, patronymics, typos.

The romanisation tables are written for this generator from the published rules of each scheme
(ICAO Doc 9303 machine-readable passports, BGN/PCGN, the Ukrainian national system of 2010, German
and French press usage, and informal chat spelling). They are deliberately *different* from one
another: the point is that one agency writes Шевченко "Shevchenko" and another "Schewtschenko".
"""

from __future__ import annotations

import random
import re
import unicodedata

SCHEMES = ("icao", "bgn", "informal", "german", "french")

_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "'": "", "’": "",
}  # fmt: skip
_TABLES: dict[str, dict[str, str]] = {
    "icao": dict(_COMMON),
    "bgn": {**_COMMON, "ё": "yo", "й": "y", "ю": "yu", "я": "ya", "є": "ye", "ї": "yi", "ъ": ""},
    "informal": {**_COMMON, "х": "h", "й": "y", "ю": "yu", "я": "ya", "щ": "sch", "ы": "i", "ё": "yo", "ъ": "", "ц": "c"},
    "german": {
        **_COMMON, "в": "w", "ж": "sch", "з": "s", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
        "щ": "schtsch", "й": "j", "ю": "ju", "я": "ja", "ё": "jo", "є": "je", "ї": "ji", "ъ": "",
    },
    "french": {
        **_COMMON, "у": "ou", "ш": "ch", "ч": "tch", "ж": "j", "щ": "chtch", "ю": "iou", "я": "ia",
        "ё": "io", "й": "i", "ъ": "",
    },
}  # fmt: skip
_VOWELS = set("аеёиоуыэюяіїєь")
_IOTATED_START = {"bgn": "ye", "german": "je", "informal": "ye"}


def transliterate_cyrillic(text: str, scheme: str, *, ukrainian: bool) -> str:
    """Romanise Cyrillic ``text`` under ``scheme`` (Ukrainian readings of г/и when ``ukrainian``)."""
    table = _TABLES[scheme]
    out: list[str] = []
    prev = " "
    for ch in text:
        low = ch.lower()
        if low == "г" and ukrainian:
            rep = "g" if scheme == "informal" else "h"  # informal keeps the Russian habit: Bogdan
        elif low == "и" and ukrainian:
            rep = "y"
        elif low == "е" and scheme in _IOTATED_START and (not prev.isalpha() or prev in _VOWELS):
            rep = _IOTATED_START[scheme]
        elif low in table:
            rep = table[low]
        else:
            rep = ch
        if ch != low and rep:
            rep = rep[0].upper() + rep[1:]
        out.append(rep)
        prev = low
    s = "".join(out)
    if scheme == "informal":
        s = re.sub(r"iy\b", "y", s.replace("ks", "x").replace("Ks", "X"))
    return s


def strip_diacritics(text: str) -> str:
    """Vietnamese or Romanian text as typed on a keyboard without diacritics (đ -> d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def ru_patronymic(father: str, female: bool) -> str:
    """Russian patronymic of a father's given name (Иван -> Иванович / Ивановна)."""
    special = {"Пётр": "Петр", "Павел": "Павл", "Лев": "Льв"}
    if father == "Илья":
        return "Ильинична" if female else "Ильич"
    if father == "Никита":
        return "Никитична" if female else "Никитич"
    if father in special:
        stem, m, f = special[father], "ович", "овна"
    elif father.endswith("ий"):
        stem = father[:-2] + ("и" if father == "Дмитрий" else "ь")
        m, f = "евич", "евна"
    elif father.endswith(("ей", "ь")):
        stem, m, f = father[:-1], "евич", "евна"
    else:
        stem, m, f = father, "ович", "овна"
    return stem + (f if female else m)


def uk_patronymic(father: str, female: bool) -> str:
    """Ukrainian patronymic (Іван -> Іванович / Іванівна, Сергій -> Сергійович / Сергіївна)."""
    if father == "Микола":
        return "Миколаївна" if female else "Миколайович"
    if father == "Федір":
        return "Федорівна" if female else "Федорович"
    if father.endswith("ій"):
        return father[:-1] + ("ївна" if female else "йович")
    if father.endswith("ь"):
        return father[:-1] + ("івна" if female else "ьович")
    if father.endswith("о"):
        return father[:-1] + ("івна" if female else "ович")
    return father + ("івна" if female else "ович")


def feminine_surname(family: str, culture: str) -> str:
    """The female form of a Slavic family name (Иванов -> Иванова, Осадчий -> Осадча)."""
    if culture == "ru":
        if family.endswith(("ов", "ев", "ёв", "ин", "ын")):
            return family + "а"
        if family.endswith("ский"):
            return family[:-2] + "ая"
        return family
    if culture == "uk":
        if family.endswith(("ов", "ев", "ін", "ин")):
            return family + "а"
        if family.endswith("ський"):
            return family[:-2] + "ка"
        if family.endswith("ий"):
            return family[:-2] + "а"
    return family


_LATIN_NEIGHBOURS = {
    "a": "qsz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj", "i": "uo",
    "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o", "q": "wa", "r": "et",
    "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc", "y": "tu", "z": "x",
}  # fmt: skip


def typo(word: str, rng: random.Random) -> str:
    """One keying error: a neighbouring key, a dropped, doubled or swapped letter."""
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word))
    op = rng.random()
    if op < 0.3:
        low = word[i].lower()
        near = _LATIN_NEIGHBOURS.get(low)
        if near:
            rep = rng.choice(near)
            return word[:i] + (rep.upper() if word[i].isupper() else rep) + word[i + 1 :]
        return word[:i] + word[i + 1 :]
    if op < 0.55:
        return word[:i] + word[i + 1 :]
    if op < 0.75:
        return word[:i] + word[i] + word[i:]
    if i < len(word) - 1 and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]
