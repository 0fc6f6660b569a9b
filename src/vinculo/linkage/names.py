"""Names as they really come: one normalisation for every linkage mode.

Three layers, each a pure function of a string (cached per distinct value):

1. :func:`to_latin` -- NFKC, Arabic-script letters the way names are romanised (long vowels and
   word-initial alif/ain as vowels, which a letter-by-letter table drops), then ``anyascii`` for
   every other script (Cyrillic, Greek, Han, Hangul, Devanagari ...), case folding.
2. :func:`name_tokens` -- the words of a name: hyphenated compounds split (García-López), Arabic
   articles and name particles joined to the next word (Abd al-Rahman = Abdul Rahman =
   Abdulrahman, de la Cruz = Delacruz), ``bin``/``ibn`` of a patronymic chain dropped from given
   names, names written in Arabic script that the variant table knows given their usual Latin
   spelling.
3. :func:`canonical_token` (the variant key: :func:`fold` then the variant and nickname tables)
   and :func:`phonetic_key` (a looser consonant skeleton of the canonical key, for blocking).

The folding rules are general transliteration equivalences (doubled letters, ph/f, kh/h, w/v,
x/ks, y/j/i, ou/u, sch/sh, final -ey/-iy/-ii, final h after a vowel, French final -e after
-an/-in, lh/rh for the Ukrainian h of Russian g); the tables in ``data/`` hold what no rule gets (Oleksandr/Alexander, Mohammed/
Muhammad, Bill/William). See ``docs/linkage/normalisation.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

from anyascii import anyascii

__all__ = [
    "canonical_token",
    "display_form",
    "fold",
    "is_patronymic",
    "name_tokens",
    "normalise_text",
    "phonetic_key",
    "to_latin",
    "variant_groups",
]

# --- script to Latin ------------------------------------------------------------------------

_ARABIC_CHARS = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]+")
# Word-initial alif (any hamza form) and ain are vowels in romanised names (Ahmad, Ibrahim, Ali,
# Umar); inside a word alif, waw and ya are long vowels (Khalid, Mahmud, Husain) and ta marbuta
# and alif maqsura end in -a (Fatima, Layla). Hamza carriers inside a word are dropped.
_AR_INITIAL = {
    "\u0627": "a",
    "\u0623": "a",
    "\u0625": "i",
    "\u0622": "a",
    "\u0639": "a",
    "\u0648": "w",
    "\u064a": "y",
}
_AR_MEDIAL = {
    "\u0627": "a",
    "\u0623": "a",
    "\u0625": "i",
    "\u0622": "a",
    "\u0639": "a",
    "\u0648": "u",
    "\u064a": "i",
    "\u06cc": "i",
    "\u0629": "a",
    "\u0649": "a",
    "\u0626": "",
    "\u0624": "",
    "\u0621": "",
}
_AR_TRANSLATE = str.maketrans(_AR_MEDIAL)
# Hebrew, like Arabic, writes long vowels with consonant letters: alef and ayin as a, vav as o
# and yod as i inside a word, final he as a; shin as sh (anyascii writes s).
_HEBREW_WORD = re.compile(r"[\u05d0-\u05ea]+")
_HE_INITIAL = {"\u05d0": "a", "\u05e2": "a", "\u05d5": "v", "\u05d9": "y"}
_HE_TRANSLATE = str.maketrans({"\u05d0": "a", "\u05e2": "a", "\u05d5": "o", "\u05d9": "i", "\u05e9": "sh"})


def _hebrew_word(match: re.Match[str]) -> str:
    word = match.group(0)
    head = _HE_INITIAL.get(word[0], word[0].translate(_HE_TRANSLATE))
    body = word[1:]
    if body.endswith("\u05d4"):
        body = body[:-1] + "a"
    return head + body.translate(_HE_TRANSLATE)


_GREEK_OU = re.compile(r"[οόΟΌ][υύΥΎ]")


def _arabic_word(match: re.Match[str]) -> str:
    word = match.group(0)
    first = word[0]
    head = _AR_INITIAL.get(first, first)
    # the article al- keeps its alif as "a": الحسن -> alhasan
    return head + word[1:].translate(_AR_TRANSLATE)


@lru_cache(maxsize=1 << 18)
def to_latin(text: str) -> str:
    """NFKC, Arabic script romanised with its vowels, other scripts through ``anyascii``, case-folded."""
    s = unicodedata.normalize("NFKC", text)
    if not s.isascii():
        if _GREEK_OU.search(s):
            s = _GREEK_OU.sub("ou", s)  # anyascii writes "oy"
        if _ARABIC_CHARS.search(s):
            s = _ARABIC_WORD.sub(_arabic_word, s)
        if _HEBREW_WORD.search(s):
            s = _HEBREW_WORD.sub(_hebrew_word, s)
        s = anyascii(s)
    return s.casefold()


_APOSTROPHES = re.compile(r"(?<=[a-z0-9])['`](?=[a-z])|^['`]+|(?<=\s)['`]+")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 18)
def normalise_text(text: str) -> str:
    """Latin ASCII, lower case, apostrophes inside words dropped (O'Brien -> obrien), other
    punctuation to spaces, runs of white space collapsed."""
    s = _APOSTROPHES.sub("", to_latin(text))
    return _NON_WORD.sub(" ", s).strip()


# --- tokens ---------------------------------------------------------------------------------

# Written apart but part of the next word. Arabic: the article (and its sun-letter forms with a
# hyphen: ar-Rashid, as-Sayed), abd/abu compounds; European particles.
_JOIN_ARABIC = frozenset(
    {"al", "el", "ul", "abd", "abdul", "abdel", "abdal", "abdol", "abdi", "abu", "abou", "bou"}
)
# European particles join only in family names (Vietnamese "Van" is a middle name; "Maria de
# Fatima" a given name). "van", "le" and "do" are left out: Văn, Lê and Đỗ are among the most
# common Vietnamese names, and a family field often holds "Van Tai" when the order is swapped.
_JOIN_FAMILY = _JOIN_ARABIC | frozenset(
    {
        "von", "der", "den", "ter", "de", "del", "della", "di", "da", "du", "dos", "das",
        "la", "mac", "mc", "o", "d", "st", "ben", "bin", "ibn", "bint",
    }
)  # fmt: skip
_SUN_ARTICLES = frozenset({"ad", "ar", "as", "at", "az", "an", "ash", "adh", "ath", "al", "el", "ul"})
_ARTICLES = _SUN_ARTICLES  # written as a separate word: one spelling, "al"
# Dropped from given names when they link a patronymic chain (Ahmed bin Khalid bin Saleh).
_CHAIN = frozenset({"bin", "ibn", "bint", "binti", "ben", "ould", "walad"})
_PLAIN = re.compile(r"[a-z0-9]+")
_PLAIN_WORDS = re.compile(r"[a-z0-9 ]*")
_SPLIT = re.compile(r"[\s,;/|()\[\]{}\"]+")
_HYPHENS = re.compile(r"[-\u2010-\u2015_.]+")


def _words(text: str) -> list[tuple[str, bool]]:
    """(word, hyphen_follows) in order, from the Latin text; hyphen/underscore/dot separate words."""
    if _PLAIN_WORDS.fullmatch(text):
        return [(w, False) for w in text.split()]
    out: list[tuple[str, bool]] = []
    for chunk in _SPLIT.split(text):
        if not chunk:
            continue
        parts = [p for p in _HYPHENS.split(chunk)]
        for i, part in enumerate(parts):
            word = _NON_WORD.sub("", _APOSTROPHES.sub("", part))
            if word:
                out.append((word, i < len(parts) - 1))
    return out


@lru_cache(maxsize=1 << 18)
def name_tokens(text: str, family: bool = False) -> tuple[str, ...]:
    """The words of one name field, normalised.

    Hyphenated compounds are split (``garcía-lópez`` -> ``garcia``, ``lopez``); a particle is
    joined to the next word (``abd al-rahman``, ``abdul rahman`` -> ``abdalrahman``,
    ``abdulrahman``; ``van der berg`` -> ``vanderberg``); in given names (``family=False``)
    ``bin``/``ibn``/``ben`` between two names are dropped, so ``ahmed bin khalid`` ->
    ``ahmed``, ``khalid``. A word written in Arabic script that the variant table knows is given
    its usual Latin spelling (``محمد`` -> ``muhammad``).

    >>> name_tokens("Abd al-Rahman"), name_tokens("García-López", family=True)
    (('abdalrahman',), ('garcia', 'lopez'))
    """
    if not text:
        return ()
    arabic = bool(_ARABIC_CHARS.search(text))
    latin = to_latin(text)
    words = _words(latin)
    if not words:
        return ()
    join = _JOIN_FAMILY if family else _JOIN_ARABIC
    tokens: list[str] = []
    n = len(words)
    i = 0

    def particle(k: int) -> bool:
        word, hyphen = words[k]
        return word in join or (hyphen and word in _SUN_ARTICLES)

    while i < n:
        word = words[i][0]
        if not family and word in _CHAIN and 0 < i < n - 1 and tokens:
            i += 1
            continue
        if i < n - 1 and particle(i) and not (word in _CHAIN and i == 0 and n == 2 and not family):
            parts = []
            j = i
            while j < n - 1 and particle(j):
                parts.append("al" if words[j][0] in _ARTICLES else words[j][0])
                j += 1
            tokens.append("".join(parts) + words[j][0])
            i = j + 1
            continue
        tokens.append(word)
        i += 1
    if arabic:
        tokens = _merge_known(tokens)
        tokens = [_arabic_display(t) for t in tokens]
    return tuple(tokens)


def _arabic_display(token: str) -> str:
    """The usual Latin spelling of a known name in Arabic script, also after the article
    (الأحمد -> alahmad); else the token as romanised."""
    shown = display_form(token)
    if shown:
        return shown
    if token.startswith("al") and len(token) > 4:
        rest = display_form(token[2:])
        if rest:
            return "al" + rest
    return token


def _merge_known(tokens: list[str]) -> list[str]:
    """Join two adjacent tokens when together they are a known name (عبد الله -> abdallah)."""
    out: list[str] = []
    i = 0
    keys = _tables().keys
    while i < len(tokens):
        if i + 1 < len(tokens) and fold(tokens[i] + tokens[i + 1]) in keys:
            out.append(tokens[i] + tokens[i + 1])
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


_PATRONYMIC = re.compile(
    r"(ovich|evich|ovych|evych|ich|ovna|evna|ivna|ichna|yevna|ovic|evic|ogly|oglu|kyzy|qizi)$"
)


def is_patronymic(token: str) -> bool:
    """True for an East Slavic or Turkic patronymic (Ivanovich, Petrovna, Mammadoglu)."""
    return len(token) > 5 and bool(_PATRONYMIC.search(token))


# --- folding --------------------------------------------------------------------------------

_FOLD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"^el(?=[bcdfghklmnqrstvwz].{3})", "al"),  # the Maghreb article joined: Elhassan = Alhassan
        (r"tsch|tch|cz|ch", "ch"),  # German, French, Polish spellings of one sound
        (r"sch|sz|sh", "sh"),
        (r"dzh|dj|dsch", "j"),
        (r"zh", "z"),
        (r"ph", "f"),
        (r"kh", "h"),
        (r"gh", "g"),
        (r"th", "t"),
        (r"dh", "d"),
        (r"ck|q", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c(?!h)", "k"),
        (r"x", "ks"),
        (r"tz|ts", "z"),  # German z for Russian ts: Kusnezow, Zwetkow
        (r"w", "v"),
        (r"[yj]", "i"),
        (r"ou|oo", "u"),
        (r"ee", "i"),
        (r"ae", "a"),
        (r"oe", "o"),
        (r"ue", "u"),
        (r"(?<![aeu]l)(?<=[lr])h(?=[aeiou])", "g"),  # Ukrainian h for Russian g: Olha, Serhii (not al-H...)
        (r"(.)\1+", r"\1"),
        # German ch for Russian kh in Slavic surnames (Tichonow, Sacharow, Muchina); elsewhere
        # ch between vowels is the French sh of Maghreb names (Rachida, Hicham) and stays
        (r"(?<=[aeiou])ch(?=[aeiou].*(?:ov|ev|in|ova|eva|ina|ovich|ovna|ko|uk)$)", "h"),
        (r"(?<=[aeiou])s(?=[aeiou])", "z"),  # German s for Russian z between vowels: Morosow
        (r"(?<=[bdfgklmnprstvz])io(?=[bcdfgklmnprstvz])", "e"),  # yo for Russian yo/e: Fjodor, Artiom
        (r"(?<=.{3})[ei]i$", "i"),  # Sergey, Sergei, Serhii, Yuriy, Andrii
        (r"(?<=[aeiou])h$", ""),  # Fatimah, Sarah, Aishah
        (r"(?<=[aeiou][nm])e$", ""),  # French spellings: Ousmane, Amine, Yasmine
    )
)


def _trigger(pattern: str) -> str | None:
    """Letters one of which a match of ``pattern`` must contain (None: always run the rule)."""
    if pattern.startswith("(?<=[lr])") or pattern.startswith("(?<!"):
        return "h"
    if pattern.startswith("(?<=") or pattern.startswith("("):
        return None
    firsts = {alt[0] for alt in pattern.split("|")}
    return "".join(sorted(firsts)) if all(f.isalpha() for f in firsts) else None


def _step(pattern: re.Pattern[str], repl: str) -> tuple[str | None, str | None, re.Pattern[str], str]:
    trigger = _trigger(pattern.pattern)
    if trigger is None or len(trigger) > 2:
        return None, None, pattern, repl
    return trigger[0], (trigger[1] if len(trigger) > 1 else None), pattern, repl


_FOLD_STEPS = tuple(_step(p, r) for p, r in _FOLD_RULES)


@lru_cache(maxsize=1 << 18)
def fold(token: str) -> str:
    """Fold one normalised token by general transliteration rules (see the module docstring).

    >>> fold("youssef"), fold("serhiy"), fold("schewtschenko")
    ('iusef', 'sergi', 'shevchenko')
    """
    s = token
    for _ in range(4):  # to a fixed point: one rule's output can be another's input (s+tz -> sz)
        before = s
        for first, second, pattern, repl in _FOLD_STEPS:
            if first is None or first in s or (second is not None and second in s):
                s = pattern.sub(repl, s)
        if s == before:
            break
    return s


# --- tables ---------------------------------------------------------------------------------


class _Tables:
    """Folded spelling -> group head (folded), and head -> display form."""

    __slots__ = ("display", "keys")

    def __init__(self, keys: dict[str, str], display: dict[str, str]) -> None:
        self.keys = keys
        self.display = display


def _spelling_key(spelling: str) -> str:
    """One spelling of a table as the folded form of its (joined) tokens."""
    words = [w for w, _ in _words(to_latin(spelling))]
    return fold("".join(words))


def _read_table_lines(text: str, file: str) -> Iterable[tuple[int, str, list[str]]]:
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        head, sep, rest = line.partition(":")
        if not sep or not head.strip():
            raise ValueError(f"{file}, line {n}: expected 'name: spelling, spelling, ...'")
        yield n, head.strip(), [s.strip() for s in rest.split(",") if s.strip()]


def variant_groups(texts: Iterable[tuple[str, str]] | None = None) -> dict[str, str]:
    """Folded spelling -> folded group head, from ``(file name, text)`` pairs (default: the shipped
    ``name_variants.txt`` then ``nicknames.txt``). Raises ValueError when a spelling belongs to two
    groups."""
    return _build(texts)[0]


def _build(texts: Iterable[tuple[str, str]] | None) -> tuple[dict[str, str], dict[str, str]]:
    if texts is None:
        base = resources.files("vinculo.linkage") / "data"
        texts = [(f, (base / f).read_text(encoding="utf-8")) for f in ("name_variants.txt", "nicknames.txt")]
    keys: dict[str, str] = {}
    display: dict[str, str] = {}
    where: dict[str, str] = {}
    for file, text in texts:
        for n, head, spellings in _read_table_lines(text, file):
            head_key = _spelling_key(head)
            group = keys.get(head_key, head_key)  # a head already known joins its group
            display.setdefault(group, normalise_text(head).replace(" ", ""))
            for spelling in (head, *spellings):
                key = _spelling_key(spelling)
                if not key:
                    continue
                old = keys.get(key)
                if old is not None and old != group:
                    raise ValueError(
                        f"{file}, line {n}: {spelling!r} is already in the group of "
                        f"{display.get(old, old)!r} ({where[key]})"
                    )
                keys[key] = group
                where.setdefault(key, f"{file}, line {n}")
    return keys, display


@cache
def _tables() -> _Tables:
    keys, display = _build(None)
    return _Tables(keys, display)


def display_form(token: str) -> str:
    """The usual Latin spelling of a known name (``mhmd`` -> ``muhammad``), or ``""``."""
    t = _tables()
    group = t.keys.get(fold(token))
    return t.display.get(group, "") if group else ""


@lru_cache(maxsize=1 << 18)
def canonical_token(token: str) -> str:
    """The variant key of one name token: folded, then mapped through the variant and nickname
    tables, so spellings, transliterations and nicknames of one name share it.

    Accepts raw or normalised text (a raw value is normalised first; several words are joined).

    >>> canonical_token("Mohammed") == canonical_token("Muhammad") == canonical_token("محمد")
    True
    >>> canonical_token("Oleksandr") == canonical_token("Alexander") == canonical_token("Sasha")
    True
    """
    plain = token if _PLAIN.fullmatch(token) else "".join(w for w, _ in _words(to_latin(token)))
    patronymic = _patronymic_key(plain)
    if patronymic:
        return patronymic
    folded = fold(plain)
    return _tables().keys.get(folded, folded)


# East Slavic patronymics in Russian and Ukrainian forms and their transcriptions: the father's
# name and -ovich/-evich/-ovych/-yovych (son) or -ovna/-evna/-ivna/-yivna (daughter).
_PATRONYMIC_FORM = re.compile(
    r"^(?P<root>[a-z]{3,}?)(?:i?y?ovych|i?y?evych|ovich|evich|ovitch|evitch|owitsch|ewitsch|ovic|evic"
    r"|(?P<f>i?y?ovna|i?y?evna|i?y?ivna|yivna|owna|ewna))$"
)


def _patronymic_key(plain: str) -> str:
    """``<father's name key>vich`` or ``<key>vna`` for a patronymic whose root is a known name
    (Oleksandrovych = Aleksandrovich, Serhiyivna = Sergeevna), else ``""``."""
    m = _PATRONYMIC_FORM.match(plain)
    if m is None:
        return ""
    keys = _tables().keys
    root = m.group("root")
    for candidate in (root, root + "i", root + "ii", root.removesuffix("i")):
        group = keys.get(fold(candidate))
        if group:
            return group + ("vna" if m.group("f") else "vich")
    return ""


_VOWELS_H = re.compile(r"[aeiouh]+")
# sh, ch (the French sh of Maghreb names: Rachida, Hicham) and z (s between vowels) are one sound
# class in the loose key.
_LOOSE = re.compile(r"sh|ch|z")
_LOOSE_MAP = {"sh": "s", "ch": "s", "z": "s"}


@lru_cache(maxsize=1 << 18)
def phonetic_key(token: str) -> str:
    """A loose key for blocking: the canonical key without vowels (a word-initial vowel kept as
    ``a``). Names written without short vowels (Arabic and Hebrew
    script) meet their vowelled spellings here.

    >>> phonetic_key("Ibrahim") == phonetic_key("Ebrahim"), phonetic_key("Yusuf")
    (True, 'asf')
    """
    c = canonical_token(token)
    if not c:
        return ""
    c = _LOOSE.sub(lambda m: _LOOSE_MAP[m.group(0)], c)
    head = "a" if c[0] in "aeiou" else c[0]
    return head + _VOWELS_H.sub("", c[1:])
