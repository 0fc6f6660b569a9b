"""Sign the entries written before the chain existed, oldest first (needs VINCULO_AUDIT_KEYS)."""

from django.db import migrations

from vinculo.web.audit.chain import chain_existing_rows
from vinculo.web.audit.triggers import AUDIT, remove_triggers

FIELDS = (
    "at",
    "actor",
    "actor_username",
    "organisation",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "ip_address",
    "details",
)


def forwards(apps, schema_editor):
    model = apps.get_model("audit", "AuditEntry")
    if not model._base_manager.using(schema_editor.connection.alias).exists():
        return
    remove_triggers(schema_editor, AUDIT)  # put back by 0005
    chain_existing_rows(model, "audit", FIELDS, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_fields")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
