"""The .enc file: round trip, and refusals of damaged, truncated, other-schema and tampered files."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from vinculo.errors import VinculoError
from vinculo.linkage.model import Person, Source
from vinculo.linkage.pprl import Schema, encode_source, read_encodings, verify_encodings
from vinculo.linkage.pprl.fileformat import MAGIC

SECRET = b"k" * 40


@pytest.fixture(scope="module")
def data() -> bytes:
    persons = tuple(
        Person(
            "police",
            f"id-{i}",
            given=(g,),
            family=("lima",),
            given_canonical=(g,),
            family_canonical=("lima",),
            birth_year=1980 + i,
        )
        for i, g in enumerate(["ana", "joão", "олег", "李"])
    )
    return encode_source(Source("police", persons, file="police.csv"), SECRET)


def code_of(raw: bytes, **kw) -> str:
    with pytest.raises(VinculoError) as err:
        read_encodings(raw, name="police.enc", **kw)
    assert "police.enc" in str(err.value)
    return err.value.code


def test_round_trip_keeps_source_ids_bits_and_blocking_keys(data):
    enc = read_encodings(data, name="police.enc")
    assert enc.name == "police" and enc.ids == ("id-0", "id-1", "id-2", "id-3")
    assert enc.clks.shape == (4, 16) and enc.tokens.shape[0] == 4
    assert data.startswith(MAGIC)
    verify_encodings(data, SECRET)


def test_every_truncation_is_refused(data):
    for cut in (1, 31, 32, 33, 64, len(data) // 2, len(data) - 10):
        assert code_of(data[:cut] if cut < 40 else data[:-cut]) in {
            "linkage.pprl.corrupt",
            "linkage.pprl.not_encodings",
        }


def test_a_flipped_byte_anywhere_is_refused(data):
    for pos in (10, 40, len(data) // 2, len(data) - 70, len(data) - 40):
        broken = bytearray(data)
        broken[pos] ^= 0x01
        assert code_of(bytes(broken)) == "linkage.pprl.corrupt"


def test_empty_and_foreign_files_are_refused(data):
    assert code_of(b"") == "linkage.pprl.empty"
    assert code_of(b"record_id,prs_FirstName\n1,Ana\n") == "linkage.pprl.not_encodings"
    assert code_of(data.replace(b"\r\n", b"\n", 1)) == "linkage.pprl.not_encodings"


def test_a_file_of_another_schema_is_refused(data):
    assert code_of(data, schema=Schema(length=512)) == "linkage.pprl.schema_mismatch"
    other = encode_source(
        Source("ngo", (Person("ngo", "1", given=("ana",)),)), SECRET, schema=Schema(hardening=())
    )
    assert code_of(other) == "linkage.pprl.schema_mismatch"


def test_tampering_with_a_recomputed_checksum_passes_the_platform_but_not_the_agencies_mac(data):
    body = bytearray(data[:-64])
    clk_start = len(body) - 4 * 16 * 8 - 4 * len(Schema().blocking) * 8
    body[clk_start] ^= 0xFF
    forged = bytes(body) + hashlib.sha256(bytes(body)).digest() + data[-32:]
    read_encodings(forged, name="police.enc")  # the platform cannot tell without the secret
    with pytest.raises(VinculoError) as err:
        verify_encodings(forged, SECRET, name="police.enc")
    assert err.value.code == "linkage.pprl.tampered"
    with pytest.raises(VinculoError) as err:
        verify_encodings(data, b"x" * 40, name="police.enc")
    assert err.value.code == "linkage.pprl.secret_mismatch"


def test_reading_from_a_path_names_the_file(tmp_path, data):
    path = tmp_path / "police.enc"
    path.write_bytes(data[:-5])
    with pytest.raises(VinculoError) as err:
        read_encodings(path)
    assert "police.enc" in str(err.value) and err.value.code == "linkage.pprl.corrupt"
    path.write_bytes(data)
    assert np.array_equal(read_encodings(path).clks, read_encodings(data).clks)
