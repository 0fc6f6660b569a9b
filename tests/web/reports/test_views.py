"""Pages of the Reports area (src/vinculo/web/reports/views.py): public, the same for every role."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from vinculo.evidence import COLUMNS
from vinculo.web.accounts.models import Organisation, OrganisationKind
from vinculo.web.appraisal.models import Cycle
from vinculo.web.cases.models import CaseRecord
from vinculo.web.cases.models import Submission as CaseSubmission
from vinculo.web.core.models import Sensitivity
from vinculo.web.estimates.models import Estimate
from vinculo.web.events.models import Event
from vinculo.web.evidence import services as evidence_services
from vinculo.web.evidence.actions import import_release
from vinculo.web.evidence.models import GlotipRelease, ReleaseStatus
from vinculo.web.network.models import Meeting
from vinculo.web.reports import services
from vinculo.web.treaties.models import TreatyEntry
from vinculo.web.trustfund.models import LedgerEntry

from ..conftest import ROLES
from .conftest import SECRET, VICTIMS, YEAR, ReportWorld, glotip_row
from .test_render import check_tagged_pdf

NUMBER = re.compile(r'data-key="([^"]+)"[^>]*>([^<]*)</data>')


def test_the_home_page_and_the_navigation_lead_to_the_reports(db: None) -> None:
    page = Client().get("/").content.decode()
    # the area card, and the nav link in the wide header and in the phone menu (one of the two is shown)
    assert page.count(f'href="{reverse("reports:index")}"') == 3


def test_the_index_lists_years_with_data_and_the_appraisal_cycles(report_world: ReportWorld) -> None:
    response = Client().get(reverse("reports:index"), {"lang": "fr"})
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{reverse('reports:html', args=['sg', YEAR])}?lang=fr" in text
    assert f"{reverse('reports:pdf', args=['sg', YEAR])}?lang=fr" in text
    assert f"{reverse('reports:html', args=['appraisal', 2021])}?lang=fr" in text
    assert YEAR in services.sg_years() and 2019 not in services.sg_years()


@pytest.mark.parametrize("who", ROLES)
def test_every_role_sees_the_same_public_report(report_world: ReportWorld, who: str) -> None:
    response = report_world.world.client_for(who).get(
        reverse("reports:html", args=["sg", YEAR]), {"lang": "en"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert SECRET not in text
    anonymous = Client().get(reverse("reports:html", args=["sg", YEAR]), {"lang": "en"}).content.decode()
    assert NUMBER.findall(text) == NUMBER.findall(anonymous)


def test_the_arabic_report_is_right_to_left_inside_an_english_page(report_world: ReportWorld) -> None:
    text = Client().get(reverse("reports:html", args=["sg", YEAR]), {"lang": "ar"}).content.decode()
    assert '<html lang="en" dir="ltr">' in text
    assert '<article class="report" lang="ar" dir="rtl">' in text


@pytest.mark.parametrize(
    "path", ["/reports/nothing/2024/", "/reports/appraisal/2019/", "/reports/sg/1200/pdf/"]
)
def test_unknown_reports_answer_404(db: None, path: str) -> None:
    assert Client().get(path).status_code == 404


def test_an_unknown_language_falls_back_to_english(db: None) -> None:
    text = Client().get("/reports/sg/2024/", {"lang": "xx"}).content.decode()
    assert '<article class="report" lang="en" dir="ltr">' in text


def test_the_pdf_is_downloaded_and_then_served_from_the_cache(
    report_world: ReportWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.clear()
    calls = []

    def fake_pdf(report: object, base_url: str | None = None) -> bytes:
        calls.append(base_url)
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(services, "render_pdf", fake_pdf)
    url = reverse("reports:pdf", args=["appraisal", 2021])
    first = Client().get(url, {"lang": "es"})
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"] == 'attachment; filename="vinculo-appraisal-report-2021-es.pdf"'
    assert first.content == b"%PDF-1.7 fake" and calls == ["http://testserver/"]
    Client().get(url, {"lang": "es"})
    assert len(calls) == 1
    Client().get(url, {"lang": "fr"})
    assert len(calls) == 2
    cache.clear()


def test_a_server_without_weasyprint_explains_why_there_is_no_pdf(
    report_world: ReportWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    cache.clear()
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    response = Client().get(reverse("reports:pdf", args=["appraisal", 2021]))
    assert response.status_code == 503
    assert "weasyprint" in response.content.decode()


def test_the_downloaded_pdf_is_tagged_and_links_to_this_site(report_world: ReportWorld) -> None:
    cache.clear()
    response = Client().get(reverse("reports:pdf", args=["sg", YEAR]), {"lang": "ru"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    report = services.build_report("sg", YEAR, "ru")
    assert report is not None
    links = check_tagged_pdf(response.content, language="ru", title=report.title, site="http://testserver/")
    assert "http://testserver/evidence/world/" in links
    cache.clear()


def test_every_year_with_data_is_offered(db: None, tmp_path: Path) -> None:
    """Data in 2021 (a case record), 2022 (Global Report figures only) and 2023 (a public estimate)."""
    # An earlier test on this worker may have left its Global Report release in the caches.
    cache.clear()
    evidence_services.clear_cache()
    TreatyEntry.objects.filter(action_date__year__gte=services.FIRST_YEAR).update(action_date=None)
    Event.objects.all().delete()
    # On PostgreSQL a Global Report release can be current here, depending on the tests that ran
    # before on this worker; this test's world has none until it imports its own below.
    GlotipRelease.objects.update(status=ReleaseStatus.SUPERSEDED)
    cycles = set(Cycle.objects.filter(year__gte=services.FIRST_YEAR).values_list("year", flat=True))
    sources = {
        "glotip": services._glotip_years(),
        "estimates": set(Estimate.objects.exclude(year=None).values_list("year", flat=True)),
        "cases": set(CaseRecord.objects.exclude(year=None).values_list("year", flat=True)),
        "programmes": services._programme_years(2026),
        "meetings": {d.year for d in Meeting.objects.dates("starts_on", "year")},
        "ledger": {d.year for d in LedgerEntry.objects.dates("booked_on", "year")},
    }
    assert services.sg_years() == sorted(cycles, reverse=True), sources  # the seeded appraisal cycles only
    assert not {2021, 2022, 2023} <= cycles
    owner = Organisation.objects.create(name="Owner", short_name="OW", kind=OrganisationKind.CIVIL_SOCIETY)
    submission = CaseSubmission.objects.create(
        owner=owner, sensitivity=Sensitivity.PUBLIC, number=1, file_name="cases.csv"
    )
    CaseRecord.objects.create(
        owner=owner,
        sensitivity=Sensitivity.PUBLIC,
        consent_to_share=True,
        source_id_index="1" * 64,
        submission=submission,
        content_hash="1" * 64,
        country="NG",
        year=2021,
    )
    evidence_services.clear_cache()
    path = tmp_path / "glotip.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerow(glotip_row("NLD", VICTIMS, "Total", "Total", 2022, "12"))
    import_release(path, None)
    Estimate.objects.create(
        owner=owner,
        sensitivity=Sensitivity.PUBLIC,
        title="Estimate",
        year=2023,
        source_name="h.csv",
        source_csv="A,B,count\n1,0,10\n",
        input_sha256="0" * 64,
        lists=["A", "B"],
        n_observed=10,
    )
    Estimate.objects.create(
        owner=owner,
        sensitivity=Sensitivity.RESTRICTED,
        title="Restricted estimate",
        year=2020,
        source_name="h.csv",
        source_csv="A,B,count\n1,0,10\n",
        input_sha256="0" * 64,
        lists=["A", "B"],
        n_observed=10,
    )
    years = services.sg_years()
    assert years == sorted({2021, 2022, 2023} | cycles, reverse=True)
    page = Client().get(reverse("reports:index"), {"lang": "en"}).content.decode()
    for year in (2021, 2022, 2023):
        assert f"{reverse('reports:pdf', args=['sg', year])}?lang=en" in page
    evidence_services.clear_cache()
