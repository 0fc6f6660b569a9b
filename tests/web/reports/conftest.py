"""A platform with known data in every area the reports cover, public and not public.

Everything not public carries a distinctive marker (``SECRET``) in its text so that tests can check
that no restricted, internal or unpublished record reaches a report.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from vinculo.evidence import COLUMNS
from vinculo.web.accounts import actions as account_actions
from vinculo.web.accounts.models import Organisation, OrganisationKind, Role, User
from vinculo.web.appraisal import actions as appraisal_actions
from vinculo.web.appraisal.models import ActionPoint, Cycle
from vinculo.web.cases.models import CaseRecord
from vinculo.web.cases.models import Submission as CaseSubmission
from vinculo.web.core.models import Country, Sensitivity
from vinculo.web.estimates.models import Estimate
from vinculo.web.events import actions as event_actions
from vinculo.web.evidence import services as evidence_services
from vinculo.web.evidence.actions import import_release
from vinculo.web.evidence.models import GlotipRelease
from vinculo.web.network import actions as network_actions
from vinculo.web.programmes import actions as programme_actions
from vinculo.web.programmes.models import Programme
from vinculo.web.treaties import actions as treaty_actions
from vinculo.web.trustfund import actions as fund_actions

from ..conftest import World, make_user

YEAR = 2024
SECRET = "SECRET-MARKER"
VICTIMS = "Detected trafficking victims"


def glotip_row(iso3: str, indicator: str, dimension: str, category: str, year: int, value: str) -> list[str]:
    areas = {
        "NLD": ("Netherlands (Kingdom of the)", "Europe", "Western Europe"),
        "NGA": ("Nigeria", "Africa", "Western Africa"),
        "ITA": ("Italy", "Europe", "Southern Europe"),
    }
    name, region, subregion = areas[iso3]
    return [
        iso3,
        name,
        region,
        subregion,
        indicator,
        dimension,
        category,
        "Total",
        "Total",
        str(year),
        "Counts",
        value,
        "GLOTIP",
    ]


#: A small GLOTIP export: three countries, two years, forms with a "<5" cell, citizenship flows.
GLOTIP_ROWS = [
    glotip_row("NLD", VICTIMS, "Total", "Total", 2022, "1,269"),
    glotip_row("NLD", VICTIMS, "Total", "Total", 2023, "900"),
    glotip_row("NGA", VICTIMS, "Total", "Total", 2022, "350"),
    glotip_row("NGA", VICTIMS, "Total", "Total", 2023, "410"),
    glotip_row("ITA", VICTIMS, "Total", "Total", 2023, "<5"),
    glotip_row("NLD", VICTIMS, "by form of exploitation", "Sexual exploitation", 2023, "500"),
    glotip_row("NLD", VICTIMS, "by form of exploitation", "Forced labour", 2023, "300"),
    glotip_row("NGA", VICTIMS, "by form of exploitation", "Sexual exploitation", 2023, "200"),
    glotip_row("NGA", VICTIMS, "by form of exploitation", "Organ removal", 2023, "<5"),
    glotip_row("NLD", VICTIMS, "by citizenship", "Nationals", 2023, "400"),
    glotip_row("NLD", VICTIMS, "by citizenship", "Nigerians", 2023, "120"),
    glotip_row("NLD", VICTIMS, "by citizenship", "Germans", 2023, "30"),
    glotip_row("NLD", VICTIMS, "by citizenship", "Unknown", 2023, "15"),
    glotip_row("NGA", VICTIMS, "by citizenship", "Nationals", 2023, "380"),
]


@dataclass
class ReportWorld:
    world: World
    admin: User
    release: GlotipRelease
    published: Programme
    unpublished: Programme
    public_estimate: Estimate
    restricted_estimate: Estimate
    cycle: Cycle


def _write_glotip(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(GLOTIP_ROWS)
    return path


def _estimate(owner: Organisation, sensitivity: str, title: str, result: dict[str, Any]) -> Estimate:
    return Estimate.objects.create(
        owner=owner,
        sensitivity=sensitivity,
        title=title,
        country=Country.objects.get(iso3="NLD"),
        year=YEAR,
        source_name="histories.csv",
        source_csv="A,B,count\n1,0,10\n",
        input_sha256="0" * 64,
        lists=["A", "B"],
        n_observed=result["n_observed"],
        result=result,
    )


def _cases(owner: Organisation) -> None:
    submission = CaseSubmission.objects.create(
        owner=owner, sensitivity=Sensitivity.PUBLIC, number=1, file_name="cases.csv"
    )
    specs = [
        # (country, sensitivity, consent, how many)
        ("NG", Sensitivity.PUBLIC, True, 6),
        ("IT", Sensitivity.PUBLIC, True, 2),
        ("NG", Sensitivity.RESTRICTED, True, 3),
        ("BR", Sensitivity.PUBLIC, False, 4),
        ("BR", Sensitivity.INTERNAL, True, 7),
    ]
    n = 0
    for country, sensitivity, consent, count in specs:
        for _ in range(count):
            n += 1
            CaseRecord.objects.create(
                owner=owner,
                sensitivity=sensitivity,
                consent_to_share=consent,
                source_id_index=f"{n:064d}",
                submission=submission,
                content_hash=f"{n:064d}",
                country=country,
                year=YEAR,
            )


@pytest.fixture
def report_world(world: World, tmp_path: Path) -> Any:
    admin = world.users["admin"]
    author = world.users["owner_author"]
    reviewer = world.users["other_reviewer"]
    assert admin is not None and author is not None and reviewer is not None
    # Treaties: the seeded entries, and one State confirmed against the UNTC.
    treaty_actions.confirm_state(actor=admin, country=Country.objects.get(iso3="NLD"))
    # Evidence: a small export as the current release.
    evidence_services.clear_cache()
    release = import_release(_write_glotip(tmp_path / "glotip.csv"), None).release
    # Programmes: one published, one draft (never public).
    base = {
        "original_language": "en",
        "problem_statement": "p",
        "objectives": "o",
        "activities": "a",
        "budget_currency": "",
        "forms": [],
        "target_groups": [],
        "evidence_rationale": "An evaluation supports the rating.",
    }
    published = programme_actions.create_programme(
        actor=author,
        fields={
            **base,
            "title": "Published shelter programme",
            "start_date": dt.date(2023, 1, 1),
            "end_date": dt.date(2025, 6, 30),
            "pillars": ["prevention", "protection"],
            "evidence_rating": "moderate",
        },
        countries=["NGA", "ITA"],
        evaluations=[{"evaluator": "independent", "design": "pre_post", "date": dt.date(YEAR, 3, 1)}],
    )
    for step, who in (("submit", author), ("publish", reviewer)):
        published = programme_actions.transition_programme(actor=who, programme=published, name=step)
    unpublished = programme_actions.create_programme(
        actor=author,
        fields={
            **base,
            "title": f"{SECRET} draft programme",
            "start_date": dt.date(YEAR, 1, 1),
            "end_date": None,
            "pillars": ["prosecution"],
            "evidence_rating": "strong",
        },
        countries=["BRA"],
        evaluations=[{"evaluator": "independent", "design": "experimental", "date": dt.date(YEAR, 5, 1)}],
    )
    # Trust Fund: contributions in two years, a grant and a disbursement.
    fund_actions.record_contribution(
        actor=admin,
        received_on=dt.date(YEAR - 1, 2, 1),
        amount="500",
        currency="USD",
        donor_name="Donor Beta",
    )
    fund_actions.record_contribution(
        actor=admin,
        received_on=dt.date(YEAR, 2, 1),
        amount="1000.50",
        currency="USD",
        donor_name="Donor Alpha",
    )
    fund_actions.record_contribution(
        actor=admin,
        received_on=dt.date(YEAR, 4, 1),
        amount="250",
        currency="EUR",
        donor_organisation=world.partner,
    )
    grant_cycle = fund_actions.create_cycle(
        actor=admin, title="Cycle", year=YEAR, opens_on=dt.date(YEAR, 1, 1), closes_on=dt.date(YEAR, 1, 31)
    )
    grant = fund_actions.create_grant(
        actor=admin,
        cycle=grant_cycle,
        grantee=world.owner,
        title=f"{SECRET} grant",
        amount="800",
        currency="USD",
        starts_on=dt.date(YEAR, 3, 1),
        ends_on=dt.date(YEAR, 12, 31),
        services="shelter",
    )
    fund_actions.record_disbursement(
        actor=admin, grant_id=grant.pk, paid_on=dt.date(YEAR, 3, 15), amount="300"
    )
    # Estimates: one public, one restricted (never in a report).
    result = {
        "estimate": 1234.5,
        "n_observed": 400,
        "interval": {"lower": 1000.25, "upper": 1600.75, "level": 0.95},
    }
    public_estimate = _estimate(world.owner, Sensitivity.PUBLIC, "Public estimate NLD", result)
    restricted = {
        "estimate": 98765.5,
        "n_observed": 777,
        "interval": {"lower": 90001.0, "upper": 99999.0, "level": 0.95},
    }
    restricted_estimate = _estimate(world.owner, Sensitivity.RESTRICTED, f"{SECRET} estimate", restricted)
    _estimate(world.owner, Sensitivity.INTERNAL, f"{SECRET} internal estimate", restricted)
    # Cases: aggregate counts only.
    _cases(world.owner)
    # Network: a mechanism, a meeting and a note in the year, a meeting the year before.
    rapporteur = account_actions.create_organisation(
        actor=None,
        name="Rapporteur Office",
        short_name="RO",
        kind=OrganisationKind.RAPPORTEUR,
        country=Country.objects.get(iso3="NGA"),
    )
    network_actions.create_mechanism(
        actor=admin,
        fields={
            "country": Country.objects.get(iso3="NGA"),
            "organisation": rapporteur,
            "kind": "rapporteur",
            "mandate": "Monitor",
            "independence": "independent",
            "contact_email": "secret-contact@example.org",
        },
    )
    network_actions.create_meeting(
        actor=admin,
        fields={
            "title": f"{SECRET} meeting",
            "starts_on": dt.date(YEAR, 6, 1),
            "ends_on": dt.date(YEAR, 6, 2),
        },
    )
    network_actions.create_meeting(
        actor=admin,
        fields={
            "title": "Earlier meeting",
            "starts_on": dt.date(YEAR - 1, 6, 1),
            "ends_on": dt.date(YEAR - 1, 6, 2),
        },
    )
    rapporteur_user = make_user("rapporteur_analyst", rapporteur, Role.ANALYST)
    network_actions.create_note(actor=rapporteur_user, title="Good practice", text="text")
    # Appraisal: three submitted questionnaires (a rapporteur and two States, all in Africa) and one draft,
    # in the 2021 cycle.
    cycle = Cycle.objects.get(year=2021)
    appraisal_actions.set_cycle_open(actor=admin, cycle=cycle, is_open=True)
    q = appraisal_actions.start_questionnaire(actor=rapporteur_user, cycle=cycle)
    statuses = ["achieved", "in_progress", "not_started", "not_applicable"]
    answers = {
        p.code: {"status": statuses[i % 4], "narrative": f"{SECRET} narrative"}
        for i, p in enumerate(ActionPoint.objects.order_by("pk"))
    }
    appraisal_actions.save_answers(
        actor=rapporteur_user, questionnaire_id=q.pk, expected_version=q.version, answers=answers, submit=True
    )
    # Two States answer too: aggregates need at least 3 responding organisations (the default minimum).
    for name, iso3, status in (("Agency GHA", "GHA", "in_progress"), ("Agency KEN", "KEN", "achieved")):
        state = account_actions.create_organisation(
            actor=None,
            name=name,
            short_name=iso3,
            kind=OrganisationKind.MEMBER_STATE,
            country=Country.objects.get(iso3=iso3),
        )
        member = make_user(f"{iso3.lower()}_analyst", state, Role.ANALYST)
        answered = appraisal_actions.start_questionnaire(actor=member, cycle=cycle)
        appraisal_actions.save_answers(
            actor=member,
            questionnaire_id=answered.pk,
            expected_version=answered.version,
            answers={p.code: {"status": status} for p in ActionPoint.objects.all()},
            submit=True,
        )
    draft = appraisal_actions.start_questionnaire(actor=author, cycle=cycle)
    appraisal_actions.save_answers(
        actor=author,
        questionnaire_id=draft.pk,
        expected_version=draft.version,
        answers={p.code: {"status": "achieved"} for p in ActionPoint.objects.all()},
    )
    # Events: the World Day every year since 2014, a meeting in the year, a launch the year before.
    for kind, title, day, yearly in (
        ("world_day", "World Day against Trafficking in Persons", dt.date(2014, 7, 30), True),
        ("meeting", "Expert group meeting", dt.date(YEAR, 5, 10), False),
        ("launch", "Report launch", dt.date(YEAR - 1, 12, 1), False),
    ):
        event_actions.create_event(
            actor=admin,
            fields={
                "kind": kind,
                "title": title,
                "starts_on": day,
                "ends_on": day,
                "yearly": yearly,
                "location": "Vienna",
            },
        )
    yield ReportWorld(
        world, admin, release, published, unpublished, public_estimate, restricted_estimate, cycle
    )
    evidence_services.clear_cache()
