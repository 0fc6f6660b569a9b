"""The hash chain's columns (sequence number, key id, MAC); filled by 0004, made required by 0005."""

import django.utils.timezone
from django.db import migrations, models

from vinculo.web.audit.triggers import AUDIT, install_triggers


def noop(apps, schema_editor):
    pass


def restore_old_triggers(apps, schema_editor):
    install_triggers(schema_editor, AUDIT, truncate=False)


class Migration(migrations.Migration):
    # Data migrations that write entries through historical models (which cannot sign them) run
    # before the chain exists, so that 0004 signs their entries.
    dependencies = [("audit", "0002_append_only_triggers"), ("treaties", "0002_seed_treaty_status")]

    operations = [
        # Runs last when going backwards: a SQLite table rebuild drops its triggers.
        migrations.RunPython(noop, restore_old_triggers),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="sequence number"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(default="", editable=False, max_length=12, verbose_name="key id"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="mac",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="MAC"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False, verbose_name="when"
            ),
        ),
    ]
