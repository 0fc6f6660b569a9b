"""vinculo.chain on its own: canonical content, signing, and the first broken link named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from vinculo.chain import ChainEntry, ChainKeys, canonical_content, parse_head, verify_chain
from vinculo.errors import VinculoError

KEY = "unit-test-chain-key-0123456789abcdef"


def build(n: int, keys: ChainKeys) -> list[ChainEntry]:
    entries, previous = [], "0" * 64
    for seq in range(1, n + 1):
        content = canonical_content({"n": seq})
        key_id, mac = keys.sign("t", seq, content, previous)
        entries.append(ChainEntry(id=seq * 10, seq=seq, key_id=key_id, mac=mac, content=content))
        previous = mac
    return entries


def test_canonical_content_is_the_same_for_equal_values_in_any_spelling() -> None:
    a = canonical_content(
        {"b": Decimal("300.00"), "a": dt.datetime(2024, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))}
    )
    b = canonical_content({"a": dt.datetime(2024, 1, 1, 10, tzinfo=dt.UTC), "b": Decimal("300")})
    assert a == b
    with pytest.raises(ValueError, match="timezone-aware"):
        canonical_content({"a": dt.datetime(2024, 1, 1)})


def test_an_intact_chain_verifies_and_reports_its_head() -> None:
    keys = ChainKeys([KEY])
    chain = build(4, keys)
    report = verify_chain("t", chain, keys)
    assert report.ok and report.count == 4
    assert str(report.head) == f"4:{chain[-1].mac}"
    assert verify_chain("t", [], keys).head is None


def test_a_changed_middle_entry_is_named_changed_and_the_newest_forged() -> None:
    keys = ChainKeys([KEY])
    chain = build(4, keys)
    chain[1] = ChainEntry(id=20, seq=2, key_id=chain[1].key_id, mac=chain[1].mac, content='{"n":99}')
    report = verify_chain("t", chain, keys)
    assert report.broken is not None and (report.broken.kind, report.broken.seq) == ("changed", 2)
    chain = build(4, keys)
    chain[3] = ChainEntry(id=40, seq=4, key_id=chain[3].key_id, mac="0" * 64, content=chain[3].content)
    report = verify_chain("t", chain, keys)
    assert report.broken is not None and (report.broken.kind, report.broken.seq) == ("forged", 4)


def test_a_chain_signed_with_another_key_does_not_verify() -> None:
    chain = build(2, ChainKeys(["another-chain-key-0123456789abcdef0"]))
    report = verify_chain("t", chain, ChainKeys([KEY]))
    assert report.broken is not None and report.broken.kind == "unknown_key"


def test_a_head_is_parsed_or_refused_with_the_expected_form() -> None:
    head = parse_head(f" 7:{'ab' * 32} ")
    assert (head.seq, head.mac) == (7, "ab" * 32)
    for bad in ("7", "x:" + "ab" * 32, "7:ABC", "7:" + "zz" * 32):
        with pytest.raises(VinculoError, match="SEQUENCE:MAC"):
            parse_head(bad)


def test_keys_shorter_than_32_characters_are_refused() -> None:
    with pytest.raises(VinculoError, match="at least 32"):
        ChainKeys(["short"])
    with pytest.raises(VinculoError, match="empty"):
        ChainKeys([])
