"""Who may submit figures and see submissions (accounts.access), and that published data needs no sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from vinculo.web.accounts.access import access_can_submit_figures, access_can_view_submission
from vinculo.web.accounts.models import Organisation, OrganisationKind
from vinculo.web.core import demo
from vinculo.web.core.models import Country
from vinculo.web.evidence.demo import load_packaged_export
from vinculo.web.evidence.models import FigureSubmission, GlotipFigure, GlotipRelease, ReleaseStatus

from ..conftest import World


@pytest.mark.parametrize(
    ("kind", "with_country", "who", "allowed"),
    [
        (OrganisationKind.MEMBER_STATE, True, "partner_analyst", True),
        (OrganisationKind.RAPPORTEUR, True, "partner_analyst", True),
        (OrganisationKind.MEMBER_STATE, False, "partner_analyst", False),
        (OrganisationKind.CIVIL_SOCIETY, True, "partner_analyst", False),
        (OrganisationKind.MEMBER_STATE, True, "other_reviewer", False),
        (OrganisationKind.MEMBER_STATE, True, "admin", False),
        (OrganisationKind.MEMBER_STATE, True, "anonymous", False),
    ],
)
def test_only_members_acting_for_a_member_state_may_submit_figures(
    world: World, kind: str, with_country: bool, who: str, allowed: bool
) -> None:
    country = Country.objects.get(iso3="NLD") if with_country else None
    Organisation.objects.filter(pk=world.partner.pk).update(kind=kind, country=country)
    user = world.users[who]
    if user is not None:
        user.refresh_from_db()
    assert access_can_submit_figures(user or AnonymousUser()) is allowed


def test_a_submission_is_seen_by_its_organisation_and_reviewers_only(world: World) -> None:
    partner_analyst = world.users["partner_analyst"]
    assert partner_analyst is not None
    record = FigureSubmission.objects.create(
        owner=world.partner,
        created_by=partner_analyst,
        country=Country.objects.get(iso3="NLD"),
        source_name="x.csv",
        checksum="0" * 64,
    )
    seen = {who: access_can_view_submission(u or AnonymousUser(), record) for who, u in world.users.items()}
    assert seen == {
        "anonymous": False,
        "admin": True,
        "owner_manager": False,
        "owner_author": False,
        "owner_analyst": False,
        "partner_analyst": True,
        "other_analyst": False,
        "other_reviewer": True,
    }


def test_published_data_is_open_to_anonymous_visitors_and_api_callers(release: GlotipRelease) -> None:
    client = Client()
    for url in (
        "/evidence/",
        "/evidence/countries/",
        "/evidence/countries/NLD/",
        "/evidence/world/",
        "/evidence/flows/",
    ):
        assert client.get(url).status_code == 200, url
    for url in ("/api/evidence/indicators", "/api/evidence/countries/NLD/profile", "/api/evidence/releases"):
        assert client.get(url).status_code == 200, url
    assert client.get("/evidence/submissions/").status_code == 302


def test_the_demo_loads_the_packaged_export_when_no_release_is_stored(
    db: Any, release: GlotipRelease
) -> None:
    GlotipFigure.objects.all().delete()
    GlotipRelease.objects.all().delete()
    assert load_packaged_export in demo._LOADERS
    lines = load_packaged_export()
    assert any("Global Report evidence: imported glotip_2025-04-14.csv.gz" in line for line in lines)
    stored = GlotipRelease.objects.get()
    assert stored.status == ReleaseStatus.CURRENT and stored.n_countries == 199
    assert stored.checksum == release.checksum
    assert load_packaged_export() == [] and GlotipRelease.objects.count() == 1
