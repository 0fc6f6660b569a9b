"""The audit trail and the Trust Fund ledger are hash chains: tampering behind the application's back
(triggers dropped, rows edited, deleted, forged or reordered, tables truncated) is found and named."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from vinculo.cli import main
from vinculo.errors import VinculoError
from vinculo.web.audit.chain import verify
from vinculo.web.audit.models import AppendOnlyError, AuditEntry
from vinculo.web.audit.record import audit
from vinculo.web.trustfund import actions as fund
from vinculo.web.trustfund.models import LedgerEntry

from .conftest import World
from .platform_process import run_vinculo

POSTGRES = os.environ.get("VINCULO_TEST_DATABASE") == "postgres"
needs_postgres = pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL (VINCULO_TEST_DATABASE=postgres)")

TRIGGERS = {
    "audit_auditentry": (
        "audit_auditentry_no_update",
        "audit_auditentry_no_delete",
        "audit_auditentry_no_change",
    ),
    "trustfund_ledgerentry": (
        "trustfund_ledger_no_update",
        "trustfund_ledger_no_delete",
        "trustfund_ledger_no_change",
    ),
}


def drop_triggers(table: str) -> None:
    """What someone with the owner's rights can do: remove the append-only triggers."""
    update, delete, change = TRIGGERS[table]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {update}")
            cursor.execute(f"DROP TRIGGER {delete}")
        else:
            cursor.execute(f"DROP TRIGGER {change} ON {table}")


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.order_by("seq"))


def run_verify(*args: str) -> Any:
    return CliRunner().invoke(main, ["audit", "verify", *args])


def test_every_entry_is_a_link_and_the_chain_verifies(world: World) -> None:
    # Values the database may hand back in another spelling: addresses, nested JSON, Unicode, time zones.
    for address in ("10.1.2.3", "2001:DB8:0:0::1", "::ffff:10.0.0.1"):
        AuditEntry.objects.create(
            action="view", ip_address=address, details={"k": [1, 2.5, {"é": None}], "3": "x"}
        )
    audit(
        "export",
        object_type="cases.caserecord",
        object_repr="Ωmega 名前",
        details={"filters": {"year": 2024}},
    )
    chain = entries()
    assert len(chain) > 5
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    assert len({e.mac for e in chain}) == len(chain)
    report = verify(AuditEntry)
    assert report.ok and report.count == len(chain)
    assert report.head is not None and (report.head.seq, report.head.mac) == (chain[-1].seq, chain[-1].mac)
    result = run_verify()
    assert result.exit_code == 0, result.output
    assert f"audit trail: {len(chain)} entries, chain intact." in result.output
    assert f"head: {chain[-1].seq}:{chain[-1].mac}" in result.output


def test_an_entry_edited_behind_dropped_triggers_is_named_as_changed(world: World) -> None:
    target = entries()[2]
    drop_triggers("audit_auditentry")
    sql("UPDATE audit_auditentry SET actor_username = 'someone-else' WHERE id = %s", [target.pk])
    report = verify(AuditEntry)
    assert report.broken is not None
    assert (report.broken.kind, report.broken.entry_id, report.broken.seq) == (
        "changed",
        target.pk,
        target.seq,
    )
    result = run_verify()
    assert result.exit_code == 1
    assert f"entry {target.pk} (sequence {target.seq}) was changed" in result.output


def test_an_entry_deleted_behind_dropped_triggers_is_named_as_missing(world: World) -> None:
    chain = entries()
    drop_triggers("audit_auditentry")
    sql("DELETE FROM audit_auditentry WHERE id = %s", [chain[3].pk])
    report = verify(AuditEntry)
    assert report.broken is not None
    assert (report.broken.kind, report.broken.entry_id) == ("missing", chain[4].pk)
    assert f"sequence {chain[3].seq} missing" in report.broken.message


def test_a_forged_entry_inserted_with_sql_is_named_as_forged(world: World) -> None:
    head = entries()[-1]
    sql(
        "INSERT INTO audit_auditentry (at, actor_username, action, object_type, object_id, object_repr, "
        "details, seq, key_id, mac) VALUES (%s, 'admin1', 'login', '', '', '', '{}', %s, %s, %s)",
        [head.at, head.seq + 1, head.key_id, "ab" * 32],
    )
    report = verify(AuditEntry)
    assert report.broken is not None
    assert (report.broken.kind, report.broken.seq) == ("forged", head.seq + 1)
    assert run_verify().exit_code == 1


def test_a_forged_entry_in_the_slot_of_a_deleted_one_is_named(world: World) -> None:
    chain = entries()
    victim = chain[2]
    drop_triggers("audit_auditentry")
    sql("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])
    sql(
        "INSERT INTO audit_auditentry (id, at, actor_username, action, object_type, object_id, object_repr, "
        "details, seq, key_id, mac) VALUES (%s, %s, 'admin1', 'login', '', '', '', '{}', %s, %s, %s)",
        [victim.pk, victim.at, victim.seq, victim.key_id, victim.mac],
    )
    report = verify(AuditEntry)
    assert report.broken is not None
    assert (report.broken.kind, report.broken.entry_id) == ("changed", victim.pk)


def test_entries_swapped_in_order_are_named_as_reordered(world: World) -> None:
    chain = entries()
    first, second = chain[1], chain[2]
    drop_triggers("audit_auditentry")
    sql("UPDATE audit_auditentry SET seq = -1 WHERE id = %s", [first.pk])
    sql("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [first.seq, second.pk])
    sql("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [second.seq, first.pk])
    report = verify(AuditEntry)
    assert report.broken is not None
    assert (report.broken.kind, report.broken.entry_id, report.broken.seq) == (
        "reordered",
        first.pk,
        second.seq,
    )


def test_removing_the_newest_entries_is_found_against_a_recorded_head(world: World) -> None:
    recorded = verify(AuditEntry).head
    assert recorded is not None
    newest = entries()[-2:]
    drop_triggers("audit_auditentry")
    sql("DELETE FROM audit_auditentry WHERE seq >= %s", [newest[0].seq])
    assert verify(AuditEntry).ok  # the limit of a chain alone, documented
    result = run_verify("--expect-head", str(recorded))
    assert result.exit_code == 1
    assert f"the recorded head is sequence {recorded.seq}" in result.output
    assert "newest entries were removed" in result.output


def test_a_recorded_head_that_still_matches_passes(world: World) -> None:
    recorded = verify(AuditEntry).head
    assert recorded is not None
    audit("view", object_type="exchange.notice", object_id=1)
    assert run_verify("--expect-head", str(recorded)).exit_code == 0


def test_a_malformed_recorded_head_gets_a_clear_message(world: World) -> None:
    result = run_verify("--expect-head", "12:nothex")
    assert result.exit_code == 2
    assert "is not a recorded head" in result.output and "SEQUENCE:MAC" in result.output
    assert "Traceback" not in result.output


def test_old_entries_verify_after_key_rotation_while_the_old_key_is_kept(world: World) -> None:
    old_key = "test-only-audit-chain-key-0123456789abcdef"
    new_key = "a-rotated-audit-chain-key-fedcba9876543210"
    before = entries()
    with override_settings(VINCULO_AUDIT_KEYS=[new_key, old_key]):
        audit("view", object_type="exchange.notice", object_id=7)
        newest = entries()[-1]
        assert newest.key_id != before[-1].key_id
        assert verify(AuditEntry).ok
    with override_settings(VINCULO_AUDIT_KEYS=[new_key]):
        report = verify(AuditEntry)
        assert report.broken is not None
        assert (report.broken.kind, report.broken.seq) == ("unknown_key", 1)


def test_a_short_or_missing_audit_key_is_refused_with_its_name(world: World) -> None:
    with override_settings(VINCULO_AUDIT_KEYS=["short"]):
        result = run_verify()
    assert result.exit_code == 1
    assert "VINCULO_AUDIT_KEYS: key 1 has 5 characters" in result.output
    with override_settings(VINCULO_AUDIT_KEYS=[]), pytest.raises(VinculoError, match="VINCULO_AUDIT_KEYS"):
        audit("view", object_type="x")


def test_bulk_writes_of_chained_entries_are_refused(world: World) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry(action="view")])
    entry = entries()[0]
    with pytest.raises(AppendOnlyError):
        entry.save()


def make_ledger(admin: Any) -> None:
    fund.record_contribution(
        actor=admin, received_on=date(2024, 1, 1), amount="1000.50", currency="USD", donor_name="D"
    )
    fund.record_contribution(
        actor=admin, received_on=date(2024, 2, 1), amount="20", currency="EUR", donor_name="E"
    )
    fund.record_contribution(
        actor=admin, received_on=date(2024, 3, 1), amount="30", currency="EUR", donor_name="F"
    )


def test_the_ledger_is_a_chain_and_an_edited_amount_is_named(world: World) -> None:
    make_ledger(world.users["admin"])
    assert verify(LedgerEntry).ok and verify(LedgerEntry).count == 3
    result = run_verify("--ledger")
    assert result.exit_code == 0 and "ledger: 3 entries, chain intact." in result.output
    target = LedgerEntry.objects.order_by("seq")[1]
    drop_triggers("trustfund_ledgerentry")
    sql("UPDATE trustfund_ledgerentry SET amount = 2000 WHERE id = %s", [target.pk])
    report = verify(LedgerEntry)
    assert report.broken is not None and (report.broken.kind, report.broken.entry_id) == (
        "changed",
        target.pk,
    )
    result = run_verify("--ledger")
    assert result.exit_code == 1 and "ledger: BROKEN (changed)" in result.output


@needs_postgres
@pytest.mark.parametrize("table", ["audit_auditentry", "trustfund_ledgerentry"])
def test_postgresql_refuses_truncate_of_the_audit_trail_and_the_ledger(world: World, table: str) -> None:
    make_ledger(world.users["admin"])
    before = (AuditEntry.objects.count(), LedgerEntry.objects.count())
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # check the deferred foreign keys of the rows just written
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql(f"TRUNCATE {table} CASCADE")
    assert (AuditEntry.objects.count(), LedgerEntry.objects.count()) == before


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain() -> None:
    from django.db import connections

    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                with transaction.atomic():
                    audit("view", object_type="test.thread", object_id=f"{n}-{i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    chain = list(AuditEntry.objects.filter(object_type="test.thread").order_by("seq"))
    assert len(chain) == 60
    report = verify(AuditEntry)
    assert report.ok, report.broken
    all_seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert all_seqs == list(range(1, len(all_seqs) + 1))


def test_entries_written_before_the_chain_are_chained_by_the_migration(tmp_path: Path) -> None:
    """Migrate back to before the chain, write entries the old way, migrate forward: all of them verify."""
    url = f"sqlite:///{tmp_path / 'vinculo.sqlite3'}"
    for args in (["migrate"], ["migrate", "trustfund", "0002"], ["migrate", "audit", "0002"]):
        result = run_vinculo("manage", *args, "-v", "0", database_url=url, var_dir=tmp_path)
        assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "vinculo.sqlite3") as old:
        assert "seq" not in {row[1] for row in old.execute("PRAGMA table_info(audit_auditentry)")}
        for i in range(3):
            old.execute(
                "INSERT INTO audit_auditentry (at, actor_username, action, object_type, object_id, object_repr, "
                "ip_address, details) VALUES (?, 'old', 'create', 'x.y', ?, '', ?, ?)",
                (
                    f"2025-01-0{i + 1} 10:00:00.000123",
                    str(i),
                    "::ffff:10.0.0.1" if i else None,
                    '{"b": [1, 2.5]}',
                ),
            )
        old.execute(
            "INSERT INTO trustfund_ledgerentry (kind, currency, amount, booked_on, donor, created_at) "
            "VALUES ('contribution', 'USD', '10.50', '2025-01-01', 'D', '2025-01-01 00:00:00')"
        )
    result = run_vinculo("manage", "migrate", "-v", "0", database_url=url, var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    audit_result = run_vinculo("audit", "verify", database_url=url, var_dir=tmp_path)
    assert audit_result.returncode == 0, audit_result.stdout + audit_result.stderr
    assert "chain intact" in audit_result.stdout
    ledger_result = run_vinculo("audit", "verify", "--ledger", database_url=url, var_dir=tmp_path)
    assert ledger_result.returncode == 0 and "ledger: 1 entry, chain intact." in ledger_result.stdout
    with sqlite3.connect(tmp_path / "vinculo.sqlite3") as new:
        triggers = {row[0] for row in new.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"audit_auditentry_no_update", "audit_auditentry_no_delete"} <= triggers
        assert {"trustfund_ledger_no_update", "trustfund_ledger_no_delete"} <= triggers
