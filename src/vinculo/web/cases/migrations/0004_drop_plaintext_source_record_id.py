"""Drop the plaintext record id; records are unique per owner by the blind index of their id."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_encrypt_source_record_ids")]

    operations = [
        # A default first, so that migrating back can re-add the column before 0003 refills it.
        migrations.AlterField(
            model_name="caserecord",
            name="source_record_id",
            field=models.CharField(default="", max_length=200, verbose_name="source record id"),
        ),
        migrations.RemoveField(model_name="caserecord", name="source_record_id"),
        migrations.AddConstraint(
            model_name="caserecord",
            constraint=models.UniqueConstraint(
                fields=("owner", "source_id_index"), name="cases_record_source_index"
            ),
        ),
        migrations.AddIndex(
            model_name="caserecord",
            index=models.Index(fields=["updated_at"], name="cases_record_updated"),
        ),
    ]
