"""``vinculo backup`` / ``vinculo restore`` (finding 3 of issue 9): a populated platform backed up and
restored into an empty one has every row, every file, verifying chains and decryptable identifiers;
broken archives, non-empty targets and missing tools are refused with a clear message and no change."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from vinculo.errors import VinculoError
from vinculo.web.backup import archive as backup_archive
from vinculo.web.backup import database as backup_database

from .platform_process import run_python, run_vinculo

POSTGRES = os.environ.get("VINCULO_TEST_DATABASE") == "postgres"
needs_postgres = pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL (VINCULO_TEST_DATABASE=postgres)")
TESTS_DIR = Path(__file__).resolve().parent
CHECKOUT = hashlib.sha256(str(TESTS_DIR).encode()).hexdigest()[:8]

POPULATE = f"import sys; sys.path.insert(0, {str(TESTS_DIR)!r}); import backup_world; backup_world.populate()"
FINGERPRINT = f"import sys; sys.path.insert(0, {str(TESTS_DIR)!r}); import backup_world; backup_world.print_fingerprint()"


def ok(result: Any) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return str(result.stdout)


def build_source(url: str, var: Path) -> dict[str, Any]:
    ok(run_vinculo("manage", "migrate", "-v", "0", database_url=url, var_dir=var))
    ok(run_python(POPULATE, database_url=url, var_dir=var))
    return dict(json.loads(ok(run_python(FINGERPRINT, database_url=url, var_dir=var))))


def back_up(url: str, var: Path, archive: Path) -> str:
    return ok(run_vinculo("backup", "--output", str(archive), database_url=url, var_dir=var))


def assert_restored_platform_matches(source: dict[str, Any], url: str, var: Path) -> None:
    restored = json.loads(ok(run_python(FINGERPRINT, database_url=url, var_dir=var)))
    assert restored["tables"] == source["tables"]  # every row of every table
    assert restored["files"] == source["files"] and len(source["files"]) == 2
    assert restored["names"] == ["Ottoline", "Zenobia"]  # identifiers decrypt with the kept keys
    assert restored["quarantine_has_rejected_row"] is True
    assert restored["pending_upload_has_names"] is True
    assert restored["chains"]["audit"][0] is True and restored["chains"]["audit"][1] > 5
    assert restored["chains"]["ledger"] == [True, 2]
    assert source["tables"]["cases_caserecord"][0] == 2


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], Path]:
    root = tmp_path_factory.mktemp("backup-sqlite")
    source_var = root / "source"
    url = f"sqlite:///{source_var / 'vinculo.sqlite3'}"
    source = build_source(url, source_var)
    archive = root / "platform.tar"
    output = back_up(url, source_var, archive)
    assert "Keys are not in the backup" in output
    return archive, source, root


@pytest.mark.backend_independent
def test_a_sqlite_backup_restores_into_an_empty_platform_and_refuses_a_non_empty_one_unless_forced(
    sqlite_backup: tuple[Path, dict[str, Any], Path], tmp_path: Path
) -> None:
    archive, source, _ = sqlite_backup
    target = tmp_path / "target"
    url = f"sqlite:///{target / 'vinculo.sqlite3'}"
    output = ok(run_vinculo("restore", str(archive), database_url=url, var_dir=target))
    assert "audit: " in output and "chain intact" in output and "ledger: 2 entries, chain intact" in output
    assert_restored_platform_matches(source, url, target)
    assert ok(run_vinculo("audit", "verify", database_url=url, var_dir=target)).startswith("audit trail:")
    with sqlite3.connect(target / "vinculo.sqlite3") as restored:
        triggers = {
            row[0] for row in restored.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    assert {"audit_auditentry_no_delete", "trustfund_ledger_no_update"} <= triggers
    before = (target / "vinculo.sqlite3").read_bytes()
    refused = run_vinculo("restore", str(archive), database_url=url, var_dir=target)
    assert refused.returncode == 1
    assert "The target is not empty: the database already holds" in refused.stderr
    assert "already holds files" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert (target / "vinculo.sqlite3").read_bytes() == before
    ok(run_vinculo("restore", str(archive), "--force", database_url=url, var_dir=target))
    assert_restored_platform_matches(source, url, target)


@pytest.mark.backend_independent
def test_the_archive_holds_no_key_and_no_identifier_in_clear(
    sqlite_backup: tuple[Path, dict[str, Any], Path],
) -> None:
    archive, _, _ = sqlite_backup
    data = archive.read_bytes()
    secrets = [settings.SECRET_KEY, *settings.VINCULO_ENCRYPTION_KEYS, *settings.VINCULO_AUDIT_KEYS]
    for secret in secrets:
        assert secret.encode() not in data
    for name in (b"Zenobia", b"Quillfeather", b"Ximena", b"Philippa"):
        assert name not in data
    manifest, _ = backup_archive.read_manifest(archive)
    names = {m.name for m in manifest.members}
    assert names == {
        "database/sqlite3.db",
        "media/network/meetings/minutes-2024.pdf",
        "media/programmes/documents/evaluation.pdf",
    }
    assert all(len(m.sha256) == 64 for m in manifest.members)
    assert manifest.chains["ledger"]["count"] == 2 and manifest.chains["audit"]["head"]
    assert "audit" in manifest.migrations


def rewrite(archive: Path, out: Path, change: Any) -> Path:
    """Copy ``archive`` to ``out`` with ``change(name, data) -> data | None`` applied to each member."""
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for info in src.getmembers():
            handle = src.extractfile(info)
            assert handle is not None
            data = change(info.name, handle.read())
            if data is None:
                continue
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


def corrupt_first_media(name: str, data: bytes) -> bytes:
    return data.replace(b"minutes", b"MINUTES") if name.startswith("media/network") else data


def forge_manifest_name(name: str, data: bytes) -> bytes:
    if name != "manifest.json":
        return data
    manifest = json.loads(data)
    manifest["members"][1]["name"] = "media/../../etc/cron.d/evil"
    return json.dumps(manifest).encode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (corrupt_first_media, "member 'media/network/meetings/minutes-2024.pdf' is corrupt"),
        (lambda name, data: None if name == "manifest.json" else data, "it has no manifest.json"),
        (
            lambda name, data: None if name.startswith("media/programmes") else data,
            "do not match the manifest",
        ),
        (forge_manifest_name, "is not allowed"),
        (lambda name, data: data.replace(b'"format_version": 1', b'"format_version": 9'), "reads format 1"),
    ],
    ids=["corrupt-member", "no-manifest", "missing-member", "path-traversal", "newer-format"],
)
@pytest.mark.backend_independent
def test_a_broken_archive_is_refused_and_nothing_is_restored(
    sqlite_backup: tuple[Path, dict[str, Any], Path], tmp_path: Path, change: Any, message: str
) -> None:
    archive, _, _ = sqlite_backup
    bad = rewrite(archive, tmp_path / "bad.tar", change)
    target = tmp_path / "target"
    media = target / "media"
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(target / "vinculo.sqlite3")}
    with pytest.raises(VinculoError, match=message.replace("(", r"\(").replace(".", r"\.")):
        backup_archive.restore_backup(
            bad, database=database, media_root=media, known_migrations={"audit": set()} | _all(archive)
        )
    assert not (target / "vinculo.sqlite3").exists()
    assert not media.exists() or not any(media.rglob("*"))


def _all(archive: Path) -> dict[str, set[str]]:
    manifest, _ = backup_archive.read_manifest(archive)
    return {app: set(names) for app, names in manifest.migrations.items()}


@pytest.mark.backend_independent
def test_something_that_is_not_a_backup_gets_a_clear_message(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all" * 100)
    result = run_vinculo(
        "restore", str(junk), database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", var_dir=tmp_path
    )
    assert result.returncode == 1
    assert "is not a readable tar archive" in result.stderr and "Traceback" not in result.stderr
    missing = run_vinculo("restore", str(tmp_path / "nope.tar"), database_url="sqlite:///x", var_dir=tmp_path)
    assert missing.returncode == 1 and "no such file" in missing.stderr


@pytest.mark.backend_independent
def test_a_backup_made_by_a_newer_schema_is_refused(
    sqlite_backup: tuple[Path, dict[str, Any], Path], tmp_path: Path
) -> None:
    archive, _, _ = sqlite_backup
    known = _all(archive)
    known["audit"].discard("0005_chain_required_and_truncate_trigger")
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "t.sqlite3")}
    with pytest.raises(VinculoError, match=r"audit\.0005_chain_required_and_truncate_trigger"):
        backup_archive.restore_backup(
            archive, database=database, media_root=tmp_path / "m", known_migrations=known
        )


@pytest.mark.backend_independent
def test_missing_postgresql_client_tools_are_named_with_the_package_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    database = {"ENGINE": "django.db.backends.postgresql", "NAME": "vinculo", "HOST": "127.0.0.1"}
    with pytest.raises(VinculoError, match=r"pg_dump was not found on PATH.*postgresql-client"):
        backup_database.dump(database, tmp_path / "dump")


@needs_postgres
def test_a_postgresql_backup_restores_into_an_empty_database_with_every_row_and_file(tmp_path: Path) -> None:
    import psycopg

    host, port, user = (
        os.environ.get(k, d) for k, d in (("PGHOST", "127.0.0.1"), ("PGPORT", "5432"), ("PGUSER", "postgres"))
    )
    names = [f"test_vinculo_{CHECKOUT}_backup_source", f"test_vinculo_{CHECKOUT}_backup_target"]
    with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        source_url, target_url = (f"postgres://{user}@{host}:{port}/{name}" for name in names)
        source = build_source(source_url, tmp_path / "source")
        archive = tmp_path / "platform.tar"
        back_up(source_url, tmp_path / "source", archive)
        output = ok(
            run_vinculo("restore", str(archive), database_url=target_url, var_dir=tmp_path / "target")
        )
        assert "Restored the postgresql database and 2 files" in output
        assert "ledger: 2 entries, chain intact" in output
        assert_restored_platform_matches(source, target_url, tmp_path / "target")
        with psycopg.connect(host=host, port=port, user=user, dbname=names[1]) as restored:
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                restored.execute("TRUNCATE audit_auditentry")
        again = run_vinculo("restore", str(archive), database_url=target_url, var_dir=tmp_path / "target")
        assert again.returncode == 1 and "The target is not empty" in again.stderr
        ok(
            run_vinculo(
                "restore", str(archive), "--force", database_url=target_url, var_dir=tmp_path / "target"
            )
        )
        assert_restored_platform_matches(source, target_url, tmp_path / "target")
    finally:
        with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
