"""Every entry is a link of the chain; triggers refuse UPDATE, DELETE and (PostgreSQL) TRUNCATE."""

from django.db import migrations, models

from vinculo.web.audit.triggers import AUDIT, install_triggers


def forwards(apps, schema_editor):
    install_triggers(schema_editor, AUDIT, truncate=True)


def backwards(apps, schema_editor):
    install_triggers(schema_editor, AUDIT, truncate=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_existing_entries")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(editable=False, unique=True, verbose_name="sequence number"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(editable=False, max_length=12, verbose_name="key id"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="mac",
            field=models.CharField(editable=False, max_length=64, verbose_name="MAC"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
