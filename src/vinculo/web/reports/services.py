"""Which reports exist, building one in a language, and its PDF (cached per report, language and data)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from vinculo import charts
from vinculo.errors import VinculoError
from vinculo.web.accounts import access
from vinculo.web.appraisal.models import Cycle, QuestionnaireStatus
from vinculo.web.cases.models import CaseRecord
from vinculo.web.core.templatetags.locale_format import chart_number
from vinculo.web.estimates.models import Estimate
from vinculo.web.events.models import Event
from vinculo.web.evidence.services import current_release, loaded_release
from vinculo.web.network.models import Meeting
from vinculo.web.programmes.models import Evaluation as ProgrammeEvaluation
from vinculo.web.programmes.models import Programme
from vinculo.web.treaties.models import TreatyEntry
from vinculo.web.trustfund.models import LedgerEntry

from .appraisal_report import build_appraisal_report
from .blocks import PUBLIC
from .document import Report
from .render import render_pdf, site_url
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
    # The charts are drawn while the report is built: their numbers in the report's language too.
    with translation.override(language), charts.number_format(chart_number):
        if kind == "sg":
            return build_sg_report(year, language=language)
        return build_appraisal_report(year, language=language)


def _glotip_years() -> set[int]:
    """Years with a worldwide figure in the current Global Report release (the evidence section)."""
    release = current_release()
    if release is None:
        return set()
    world = loaded_release(release).area_profile("world", None)
    return set(world.sections.get("victims_total", {}))


def _programme_years(this_year: int) -> set[int]:
    """Years in which a published programme ran, and years of their evaluations (the programmes section)."""
    years: set[int] = set()
    published = access.access_curated_visible(PUBLIC, Programme.objects.exclude(start_date=None))
    for start, end in published.values_list("start_date", "end_date"):
        if start is None:
            continue
        last = min(end.year if end else this_year, this_year)
        years.update(range(max(start.year, FIRST_YEAR), last + 1))
    years.update(
        d.year
        for d in ProgrammeEvaluation.objects.filter(programme__in=published.values("pk"))
        .exclude(date=None)
        .dates("date", "year")
    )
    return years


def sg_years() -> list[int]:
    """Years since 2020 with public data in at least one area of the SG report, newest first.

    Every area counts: Global Report figures, treaty actions, public estimates, public case records
    with consent, published programmes and evaluations, network meetings, appraisal cycles, Trust
    Fund ledger entries and events (a yearly event, such as the World Day, makes the current year).
    """
    this_year = dt.date.today().year
    years: set[int] = set()
    years |= _glotip_years()
    years.update(
        d.year
        for d in TreatyEntry.objects.filter(country__un_member=True)
        .exclude(action_date=None)
        .dates("action_date", "year")
    )
    years.update(
        y
        for y in access.access_visible(PUBLIC, Estimate.objects.exclude(year=None)).values_list(
            "year", flat=True
        )
        if y
    )
    years.update(
        y
        for y in access.access_counted_cases(PUBLIC, CaseRecord.objects.exclude(year=None))
        .values_list("year", flat=True)
        .distinct()
        if y
    )
    years |= _programme_years(this_year)
    years.update(d.year for d in Meeting.objects.dates("starts_on", "year"))
    years.update(Cycle.objects.values_list("year", flat=True))
    years.update(d.year for d in LedgerEntry.objects.dates("booked_on", "year"))
    years.update(d.year for d in Event.objects.filter(yearly=False).dates("starts_on", "year"))
    if Event.objects.filter(yearly=True).exists():
        years.add(this_year)
    return sorted((y for y in years if y and FIRST_YEAR <= y <= this_year), reverse=True)


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
    """The PDF of ``report``, from the cache when the same report with the same data was rendered before.

    The key holds the site's address too: the PDF's links point to it.
    """
    site = hashlib.sha256(site_url(base_url).encode("utf-8")).hexdigest()[:16]
    key = f"vinculo.reports:{report.kind}:{report.year}:{report.language}:{report.checksum()}:{site}"
    found = cache.get(key)
    if isinstance(found, bytes):
        return found
    pdf = render_pdf(report, base_url=base_url)
    cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf
