"""Key rotation: ``manage.py rotate_keys`` re-encrypts with the newest configured key."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from vinculo.protect import KeyRing, generate_key
from vinculo.web.audit.models import AuditEntry
from vinculo.web.cases.models import CaseRecord, CaseVersion, SubmissionContent
from vinculo.web.cases.protection import open_protected

from ..conftest import World
from .conftest import BAD_ROWS, ROWS, by_source_id, csv_bytes, submit, submit_and_import


def test_rotate_keys_reencrypts_everything_with_the_newest_key(world: World) -> None:
    from django.conf import settings as django_settings

    old_keys = list(django_settings.VINCULO_ENCRYPTION_KEYS)
    submit_and_import(world)
    rows = [list(r) for r in ROWS]
    rows[0][2] = "Changed"
    submit_and_import(world, csv_bytes(rows))
    submit_and_import(world, csv_bytes(BAD_ROWS), valid_only=True)
    pending = submit(world)  # checked but not imported: its encrypted upload is kept
    new_key = generate_key()
    with override_settings(VINCULO_ENCRYPTION_KEYS=[new_key, *old_keys]):
        out = io.StringIO()
        call_command("rotate_keys", stdout=out)
        assert "Re-encrypted 3 case record(s), 2 earlier version(s)" in out.getvalue()
        only_new = KeyRing([new_key])
        for record in CaseRecord.objects.all():
            only_new.decrypt(record.protected)
        for version in CaseVersion.objects.all():
            only_new.decrypt(version.protected)
        content = SubmissionContent.objects.get(submission=pending)
        only_new.decrypt(content.upload)
        assert any(c.quarantine for c in SubmissionContent.objects.all())
        for c in SubmissionContent.objects.exclude(quarantine=""):
            only_new.decrypt(c.quarantine)
        r1 = by_source_id("id:R1")
        assert open_protected(r1.protected)["prs_SecondName"] == "Quillfeather"  # BAD_ROWS changed it back
        again = submit_and_import(world, csv_bytes(ROWS))
        assert (again.n_created, again.n_changed) == (0, 0)  # hashes follow the new key
    assert AuditEntry.objects.filter(object_repr="encryption key rotation").count() == 1


def test_rotate_keys_fails_clearly_when_an_old_key_is_missing(world: World) -> None:
    from django.core.management.base import CommandError

    submit_and_import(world)
    with override_settings(VINCULO_ENCRYPTION_KEYS=[generate_key()]):
        with pytest.raises(CommandError) as caught:
            call_command("rotate_keys")
    assert "Keep the old key" in str(caught.value)


def test_rotation_is_batched_resumable_after_an_interruption_and_reports_progress(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9, finding 10: rotation ran in one transaction and read every stored upload at once."""
    from django.conf import settings as django_settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vinculo.protect import DecryptionError
    from vinculo.web.cases import actions

    old_keys = list(django_settings.VINCULO_ENCRYPTION_KEYS)
    submit_and_import(world)
    submit(world)  # a pending upload, kept encrypted
    submit(world)
    new_key = generate_key()
    only_new = KeyRing([new_key])
    real_rotate = KeyRing.rotate
    calls = {"n": 0}

    def failing_rotate(self: KeyRing, token: str) -> str:
        calls["n"] += 1
        if calls["n"] == 4:  # dies in the middle of the case records
            raise DecryptionError("simulated crash")
        return real_rotate(self, token)

    with override_settings(VINCULO_ENCRYPTION_KEYS=[new_key, *old_keys]):
        monkeypatch.setattr(KeyRing, "rotate", failing_rotate)
        with pytest.raises(DecryptionError):
            actions.rotate_keys(batch=1)
        monkeypatch.setattr(KeyRing, "rotate", real_rotate)
        ring = KeyRing([new_key, *old_keys])
        tokens = [r.protected for r in CaseRecord.objects.order_by("pk")]
        assert all(ring.decrypt(t) for t in tokens)  # everything stays readable
        current = [ring.is_current(t) for t in tokens]
        assert current[0] and not current[-1]  # the first batch was committed, the last not yet

        seen: list[tuple[str, int, int]] = []
        with CaptureQueriesContext(connection) as queries:
            counts = actions.rotate_keys(batch=1, progress=lambda *step: seen.append(step))
            assert counts["records"] == 3 and counts["files"] == 3 and counts["already"] >= 1
        assert ("records", 3, 3) in seen and ("files", 3, 3) in seen and ("records", 1, 3) in seen
        content_reads = [
            q["sql"] for q in queries.captured_queries if 'FROM "cases_submissioncontent"' in q["sql"]
        ]
        assert content_reads and all("LIMIT 1" in sql for sql in content_reads if "COUNT(" not in sql)
        for record in CaseRecord.objects.all():
            only_new.decrypt(record.protected)
            only_new.decrypt(record.source_id_token)
        for content in SubmissionContent.objects.all():
            for token in (content.upload, content.mapping, content.quarantine):
                if token:
                    only_new.decrypt(token)
        again = submit_and_import(world, csv_bytes(ROWS))
        assert (again.n_created, again.n_changed, again.n_unchanged) == (0, 0, 3)
