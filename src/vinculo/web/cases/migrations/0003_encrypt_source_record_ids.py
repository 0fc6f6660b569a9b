"""A file's own record ids are identifiers: encrypt them, and match re-imports by a keyed blind index.

Existing rows are converted in batches: each id is encrypted with the newest configured key and
fingerprinted with the blind-index key (derived from SECRET_KEY, so it survives encryption-key
rotation). The reverse migration decrypts them back.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

BATCH = 2000


def _encrypt_ids(apps: Any, schema_editor: Any) -> None:
    from vinculo.web.cases.protection import keyring, seal_source_id

    CaseRecord = apps.get_model("cases", "CaseRecord")
    db = schema_editor.connection.alias
    if not CaseRecord.objects.using(db).exists():
        return
    ring = keyring()
    last = 0
    while True:
        rows = list(CaseRecord.objects.using(db).filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.source_id_index, row.source_id_token = seal_source_id(row.source_record_id, ring)
        CaseRecord.objects.using(db).bulk_update(rows, ["source_id_index", "source_id_token"])
        last = rows[-1].pk


def _decrypt_ids(apps: Any, schema_editor: Any) -> None:
    from vinculo.web.cases.protection import keyring

    CaseRecord = apps.get_model("cases", "CaseRecord")
    db = schema_editor.connection.alias
    if not CaseRecord.objects.using(db).exists():
        return
    ring = keyring()
    last = 0
    while True:
        rows = list(CaseRecord.objects.using(db).filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.source_record_id = ring.decrypt(row.source_id_token) if row.source_id_token else ""
        CaseRecord.objects.using(db).bulk_update(rows, ["source_record_id"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_source_record_id_index_and_token")]

    operations = [migrations.RunPython(_encrypt_ids, _decrypt_ids, elidable=False)]
