"""Keyed Bloom-filter encodings of a source's persons (run at the agency, never at the platform).

Each record becomes one *cryptographic long-term key* (CLK, Schnell et al. 2011): a bit vector of
``schema.length`` bits in which every feature (q-gram or whole value) of every field sets ``k``
positions. The positions are derived with HMAC-SHA256 under a key specific to the field, itself
derived from the shared secret: independent, keyed positions ("random hashing", Niedermeyer et al.
2014) rather than double hashing, whose linear pattern is what the published attacks on CLKs
exploit; and one key per field, so the same bigram in a name and in a city sets different bits.
Hardening then diffuses and hides positions (``rule90``: every bit becomes the XOR of its two
neighbours, Schnell & Borgs 2017; ``permute``: a secret permutation of the positions, so the platform
cannot undo the linear rule-90 step). Blocking keys are HMACs of coarse keys (a phonetic code of a
name with the birth year, ...), truncated to 64 bits: the platform sees equal keys, never values.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from vinculo.errors import Issue, Location, VinculoError
from vinculo.linkage.model import Person, Source
from vinculo.linkage.pprl.schema import DEFAULT_SCHEMA, Schema, field_value, person_features

__all__ = ["MIN_SECRET_BYTES", "encode_persons", "encode_source", "load_secret", "secret_check"]

MIN_SECRET_BYTES = 32
_LABEL = b"vinculo-pprl/1/"


def load_secret(path: str | Path) -> bytes:
    """The secret in a key file: its bytes with trailing white space stripped, at least 32 bytes."""
    file = Path(path)
    try:
        secret = file.read_bytes().rstrip()
    except OSError as exc:
        raise VinculoError(
            f"{file.name}: cannot read the secret file ({exc.strerror or exc}).",
            code="linkage.pprl.secret_unreadable",
            issues=[Issue("linkage.pprl.secret_unreadable", "cannot read the secret file.", Location(file=str(file)))],
            fix="Give the path of the key file that the agencies share with --secret-file.",
        ) from None
    check_secret(secret, file=file.name)
    return secret


def check_secret(secret: bytes, *, file: str = "the secret") -> None:
    if len(secret) < MIN_SECRET_BYTES:
        raise VinculoError(
            f"{file}: the secret holds {len(secret)} bytes; at least {MIN_SECRET_BYTES} are needed.",
            code="linkage.pprl.weak_secret",
            issues=[
                Issue(
                    "linkage.pprl.weak_secret",
                    f"the secret holds {len(secret)} bytes, fewer than {MIN_SECRET_BYTES}.",
                    Location(file=file),
                )
            ],
            fix="Make a long random secret once, e.g. `openssl rand -hex 32 > pprl.key`, and share it with "
            "the other agencies only (never with the platform).",
        )


def subkey(secret: bytes, purpose: str, schema: Schema) -> bytes:
    """A key for one purpose (a field's hashing, blocking, the file MAC), derived from the secret."""
    return hmac.digest(secret, _LABEL + purpose.encode() + b"/" + schema.fingerprint.encode(), "sha256")


def secret_check(secret: bytes, schema: Schema) -> str:
    """A value that is equal for equal secrets and reveals nothing of the secret (HMAC, hex)."""
    return hmac.digest(secret, b"vinculo-pprl-secret-check" + schema.fingerprint.encode(), "sha256").hex()


def soundex(token: str) -> str:
    """American Soundex of an ASCII token (letter + 3 digits); ``""`` for a token without letters."""
    letters = [c for c in token if "a" <= c <= "z"]
    if not letters:
        return token
    code = {c: d for d, group in enumerate(("aeiouyhw", "bfpv", "cgjkqsxz", "dt", "l", "mn", "r")) for c in group}
    out = letters[0]
    last = code[letters[0]]
    for c in letters[1:]:
        d = code[c]
        if d and d != last:
            out += str(d)
        if c not in "hw":
            last = d
    return (out + "000")[:4]


def _first(tokens: tuple[str, ...]) -> str:
    return tokens[0] if tokens else ""


def _blocking_values(person: Person) -> dict[str, list[str]]:
    given = person.given_canonical or person.given
    family = person.family_canonical or person.family
    g = soundex(_first(given))
    f = soundex(_first(family))
    year = "" if person.birth_year is None else str(person.birth_year)
    phone = "".join(c for c in person.phone if c.isdigit())[-9:]
    place = person.postcode or person.city
    city = soundex(person.city.replace(" ", ""))
    street = soundex(next((t for t in person.street.split() if not t.isdigit()), ""))
    values: dict[str, list[str]] = {
        "name_year": [f"{g}|{year}" if g and year else "", f"{f}|{year}" if f and year else ""],
        "name_pair": ["|".join(sorted((g, f))) if g and f else ""],
        "birth_date": [""],
        "phone": [phone if len(phone) >= 6 else ""],
        "identity": [person.identity_number if len(person.identity_number) >= 4 else ""],
        "place_year": [f"{place}|{year}" if place and year else ""],
        "name_place": [f"{g}|{place}" if g and place else "", f"{f}|{place}" if f and place else ""],
        "name_city": [f"{g}|{city}" if g and city else "", f"{f}|{city}" if f and city else ""],
        "street_city": [f"{street}|{city}" if street and city else ""],
    }
    if person.birth_year is not None and person.birth_day is not None and person.birth_month is not None:
        a, b = sorted((person.birth_day, person.birth_month))
        values["birth_date"] = [f"{year}|{a}|{b}"]
    return values


class _Encoder:
    """Caches each field value's bits (names and dates repeat a lot), keyed by the secret."""

    def __init__(self, secret: bytes, schema: Schema) -> None:
        self.schema = schema
        self.length = schema.length
        self.nbytes = schema.length // 8
        self.field_keys = {f.name: (subkey(secret, "field/" + f.name, schema), f.k) for f in schema.fields}
        self.block_key = subkey(secret, "blocking", schema)
        self.cache: dict[tuple[str, str], int] = {}
        self.token_cache: dict[str, int] = {}
        self.feature_cache: dict[str, dict[str, int]] = {}
        self.mask = (1 << self.length) - 1

    def feature_bits(self, key: bytes, k: int, feature: str) -> int:
        bits = 0
        counter = 0
        needed = k
        data = feature.encode()
        while needed > 0:
            digest = hmac.digest(key, data + b"\x00" + bytes([counter]), "sha256")
            for i in range(0, min(needed, 16) * 2, 2):
                bits |= 1 << ((digest[i] | (digest[i + 1] << 8)) % self.length)
            needed -= 16
            counter += 1
        return bits

    def field_bits(self, name: str, person: Person) -> int:
        value = field_value(person, name)
        if not value:
            return 0
        cached = self.cache.get((name, value))
        if cached is None:
            key, k = self.field_keys[name]
            features = self.feature_cache.setdefault(name, {})
            cached = 0
            for feature in person_features(person, name):
                bits = features.get(feature)
                if bits is None:
                    bits = features[feature] = self.feature_bits(key, k, feature)
                cached |= bits
            self.cache[(name, value)] = cached
        return cached

    def clk(self, person: Person) -> int:
        bits = 0
        for spec in self.schema.fields:
            bits |= self.field_bits(spec.name, person)
        if "rule90" in self.schema.hardening:
            n = self.length
            left = ((bits << 1) | (bits >> (n - 1))) & self.mask
            right = (bits >> 1) | ((bits & 1) << (n - 1))
            bits = left ^ right
        return bits

    def tokens(self, person: Person) -> list[int]:
        values = _blocking_values(person)
        used: dict[str, int] = {}
        out: list[int] = []
        for kind in self.schema.blocking:
            i = used.get(kind, 0)
            used[kind] = i + 1
            options = values.get(kind, [])
            value = options[i] if i < len(options) else ""
            out.append(self.token(kind, value) if value else 0)
        return out

    def token(self, kind: str, value: str) -> int:
        text = kind + "\x1f" + value
        cached = self.token_cache.get(text)
        if cached is None:
            digest = hmac.digest(self.block_key, text.encode(), "sha256")
            cached = int.from_bytes(digest[:8], "little") or 1
            self.token_cache[text] = cached
        return cached


def _permutation(secret: bytes, schema: Schema) -> np.ndarray:
    seed = int.from_bytes(subkey(secret, "permutation", schema), "little")
    return np.random.Generator(np.random.PCG64(seed)).permutation(schema.length)


def encode_persons(
    persons: Sequence[Person],
    secret: bytes,
    *,
    schema: Schema = DEFAULT_SCHEMA,
    progress: Callable[[str, float], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The CLKs (``n x length/64`` uint64, little-endian bit order) and blocking keys (``n x T``)."""
    check_secret(secret)
    encoder = _Encoder(secret, schema)
    n = len(persons)
    raw = bytearray()
    tokens = np.zeros((n, len(schema.blocking)), dtype=np.uint64)
    step = max(1, n // 100)
    for i, person in enumerate(persons):
        raw += encoder.clk(person).to_bytes(encoder.nbytes, "little")
        tokens[i] = encoder.tokens(person)
        if progress is not None and i % step == 0:
            progress("encode", i / n)
    clks = np.frombuffer(bytes(raw), dtype="<u8").reshape(n, schema.length // 64).copy()
    if "permute" in schema.hardening and n:
        perm = _permutation(secret, schema)
        for start in range(0, n, 8192):
            chunk = clks[start : start + 8192]
            bits = np.unpackbits(np.ascontiguousarray(chunk).view(np.uint8), axis=1, bitorder="little")
            packed = np.packbits(bits[:, perm], axis=1, bitorder="little")
            clks[start : start + 8192] = np.ascontiguousarray(packed).view("<u8")
    if progress is not None:
        progress("encode", 1.0)
    return clks, tokens


def encode_source(
    source: Source,
    secret: bytes,
    *,
    schema: Schema | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> bytes:
    """The ``.enc`` file of a source: keyed encodings of its persons, no person field in any form.

    Parameters
    ----------
    source : Source
        As :func:`vinculo.linkage.sources.read_source` returns it.
    secret : bytes
        The secret shared by the agencies (at least 32 bytes; see :func:`load_secret`).
    schema : Schema, optional
        :data:`~vinculo.linkage.pprl.schema.DEFAULT_SCHEMA` unless given; all agencies must agree.

    Examples
    --------
    >>> from vinculo.linkage.model import Person, Source
    >>> src = Source("police", (Person("police", "1", given=("ana",), family=("lima",), birth_year=1990),))
    >>> data = encode_source(src, b"k" * 32)
    >>> data[:8]
    b'VNPPRL\\r\\n'
    """
    from vinculo.linkage.pprl.fileformat import write_encodings

    schema = schema or DEFAULT_SCHEMA
    check_secret(secret)
    label = source.file or source.name
    if not source.persons:
        raise VinculoError(
            f"{label}: no records to encode.",
            code="linkage.pprl.empty",
            issues=[Issue("linkage.pprl.empty", "no records to encode.", Location(file=label))],
            fix="Give a file with at least one record.",
        )
    seen: dict[str, int] = {}
    for person in source.persons:
        if person.record_id in seen:
            raise VinculoError(
                f"{label}, row {person.row}: the record id repeats row {seen[person.record_id]}.",
                code="linkage.duplicate_id",
                issues=[Issue("linkage.duplicate_id", "the record id repeats.", Location(file=label, row=person.row))],
                fix="Give each record its own id.",
            )
        seen[person.record_id] = person.row
    clks, tokens = encode_persons(source.persons, secret, schema=schema, progress=progress)
    return write_encodings(
        source=source.name,
        ids=[p.record_id for p in source.persons],
        clks=clks,
        tokens=tokens,
        schema=schema,
        secret=secret,
    )
