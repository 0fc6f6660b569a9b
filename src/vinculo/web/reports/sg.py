"""The report of the Secretary-General on the implementation of resolution 74/176 (§26), from platform data."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from .document import Report, Section, paragraph
from .sections_coordination import (
    appraisal_summary_section,
    events_section,
    network_section,
    treaty_section,
    trustfund_section,
)
from .sections_data import cases_section, estimates_section, evidence_section, programmes_section


def about_section(year: int) -> Section:
    return Section(
        "about",
        _("About this report"),
        "§26",
        (
            paragraph(
                _(
                    "General Assembly resolution 74/176 asks the Secretary-General to report on its implementation. "
                    "This report gathers, for %(year)s, what the platform's public data show about each area the "
                    "resolution covers. Every number cites the platform records and the public page it comes "
                    "from; restricted and internal records are never included."
                ),
                {"year": str(year)},
            ),
        ),
    )


def build_sg_report(year: int, *, language: str, today: dt.date | None = None) -> Report:
    """The SG report for ``year`` in the active language (call under ``translation.override``)."""
    sections = (
        about_section(year),
        treaty_section(year),
        evidence_section(year),
        estimates_section(year),
        cases_section(year),
        programmes_section(year),
        network_section(year),
        appraisal_summary_section(year),
        trustfund_section(year),
        events_section(year),
    )
    return Report(
        kind="sg",
        year=year,
        title=_("Implementation of General Assembly resolution 74/176"),
        subtitle=_("Improving the coordination of efforts against trafficking in persons: data for %(year)s")
        % {"year": year},
        language=language,
        generated_on=today or dt.date.today(),
        sections=sections,
        notes=(
            _(
                "Generated automatically from the public data of the platform; not an official United Nations document."
            ),
        ),
    )
