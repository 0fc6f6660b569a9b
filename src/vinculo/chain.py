"""Hash chains that make an append-only table tamper-evident (no Django).

Each entry carries a sequence number (1, 2, 3 ...), the id of the key that signed it, and a MAC:
HMAC-SHA256 over the chain's name, the entry's sequence number, its canonical content and the MAC
of its predecessor. The key is a secret kept outside the database, so someone who can write to the
database but does not hold the key cannot add, change, remove or reorder entries without
:func:`verify_chain` naming the first broken link.

What a chain cannot show on its own: removal of the newest entries (the remaining chain is still
valid). Record the head (:attr:`ChainReport.head`) outside the database and pass it back as
``expected_head`` to detect that.

Keys rotate: a :class:`ChainKeys` holds several keys, the first signs new entries and each entry
records the id of the key that signed it, so older entries still verify while their key is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from vinculo.errors import VinculoError

__all__ = [
    "ChainBreak",
    "ChainEntry",
    "ChainHead",
    "ChainKeys",
    "ChainReport",
    "canonical_content",
    "parse_head",
    "verify_chain",
]

GENESIS = "0" * 64
MIN_KEY_LENGTH = 32
BreakKind = Literal["changed", "forged", "missing", "reordered", "unknown_key", "removed"]


class ChainKeys:
    """The configured chain keys, newest first. Each key's id is a short digest of the key itself."""

    def __init__(self, keys: Sequence[str], *, setting: str = "VINCULO_AUDIT_KEYS") -> None:
        if not keys:
            raise VinculoError(
                f"No audit key is configured: {setting} is empty.",
                code="chain.no_key",
                fix=f"Set {setting} to a random secret of at least {MIN_KEY_LENGTH} characters "
                "(for example the output of `vinculo generate-key`).",
            )
        for position, key in enumerate(keys, start=1):
            if len(key) < MIN_KEY_LENGTH:
                raise VinculoError(
                    f"{setting}: key {position} has {len(key)} characters; at least "
                    f"{MIN_KEY_LENGTH} are needed.",
                    code="chain.weak_key",
                    fix="Use a long random secret, for example the output of `vinculo generate-key`.",
                )
        self._keys = {self.key_id(key): key.encode("utf-8") for key in keys}
        self.current_id = self.key_id(keys[0])

    @staticmethod
    def key_id(key: str) -> str:
        return hashlib.sha256(b"vinculo-chain-key-id:" + key.encode("utf-8")).hexdigest()[:12]

    def knows(self, key_id: str) -> bool:
        return key_id in self._keys

    def mac(self, key_id: str, chain: str, seq: int, content: str, previous: str) -> str:
        message = "\n".join((chain, str(seq), previous, content)).encode("utf-8")
        return hmac.new(self._keys[key_id], message, hashlib.sha256).hexdigest()

    def sign(self, chain: str, seq: int, content: str, previous: str) -> tuple[str, str]:
        """The current key's id and the MAC of an entry."""
        return self.current_id, self.mac(self.current_id, chain, seq, content, previous)


def _canonical_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("chained timestamps must be timezone-aware")
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Mapping):
        return {str(k): _canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_value(v) for v in value]
    return value


def canonical_content(values: Mapping[str, Any]) -> str:
    """One stable text for an entry's content: the same values always give the same text."""
    return json.dumps(_canonical_value(values), sort_keys=True, separators=(",", ":"), ensure_ascii=True)


@dataclass(frozen=True, slots=True)
class ChainEntry:
    """One stored entry as read back for verification."""

    id: int
    seq: int
    key_id: str
    mac: str
    content: str


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The newest entry: record ``str(head)`` outside the database to detect later removals."""

    count: int
    seq: int
    mac: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.mac}"


def parse_head(text: str) -> ChainHead:
    """Read a head as printed by ``vinculo audit verify`` (``SEQUENCE:MAC``)."""
    seq_text, sep, mac = text.strip().partition(":")
    if not sep or not seq_text.isdigit() or len(mac) != 64 or any(c not in "0123456789abcdef" for c in mac):
        raise VinculoError(
            f"{text.strip()!r} is not a recorded head. Expected SEQUENCE:MAC, for example "
            f"'1042:{'ab' * 32}', as printed by `vinculo audit verify`.",
            code="chain.bad_head",
            fix="Copy the head line printed by `vinculo audit verify` exactly.",
        )
    return ChainHead(count=int(seq_text), seq=int(seq_text), mac=mac)


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first broken link: which entry, and what is wrong with it."""

    kind: BreakKind
    entry_id: int | None
    seq: int | None
    message: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    chain: str
    count: int
    head: ChainHead | None
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify_chain(
    chain: str,
    entries: Iterable[ChainEntry],
    keys: ChainKeys,
    *,
    expected_head: ChainHead | None = None,
) -> ChainReport:
    """Walk ``entries`` in sequence order and report the first broken link (or none).

    ``entries`` must be ordered by sequence number. An entry whose MAC does not match is reported
    as *changed* when its successor still links to the stored MAC (the content was edited after
    signing) and as *forged* otherwise (inserted or rewritten by someone without the key).
    """
    previous_mac = GENESIS
    previous: ChainEntry | None = None
    pending: ChainEntry | None = None  # an entry whose MAC failed, waiting for its successor
    count = 0
    last: ChainEntry | None = None
    mac_at_expected: str | None = None
    for entry in entries:
        count += 1
        if expected_head is not None and entry.seq == expected_head.seq:
            mac_at_expected = entry.mac
        if previous is not None and entry.id <= previous.id:
            return _report(
                chain,
                count,
                last,
                ChainBreak(
                    "reordered",
                    entry.id,
                    entry.seq,
                    f"{chain}: entry {entry.id} (sequence {entry.seq}) comes after entry {previous.id} "
                    f"(sequence {previous.seq}) in the chain but was written before it: entries were reordered.",
                ),
            )
        if pending is not None:
            return _report(chain, count, last, _classify_bad_mac(chain, pending, entry, keys))
        expected_seq = 1 if previous is None else previous.seq + 1
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                gap = (
                    f"sequence {expected_seq}"
                    if entry.seq == expected_seq + 1
                    else f"sequences {expected_seq} to {entry.seq - 1}"
                )
                message = f"{chain}: {gap} missing before entry {entry.id} (sequence {entry.seq}): entries were removed."
                return _report(chain, count, last, ChainBreak("missing", entry.id, entry.seq, message))
            message = (
                f"{chain}: entry {entry.id} has sequence {entry.seq} where {expected_seq} was expected: "
                "entries were reordered or forged."
            )
            return _report(chain, count, last, ChainBreak("reordered", entry.id, entry.seq, message))
        if not keys.knows(entry.key_id):
            message = (
                f"{chain}: entry {entry.id} (sequence {entry.seq}) is signed with key {entry.key_id!r}, "
                "which is not configured: the entry was forged, or an old key was removed from the "
                "configuration too early."
            )
            return _report(chain, count, last, ChainBreak("unknown_key", entry.id, entry.seq, message))
        if not hmac.compare_digest(
            keys.mac(entry.key_id, chain, entry.seq, entry.content, previous_mac), entry.mac
        ):
            pending = entry
        previous, previous_mac, last = entry, entry.mac, entry
    if pending is not None:
        return _report(chain, count, last, _classify_bad_mac(chain, pending, None, keys))
    head = None if last is None else ChainHead(count=count, seq=last.seq, mac=last.mac)
    if expected_head is not None:
        problem = _check_expected_head(chain, expected_head, head, mac_at_expected)
        if problem is not None:
            return ChainReport(chain=chain, count=count, head=head, broken=problem)
    return ChainReport(chain=chain, count=count, head=head, broken=None)


def _report(chain: str, count: int, last: ChainEntry | None, broken: ChainBreak) -> ChainReport:
    head = None if last is None else ChainHead(count=count, seq=last.seq, mac=last.mac)
    return ChainReport(chain=chain, count=count, head=head, broken=broken)


def _classify_bad_mac(
    chain: str, bad: ChainEntry, successor: ChainEntry | None, keys: ChainKeys
) -> ChainBreak:
    if (
        successor is not None
        and successor.seq == bad.seq + 1
        and keys.knows(successor.key_id)
        and hmac.compare_digest(
            keys.mac(successor.key_id, chain, successor.seq, successor.content, bad.mac), successor.mac
        )
    ):
        return ChainBreak(
            "changed",
            bad.id,
            bad.seq,
            f"{chain}: entry {bad.id} (sequence {bad.seq}) was changed after it was written: "
            "its content no longer matches its MAC.",
        )
    where = "the newest entry" if successor is None else "the entry"
    return ChainBreak(
        "forged",
        bad.id,
        bad.seq,
        f"{chain}: entry {bad.id} (sequence {bad.seq}), {where}, does not carry a valid MAC: it was "
        "inserted or rewritten without the audit key.",
    )


def _check_expected_head(
    chain: str, expected: ChainHead, head: ChainHead | None, mac_at_expected: str | None
) -> ChainBreak | None:
    if head is None or head.seq < expected.seq:
        now = "no entries" if head is None else f"the newest entry is sequence {head.seq}"
        return ChainBreak(
            "removed",
            None,
            expected.seq,
            f"{chain}: the recorded head is sequence {expected.seq} but {now}: the newest entries were removed.",
        )
    if mac_at_expected is None or not hmac.compare_digest(mac_at_expected, expected.mac):
        return ChainBreak(
            "changed",
            None,
            expected.seq,
            f"{chain}: the entry at the recorded head (sequence {expected.seq}) has a different MAC: the "
            "chain was rewritten from that point, or the head was recorded from another database.",
        )
    return None
