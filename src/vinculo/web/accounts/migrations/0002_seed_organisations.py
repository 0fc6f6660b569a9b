"""Seed the organisations named by resolution 74/176: Member State authorities and the ICAT group.

ICAT members and partners are those of footnote 15 of the resolution; UNODC coordinates ICAT, and
UN-Women and OSCE co-chaired it in 2019.
"""

from django.db import migrations

UN = "un_entity"
REGIONAL = "regional"

ICAT = [
    # (name, short name, kind, ICAT role)
    ("United Nations Office on Drugs and Crime", "UNODC", UN, "coordinator"),
    ("International Civil Aviation Organization", "ICAO", UN, "member"),
    ("International Criminal Police Organization", "INTERPOL", UN, "member"),
    ("International Labour Organization", "ILO", UN, "member"),
    ("International Organization for Migration", "IOM", UN, "member"),
    ("Joint United Nations Programme on HIV/AIDS", "UNAIDS", UN, "member"),
    ("Office of the United Nations High Commissioner for Human Rights", "OHCHR", UN, "member"),
    ("Office of the United Nations High Commissioner for Refugees", "UNHCR", UN, "member"),
    ("United Nations Children's Fund", "UNICEF", UN, "member"),
    ("United Nations Development Programme", "UNDP", UN, "member"),
    ("United Nations Educational, Scientific and Cultural Organization", "UNESCO", UN, "member"),
    ("United Nations Entity for Gender Equality and the Empowerment of Women", "UN-Women", UN, "member"),
    ("United Nations Interregional Crime and Justice Research Institute", "UNICRI", UN, "member"),
    ("United Nations Population Fund", "UNFPA", UN, "member"),
    ("World Bank", "World Bank", UN, "member"),
    ("Department of Peace Operations", "DPO", UN, "member"),
    ("Department of Political and Peacebuilding Affairs", "DPPA", UN, "member"),
    ("Counter-Terrorism Committee Executive Directorate", "CTED", UN, "member"),
    ("International Centre for Migration Policy Development", "ICMPD", REGIONAL, "member"),
    (
        "Office of the Special Representative of the Secretary-General on Sexual Violence in Conflict",
        "SRSG-SVC",
        UN,
        "member",
    ),
    ("Office on Genocide Prevention and the Responsibility to Protect", "OSAPG", UN, "member"),
    ("Organization for Security and Co-operation in Europe", "OSCE", REGIONAL, "member"),
    (
        "Special Rapporteur on trafficking in persons, especially women and children",
        "SR-TIP",
        UN,
        "partner",
    ),
    ("Council of Europe", "CoE", REGIONAL, "partner"),
]
COCHAIRS_2019 = ["UN-Women", "OSCE"]


def load(apps, schema_editor):
    Country = apps.get_model("core", "Country")
    Organisation = apps.get_model("accounts", "Organisation")
    IcatCoChair = apps.get_model("accounts", "IcatCoChair")
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{country.name} (Member State authority)",
                short_name=country.iso3,
                kind="member_state",
                country=country,
            )
            for country in Country.objects.filter(un_member=True).order_by("name")
        ]
    )
    for name, short, kind, role in ICAT:
        Organisation.objects.create(name=name, short_name=short, kind=kind, icat_role=role)
    for short in COCHAIRS_2019:
        IcatCoChair.objects.create(organisation=Organisation.objects.get(short_name=short), year=2019)


def unload(apps, schema_editor):
    apps.get_model("accounts", "IcatCoChair").objects.all().delete()
    apps.get_model("accounts", "Organisation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("core", "0002_seed_countries")]
    operations = [migrations.RunPython(load, unload)]
