"""What a PPRL encoding contains: the fields, their q-gram features and weights, the hardening.

Every agency of one exercise must encode with the same :class:`Schema` (and the same secret). The
schema is public: it says *how* values are encoded, never a value. Its fingerprint — SHA-256 of its
canonical JSON — is written into every ``.enc`` file, so files made with another schema are refused.

Features are built from the normalised :class:`~vinculo.linkage.model.Person`:

* names use the canonical tokens (``given_canonical``/``family_canonical``: variant spellings such as
  Mohammed/Muhammad share one key), as padded bigrams. Three fields carry them: ``given``,
  ``family`` and ``names`` — the bigrams of *all* name tokens as one set, so a record whose given and
  family names were swapped still agrees on ``names`` (a Bloom filter is a set: order is lost);
* the birth date as separate year, month and day features plus the unordered day/month pair (a
  day/month swap still agrees on the pair and the year); partial dates encode what they have;
* sex, citizenship, state and e-mail as whole-value features; city, street, postcode, phone (its last
  nine digits) and identity number as bigrams, so one typo keeps most of the field's bits.

``k`` is the field's weight: how many bit positions each of its features sets (Schnell's field
weighting). Identifying, rarely-corrupted values weigh more than those shared by many people.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cached_property
from operator import add

from vinculo.linkage.model import Person

__all__ = [
    "DEFAULT_SCHEMA",
    "FIELDS",
    "FieldSpec",
    "Schema",
    "person_features",
    "record_values",
    "value_features",
]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One encoded field: ``name`` (a key into :func:`person_features`) and its weight ``k``."""

    name: str
    k: int


@dataclass(frozen=True)
class Schema:
    """The encoding settings. Change nothing here without changing ``version``: files would differ.

    Attributes
    ----------
    fields : tuple of FieldSpec
        The encoded fields and their weights.
    length : int
        Bits in each record's Bloom filter (a multiple of 64).
    hardening : tuple of str
        Applied in order after the filter is built: ``"rule90"`` (each bit becomes the XOR of its
        two neighbours) then ``"permute"`` (a permutation of the bit positions derived from the
        secret). See ``docs/linkage/pprl.md``.
    blocking : tuple of str
        The keyed blocking keys each record carries (see :mod:`vinculo.linkage.pprl.encode`).
    version : str
        The feature extraction's version; part of the fingerprint.
    """

    fields: tuple[FieldSpec, ...] = (
        FieldSpec("names", 3),
        FieldSpec("given", 3),
        FieldSpec("family", 4),
        FieldSpec("names_sound", 6),
        FieldSpec("birth_year", 24),
        FieldSpec("birth_month", 12),
        FieldSpec("birth_day", 16),
        FieldSpec("birth_daymonth", 8),
        FieldSpec("sex", 4),
        FieldSpec("city", 5),
        FieldSpec("postcode", 9),
        FieldSpec("street", 4),
        FieldSpec("state", 12),
        FieldSpec("citizenship", 8),
        FieldSpec("phone", 4),
        FieldSpec("identity_number", 4),
        FieldSpec("email", 30),
    )
    length: int = 1024
    hardening: tuple[str, ...] = ("rule90", "permute")
    blocking: tuple[str, ...] = (
        "name_year",
        "name_year",
        "name_pair",
        "birth_date",
        "phone",
        "identity",
        "place_year",
        "name_place",
        "name_place",
        "street_city",
    )
    version: str = "vinculo-pprl-features-2"

    def __post_init__(self) -> None:
        if self.length % 64 or self.length <= 0 or self.length > 65536:
            raise ValueError("Schema.length must be a positive multiple of 64, at most 65536.")
        unknown = {f.name for f in self.fields} - set(_EXTRACTORS)
        if unknown:
            raise ValueError(
                f"Schema.fields: unknown field(s) {sorted(unknown)}; known: {sorted(_EXTRACTORS)}."
            )
        known = {"name_year": 2, "name_pair": 1, "birth_date": 1, "phone": 1, "identity": 1, "place_year": 1}
        known |= {"name_place": 2, "street_city": 1}
        for kind in set(self.blocking):
            if self.blocking.count(kind) > known.get(kind, 0):
                raise ValueError(f"Schema.blocking: {kind!r} unknown or repeated too often; known: {known}.")
        bad = set(self.hardening) - {"rule90", "permute"}
        if bad:
            raise ValueError(f"Schema.hardening: unknown step(s) {sorted(bad)}; known: rule90, permute.")

    def to_json(self) -> str:
        """The canonical JSON (sorted keys, no spaces) the fingerprint is taken of."""
        data = asdict(self)
        data["fields"] = [[f.name, f.k] for f in self.fields]
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 (hex) of :meth:`to_json` (computed once: every derived key names it)."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    @classmethod
    def from_json(cls, text: str) -> Schema:
        data = json.loads(text)
        return cls(
            fields=tuple(FieldSpec(str(n), int(k)) for n, k in data["fields"]),
            length=int(data["length"]),
            hardening=tuple(data["hardening"]),
            blocking=tuple(data["blocking"]),
            version=str(data["version"]),
        )


def bigrams(text: str) -> list[str]:
    """Padded character bigrams of one token: ``"ana"`` -> ``["_a", "an", "na", "a_"]``."""
    return list(map(add, "_" + text, text + "_"))  # character i of "_text" then of "text_"


def _token_bigrams(tokens: Iterable[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        out.extend(bigrams(token))
    return out


#: Every field that can be encoded, in the order :func:`record_values` returns them, and how its
#: value becomes features: ``tokens`` = padded bigrams of each space-separated token, ``chars`` =
#: padded bigrams of the whole value, ``whole`` = the value itself as one feature.
FIELDS: dict[str, str] = {
    "names": "tokens",
    "given": "tokens",
    "family": "tokens",
    "names_sound": "whole_tokens",
    "birth_year": "whole",
    "birth_month": "whole",
    "birth_day": "whole",
    "birth_daymonth": "whole",
    "sex": "whole",
    "city": "tokens",
    "postcode": "chars",
    "street": "tokens",
    "state": "whole",
    "citizenship": "whole",
    "phone": "chars",
    "identity_number": "chars",
    "email": "whole",
}
_EXTRACTORS = FIELDS
FIELD_INDEX = {name: i for i, name in enumerate(FIELDS)}


#: Soundex's digit of each letter (0: vowels and h, w, y, which carry no code).
_SOUNDEX_DIGITS = {
    c: d for d, group in enumerate(("aeiouyhw", "bfpv", "cgjkqsxz", "dt", "l", "mn", "r")) for c in group
}


def soundex(token: str) -> str:
    """American Soundex of an ASCII token (letter + 3 digits); ``""`` for a token without letters."""
    letters = [c for c in token if "a" <= c <= "z"]
    if not letters:
        return token
    code = _SOUNDEX_DIGITS
    out = letters[0]
    last = code[letters[0]]
    for c in letters[1:]:
        d = code[c]
        if d and d != last:
            out += str(d)
        if c not in "hw":
            last = d
    return (out + "000")[:4]


_SOUNDS: dict[str, str] = {}


def _sound(token: str) -> str:
    """A phonetic code of a name token: its consonant classes without the first letter's identity
    (Soundex digits), so Ievgeni/Evgeni and Polishchuk/Polishuk agree; "" for short tokens."""
    code = _SOUNDS.get(token)
    if code is None:
        full = soundex(token)
        code = "s" + full[1:] if len(token) >= 3 and len(full) == 4 else ""
        if len(_SOUNDS) < 200_000:
            _SOUNDS[token] = code
    return code


def record_values(p: Person) -> tuple[str, ...]:
    """Each field's normalised value as one string (``""`` when absent), in :data:`FIELDS` order.

    A field's features depend on this value only (see :func:`value_features`).
    """
    # A name's written form and its variant key both: the key makes variant spellings meet
    # (Mohammed/Muhammad), the written form keeps a typo close to the name it misspells (the key of
    # a misspelt name may be another key altogether).
    given = tuple(dict.fromkeys((*p.given, *p.given_canonical)))
    family = tuple(dict.fromkeys((*p.family, *p.family_canonical)))
    day, month = p.birth_day, p.birth_month
    daymonth = ""
    if day is not None and month is not None:
        daymonth = f"{day}/{month}" if day <= month else f"{month}/{day}"
    phone = ""
    if p.phone:
        digits = "".join(ch for ch in p.phone if ch.isdigit())
        phone = digits[-9:] if len(digits) >= 6 else ""
    return (
        " ".join(sorted(set(given) | set(family))),
        " ".join(given),
        " ".join(family),
        " ".join(sorted({_sound(t) for t in (*given, *family)} - {""})),
        "" if p.birth_year is None else str(p.birth_year),
        "" if month is None else str(month),
        "" if day is None else str(day),
        daymonth,
        p.sex,
        p.city,
        p.postcode,
        p.street,
        p.state,
        p.citizenship,
        phone,
        p.identity_number,
        p.email,
    )


def value_features(name: str, value: str) -> list[str]:
    """The features (q-grams or the whole value) of one field's value; ``[]`` when absent."""
    if not value:
        return []
    kind = FIELDS[name]
    if kind == "whole":
        return [value]
    if kind == "chars":
        return bigrams(value)
    if kind == "whole_tokens":
        return value.split()
    return _token_bigrams(value.split())


def person_features(person: Person, name: str) -> list[str]:
    """The features of one field of a person."""
    return value_features(name, record_values(person)[FIELD_INDEX[name]])


DEFAULT_SCHEMA = Schema()
