"""Reference data loaded by the migrations: countries, Member States and the ICAT group."""

from __future__ import annotations

import pytest

from vinculo.web.accounts.models import IcatCoChair, Organisation, OrganisationKind
from vinculo.web.core.models import Country

pytestmark = pytest.mark.django_db


def test_the_193_member_states_each_have_an_authority() -> None:
    assert Country.objects.filter(un_member=True).count() == 193
    authorities = Organisation.objects.filter(kind=OrganisationKind.MEMBER_STATE)
    assert authorities.count() == 193
    assert set(authorities.values_list("country__iso3", flat=True)) == set(
        Country.objects.filter(un_member=True).values_list("iso3", flat=True)
    )
    for non_member in ["VAT", "PSE", "TWN", "HKG", "PRI"]:
        assert not Country.objects.get(iso3=non_member).un_member
    assert Country.objects.get(iso3="SSD").un_member


def test_icat_members_partners_coordinator_and_2019_cochairs() -> None:
    icat = Organisation.objects.exclude(icat_role="")
    assert icat.filter(icat_role="coordinator").get().short_name == "UNODC"
    assert set(icat.filter(icat_role="partner").values_list("short_name", flat=True)) == {"SR-TIP", "CoE"}
    assert icat.filter(icat_role="member").count() == 21
    for short in [
        "ICAO",
        "INTERPOL",
        "ILO",
        "IOM",
        "UNICEF",
        "UN-Women",
        "World Bank",
        "CTED",
        "ICMPD",
        "OSCE",
    ]:
        assert icat.filter(short_name=short).exists(), short
    assert set(IcatCoChair.objects.filter(year=2019).values_list("organisation__short_name", flat=True)) == {
        "UN-Women",
        "OSCE",
    }
