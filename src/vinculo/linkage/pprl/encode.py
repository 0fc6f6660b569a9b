"""Keyed Bloom-filter encodings of a source's persons (run at the agency, never at the platform).

Each record becomes one *cryptographic long-term key* (CLK, Schnell et al. 2011): a bit vector of
``schema.length`` bits in which every feature (q-gram or whole value) of every field sets ``k``
positions. The positions are the 16-bit words of a keyed BLAKE2b-512 of the feature (BLAKE2's
own MAC mode, RFC 7693: a keyed pseudo-random function like HMAC-SHA256, and about three times
faster on short inputs) under a key specific to the field, itself derived from the shared secret
with HMAC-SHA256: independent, keyed positions ("random hashing", Niedermeyer et al. 2014) rather
than double hashing, whose linear pattern is what the published attacks on CLKs
exploit; and one key per field, so the same bigram in a name and in a city sets different bits.
Hardening then diffuses and hides positions (``rule90``: every bit becomes the XOR of its two
neighbours, Schnell & Borgs 2017; ``permute``: a secret permutation of the positions, so the platform
cannot undo the linear rule-90 step). Blocking keys are keyed BLAKE2b-64 MACs of coarse keys (a
phonetic code of a name with the birth year, ...): the platform sees equal keys, never values.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from hashlib import blake2b
from pathlib import Path

import numpy as np

from vinculo.linkage.model import Person, Source
from vinculo.linkage.pprl._errors import input_error
from vinculo.linkage.pprl._parallel import can_fork, forked_map, workers
from vinculo.linkage.pprl.schema import (
    DEFAULT_SCHEMA,
    FIELD_INDEX,
    FIELDS,
    Schema,
    record_values,
    soundex,
    value_features,
)

__all__ = ["MIN_SECRET_BYTES", "encode_persons", "encode_source", "load_secret", "secret_check"]

MIN_SECRET_BYTES = 32
#: Entries kept per cache (values, tokens); beyond it values are computed again (bounded memory).
_CACHE_LIMIT = 500_000
_LABEL = b"vinculo-pprl/1/"
#: BLAKE2b personalisation strings that number the digests of one feature (k > 32 needs two).
_COUNTERS = [i.to_bytes(16, "little") for i in range(256)]


def load_secret(path: str | Path) -> bytes:
    """The secret in a key file: its bytes with trailing white space stripped, at least 32 bytes."""
    file = Path(path)
    try:
        secret = file.read_bytes().rstrip()
    except OSError as exc:
        raise input_error(
            file.name,
            "linkage.pprl.secret_unreadable",
            f"cannot read the secret file ({exc.strerror or exc}).",
            "Give the path of the key file that the agencies share with --secret-file.",
        ) from None
    check_secret(secret, file=file.name)
    return secret


def check_secret(secret: bytes, *, file: str = "the secret") -> None:
    if len(secret) < MIN_SECRET_BYTES:
        raise input_error(
            file,
            "linkage.pprl.weak_secret",
            f"the secret holds {len(secret)} bytes (trailing white space stripped); "
            f"at least {MIN_SECRET_BYTES} are needed.",
            "Make a long random secret once, e.g. `openssl rand -hex 32 > pprl.key`, and share it with "
            "the other agencies only (never with the platform).",
        )


def subkey(secret: bytes, purpose: str, schema: Schema) -> bytes:
    """A key for one purpose (a field's hashing, blocking, the file MAC), derived from the secret."""
    return hmac.digest(secret, _LABEL + purpose.encode() + b"/" + schema.fingerprint.encode(), "sha256")


def secret_check(secret: bytes, schema: Schema) -> str:
    """A value that is equal for equal secrets and reveals nothing of the secret (HMAC, hex)."""
    return hmac.digest(secret, b"vinculo-pprl-secret-check" + schema.fingerprint.encode(), "sha256").hex()


_SOUNDEX: dict[str, str] = {}


def _sx(token: str) -> str:
    code = _SOUNDEX.get(token)
    if code is None:
        code = _SOUNDEX[token] = soundex(token) if token else ""
    return code


#: Every blocking key a record can carry, as (kind, occurrence), in :func:`_blocking_values` order.
#: Kinds that occur twice share their label, so equal values meet (a given name in one record and
#: the same name as family name in another).
BLOCKING_KEYS = (
    ("name_year", 0),
    ("name_year", 1),
    ("name_pair", 0),
    ("birth_date", 0),
    ("phone", 0),
    ("identity", 0),
    ("place_year", 0),
    ("name_place", 0),
    ("name_place", 1),
    ("street_city", 0),
)


def _blocking_values(person: Person) -> tuple[str, ...]:
    """The coarse values behind each blocking key of :data:`BLOCKING_KEYS` (``""``: none)."""
    given = person.given_canonical or person.given
    family = person.family_canonical or person.family
    g = _sx(given[0]) if given else ""
    f = _sx(family[0]) if family else ""
    year = "" if person.birth_year is None else str(person.birth_year)
    phone = "".join(c for c in person.phone if c.isdigit())[-9:] if person.phone else ""
    place = person.postcode
    city = _sx(person.city.replace(" ", "")) if person.city else ""
    street = _sx(next((t for t in person.street.split() if not t.isdigit()), "")) if person.street else ""
    date = ""
    if year and person.birth_day is not None and person.birth_month is not None:
        a, b = sorted((person.birth_day, person.birth_month))
        date = f"{year}|{a}|{b}"
    return (
        f"{g}|{year}" if g and year else "",
        f"{f}|{year}" if f and year else "",
        ("|".join((g, f) if g <= f else (f, g))) if g and f else "",
        date,
        phone if len(phone) >= 6 else "",
        person.identity_number if len(person.identity_number) >= 4 else "",
        f"{place}|{year}" if place and year else "",
        f"{g}|{place}" if g and place else "",
        f"{f}|{place}" if f and place else "",
        f"{street}|{city}" if street and city else "",
    )


class _Encoder:
    """Caches each field value's bits (names and dates repeat a lot), keyed by the secret."""

    def __init__(self, secret: bytes, schema: Schema) -> None:
        self.schema = schema
        self.length = schema.length
        self.nbytes = schema.length // 8
        self.field_keys = {f.name: (subkey(secret, "field/" + f.name, schema), f.k) for f in schema.fields}
        self.block_key = subkey(secret, "blocking", schema)
        used: dict[str, int] = {}
        self.slots: list[tuple[int, str, dict[str, int]]] = []
        self.token_caches: dict[str, dict[str, int]] = {}
        for kind in schema.blocking:
            at = BLOCKING_KEYS.index((kind, used.get(kind, 0)))
            used[kind] = used.get(kind, 0) + 1
            self.slots.append((at, kind, self.token_caches.setdefault(kind, {})))
        self.feature_cache: dict[str, dict[str, int]] = {}
        self.mask = (1 << self.length) - 1
        self.rule90 = "rule90" in schema.hardening
        self.caches: dict[str, dict[str, int]] = {f.name: {} for f in schema.fields}
        self.active = [(FIELD_INDEX[f.name], f.name, self.caches[f.name]) for f in schema.fields]

    def feature_bits(self, key: bytes, k: int, feature: str) -> int:
        """The ``k`` positions of one feature: 16-bit words of a keyed BLAKE2b-512 of it."""
        bits = 0
        counter = 0
        needed = k
        data = feature.encode()
        while needed > 0:
            digest = blake2b(data, key=key, digest_size=64, person=_COUNTERS[counter]).digest()
            for i in range(0, min(needed, 32) * 2, 2):
                bits |= 1 << ((digest[i] | (digest[i + 1] << 8)) % self.length)
            needed -= 32
            counter += 1
        return bits

    def clk(self, person: Person) -> int:
        bits = 0
        values = record_values(person)
        for index, name, cache in self.active:
            value = values[index]
            if value:
                cached = cache.get(value)
                if cached is None:
                    cached = self.field_bits(name, value)
                    if len(cache) < _CACHE_LIMIT:
                        cache[value] = cached
                bits |= cached
        if self.rule90:
            n = self.length
            left = ((bits << 1) | (bits >> (n - 1))) & self.mask
            right = (bits >> 1) | ((bits & 1) << (n - 1))
            bits = left ^ right
        return bits

    def field_bits(self, name: str, value: str) -> int:
        """The bits of one field's value. Token fields are cached per token (names repeat as
        tokens far more than as whole names), other fields per feature."""
        if FIELDS[name] == "tokens" and " " in value:
            out = 0
            cache = self.caches[name]
            for token in value.split():
                bits = cache.get(token)
                if bits is None:
                    bits = self.field_bits(name, token)
                    if len(cache) < _CACHE_LIMIT:
                        cache[token] = bits
                out |= bits
            return out
        key, k = self.field_keys[name]
        features = self.feature_cache.setdefault(name, {})
        out = 0
        for feature in value_features(name, value):
            bits = features.get(feature)
            if bits is None:
                bits = features[feature] = self.feature_bits(key, k, feature)
            out |= bits
        return out

    def tokens(self, person: Person) -> list[int]:
        values = _blocking_values(person)
        out: list[int] = []
        for at, kind, cache in self.slots:
            value = values[at]
            if not value:
                out.append(0)
                continue
            cached = cache.get(value)
            if cached is None:
                digest = blake2b((kind + "\x1f" + value).encode(), key=self.block_key, digest_size=8).digest()
                cached = int.from_bytes(digest, "little") or 1
                if len(cache) < _CACHE_LIMIT:
                    cache[value] = cached
            out.append(cached)
        return out


def _permutation(secret: bytes, schema: Schema) -> np.ndarray:
    seed = int.from_bytes(subkey(secret, "permutation", schema), "little")
    return np.random.Generator(np.random.PCG64(seed)).permutation(schema.length)


def _encode_range(
    persons: Sequence[Person],
    secret: bytes,
    schema: Schema,
    start: int,
    stop: int,
    progress: Callable[[str, float], None] | None = None,
) -> tuple[bytes, list[list[int]]]:
    """The raw filters (before the permutation) and blocking keys of ``persons[start:stop]``."""
    encoder = _Encoder(secret, schema)
    raw = bytearray()
    token_rows: list[list[int]] = []
    nbytes = encoder.nbytes
    step = max(1, (stop - start) // 100)
    for i in range(start, stop):
        person = persons[i]
        raw += encoder.clk(person).to_bytes(nbytes, "little")
        token_rows.append(encoder.tokens(person))
        if progress is not None and (i - start) % step == 0:
            progress("encode", (i - start) / (stop - start))
    return bytes(raw), token_rows


#: Below this many records one process is faster than starting others.
_PARALLEL_FROM = 20_000


def _encode_part(
    persons: Sequence[Person], secret: bytes, schema: Schema, bounds: tuple[int, int]
) -> tuple[bytes, list[list[int]]]:
    return _encode_range(persons, secret, schema, *bounds)


def _parallel_parts(n: int) -> list[tuple[int, int]] | None:
    """Record ranges for worker processes, or ``None`` to encode in this process."""
    if n < _PARALLEL_FROM or not can_fork():
        return None
    size = -(-n // workers())
    return [(s, min(n, s + size)) for s in range(0, n, size)]


def encode_persons(
    persons: Sequence[Person],
    secret: bytes,
    *,
    schema: Schema = DEFAULT_SCHEMA,
    progress: Callable[[str, float], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The CLKs (``n x length/64`` uint64, little-endian bit order) and blocking keys (``n x T``).

    Large inputs are encoded by one forked worker process per core.
    """
    check_secret(secret)
    n = len(persons)
    parts = _parallel_parts(n)
    if parts is None:
        raw, token_rows = _encode_range(persons, secret, schema, 0, n, progress)
    else:
        done = None if progress is None else (lambda k: progress("encode", k / len(parts)))
        pieces = forked_map(_encode_part, (persons, secret, schema), parts, done=done)
        raw = b"".join(p[0] for p in pieces)
        token_rows = [row for p in pieces for row in p[1]]
    clks = np.frombuffer(raw, dtype="<u8").reshape(n, schema.length // 64).copy()
    tokens = np.array(token_rows, dtype=np.uint64).reshape(n, len(schema.blocking))
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
    >>> data.startswith(b"VNPPRL")
    True
    """
    from vinculo.linkage.pprl.fileformat import write_encodings

    schema = schema or DEFAULT_SCHEMA
    check_secret(secret)
    label = source.file or source.name
    if not source.persons:
        raise input_error(
            label, "linkage.pprl.empty", "no records to encode.", "Give a file with at least one record."
        )
    seen: dict[str, int] = {}
    for person in source.persons:
        if person.record_id in seen:
            raise input_error(
                label,
                "linkage.duplicate_id",
                f"the record id repeats row {seen[person.record_id]}.",
                "Give each record its own id.",
                row=person.row,
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
