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
