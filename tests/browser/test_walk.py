"""A walk of the platform's main pages in a real browser, at a desktop and a phone size, in English, Arabic
and Chinese (issue 11): each page declares its language and direction, has no WCAG 2.2 AA violation found by
axe-core, asks no host but the server for anything, logs no script error and never scrolls sideways.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

import pytest

from .conftest import LANGUAGES, SCREENS, Language, OpenTab, Platform, Tab, open_menu, sign_in

# What a member of the public reads (no account needed).
PUBLIC_PAGES = {
    "home": "/",
    "evidence": "/evidence/",
    "evidence-world": "/evidence/world/",
    "evidence-region": "/evidence/regions/Africa/",
    "evidence-countries": "/evidence/countries/",
    "evidence-country": "/evidence/countries/NGA/",
    "programmes": "/programmes/",
    "treaties": "/coordination/treaties/",
    "sign-in": "/accounts/sign-in/",
    "api-docs": "/api/docs",
}

# The main pages of a data manager (the demo's ngo.manager).
MANAGER_PAGES = {
    "cases": "/cases/",
    "case-import": "/cases/submissions/new/",
    "estimates": "/estimates/",
    "estimate-new": "/estimates/new/",
    "linkage": "/linkage/",
}

screens = pytest.mark.parametrize("screen", list(SCREENS))
languages = pytest.mark.parametrize("language", list(LANGUAGES))


@screens
@languages
@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_public_page(open_tab: OpenTab, name: str, language: str, screen: str) -> None:
    tab = open_tab(screen, language)
    tab.open(PUBLIC_PAGES[name])
    tab.assert_clean()


@screens
@languages
@pytest.mark.parametrize("name", list(MANAGER_PAGES))
def test_data_manager_page(
    open_tab: OpenTab, manager_state: Any, name: str, language: str, screen: str
) -> None:
    tab = open_tab(screen, language, storage_state=manager_state)
    tab.open(MANAGER_PAGES[name])
    assert "/accounts/sign-in/" not in tab.page.url
    tab.assert_clean()


@screens
@languages
def test_sign_in_and_open_the_case_list(open_tab: OpenTab, language: str, screen: str) -> None:
    """The task a data manager starts every visit with, by clicking and typing only."""
    tab = open_tab(screen, language)
    sign_in(tab, "ngo.manager")
    tab.assert_clean()
    open_menu(tab)
    tab.page.locator("header nav a[href='/cases/']:visible").click()
    tab.page.wait_for_url("**/cases/")
    open_menu(tab)
    assert tab.page.locator("header .whoami:visible").count() == 1
    tab.assert_clean()


def test_the_sign_in_address_the_demo_prints_opens_the_sign_in_page(
    platform: Platform, open_tab: OpenTab
) -> None:
    """``vinculo demo --port N`` names its own port in the sign-in address (it once printed 8000 always)."""
    printed = re.findall(r"Sign in at (http://\S+/accounts/sign-in/)", platform.log.read_text())
    assert printed == [f"{platform.base}/accounts/sign-in/"]
    tab = open_tab("desktop", "en")
    tab.open(printed[0].removeprefix(platform.base))
    assert tab.page.locator("#id_username").is_visible()


FRENCH = Language("fr-FR", "fr", "ltr")


def _switch_language(tab: Tab, code: str) -> None:
    """Choose a language with the header's switcher (behind the Menu button on a phone) and press Change."""
    open_menu(tab)
    form = tab.page.locator("header form.language-form:visible")
    form.locator("select").select_option(code)
    with tab.page.expect_navigation():
        form.locator("button[type=submit]").click()
    tab.page.wait_for_load_state("networkidle")


@screens
def test_the_language_switcher_writes_numbers_and_names_as_french_does(
    open_tab: OpenTab, screen: str
) -> None:
    """Issue 11, item 2: after choosing French, the tables, the charts and the API docs are in French."""
    tab = open_tab(screen, "en")
    tab.open("/evidence/countries/NLD/")
    english = tab.page.locator("h1").inner_text()
    _switch_language(tab, "fr")
    tab.language = FRENCH
    assert tab.page.url.endswith("/evidence/countries/NLD/")
    assert (
        tab.page.locator("h1").inner_text() != english and "Pays-Bas" in tab.page.locator("h1").inner_text()
    )
    cells = tab.page.locator("table[data-table='compare'] tbody td").all_text_contents()
    big = [c for c in cells if sum(ch.isdigit() for ch in c) >= 4]
    assert big and all(re.search(r"\d[\u202f\u00a0]\d{3}", c) for c in big), big  # 19 595, not 19,595
    assert not any(re.search(r"\d,\d{3}\b", c) for c in cells)
    ticks = tab.page.locator("#chart-compare svg:visible g.axis text").all_text_contents()
    # the chart's axis too: thousands apart with a narrow space, never with a comma or a point
    assert any(re.search(r"\d[\u202f\u00a0]\d{3}", t) for t in ticks), ticks
    assert not any(re.search(r"\d[,.]\d{3}", t) for t in ticks), ticks
    tab.assert_clean()
    # Amounts of money too, as French writes them (the language stays chosen from page to page).
    tab.open("/coordination/trust-fund/")
    amounts = [c for c in tab.page.locator("main td.num").all_text_contents() if "$" in c]
    assert amounts and all(
        re.fullmatch(r"-?\d{1,3}([\u202f\u00a0]\d{3})*,\d\d\u00a0\$US", a) for a in amounts
    ), amounts
    # The API documentation is a page of the site, in the chosen language.
    open_menu(tab)
    with tab.page.expect_navigation():
        tab.page.locator("header nav a[href='/api/docs']:visible").click()
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.locator("header nav").count() >= 1 and tab.page.locator("footer").count() == 1
    assert tab.page.locator("main h1").first.inner_text() not in ("", "API documentation")
    tab.assert_clean()


@pytest.mark.parametrize(("screen", "language"), [("desktop", "en"), ("phone", "ar")])
def test_the_report_list_offers_each_year_and_a_tagged_pdf(
    open_tab: OpenTab, screen: str, language: str
) -> None:
    """Issue 11, item 6: from the menu to the list of reports, a language for them, then the PDF."""
    tab = open_tab(screen, language)
    tab.open("/")
    open_menu(tab)
    with tab.page.expect_navigation():
        tab.page.locator("header nav a[href='/reports/']:visible").click()
    page = tab.page
    page.locator("#report-language").select_option("fr")
    with page.expect_navigation():
        page.locator("main form.inline-form button[type=submit]").click()
    tab.assert_clean()
    rows = page.locator("section[aria-labelledby='sg-title'] tbody tr")
    years = [int(y) for y in rows.locator("th").all_text_contents()]
    assert years and years == sorted(set(years), reverse=True)
    for index, year in enumerate(years):
        links = rows.nth(index).locator("a")
        assert [links.nth(i).get_attribute("href") for i in range(2)] == [
            f"/reports/sg/{year}/?lang=fr",
            f"/reports/sg/{year}/pdf/?lang=fr",
        ]
    answer = page.request.get(tab.base + rows.first.locator("a").nth(1).get_attribute("href"))
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    pdf = answer.body()
    assert pdf.startswith(b"%PDF-")
    raw = b"\n".join([pdf, *_streams(pdf)])
    assert b"/StructTreeRoot" in raw and re.search(rb"/MarkInfo\s*<<\s*/Marked true", raw)
    assert b"/Lang (fr)" in raw
    links = sorted({u.decode() for u in re.findall(rb"/URI\s*\(([^)]*)\)", raw)})
    assert links and all(u.startswith(tab.base + "/") for u in links), links
    for link in links[:3]:  # the links lead to pages of the site
        assert page.request.get(link).status == 200, link
    # the web page of the same report, in French, whatever the language of the site
    rows.first.locator("a").first.click()
    page.wait_for_url(f"**/reports/sg/{years[0]}/?lang=fr")
    page.wait_for_load_state("networkidle")
    report = page.locator("article.report")
    assert (report.get_attribute("lang"), report.get_attribute("dir")) == ("fr", "ltr")
    tab.assert_clean()


def _streams(pdf: bytes) -> list[bytes]:
    """The PDF's compressed streams, inflated (the structure tree and the links are inside them)."""
    out = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            out.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return out
