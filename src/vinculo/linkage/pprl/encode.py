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
from functools import partial
from hashlib import blake2b
from pathlib import Path
from typing import Any

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
        self._block_state = blake2b(key=self.block_key, digest_size=8)
        self._states: dict[tuple[bytes, int], Any] = {}
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
            digest = self._mac(key, counter, data)
            for i in range(0, min(needed, 32) * 2, 2):
                bits |= 1 << ((digest[i] | (digest[i + 1] << 8)) % self.length)
            needed -= 32
            counter += 1
        return bits

    def _mac(self, key: bytes, counter: int, data: bytes) -> bytes:
        """``blake2b(data, key=key, digest_size=64, person=_COUNTERS[counter]).digest()``, from a
        copy of the keyed state (the key block is compressed once per key, not once per feature)."""
        state = self._states.get((key, counter))
        if state is None:
            state = self._states[(key, counter)] = blake2b(key=key, digest_size=64, person=_COUNTERS[counter])
        h = state.copy()
        h.update(data)
        return h.digest()

    def clk(self, person: Person) -> int:
        """One record's filter as an int (bit i = position i), record by record: the plain
        construction that :func:`_encode_range` computes column by column (a test compares them)."""
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

    def block_token(self, kind: str, cache: dict[str, int], value: str) -> int:
        """The keyed blocking key of one non-empty value: a BLAKE2b-64 MAC, never 0."""
        cached = cache.get(value)
        if cached is None:
            h = self._block_state.copy()  # = blake2b(data, key=self.block_key, digest_size=8)
            h.update((kind + "\x1f" + value).encode())
            cached = int.from_bytes(h.digest(), "little") or 1
            if len(cache) < _CACHE_LIMIT:
                cache[value] = cached
        return cached

    def tokens(self, person: Person) -> list[int]:
        """One record's blocking keys, record by record (the reference :func:`_encode_range` equals)."""
        values = _blocking_values(person)
        return [
            self.block_token(kind, cache, values[at]) if values[at] else 0 for at, kind, cache in self.slots
        ]


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
) -> tuple[np.ndarray, np.ndarray]:
    """The hardened filters and the blocking keys of ``persons[start:stop]``.

    Column by column rather than record by record: each distinct value of a field is hashed once
    (its bits are built by :meth:`_Encoder.field_bits`, cached per token and feature) and becomes
    one row of a table of filters; each record's filter is then the OR of its values' rows, and
    rule 90 runs on the words, all in numpy. The bits equal :meth:`_Encoder.clk`'s record by record
    (a test compares them).
    """
    encoder = _Encoder(secret, schema)
    n = stop - start
    words = schema.length // 64
    clks: np.ndarray = np.zeros((n, words), dtype=np.uint64)
    tokens: np.ndarray = np.zeros((n, len(schema.blocking)), dtype=np.uint64)
    for c0 in range(start, stop, _ROWS_AT_ONCE):
        c1 = min(stop, c0 + _ROWS_AT_ONCE)
        chunk = persons[c0:c1]
        out = clks[c0 - start : c1 - start]
        values = list(zip(*[record_values(p) for p in chunk], strict=True))
        for index, name, _ in encoder.active:
            table, ids = _value_table(values[index], partial(encoder.field_bits, name), encoder.nbytes)
            if ids is not None:
                out |= table[ids]
        keys = tokens[c0 - start : c1 - start]
        blocks = list(zip(*[_blocking_values(p) for p in chunk], strict=True))
        for slot, (at, kind, cache) in enumerate(encoder.slots):
            keys[:, slot] = _key_column(blocks[at], partial(encoder.block_token, kind, cache))
        if progress is not None:
            progress("encode", (c1 - start) / max(n, 1))
    if encoder.rule90 and n:
        # Each bit becomes the XOR of its two neighbours (cyclic): bit i of the filter is bit i % 64
        # of word i // 64 (little-endian), so the neighbours cross into the adjacent words.
        one, top = np.uint64(1), np.uint64(63)
        left = (clks << one) | (np.roll(clks, 1, axis=1) >> top)
        right = (clks >> one) | (np.roll(clks, -1, axis=1) << top)
        clks = left ^ right
    if "permute" in schema.hardening and n:
        # Bit j of the hardened filter is bit perm[j] of the raw one.
        perm = _permutation(secret, schema)
        for c0 in range(0, n, 8192):
            block = clks[c0 : c0 + 8192]
            bits = np.unpackbits(np.ascontiguousarray(block).view(np.uint8), axis=1, bitorder="little")
            packed = np.packbits(bits[:, perm], axis=1, bitorder="little")
            clks[c0 : c0 + 8192] = np.ascontiguousarray(packed).view("<u8")
    return clks, tokens


#: Records whose values are tabulated at once (bounds the memory of the per-field tables).
_ROWS_AT_ONCE = 65_536


def _value_table(
    column: Sequence[str], bits_of: Callable[[str], int], nbytes: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """The filter of each distinct non-empty value (rows of uint64) and each record's row;
    ``ids=None`` when every value is empty (nothing to set)."""
    distinct = dict.fromkeys(column)
    distinct.pop("", None)
    if not distinct:
        return np.empty((0, nbytes // 8), dtype=np.uint64), None
    # Row 0 is the empty value (no bit), rows 1.. the distinct values in order of appearance.
    row = {value: i for i, value in enumerate(distinct, start=1)}
    row[""] = 0
    raw = bytes(nbytes) + b"".join(bits_of(value).to_bytes(nbytes, "little") for value in distinct)
    table = np.frombuffer(raw, dtype="<u8").reshape(len(distinct) + 1, nbytes // 8).astype(np.uint64)
    ids = np.fromiter(map(row.__getitem__, column), dtype=np.intp, count=len(column))
    return table, ids


def _key_column(column: Sequence[str], token_of: Callable[[str], int]) -> np.ndarray:
    """Each record's keyed blocking key for one slot (0 where the value is empty)."""
    distinct = dict.fromkeys(column)
    distinct.pop("", None)
    if not distinct:
        return np.zeros(len(column), dtype=np.uint64)
    row = {value: i for i, value in enumerate(distinct, start=1)}
    row[""] = 0
    table = np.fromiter((0, *map(token_of, distinct)), dtype=np.uint64, count=len(distinct) + 1)
    return table[np.fromiter(map(row.__getitem__, column), dtype=np.intp, count=len(column))]


#: Below this many records one process is faster than starting others. (Measured at 5,000 and
#: 20,000 records on a machine without a free core: two processes took 1.5x the CPU time — each
#: hashes its own distinct values, and the forked copy pays copy-on-write — and more wall time.)
_PARALLEL_FROM = 20_000


def _encode_part(
    persons: Sequence[Person], secret: bytes, schema: Schema, bounds: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
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
        clks, tokens = _encode_range(persons, secret, schema, 0, n, progress)
    else:
        done = None if progress is None else (lambda k: progress("encode", k / len(parts)))
        pieces = forked_map(_encode_part, (persons, secret, schema), parts, done=done)
        clks = np.concatenate([p[0] for p in pieces])
        tokens = np.concatenate([p[1] for p in pieces])
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
