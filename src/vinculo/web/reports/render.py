"""HTML and PDF output of a :class:`~vinculo.web.reports.document.Report`.

The HTML is a complete, print-friendly document (headings, tables with captions, SVG charts with
title and description, right-to-left for Arabic). The PDF is that HTML laid out by WeasyPrint,
imported only when a PDF is asked for; without it, :func:`render_pdf` raises a
:class:`~vinculo.errors.VinculoError` that says what to install.

The PDF is tagged for assistive technology (PDF/UA-1: a structure tree of headings, paragraphs,
lists, tables and figures with their alternative text, the document language and its title shown
by viewers). Sources are printed as absolute addresses that are also links: the site's address
comes from the request, or from the ``VINCULO_SITE_URL`` setting for commands and jobs.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from vinculo.errors import VinculoError

from .document import Report

#: Installed fonts only: DejaVu covers Latin, Cyrillic and Arabic. Nothing is downloaded.
FONT_FAMILY = '"DejaVu Sans", "Noto Sans", "Noto Sans CJK SC", sans-serif'


#: The PDF variant: PDF/UA-1 makes WeasyPrint write the structure tree (``/StructTreeRoot``,
#: ``/MarkInfo``), the language (``/Lang``) and the title shown instead of the file name.
PDF_VARIANT = "pdf/ua-1"


def site_url(base_url: str | None = None) -> str:
    """The site's address ending in "/": ``base_url`` (from the request), else ``VINCULO_SITE_URL``."""
    found = base_url or str(getattr(settings, "VINCULO_SITE_URL", "") or "http://127.0.0.1:8000/")
    return found if found.endswith("/") else found + "/"


def absolute(url: str, base_url: str | None = None) -> str:
    """``url`` ("/evidence/world/") as an absolute address on the site ("https://site/evidence/world/")."""
    return urljoin(site_url(base_url), url) if url else ""


def context(report: Report, base_url: str | None = None) -> dict[str, Any]:
    info = translation.get_language_info(report.language)
    return {
        "report": report,
        "rtl": bool(info["bidi"]),
        "font_family": FONT_FAMILY,
        "site_url": site_url(base_url),
    }


def render_html(report: Report, *, standalone: bool = True, base_url: str | None = None) -> str:
    """The report as HTML in its language: a whole document, or only its body for a page of the site.

    Sources are printed as absolute addresses on ``base_url`` (default: :func:`site_url`).
    """
    template = "reports/document.html" if standalone else "reports/_body.html"
    with translation.override(report.language):
        return render_to_string(template, context(report, base_url))


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
    html = render_html(report, base_url=base_url)
    return weasyprint.HTML(string=html, base_url=site_url(base_url)).render(pdf_variant=PDF_VARIANT)


def render_pdf(report: Report, *, base_url: str | None = None) -> bytes:
    """The report as tagged PDF bytes (WeasyPrint, PDF/UA-1); links are absolute on ``base_url``."""
    pdf: bytes = pdf_document(report, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
