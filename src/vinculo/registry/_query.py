"""Search queries: parse what a person types, normalise words, and write backend query strings.

The syntax is deliberately small: words (all required), ``"quoted phrases"`` and ``-excluded``
words. Everything else (operators, brackets, punctuation) is treated as a word separator, so no
input can inject backend query syntax.

Text and queries are normalised the same way before they meet (:func:`normalise_text`): case
folded, Unicode compatibility forms unified, combining marks removed (Latin accents, Arabic
harakat, the hamza on alef), and the Arabic tatweel dropped. "Protección" then finds
"proteccion", and "أطفال" finds "اطفال".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "MAX_QUERY_WORDS",
    "ParsedQuery",
    "normalise_text",
    "parse_query",
    "to_fts5_match",
    "to_tsquery",
]

#: Words beyond this many are ignored, which keeps every query cheap.
MAX_QUERY_WORDS = 16
#: Words at least this long are matched as prefixes ("traffick" finds "trafficking").
MIN_PREFIX_LENGTH = 3

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_WORD = re.compile(r"\w+")
_TATWEEL = "\u0640"


def normalise_text(text: str) -> str:
    """``text`` case-folded, without combining marks or tatweel, in NFC.

    Examples
    --------
    >>> normalise_text("Protección de VÍCTIMAS")
    'proteccion de victimas'
    >>> normalise_text("أَطْفَال") == "اطفال"
    True
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn" and ch != _TATWEEL)
    return unicodedata.normalize("NFC", kept)


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A search query: required ``terms``, required ``phrases`` and ``excluded`` words (case-folded)."""

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """No positive word: nothing to search for (exclusions alone are ignored)."""
        return not self.terms and not self.phrases

    def words(self) -> tuple[str, ...]:
        """Every positive word, phrases included, in order."""
        return self.terms + tuple(w for p in self.phrases for w in p)


def parse_query(text: str) -> ParsedQuery:
    """Parse a query as typed into the search box.

    Examples
    --------
    >>> parse_query('child "forced labour" -begging')
    ParsedQuery(terms=('child',), phrases=(('forced', 'labour'),), excluded=('begging',))
    """
    terms: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[str] = []
    budget = MAX_QUERY_WORDS
    for match in _TOKEN.finditer(text):
        negated = bool(match.group(1) or match.group(3))
        quoted = match.group(2) is not None
        words = [w.casefold() for w in _WORD.findall(match.group(2) if quoted else match.group(4))]
        words = words[:budget]
        if not words:
            continue
        budget -= len(words)
        if negated:
            excluded.extend(words)
        elif quoted and len(words) > 1:
            phrases.append(tuple(words))
        else:
            terms.extend(words)
        if budget <= 0:
            break
    return ParsedQuery(tuple(dict.fromkeys(terms)), tuple(phrases), tuple(dict.fromkeys(excluded)))


def _fts5_word(word: str, prefix: bool) -> str:
    quoted = '"' + word.replace('"', '""') + '"'
    return quoted + "*" if prefix and len(word) >= MIN_PREFIX_LENGTH else quoted


def to_fts5_match(query: ParsedQuery, *, prefix: bool = True) -> str:
    """An SQLite FTS5 ``MATCH`` expression for the normalised query ("" when it is empty).

    Examples
    --------
    >>> to_fts5_match(parse_query('trafficking -labour'))
    '"trafficking"* NOT "labour"'
    """
    if query.is_empty:
        return ""
    parts = [_fts5_word(normalise_text(t), prefix) for t in query.terms]
    parts += ['"' + " ".join(normalise_text(w) for w in p) + '"' for p in query.phrases]
    text = " AND ".join(parts)
    for word in query.excluded:
        text += f" NOT {_fts5_word(normalise_text(word), False)}"
    return text


def _ts_word(word: str, prefix: bool) -> str:
    quoted = "'" + word.replace("'", "''").replace("\\", "") + "'"
    return quoted + ":*" if prefix and len(word) >= MIN_PREFIX_LENGTH else quoted


def to_tsquery(query: ParsedQuery, *, normalise: bool = False, prefix: bool = True) -> str:
    """A PostgreSQL ``to_tsquery`` input for the query ("" when it is empty).

    With ``normalise=True`` the words are normalised as :func:`normalise_text` does, to match a
    vector built from normalised text with the ``simple`` configuration.

    Examples
    --------
    >>> to_tsquery(parse_query('"forced labour" -begging'))
    "('forced' <-> 'labour') & !'begging'"
    """
    if query.is_empty:
        return ""

    def prep(word: str) -> str:
        return normalise_text(word) if normalise else word

    parts = [_ts_word(prep(t), prefix) for t in query.terms]
    parts += ["(" + " <-> ".join(_ts_word(prep(w), False) for w in p) + ")" for p in query.phrases]
    parts += ["!" + _ts_word(prep(w), False) for w in query.excluded]
    return " & ".join(parts)
