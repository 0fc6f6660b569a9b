"""HTML and PDF output (src/vinculo/web/reports/render.py): six languages, same numbers, RTL Arabic, PDF."""

from __future__ import annotations

import io
import re
import sys

import pytest

from vinculo.errors import VinculoError
from vinculo.web.reports import render
from vinculo.web.reports.services import build_report

from .conftest import SECRET, YEAR, ReportWorld

LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]
NUMBER = re.compile(r'<data value="[^"]*" data-key="([^"]+)"[^>]*>([^<]*)</data>')


def numbers(html: str) -> dict[str, str]:
    return dict(NUMBER.findall(html))


def test_html_renders_in_the_six_languages_with_the_same_numbers(report_world: ReportWorld) -> None:
    pages = {}
    for language in LANGUAGES:
        report = build_report("sg", YEAR, language)
        assert report is not None
        pages[language] = render.render_html(report)
    english = numbers(pages["en"])
    assert english["trustfund.USD.balance_end_of_year"] == "1,200.50"
    for language, html in pages.items():
        assert numbers(html) == english, language
        assert f'<html lang="{language}"' in html
        direction = "rtl" if language == "ar" else "ltr"
        assert f'<html lang="{language}" dir="{direction}">' in html
        assert f'dir="{direction}"' in html.split("<article", 1)[1][:200]


def test_the_html_is_accessible_tables_have_captions_and_charts_title_and_desc(
    report_world: ReportWorld,
) -> None:
    report = build_report("sg", YEAR, "en")
    assert report is not None
    html = render.render_html(report)
    assert html.count("<table") == html.count("<caption>") > 5
    assert html.count("<h1>") == 1 and html.count("<h2") > 9
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert svgs
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert 'scope="col"' in html and 'scope="row"' in html


def test_restricted_and_unpublished_records_never_appear(report_world: ReportWorld) -> None:
    rw = report_world
    pages = []
    for kind, year in (("sg", YEAR), ("appraisal", rw.cycle.year)):
        report = build_report(kind, year, "en")
        assert report is not None
        pages.append(render.render_html(report))
        for value in report.values().values():
            for ref in value.source.records:
                assert ref != f"estimates.Estimate#{rw.restricted_estimate.pk}"
                assert ref != f"programmes.Programme#{rw.unpublished.pk}"
    for html in pages:
        assert SECRET not in html
        assert "98,765" not in html and "777" not in html  # the restricted estimate's numbers
        assert "secret-contact@example.org" not in html
        assert f"estimates.Estimate#{rw.restricted_estimate.pk}" not in html
        assert f"programmes.Programme#{rw.unpublished.pk}" not in html


def _text(document: object) -> str:
    """The text laid out on the PDF's pages (WeasyPrint's boxes), in reading order."""
    out: list[str] = []

    def walk(box: object) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            out.append(text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:  # type: ignore[attr-defined]
        walk(page._page_box)
    return " ".join(out)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_renders_with_pages_and_the_numbers(report_world: ReportWorld, language: str) -> None:
    report = build_report("sg", YEAR, language)
    assert report is not None
    document = render.pdf_document(report)
    pdf = document.write_pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    assert len(document.pages) >= 3
    text = _text(document)
    for key in ("trustfund.USD.balance_end_of_year", "evidence.victims.2022", "treaties.total.untoc"):
        assert report.values()[key].display in text
    assert SECRET not in text


def _covered_code_points(pdf: bytes) -> set[int]:
    """Every character that the fonts embedded in an uncompressed PDF can draw (their cmaps)."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for ref in re.finditer(rb"/FontFile\d?\s+(\d+)\s+0\s+R", pdf):
        head = re.search(rb"\n" + ref.group(1) + rb" 0 obj\s*<<(.*?)>>\s*stream\r?\n", pdf, re.S)
        assert head is not None
        length = re.search(rb"/Length\s+(\d+)", head.group(1).replace(b"/Length1", b"/Size1"))
        assert length is not None
        data = pdf[head.end() : head.end() + int(length.group(1))]
        points |= set(TTFont(io.BytesIO(data)).getBestCmap() or {})
    return points


@pytest.mark.parametrize("language", ["zh-hans", "ru"])
def test_the_pdf_has_a_glyph_for_every_character(report_world: ReportWorld, language: str) -> None:
    """A server without a font for the script draws empty boxes: scripts/setup.sh installs the fonts."""
    report = build_report("sg", YEAR, language)
    assert report is not None
    document = render.pdf_document(report)
    pdf = document.write_pdf(uncompressed_pdf=True)
    covered = _covered_code_points(pdf)
    text = _text(document)
    missing = sorted({ch for ch in text if not ch.isspace() and ord(ch) not in covered})
    assert len(text) > 1000
    assert missing == [], f"no font in the {language} PDF draws {''.join(missing[:40])!r}"


def test_a_missing_weasyprint_gives_a_clear_error(
    report_world: ReportWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    report = build_report("appraisal", report_world.cycle.year, "en")
    assert report is not None
    with pytest.raises(VinculoError) as caught:
        render.render_pdf(report)
    assert caught.value.code == "reports.pdf_unavailable"
    assert "pip install 'weasyprint>=62'" in str(caught.value)
