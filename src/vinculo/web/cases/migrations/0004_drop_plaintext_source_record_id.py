"""Drop the plaintext record id; records are unique per owner by the blind index of their id."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_encrypt_source_record_ids")]

    operations = [
        migrations.RemoveConstraint(model_name="caserecord", name="cases_record_source_id"),
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
