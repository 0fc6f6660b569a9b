"""A file's own record ids are identifiers: room for the encrypted id and its blind index."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        # Dropped here, not with the column in 0004, so that migrating back restores it only after
        # 0003's reverse has put the decrypted ids back.
        migrations.RemoveConstraint(model_name="caserecord", name="cases_record_source_id"),
        migrations.AddField(
            model_name="caserecord",
            name="source_id_index",
            field=models.CharField(
                default="", max_length=64, verbose_name="blind index of the source record id"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="caserecord",
            name="source_id_token",
            field=models.TextField(blank=True, verbose_name="source record id (encrypted)"),
        ),
    ]
