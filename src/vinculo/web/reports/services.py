"""Which reports exist, building one in a language, and its PDF (cached per report, language and data)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from vinculo.errors import VinculoError
from vinculo.web.accounts import access
from vinculo.web.appraisal.models import Cycle, QuestionnaireStatus
from vinculo.web.estimates.models import Estimate
from vinculo.web.events.models import Event
from vinculo.web.network.models import Meeting
from vinculo.web.trustfund.models import LedgerEntry

from .appraisal_report import build_appraisal_report
from .blocks import PUBLIC
from .document import Report
from .render import render_pdf
from .sg import build_sg_report

KINDS = ("sg", "appraisal")
FORMATS = ("html", "pdf")
#: Resolution 74/176 was adopted in December 2019: the SG report covers the years since.
FIRST_YEAR = 2020
PDF_CACHE_SECONDS = 24 * 60 * 60


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def check_request(kind: str, year: int, language: str) -> None:
    """Refuse an unknown kind, language or an implausible year with a message that says what to use."""
    if kind not in KINDS:
        raise VinculoError(
            f"report: {kind!r} is not a report. Use one of: {', '.join(KINDS)}.", code="reports.unknown_kind"
        )
    if language not in languages():
        raise VinculoError(
            f"lang: {language!r} is not a language of the platform. Use one of: {', '.join(languages())}.",
            code="reports.unknown_language",
        )
    this_year = dt.date.today().year
    if not 1990 <= year <= this_year + 1:
        raise VinculoError(
            f"year: {year} is out of range. Give a year between 1990 and {this_year + 1}.",
            code="reports.invalid_year",
        )


def build_report(kind: str, year: int, language: str) -> Report | None:
    """The report in ``language``; None for an appraisal cycle that does not exist."""
    check_request(kind, year, language)
    with translation.override(language):
        if kind == "sg":
            return build_sg_report(year, language=language)
        return build_appraisal_report(year, language=language)


def sg_years() -> list[int]:
    """Years since 2020 with public data in at least one area of the SG report, newest first."""
    this_year = dt.date.today().year
    years: set[int] = set()
    years.update(d.year for d in LedgerEntry.objects.dates("booked_on", "year"))
    years.update(d.year for d in Meeting.objects.dates("starts_on", "year"))
    years.update(d.year for d in Event.objects.filter(yearly=False).dates("starts_on", "year"))
    if Event.objects.filter(yearly=True).exists():
        years.add(this_year)
    years.update(
        y
        for y in access.access_visible(PUBLIC, Estimate.objects.exclude(year=None)).values_list(
            "year", flat=True
        )
        if y
    )
    years.update(Cycle.objects.values_list("year", flat=True))
    return sorted((y for y in years if FIRST_YEAR <= y <= this_year), reverse=True)


def appraisal_cycles() -> list[dict[str, object]]:
    return [
        {
            "year": c.year,
            "title": c.title,
            "submitted": c.questionnaires.filter(status=QuestionnaireStatus.SUBMITTED).count(),
        }
        for c in Cycle.objects.order_by("-year")
    ]


def pdf_for(report: Report, *, base_url: str | None = None) -> bytes:
    """The PDF of ``report``, from the cache when the same report with the same data was rendered before."""
    key = f"vinculo.reports:{report.kind}:{report.year}:{report.language}:{report.checksum()}"
    found = cache.get(key)
    if isinstance(found, bytes):
        return found
    pdf = render_pdf(report, base_url=base_url)
    cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf
