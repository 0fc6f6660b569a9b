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
import struct
from collections.abc import Callable, Hashable, Sequence
from hashlib import blake2b
from operator import attrgetter, or_
from pathlib import Path
from typing import Any

import numpy as np

from vinculo.linkage.model import Person, Source
from vinculo.linkage.pprl._errors import input_error
from vinculo.linkage.pprl._parallel import can_fork, forked_map, workers
from vinculo.linkage.pprl.schema import (
    DEFAULT_SCHEMA,
    FIELDS,
    Schema,
    _sound,
    bigrams,
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
#: A BLAKE2b-512 digest as its 32 little-endian 16-bit words (the positions before ``% length``).
_WORDS = struct.Struct("<32H")


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
    """The coarse values behind each blocking key of :data:`BLOCKING_KEYS` (``""``: none).

    The record-by-record definition: the encoder builds the same values column by column from
    :data:`_KEY_PARTS` (the tests compare the two).
    """
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
    """The keyed hashing of one encoding run: field values' bits (cached per token and feature,
    since names and dates repeat a lot) and blocking keys."""

    def __init__(self, secret: bytes, schema: Schema) -> None:
        self.schema = schema
        self.length = schema.length
        self.nbytes = schema.length // 8
        self.field_keys = {f.name: (subkey(secret, "field/" + f.name, schema), f.k) for f in schema.fields}
        self.block_key = subkey(secret, "blocking", schema)
        self._block_state = blake2b(key=self.block_key, digest_size=8)
        self._states: dict[tuple[bytes, int], Any] = {}
        used: dict[str, int] = {}
        #: Each blocking slot of the schema: (kind, occurrence) of :data:`BLOCKING_KEYS`.
        self.slots: list[tuple[str, int]] = []
        for kind in schema.blocking:
            self.slots.append((kind, used.get(kind, 0)))
            used[kind] = used.get(kind, 0) + 1
        self.feature_cache: dict[str, dict[str, int]] = {}
        #: Features' bits ORed over several fields that share them (names and given names).
        self.shared_features: dict[tuple[str, ...], dict[str, int]] = {}
        self.rule90 = "rule90" in schema.hardening
        #: Per group of record attributes (:data:`_GROUPS`), the schema's fields that take their
        #: value from it, by the function that makes the value: several fields of one value (the
        #: names and the given-name fields are both the given names' tokens) are ORed in one pass.
        #: Entries: (value function, whether the value splits into tokens, fields, token cache).
        self.groups: dict[str, list[tuple[Callable[[Any], str], bool, tuple[str, ...], dict[str, int]]]] = {}
        shared: dict[tuple[str, Callable[[Any], str], bool], list[str]] = {}
        for f in schema.fields:
            for group, value_of in _FIELD_PARTS[f.name]:
                splits = FIELDS[f.name] in ("tokens", "whole_tokens")
                shared.setdefault((group, value_of, splits), []).append(f.name)
        for (group, value_of, splits), names in shared.items():
            self.groups.setdefault(group, []).append((value_of, splits, tuple(names), {}))

    def feature_bits(self, key: bytes, k: int, feature: str) -> int:
        """The ``k`` positions of one feature: 16-bit words of a keyed BLAKE2b-512 of it."""
        bits = 0
        counter = 0
        needed = k
        data = feature.encode()
        length = self.length
        while needed > 0:
            words = _WORDS.unpack(self._mac(key, counter, data))
            for word in words[: min(needed, 32)]:
                bits |= 1 << (word % length)
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

    def feature(self, name: str, feature: str) -> int:
        """One feature's bits in one field, cached per field."""
        features = self.feature_cache.setdefault(name, {})
        bits = features.get(feature)
        if bits is None:
            key, k = self.field_keys[name]
            bits = self.feature_bits(key, k, feature)
            if len(features) < _CACHE_LIMIT:
                features[feature] = bits
        return bits

    def field_bits(self, name: str, value: str) -> int:
        """The bits of one field's value (bit i = position i): the OR of its features' bits."""
        features = self.feature_cache.setdefault(name, {})
        out = 0
        for feature in value_features(name, value):
            bits = features.get(feature)
            out |= self.feature(name, feature) if bits is None else bits
        return out

    def value_bits(
        self, value_of: Callable[[Any], str], splits: bool, names: tuple[str, ...], cache: dict[str, int]
    ) -> Callable[[Any], int]:
        """A group key's bits in the fields ``names`` that take their value from ``value_of``.

        A token field's value is the OR of its tokens (features are the tokens' bigrams, or the
        tokens themselves), so those are cached per token (names and street words repeat far more
        than whole values) and per feature for all the fields at once: one dictionary look-up per
        token, and per bigram of a new token, whatever the number of fields.
        """
        field_bits = self.field_bits

        def whole(key: Any) -> int:
            value = value_of(key)
            bits = 0
            if value:
                for name in names:
                    bits |= field_bits(name, value)
            return bits

        # ``value_features`` of a one-token value: its bigrams ("tokens" fields) or the token.
        specs = []
        for by_grams in (True, False):
            chosen = tuple(name for name in names if (FIELDS[name] == "tokens") == by_grams)
            if chosen:
                specs.append((by_grams, self.shared_features.setdefault(chosen, {}), chosen))
        with_grams = any(spec[0] for spec in specs)
        feature = self.feature

        def token_bits(token: str) -> int:
            grams = bigrams(token) if with_grams else []
            found = 0
            for by_grams, features, chosen in specs:
                for unit in grams if by_grams else (token,):
                    bits = features.get(unit)
                    if bits is None:
                        bits = 0
                        for name in chosen:
                            bits |= feature(name, unit)
                        if len(features) < _CACHE_LIMIT:
                            features[unit] = bits
                    found |= bits
            return found

        if len(specs) == 1 and with_grams:  # the usual case, "tokens" fields only: a leaner loop
            features = specs[0][1]

            def gram_bits(token: str) -> int:
                found = 0
                for gram in bigrams(token):
                    bits = features.get(gram)
                    if bits is None:
                        return token_bits(token)
                    found |= bits
                return found

        else:
            gram_bits = token_bits

        def tokens(key: Any) -> int:
            bits = 0
            for token in value_of(key).split():
                found = cache.get(token)
                if found is None:
                    found = gram_bits(token)
                    if len(cache) < _CACHE_LIMIT:
                        cache[token] = found
                bits |= found
            return bits

        return tokens if splits else whole

    def block_tokens(self, messages: Sequence[bytes]) -> np.ndarray:
        """The keyed blocking key of each message (``kind + "\\x1f" + value``, UTF-8): a BLAKE2b-64
        MAC, never 0."""
        copy = self._block_state.copy  # = blake2b(message, key=self.block_key, digest_size=8)
        digests = []
        for message in messages:
            h = copy()
            h.update(message)
            digests.append(h.digest())
        macs = np.frombuffer(b"".join(digests), dtype="<u8").astype(np.uint64)
        macs[macs == 0] = 1
        return macs


def _permutation(secret: bytes, schema: Schema) -> np.ndarray:
    seed = int.from_bytes(subkey(secret, "permutation", schema), "little")
    return np.random.Generator(np.random.PCG64(seed)).permutation(schema.length)


# Column by column. Each field value and each blocking component is a function of one *group* of
# a record's attributes (its given names, its birth year, its street, ...). A chunk's records are
# read group by group in C (``attrgetter``) and factorised: the values are computed once per
# distinct key of the group (names, dates and places repeat a lot), never once per record; numpy
# then gathers each record's row. These functions restate :func:`~vinculo.linkage.pprl.schema.record_values`
# and :func:`_blocking_values` per group; a test compares the bits with the record-by-record
# construction on several hundred varied records.

#: How each group's key is read from a record.
_GROUPS: dict[str, Callable[[Person], Hashable]] = {
    "given": attrgetter("given", "given_canonical"),
    "family": attrgetter("family", "family_canonical"),
    "year": attrgetter("birth_year"),
    "day_month": attrgetter("birth_day", "birth_month"),
    **{
        name: attrgetter(name)
        for name in (
            "sex",
            "city",
            "postcode",
            "street",
            "state",
            "citizenship",
            "phone",
            "identity_number",
            "email",
        )
    },
}

NameKey = tuple[tuple[str, ...], tuple[str, ...]]
DayMonth = tuple[int | None, int | None]


def _name_tokens(key: NameKey) -> str:
    """The written tokens then the canonical ones, once each (``record_values``' ``given``)."""
    return " ".join(dict.fromkeys((*key[0], *key[1])))


def _name_sounds(key: NameKey) -> str:
    return " ".join(sorted({_sound(t) for t in (*key[0], *key[1])} - {""}))


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _month(key: DayMonth) -> str:
    return _number(key[1])


def _day(key: DayMonth) -> str:
    return _number(key[0])


def _daymonth(key: DayMonth) -> str:
    day, month = key
    if day is None or month is None:
        return ""
    return f"{day}/{month}" if day <= month else f"{month}/{day}"


def _phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[-9:] if len(digits) >= 6 else ""


def _same(value: str) -> str:
    return value


#: Each field's value as the OR of parts, each a function of one group's key: the names field (the
#: bigrams of all name tokens as one set) is the given names' part OR the family names' part, as a
#: Bloom filter of a union is the OR of the filters.
_FIELD_PARTS: dict[str, tuple[tuple[str, Callable[[Any], str]], ...]] = {
    "names": (("given", _name_tokens), ("family", _name_tokens)),
    "given": (("given", _name_tokens),),
    "family": (("family", _name_tokens),),
    "names_sound": (("given", _name_sounds), ("family", _name_sounds)),
    "birth_year": (("year", _number),),
    "birth_month": (("day_month", _month),),
    "birth_day": (("day_month", _day),),
    "birth_daymonth": (("day_month", _daymonth),),
    "phone": (("phone", _phone),),
    **{name: ((name, _same),) for name in ("sex", "city", "postcode", "street", "state", "citizenship")},
    **{name: ((name, _same),) for name in ("identity_number", "email")},
}
assert set(_FIELD_PARTS) == set(FIELDS)


def _first_code(key: NameKey) -> str:
    """Soundex of the first canonical token (of the first written one without canonical tokens)."""
    tokens = key[1] or key[0]
    return _sx(tokens[0]) if tokens else ""


def _date_pair(key: DayMonth) -> str:
    day, month = key
    if day is None or month is None:
        return ""
    a, b = sorted((day, month))
    return f"{a}|{b}"


def _identity(value: str) -> str:
    return value if len(value) >= 4 else ""


def _city_code(city: str) -> str:
    return _sx(city.replace(" ", "")) if city else ""


def _street_code(street: str) -> str:
    """Soundex of the street's first token that is not a number."""
    for token in street.split():
        if not token.isdigit():
            return _sx(token)
    return ""


Component = tuple[str, Callable[[Any], str]]
#: Each blocking key of :data:`BLOCKING_KEYS`: its components (a key is empty when one is empty),
#: joined by "|", sorted first when ``unordered``.
_KEY_PARTS: dict[tuple[str, int], tuple[tuple[Component, ...], bool]] = {
    ("name_year", 0): ((("given", _first_code), ("year", _number)), False),
    ("name_year", 1): ((("family", _first_code), ("year", _number)), False),
    ("name_pair", 0): ((("given", _first_code), ("family", _first_code)), True),
    ("birth_date", 0): ((("year", _number), ("day_month", _date_pair)), False),
    ("phone", 0): ((("phone", _phone),), False),
    ("identity", 0): ((("identity_number", _identity),), False),
    ("place_year", 0): ((("postcode", _same), ("year", _number)), False),
    ("name_place", 0): ((("given", _first_code), ("postcode", _same)), False),
    ("name_place", 1): ((("family", _first_code), ("postcode", _same)), False),
    ("street_city", 0): ((("street", _street_code), ("city", _city_code)), False),
}
assert set(_KEY_PARTS) == set(BLOCKING_KEYS)


def _factorise(items: Sequence[Hashable]) -> tuple[list[Any], np.ndarray]:
    """The distinct items in order of appearance and each item's number among them (all in C)."""
    if items and items.count(items[0]) == len(items):  # e.g. a field nobody fills
        return [items[0]], np.zeros(len(items), dtype=np.intp)
    distinct = list(dict.fromkeys(items))
    number = dict(zip(distinct, range(len(distinct)), strict=True))
    return distinct, np.fromiter(map(number.__getitem__, items), dtype=np.intp, count=len(items))


class _Columns:
    """One chunk of records, factorised group by group (computed when first asked for)."""

    def __init__(self, persons: Sequence[Person]) -> None:
        self.persons = persons
        self._groups: dict[str, tuple[list[Any], np.ndarray]] = {}
        self._components: dict[Component, tuple[list[str], np.ndarray]] = {}

    def group(self, name: str) -> tuple[list[Any], np.ndarray]:
        """The group's distinct keys and each record's key number."""
        found = self._groups.get(name)
        if found is None:
            found = self._groups[name] = _factorise(list(map(_GROUPS[name], self.persons)))
        return found

    def component(self, part: Component) -> tuple[list[str], np.ndarray]:
        """A blocking component's distinct values (``""`` first) and each record's value number."""
        found = self._components.get(part)
        if found is None:
            keys, ids = self.group(part[0])
            values, of_key = _factorise(["", *map(part[1], keys)])
            found = self._components[part] = (values, of_key[1:][ids])
        return found


def _or_fields(encoder: _Encoder, columns: _Columns, out: np.ndarray) -> None:
    """ORs into ``out`` each record's raw filter: per group, one row of bits per distinct key (the
    OR of the schema's fields taken from that group), gathered for every record."""
    for group, parts in encoder.groups.items():
        keys, ids = columns.group(group)
        rows: list[int] | None = None
        for part in parts:
            bits = list(map(encoder.value_bits(*part), keys))
            rows = bits if rows is None else list(map(or_, rows, bits))
        if not rows or not any(rows):
            continue
        raw = b"".join([row.to_bytes(encoder.nbytes, "little") for row in rows])
        out |= np.frombuffer(raw, dtype="<u8").reshape(len(keys), -1).take(ids, axis=0)


def _block_column(encoder: _Encoder, columns: _Columns, kind: str, occurrence: int) -> np.ndarray:
    """Each record's keyed blocking key of one slot (0 where a component is empty): the MAC of
    each distinct combination of the components' values that occurs, built from their bytes."""
    parts, unordered = _KEY_PARTS[kind, occurrence]
    prefix = (kind + "\x1f").encode()
    components = [columns.component(part) for part in parts]
    if len(components) == 1:
        values, ids = components[0]
        table = np.zeros(len(values), dtype=np.uint64)  # values[0] is "": key 0
        table[1:] = encoder.block_tokens([prefix + v.encode() for v in values[1:]])
        column: np.ndarray = table[ids]
        return column
    (first, a), (second, b) = components
    keys = np.zeros(len(a), dtype=np.uint64)
    present = np.flatnonzero((a != 0) & (b != 0))  # number 0 is the empty value
    if not len(present):
        return keys
    size = len(second)
    combined, inverse = np.unique(a[present].astype(np.int64) * size + b[present], return_inverse=True)
    pairs = zip(*(x.tolist() for x in np.divmod(combined, size)), strict=True)
    if unordered:
        messages = [prefix + "|".join(sorted((first[i], second[j]))).encode() for i, j in pairs]
    else:
        heads = [prefix + v.encode() + b"|" for v in first]
        tails = [v.encode() for v in second]
        messages = [heads[i] + tails[j] for i, j in pairs]
    keys[present] = encoder.block_tokens(messages)[inverse.reshape(-1)]
    return keys


#: Filters permuted at once: their unpacked bits (1 KB each at 1024 bits) stay in the CPU's cache
#: (measured: 1,024 rows at a time twice as fast as 8,192).
_PERMUTE_ROWS = 1024


def _harden(clks: np.ndarray, secret: bytes, schema: Schema) -> np.ndarray:
    """Rule 90 then the keyed permutation, on all filters at once."""
    if "rule90" in schema.hardening:
        # Each bit becomes the XOR of its two neighbours (cyclic): bit i of the filter is bit i % 64
        # of word i // 64 (little-endian), so the neighbours cross into the adjacent words.
        one, top = np.uint64(1), np.uint64(63)
        left = (clks << one) | (np.roll(clks, 1, axis=1) >> top)
        right = (clks >> one) | (np.roll(clks, -1, axis=1) << top)
        clks = left ^ right
    if "permute" in schema.hardening:
        # Bit j of the hardened filter is bit perm[j] of the raw one (np.take: a gather along the
        # rows, many times faster than fancy indexing of the columns).
        perm = _permutation(secret, schema)
        for c0 in range(0, len(clks), _PERMUTE_ROWS):
            block = clks[c0 : c0 + _PERMUTE_ROWS]
            bits = np.unpackbits(np.ascontiguousarray(block).view(np.uint8), axis=1, bitorder="little")
            packed = np.packbits(np.take(bits, perm, axis=1), axis=1, bitorder="little")
            clks[c0 : c0 + _PERMUTE_ROWS] = np.ascontiguousarray(packed).view("<u8")
    return clks


def _encode_range(
    persons: Sequence[Person],
    secret: bytes,
    schema: Schema,
    start: int,
    stop: int,
    progress: Callable[[str, float], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The hardened filters and the blocking keys of ``persons[start:stop]``, column by column
    (see :class:`_Columns`), in chunks of :data:`_ROWS_AT_ONCE` records."""
    encoder = _Encoder(secret, schema)
    n = stop - start
    clks: np.ndarray = np.zeros((n, schema.length // 64), dtype=np.uint64)
    tokens: np.ndarray = np.zeros((n, len(schema.blocking)), dtype=np.uint64)
    for c0 in range(start, stop, _ROWS_AT_ONCE):
        c1 = min(stop, c0 + _ROWS_AT_ONCE)
        columns = _Columns(persons[c0:c1])
        _or_fields(encoder, columns, clks[c0 - start : c1 - start])
        keys = tokens[c0 - start : c1 - start]
        for slot, (kind, occurrence) in enumerate(encoder.slots):
            keys[:, slot] = _block_column(encoder, columns, kind, occurrence)
        if progress is not None:
            progress("encode", (c1 - start) / max(n, 1))
    if n:
        clks = _harden(clks, secret, schema)
    return clks, tokens


#: Records taken column by column at once (bounds the memory of the per-group tables).
_ROWS_AT_ONCE = 65_536


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
