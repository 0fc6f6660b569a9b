"""HTML and PDF output of a :class:`~vinculo.web.reports.document.Report`.

The HTML is a complete, print-friendly document (headings, tables with captions, SVG charts with
title and description, right-to-left for Arabic). The PDF is that HTML laid out by WeasyPrint,
imported only when a PDF is asked for; without it, :func:`render_pdf` raises a
:class:`~vinculo.errors.VinculoError` that says what to install.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from vinculo.errors import VinculoError

from .document import Report

#: Installed fonts only: DejaVu covers Latin, Cyrillic and Arabic. Nothing is downloaded.
FONT_FAMILY = '"DejaVu Sans", "Noto Sans", "Noto Sans CJK SC", sans-serif'


def context(report: Report) -> dict[str, Any]:
    info = translation.get_language_info(report.language)
    return {"report": report, "rtl": bool(info["bidi"]), "font_family": FONT_FAMILY}


def render_html(report: Report, *, standalone: bool = True) -> str:
    """The report as HTML in its language: a whole document, or only its body for a page of the site."""
    template = "reports/document.html" if standalone else "reports/_body.html"
    with translation.override(report.language):
        return render_to_string(template, context(report))


def _weasyprint() -> Any:
    try:
        import weasyprint
    except ImportError as exc:
        raise VinculoError(
            "PDF output needs WeasyPrint, which is not installed. Install it with "
            "pip install 'weasyprint>=62' (it also needs the Pango library of the system), or ask for "
            "the HTML format instead.",
            code="reports.pdf_unavailable",
        ) from exc
    return weasyprint


def pdf_document(report: Report, *, base_url: str | None = None) -> Any:
    """The report laid out in pages by WeasyPrint (a ``weasyprint.Document``: ``.pages``, ``.write_pdf()``)."""
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=render_html(report), base_url=base_url).render()


def render_pdf(report: Report, *, base_url: str | None = None) -> bytes:
    """The report as PDF bytes (WeasyPrint). ``base_url`` resolves the links to the platform's pages."""
    pdf: bytes = pdf_document(report, base_url=base_url).write_pdf()
    return pdf
