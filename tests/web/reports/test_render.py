"""HTML and PDF output (src/vinculo/web/reports/render.py): six languages, same numbers, RTL Arabic, PDF."""

from __future__ import annotations

import io
import re
import sys
import zlib
from html import unescape
from typing import Any

import pytest

from vinculo.errors import VinculoError
from vinculo.web.reports import render
from vinculo.web.reports.services import build_report

from .conftest import SECRET, YEAR, ReportWorld

LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]
NUMBER = re.compile(r'<data value="[^"]*" data-key="([^"]+)"[^>]*>([^<]*)</data>')
VALUE = re.compile(r'<data value="([^"]*)" data-key="([^"]+)"')


def numbers(html: str) -> dict[str, str]:
    """The text shown for each number, by key."""
    return {key: unescape(text) for key, text in NUMBER.findall(html)}


def values(html: str) -> dict[str, str]:
    """The machine value of each number, by key (the same in every language)."""
    return {key: value for value, key in VALUE.findall(html)}


def test_html_renders_in_the_six_languages_with_the_same_numbers(report_world: ReportWorld) -> None:
    pages = {}
    for language in LANGUAGES:
        report = build_report("sg", YEAR, language)
        assert report is not None
        pages[language] = render.render_html(report)
    english = values(pages["en"])
    assert english["trustfund.USD.balance_end_of_year"] == "1200.50"
    for language, html in pages.items():
        assert values(html) == english, language
        assert f'<html lang="{language}"' in html
        direction = "rtl" if language == "ar" else "ltr"
        assert f'<html lang="{language}" dir="{direction}">' in html
        assert f'dir="{direction}"' in html.split("<article", 1)[1][:200]


def test_numbers_amounts_shares_and_dates_are_written_as_each_language_does(
    report_world: ReportWorld,
) -> None:
    """CLDR's patterns (Babel): grouping and decimal signs, the currency's symbol and place, percent."""
    shown = {}
    for language in ("en", "fr", "es"):
        report = build_report("sg", YEAR, language)
        assert report is not None
        shown[language] = numbers(render.render_html(report))
    balance = "trustfund.USD.balance_end_of_year"
    assert shown["en"][balance] == "$1,200.50"
    assert shown["fr"][balance] == "1\u202f200,50\xa0$US"
    assert shown["es"][balance] == "1.200,50\xa0US$"
    assert shown["en"]["evidence.victims.2022"] == "1,619"
    assert shown["fr"]["evidence.victims.2022"] == "1\u202f619"
    share = shown["en"]["evidence.flows.domestic"]
    assert re.fullmatch(r"\d+\.\d%", share) and shown["fr"]["evidence.flows.domestic"] == share.replace(
        ".", ","
    )
    french = build_report("sg", YEAR, "fr")
    assert french is not None
    html = render.render_html(french)
    body = html.split("<body>", 1)[1]
    chart = re.search(r'data-figure="evidence.regions.chart">(.*?)</figure>', body, flags=re.S)
    assert chart is not None and "1\u202f000" in unescape(chart.group(1))  # the axis, as French writes it
    assert "1,000" not in chart.group(1)
    assert "30 juillet 2024" in body  # the World Day, in a sentence
    assert "30 juil. 2024" in body  # and in the calendar table
    assert f"{YEAR}-07-30" not in body and french.generated_on.isoformat() not in body


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
        assert report.values()[key].shown in text
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


SITE = "https://vinculo.example.org/"


def _pdf_bytes_and_streams(pdf: bytes) -> bytes:
    """The PDF with every compressed stream (object streams included) inflated after it, to search in."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            chunks.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def _pdf_text(raw: bytes) -> list[str]:
    """Every UTF-16 hex string of the PDF (titles, alternative texts), decoded."""
    return [bytes.fromhex(h.decode())[2:].decode("utf-16-be") for h in re.findall(rb"<(feff[0-9a-f]+)>", raw)]


def check_tagged_pdf(pdf: bytes, *, language: str, title: str, site: str) -> list[str]:
    """Assert PDF/UA structure, language, title and absolute links; return the link addresses."""
    raw = _pdf_bytes_and_streams(pdf)
    assert b"/StructTreeRoot" in raw and re.search(rb"/MarkInfo\s*<<\s*/Marked true", raw)
    assert f"/Lang ({language})".encode() in raw
    assert re.search(rb"/DisplayDocTitle true", raw) and b"pdfuaid:part" in raw
    assert any(t.startswith(title) for t in _pdf_text(raw)), "the title is not in the metadata"
    kinds = set(re.findall(rb"/S\s*/(\w+)", raw))
    assert {b"H1", b"H2", b"P", b"L", b"LI", b"Table", b"TH", b"TD", b"Figure", b"Caption", b"Link"} <= kinds
    assert b"/Alt" in raw  # the charts' <title> as alternative text
    links = [u.decode() for u in re.findall(rb"/URI\s*\(([^)]*)\)", raw)]
    assert links and all(u.startswith(site) for u in links), links
    return links


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_pdf_is_tagged_with_its_language_title_and_absolute_source_links(
    report_world: ReportWorld, language: str
) -> None:
    report = build_report("sg", YEAR, language)
    assert report is not None
    document = render.pdf_document(report, base_url=SITE)
    pdf = document.write_pdf(pdf_variant=render.PDF_VARIANT)
    links = check_tagged_pdf(pdf, language=language, title=report.title, site=SITE)
    assert f"{SITE}evidence/world/" in links and f"{SITE}coordination/trust-fund/" in links
    text = _text(document)
    assert f"{SITE}evidence/world/" in text  # the address is printed, not only linked
    assert " /evidence/world/" not in text


def test_commands_link_to_the_configured_site(report_world: ReportWorld, settings: Any) -> None:
    settings.VINCULO_SITE_URL = "https://reports.example.net"
    report = build_report("appraisal", report_world.cycle.year, "fr")
    assert report is not None
    links = check_tagged_pdf(
        render.render_pdf(report), language="fr", title=report.title, site="https://reports.example.net/"
    )
    assert links


#: The tallest a chart may be on paper (80 mm in CSS pixels), and room for its caption and margins.
CHART_MAX = 80 * 96 / 25.4
CAPTION = 60


def _blank_spans(page: object) -> tuple[float, float]:
    """The largest empty vertical gap between laid-out lines, images and cells, and the blank foot."""
    from weasyprint.formatting_structure import boxes

    spans: list[tuple[float, float]] = []

    def walk(box: object) -> None:
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox | boxes.TableCellBox):
            spans.append((box.position_y, box.position_y + box.margin_height()))
            if not isinstance(box, boxes.TableCellBox):
                return
        for child in getattr(box, "children", []) or []:
            walk(child)

    root = page._page_box  # type: ignore[attr-defined]
    walk(root.children[0])
    spans.sort()
    top = root.content_box_y()
    bottom = top + root.height
    gap, reached = 0.0, top
    for start, end in spans:
        gap = max(gap, start - reached)
        reached = max(reached, end)
    return gap, bottom - reached


@pytest.mark.parametrize("language", ["en", "fr", "zh-hans"])
def test_the_pdf_has_no_blank_band(report_world: ReportWorld, language: str) -> None:
    """No empty band inside a page; a page ends early only for a block that cannot be cut (a chart).

    A chart is kept whole: on paper it is at most 80 mm high, so the foot it may leave blank is small.
    """
    for kind, year in (("sg", YEAR), ("appraisal", report_world.cycle.year)):
        report = build_report(kind, year, language)
        assert report is not None
        document = render.pdf_document(report)
        pages = document.pages
        for number, page in enumerate(pages[:-1], 1):
            gap, foot = _blank_spans(page)
            assert gap < 40, f"{kind} {language}: a blank band of {gap:.0f}px inside page {number}"
            assert foot < CHART_MAX + CAPTION, f"{kind} {language}: page {number} ends {foot:.0f}px early"
        charts = [b for p in pages for b in _replaced(p._page_box)]  # type: ignore[attr-defined]
        assert charts and all(b.height <= CHART_MAX + 0.5 for b in charts)  # type: ignore[attr-defined]


def _replaced(box: object) -> list[object]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.ReplacedBox):
        return [box]
    return [found for child in getattr(box, "children", []) or [] for found in _replaced(child)]
