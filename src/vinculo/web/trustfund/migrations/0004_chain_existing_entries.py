"""Sign the ledger entries written before the chain existed, oldest first (needs VINCULO_AUDIT_KEYS)."""

from django.db import migrations

from vinculo.web.audit.chain import chain_existing_rows
from vinculo.web.audit.triggers import LEDGER, remove_triggers

FIELDS = (
    "kind",
    "currency",
    "amount",
    "booked_on",
    "donor",
    "contribution",
    "disbursement",
    "created_at",
)


def forwards(apps, schema_editor):
    model = apps.get_model("trustfund", "LedgerEntry")
    if not model._base_manager.using(schema_editor.connection.alias).exists():
        return
    remove_triggers(schema_editor, LEDGER)  # put back by 0005
    chain_existing_rows(model, "ledger", FIELDS, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("trustfund", "0003_chain_fields")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
