"""Encodings: the secret, the schema fingerprint, what an .enc file does (not) contain, the kernel."""

from __future__ import annotations

import base64
import random

import numpy as np
import pytest

from vinculo.errors import VinculoError
from vinculo.linkage.model import Person, Source
from vinculo.linkage.pprl import DEFAULT_SCHEMA, FieldSpec, Schema, encode_source, load_secret, read_encodings
from vinculo.linkage.pprl.encode import encode_persons
from vinculo.linkage.pprl.kernel import block_pairs, dice_dense, dice_pairs
from vinculo.linkage.pprl.schema import soundex

SECRET = b"0123456789abcdef0123456789abcdef"


def person(rid: str, given: str, family: str, *, y=1990, m=4, d=3, phone="", city="odesa") -> Person:
    g, f = tuple(given.split()), tuple(family.split())
    return Person(
        source="police",
        record_id=rid,
        given=g,
        family=f,
        given_canonical=g,
        family_canonical=f,
        birth_year=y,
        birth_month=m,
        birth_day=d,
        sex="f",
        city=city,
        phone=phone,
    )


def dice(a: np.ndarray, b: np.ndarray) -> float:
    return float(dice_dense(a[None, :], b[None, :])[0, 0])


def test_secret_file_is_stripped_of_trailing_white_space_and_must_hold_32_bytes(tmp_path):
    ok = tmp_path / "ok.key"
    ok.write_bytes(SECRET + b" \n\r\n")
    assert load_secret(ok) == SECRET
    short = tmp_path / "short.key"
    short.write_bytes(SECRET[:31] + b"      \n")
    with pytest.raises(VinculoError) as err:
        load_secret(short)
    assert err.value.code == "linkage.pprl.weak_secret"
    assert "short.key" in str(err.value) and "31 bytes" in str(err.value)
    with pytest.raises(VinculoError) as err:
        load_secret(tmp_path / "missing.key")
    assert err.value.code == "linkage.pprl.secret_unreadable"


def test_schema_fingerprint_is_sha256_of_canonical_json_and_changes_with_any_setting():
    import hashlib

    assert DEFAULT_SCHEMA.fingerprint == hashlib.sha256(DEFAULT_SCHEMA.to_json().encode()).hexdigest()
    assert Schema.from_json(DEFAULT_SCHEMA.to_json()) == DEFAULT_SCHEMA
    heavier = Schema(fields=(*DEFAULT_SCHEMA.fields[:-1], FieldSpec("email", 31)))
    assert heavier.fingerprint != DEFAULT_SCHEMA.fingerprint
    assert Schema(hardening=()).fingerprint != DEFAULT_SCHEMA.fingerprint
    with pytest.raises(ValueError, match="unknown field"):
        Schema(fields=(FieldSpec("shoe_size", 3),))


def test_same_person_encodes_the_same_and_the_secret_changes_every_bit_pattern():
    people = [person("1", "ana", "lima"), person("2", "ana", "lima")]
    clks, tokens = encode_persons(people, SECRET)
    assert (clks[0] == clks[1]).all() and (tokens[0] == tokens[1]).all()
    other, other_tokens = encode_persons(people, b"another secret of at least 32 bytes")
    assert dice(clks[0], other[0]) < 0.75  # near chance: nothing in common
    assert not set(tokens[0].tolist()) - {0} & set(other_tokens[0].tolist())


def test_close_spellings_swapped_names_and_swapped_day_month_stay_closer_than_other_people():
    base = person("1", "mohammed", "ali", y=1970, m=1, d=2)
    variants = {
        "typo": person("2", "mohamed", "ali", y=1970, m=1, d=2),
        "swapped": person("3", "ali", "mohammed", y=1970, m=1, d=2),
        "day_month": person("4", "mohammed", "ali", y=1970, m=2, d=1),
    }
    others = [
        person(str(10 + i), g, f, y=1960 + i)
        for i, (g, f) in enumerate([("oleg", "petrenko"), ("li", "wei")])
    ]
    clks, _ = encode_persons([base, *variants.values(), *others], SECRET)
    unrelated = max(dice(clks[0], c) for c in clks[4:])
    for i, name in enumerate(variants, start=1):
        assert dice(clks[0], clks[i]) > unrelated + 0.15, name


def test_missing_fields_are_allowed_and_an_all_empty_record_encodes_to_zero_bits():
    empty = Person(source="s", record_id="x")
    clks, tokens = encode_persons([empty, person("y", "ana", "lima")], SECRET)
    assert int(np.bitwise_count(clks[0]).sum()) == 0 and not tokens[0].any()
    assert int(np.bitwise_count(clks[1]).sum()) > 0


def _forms(value: str) -> set[bytes]:
    raw = value.encode()
    out = {raw, raw.upper(), value.title().encode(), raw.hex().encode(), base64.b64encode(raw)}
    out |= {raw.decode().encode("utf-16-le")}
    return {f for f in out if len(f) >= 3}


def test_enc_file_holds_no_name_date_or_phone_in_any_form():
    rng = random.Random(7)
    names = ["Svetlana", "Nguyen", "Mohammed", "Abdulrahman", "Oleksandr", "Kowalski", "Fatima", "Haddad"]
    people = []
    for i in range(40):
        g, f = rng.choice(names).lower(), rng.choice(names).lower()
        people.append(
            person(
                f"r{i}",
                g,
                f,
                y=rng.randint(1950, 2005),
                m=rng.randint(1, 12),
                d=rng.randint(13, 28),
                phone=f"+38050{rng.randint(1000000, 9999999)}",
                city="zaporizhzhia",
            )
        )
    data = encode_source(Source("police", tuple(people)), SECRET)
    needles: set[bytes] = set()
    for p in people:
        for token in (*p.given, *p.family, p.city, p.phone, p.phone.lstrip("+"), p.phone[-9:]):
            needles |= _forms(token)
        for date in (
            f"{p.birth_year}-{p.birth_month:02d}-{p.birth_day:02d}",
            f"{p.birth_day:02d}/{p.birth_month:02d}/{p.birth_year}",
            f"{p.birth_year}{p.birth_month:02d}{p.birth_day:02d}",
            f"{p.birth_day}/{p.birth_month}",
        ):
            needles |= _forms(date)
    for needle in needles:
        assert needle not in data, needle
    assert SECRET not in data and SECRET.hex().encode() not in data
    assert b"r0" in data  # the record ids are there (they are the agency's own ids)


def test_soundex_codes_known_examples():
    assert soundex("robert") == soundex("rupert") == "r163"
    assert soundex("tymczak") == "t522"
    assert soundex("") == ""


def test_dice_kernels_agree_with_a_plain_python_count():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 2**63, size=(7, 16), dtype=np.uint64) & rng.integers(
        0, 2**63, size=(7, 16), dtype=np.uint64
    )
    b = rng.integers(0, 2**63, size=(5, 16), dtype=np.uint64)
    a[0] = 0
    dense = dice_dense(a, b)
    left, right = np.repeat(np.arange(7), 5), np.tile(np.arange(5), 7)
    pairs = dice_pairs(a, b, left, right).reshape(7, 5)
    for i in range(7):
        for j in range(5):
            x = int.from_bytes(a[i].tobytes(), "little")
            y = int.from_bytes(b[j].tobytes(), "little")
            total = x.bit_count() + y.bit_count()
            expected = 2 * (x & y).bit_count() / total if total else 0.0
            assert dense[i, j] == pytest.approx(expected, abs=1e-6)
            assert pairs[i, j] == pytest.approx(expected, abs=1e-6)


def test_block_pairs_finds_exactly_the_pairs_sharing_a_non_zero_key():
    rng = np.random.default_rng(5)
    ka = rng.integers(0, 6, size=(30, 3)).astype(np.uint64)
    kb = rng.integers(0, 6, size=(20, 3)).astype(np.uint64)
    left, right, skipped = block_pairs(ka, kb)
    expected = {
        (i, j) for i in range(30) for j in range(20) if (set(ka[i].tolist()) & set(kb[j].tolist())) - {0}
    }
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == expected and skipped == 0
    left, right, _ = block_pairs(ka, None)
    expected = {
        (i, j)
        for i in range(30)
        for j in range(i + 1, 30)
        if (set(ka[i].tolist()) & set(ka[j].tolist())) - {0}
    }
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == expected
    _, _, skipped = block_pairs(ka, kb, max_block=10)
    assert skipped > 0


def test_encode_source_refuses_empty_sources_and_repeated_ids():
    with pytest.raises(VinculoError) as err:
        encode_source(Source("police", (), file="police.csv"), SECRET)
    assert err.value.code == "linkage.pprl.empty" and "police.csv" in str(err.value)
    p = person("1", "ana", "lima")
    with pytest.raises(VinculoError) as err:
        encode_source(Source("police", (p, p), file="police.csv"), SECRET)
    assert err.value.code == "linkage.duplicate_id"
    assert read_encodings(encode_source(Source("police", (p,)), SECRET)).ids == ("1",)


def test_forked_workers_encode_exactly_like_one_process(monkeypatch):
    import os

    from vinculo.linkage.pprl import _parallel
    from vinculo.linkage.pprl import encode as module

    if (os.cpu_count() or 1) < 2 or not _parallel.can_fork():
        pytest.skip("cannot fork workers here")
    people = [
        person(str(i), g, f, y=1950 + i)
        for i, (g, f) in enumerate([("ana", "lima"), ("oleg", "sidorov")] * 30)
    ]
    serial = encode_persons(people, SECRET)
    monkeypatch.setattr(module, "_PARALLEL_FROM", 10)
    assert module._parallel_parts(len(people)) is not None
    forked = encode_persons(people, SECRET)
    assert np.array_equal(serial[0], forked[0]) and np.array_equal(serial[1], forked[1])


def test_forked_dice_kernels_give_the_same_scores(monkeypatch):
    from vinculo.linkage.pprl import _parallel, kernel

    if not _parallel.can_fork():
        pytest.skip("cannot fork here")
    rng = np.random.default_rng(4)
    a = rng.integers(0, 2**63, size=(60, 16), dtype=np.uint64)
    b = rng.integers(0, 2**63, size=(50, 16), dtype=np.uint64)
    left, right = rng.integers(0, 60, 5000), rng.integers(0, 50, 5000)
    serial_pairs, serial_dense = dice_pairs(a, b, left, right), dice_dense(a, b)
    monkeypatch.setattr(kernel, "_PARALLEL_FROM", 100)
    assert np.array_equal(dice_pairs(a, b, left, right), serial_pairs)
    assert np.array_equal(dice_dense(a, b), serial_dense)


def _straightforward(people, secret, schema=DEFAULT_SCHEMA):
    """Record by record, from the definitions only (docs/linkage/pprl.md): each field's features
    (``record_values``, ``value_features``) set the 16-bit words of a keyed BLAKE2b-512 of them,
    rule 90 and the permutation run on one Python int per record, and the blocking values
    (``_blocking_values``) are MACed one by one. Shares no code with the column-wise encoder."""
    from hashlib import blake2b

    from vinculo.linkage.pprl.encode import BLOCKING_KEYS, _blocking_values, _permutation, subkey
    from vinculo.linkage.pprl.schema import FIELD_INDEX, record_values, value_features

    n = schema.length
    keys = {f.name: subkey(secret, "field/" + f.name, schema) for f in schema.fields}
    block_key = subkey(secret, "blocking", schema)
    perm = _permutation(secret, schema).tolist()
    slots, used = [], {}
    for kind in schema.blocking:
        slots.append((kind, BLOCKING_KEYS.index((kind, used.get(kind, 0)))))
        used[kind] = used.get(kind, 0) + 1
    clks, tokens = [], []
    for p in people:
        values = record_values(p)
        bits = 0
        for f in schema.fields:
            for feature in value_features(f.name, values[FIELD_INDEX[f.name]]):
                for counter in range(-(-f.k // 32)):
                    mac = blake2b(
                        feature.encode(),
                        key=keys[f.name],
                        digest_size=64,
                        person=counter.to_bytes(16, "little"),
                    ).digest()
                    for i in range(min(32, f.k - 32 * counter)):
                        bits |= 1 << (int.from_bytes(mac[2 * i : 2 * i + 2], "little") % n)
        if "rule90" in schema.hardening:
            left = ((bits << 1) | (bits >> (n - 1))) & ((1 << n) - 1)
            right = (bits >> 1) | ((bits & 1) << (n - 1))
            bits = left ^ right
        if "permute" in schema.hardening:
            bits = sum(((bits >> src) & 1) << dst for dst, src in enumerate(perm))
        clks.append(np.frombuffer(bits.to_bytes(n // 8, "little"), dtype="<u8"))
        blocks = _blocking_values(p)
        row = []
        for kind, at in slots:
            if not blocks[at]:
                row.append(0)
                continue
            mac = blake2b((kind + "\x1f" + blocks[at]).encode(), key=block_key, digest_size=8).digest()
            row.append(int.from_bytes(mac, "little") or 1)
        tokens.append(row)
    return np.array(clks, dtype=np.uint64), np.array(tokens, dtype=np.uint64)


def _varied_people(tmp_path):
    """A few hundred records: several scripts, partial and invalid dates, empty fields, family members."""
    import csv

    from vinculo.linkage import synthetic
    from vinculo.linkage.sources import read_source

    data = synthetic.generate(150, seed=13)
    rows = [dict(r) for rs in data.sources.values() for r in rs]
    rows += [
        {"record_id": "x1", "prs_FirstName": "Nguyễn Văn", "prs_SecondName": "An", "prs_Birthdate": "1990"},
        {"record_id": "x2", "prs_FirstName": "Олександр", "prs_Birthdate": "1990-04"},
        {
            "record_id": "x3",
            "prs_FirstName": "محمد",
            "prs_SecondName": "عبد الرحمن",
            "prs_Birthdate": "31/31/1990",
        },
        {"record_id": "x4", "prs_SecondName": "Lima", "prs_MailingCity": "São Paulo"},
        {"record_id": "x5", "prs_MobilePhone": "+380 50 123 4567", "prs_Email": "a@b.org"},
        {"record_id": "x6", "prs_FirstName": "Ștefan", "prs_Gender": "m", "prs_IdentityNumber": "ab-12 34"},
    ]
    columns = sorted({k for r in rows for k in r})
    path = tmp_path / "varied.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        writer.writerows(rows)
    return read_source(path, id_column="record_id").persons


def test_column_wise_encoder_sets_exactly_the_bits_of_the_record_by_record_construction(
    tmp_path, monkeypatch
):
    from vinculo.linkage.pprl import encode as module

    people = _varied_people(tmp_path)
    assert len(people) > 200
    expected = _straightforward(people, SECRET)
    assert expected[0].any(axis=1).all()  # every record sets bits
    clks, tokens = encode_persons(people, SECRET)
    assert np.array_equal(clks, expected[0]) and np.array_equal(tokens, expected[1])
    # Chunked tabulation and other schemas (no hardening, rule 90 only, another length) agree too.
    monkeypatch.setattr(module, "_ROWS_AT_ONCE", 37)
    for schema in (
        DEFAULT_SCHEMA,
        Schema(hardening=()),
        Schema(hardening=("rule90",), length=512),
        Schema(hardening=("permute",), length=1088),
        Schema(fields=tuple(FieldSpec(f.name, f.k + 30) for f in DEFAULT_SCHEMA.fields)),  # k > 32
    ):
        got = encode_persons(people, SECRET, schema=schema)
        want = _straightforward(people, SECRET, schema)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1]), schema


def test_encodings_keep_the_bytes_of_the_session_18_encoder():
    """The same secret, schema and records give the bytes the encoder wrote before its column-wise
    rewrite (SHA-256 of the filters and keys, taken with that encoder): files of agencies that
    encoded with it still match files encoded now."""
    import hashlib

    people = [
        Person(
            "a",
            "1",
            given=("ana", "maria"),
            family=("lima",),
            given_canonical=("ana", "maria"),
            family_canonical=("lima",),
            birth_year=1990,
            birth_month=4,
            birth_day=3,
            sex="f",
            city="sao paulo",
            postcode="01310",
            street="12 rua augusta",
            state="sp",
            citizenship="BR",
            phone="+5511987654321",
            identity_number="AB1234",
            email="ana@example.org",
        ),
        Person(
            "a",
            "2",
            given=("mohamed",),
            given_canonical=("mohammed",),
            family=("abd", "al", "rahman"),
            family_canonical=("abd", "al", "rahman"),
            birth_year=1971,
        ),
        Person(
            "a", "3", given=("oleksandr",), given_canonical=("alexander",), birth_year=2001, birth_month=12
        ),
        Person(
            "a",
            "4",
            family=("nguyen",),
            family_canonical=("nguyen",),
            birth_day=7,
            birth_month=9,
            city="ho chi minh",
        ),
        Person("a", "5"),
        Person("a", "6", given=("li",), family=("wei",), phone="12345", identity_number="X9", street="7 9"),
    ]
    clks, tokens = encode_persons(people, SECRET)
    digest = hashlib.sha256(clks.tobytes() + tokens.tobytes()).hexdigest()
    assert digest == "91beb6be95c7f3a90e0a4a62675e6b048fd423ef2958e2eb3600c7900d315563"
    assert np.array_equal(clks, _straightforward(people, SECRET)[0])
