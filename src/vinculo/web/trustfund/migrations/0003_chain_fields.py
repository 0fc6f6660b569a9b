"""The ledger's hash chain's columns (sequence number, key id, MAC); filled by 0004, made required by 0005."""

import django.utils.timezone
from django.db import migrations, models

from vinculo.web.audit.triggers import LEDGER, install_triggers


def noop(apps, schema_editor):
    pass


def restore_old_triggers(apps, schema_editor):
    install_triggers(schema_editor, LEDGER, truncate=False)


class Migration(migrations.Migration):
    dependencies = [("trustfund", "0002_append_only_ledger"), ("audit", "0003_chain_fields")]

    operations = [
        # Runs last when going backwards: a SQLite table rebuild drops its triggers.
        migrations.RunPython(noop, restore_old_triggers),
        migrations.AddField(
            model_name="ledgerentry",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="sequence number"),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="key_id",
            field=models.CharField(default="", editable=False, max_length=12, verbose_name="key id"),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="mac",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="MAC"),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AlterModelOptions(
            name="ledgerentry",
            options={
                "ordering": ["booked_on", "id"],
                "verbose_name": "ledger entry",
                "verbose_name_plural": "ledger entries",
            },
        ),
    ]
