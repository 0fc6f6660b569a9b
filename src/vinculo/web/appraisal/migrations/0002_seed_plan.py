"""The four pillars of the Global Plan of Action, the provisional action points and the appraisal cycles."""

from django.db import migrations

CYCLES = [2013, 2017, 2021, 2025]


def load(apps, schema_editor):
    from vinculo.coordination import PILLARS, action_points

    Pillar = apps.get_model("appraisal", "Pillar")
    Point = apps.get_model("appraisal", "ActionPoint")
    Cycle = apps.get_model("appraisal", "Cycle")
    pillars = {}
    for p in PILLARS:
        pillars[p.code], _ = Pillar.objects.get_or_create(
            code=p.code, defaults={"title": p.title, "order": p.order}
        )
    for ap in action_points():
        Point.objects.get_or_create(
            code=ap.code,
            defaults={"pillar": pillars[ap.pillar], "text": ap.text, "order": ap.order, "provisional": True},
        )
    for year in CYCLES:
        Cycle.objects.get_or_create(
            year=year, defaults={"title": f"Appraisal {year}", "is_open": year == CYCLES[-1]}
        )


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
