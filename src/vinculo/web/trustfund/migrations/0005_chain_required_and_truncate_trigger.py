"""Every ledger entry is a link of the chain; triggers refuse UPDATE, DELETE and (PostgreSQL) TRUNCATE."""

from django.db import migrations, models

from vinculo.web.audit.triggers import LEDGER, install_triggers


def forwards(apps, schema_editor):
    install_triggers(schema_editor, LEDGER, truncate=True)


def backwards(apps, schema_editor):
    install_triggers(schema_editor, LEDGER, truncate=False)


class Migration(migrations.Migration):
    dependencies = [("trustfund", "0004_chain_existing_entries")]

    operations = [
        migrations.AlterField(
            model_name="ledgerentry",
            name="seq",
            field=models.BigIntegerField(editable=False, unique=True, verbose_name="sequence number"),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="key_id",
            field=models.CharField(editable=False, max_length=12, verbose_name="key id"),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="mac",
            field=models.CharField(editable=False, max_length=64, verbose_name="MAC"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
