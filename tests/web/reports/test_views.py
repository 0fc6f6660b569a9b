"""Pages of the Reports area (src/vinculo/web/reports/views.py): public, the same for every role."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from vinculo.web.reports import services

from ..conftest import ROLES
from .conftest import SECRET, YEAR, ReportWorld

NUMBER = re.compile(r'data-key="([^"]+)"[^>]*>([^<]*)</data>')


def test_the_home_page_and_the_navigation_lead_to_the_reports(db: None) -> None:
    page = Client().get("/").content.decode()
    assert page.count(f'href="{reverse("reports:index")}"') == 2  # the area card and the nav link


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
