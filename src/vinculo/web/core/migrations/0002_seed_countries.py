"""Load ISO 3166-1 countries (pycountry) and flag the 193 UN Member States."""

from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "un_member_states.txt"


def member_codes() -> set[str]:
    return {
        line.strip()
        for line in DATA.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }


def load(apps, schema_editor):
    import pycountry

    Country = apps.get_model("core", "Country")
    members = member_codes()
    Country.objects.bulk_create(
        [
            Country(
                iso3=c.alpha_3,
                iso2=c.alpha_2,
                numeric=c.numeric,
                name=getattr(c, "common_name", None) or c.name,
                un_member=c.alpha_3 in members,
            )
            for c in pycountry.countries
        ]
    )


def unload(apps, schema_editor):
    apps.get_model("core", "Country").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
