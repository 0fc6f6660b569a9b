"""Load the packaged partial treaty status (Kelley & Simmons 2015 years, ILAB 2022) for every UN Member State.

Idempotent: an entry that already exists is never overwritten. Every entry is unconfirmed.
"""

from django.db import migrations


def load(apps, schema_editor):
    from vinculo.web.treaties.actions import seed_rows

    Country = apps.get_model("core", "Country")
    Entry = apps.get_model("treaties", "TreatyEntry")
    Version = apps.get_model("treaties", "TreatyEntryVersion")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ids = dict(Country.objects.filter(un_member=True).values_list("iso3", "pk"))
    have = set(Entry.objects.values_list("country_id", "instrument"))
    created = 0
    for row in seed_rows(ids):
        if (row["country_id"], row["instrument"]) in have:
            continue
        entry = Entry.objects.create(**row)
        Version.objects.create(
            entry=entry, version=1, data={k: str(v) for k, v in row.items()}, reason=f"seed: {row['source']}"
        )
        created += 1
    if created:
        AuditEntry.objects.create(
            action="create",
            object_type="treaties.treatyentry",
            object_repr="seed treaty status (partial sources)",
            details={"created": created, "sources": ["kelley_simmons_2015", "ilab_2022"]},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("treaties", "0001_initial"),
        ("core", "0002_seed_countries"),
        ("audit", "0002_append_only_triggers"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
