"""The evidence selectors in a real browser: choosing a value changes the chart and the table, the address
keeps the selection, the focus stays on the control, and the same forms work with script turned off."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import LANGUAGES, SCREENS, OpenTab

screens = pytest.mark.parametrize("screen", list(SCREENS))
languages = pytest.mark.parametrize("language", list(LANGUAGES))


def _rows(tab: Any, key: str) -> list[list[str]]:
    return tab.page.eval_on_selector_all(
        f"table[data-table='{key}'] tbody tr",
        "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent.trim()))",
    )


def _svg_text(tab: Any, figure: str) -> str:
    return tab.page.locator(f"#chart-{figure} svg").first.inner_html()


@screens
@languages
def test_choosing_an_origin_redraws_the_diagram_and_its_table(
    open_tab: OpenTab, language: str, screen: str
) -> None:
    tab = open_tab(screen, language)
    tab.open("/evidence/flows/")
    tab.assert_clean()
    before = _svg_text(tab, "sankey")
    tab.page.locator("#flow-origin").select_option("NGA")
    tab.page.wait_for_url("**origin=NGA**")
    tab.page.wait_for_function(
        "() => Array.from(document.querySelectorAll(\"table[data-table='sankey'] tbody tr\"))"
        ".every(r => r.cells[0].textContent.trim() === 'NGA')"
    )
    rows = _rows(tab, "sankey")
    assert rows and all(r[0] == "NGA" for r in rows)
    assert _svg_text(tab, "sankey") != before
    assert tab.page.evaluate("document.activeElement.id") == "flow-origin"
    tab.assert_clean()


@screens
@languages
def test_the_profile_selectors_change_the_series(open_tab: OpenTab, language: str, screen: str) -> None:
    tab = open_tab(screen, language)
    tab.open("/evidence/countries/NGA/")
    tab.assert_clean()
    first = _rows(tab, "explore")
    tab.page.locator("#ex-sex").select_option("Female")
    tab.page.wait_for_url("**sex=Female**")
    tab.page.locator("#ex-age").select_option("18 years or over")
    tab.page.wait_for_url("**age=18**")
    tab.page.wait_for_function(
        "(n) => document.querySelector(\"table[data-table='explore'] thead\").textContent.split(',').length >= n",
        arg=3,
    )
    assert _rows(tab, "explore") != first
    assert tab.page.evaluate("document.activeElement.id") == "ex-age"
    # the comparison follows the selection, in counts (the populations are not by sex and age)
    assert tab.page.locator("table[data-table='compare']").count() == 1
    tab.assert_clean()


def test_the_diagram_can_be_read_with_the_keyboard(open_tab: OpenTab) -> None:
    tab = open_tab("desktop", "en")
    tab.open("/evidence/flows/?origin=NGA")
    # The page holds the diagram at three drawn widths and shows one: the keyboard reaches that one.
    first_link = tab.page.locator("#chart-sankey .sankey-link:visible").first
    first_link.focus()
    label = tab.page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label.startswith("Nigeria → ") and label.endswith(")")
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("document.activeElement.getAttribute('class')") in ("sankey-link", "sankey-node")


def test_the_selectors_work_without_script(browser: Any, server: str) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(server + "/evidence/countries/NLD/")
        page.locator("#ex-from").select_option("2016")
        page.locator("#ex-to").select_option("2018")
        with page.expect_navigation():
            page.locator("#explore button[type=submit]").click()
        assert "from=2016" in page.url and "to=2018" in page.url
        years = page.eval_on_selector_all(
            "table[data-table='explore'] tbody th", "cells => cells.map(c => Number(c.textContent))"
        )
        assert years and min(years) >= 2016 and max(years) <= 2018
        page.locator("a[href='/evidence/flows/']").first.click()
        page.locator("#flow-destination").select_option("NLD")
        with page.expect_navigation():
            page.locator("#diagram button[type=submit]").click()
        dest = page.eval_on_selector_all(
            "table[data-table='sankey'] tbody tr", "rows => rows.map(r => r.cells[2].textContent.trim())"
        )
        assert dest and set(dest) == {"NLD"}
    finally:
        context.close()


# Angola's profile has "<5" cells that its published totals pin down: each carries a footnote.
FOOTNOTED = "AGO"


@pytest.mark.parametrize(("screen", "language"), [("desktop", "en"), ("phone", "ar")])
def test_a_derived_range_footnote_leads_to_its_reason_and_back(
    open_tab: OpenTab, screen: str, language: str
) -> None:
    tab = open_tab(screen, language)
    tab.open(f"/evidence/countries/{FOOTNOTED}/")
    page = tab.page
    ref = page.locator("a.note-ref").first
    assert ref.count() == 1, "the profile shows a derived range"
    # the tables sit behind "Data behind …": open the one holding the first footnote, as a reader does
    page.locator("details:has(a.note-ref) > summary").first.click()
    assert ref.is_visible()
    cell, year = ref.evaluate(
        "a => [a.closest('td').textContent, a.closest('tr').querySelector('th').textContent]"
    )
    assert cell.strip().startswith("<5"), cell  # the published "<5", then the range the totals leave
    target = ref.get_attribute("href")
    ref.click()
    page.wait_for_url(f"**{target}")
    note = page.locator(target)
    assert (
        page.evaluate("document.querySelector(':target') && document.querySelector(':target').id")
        == target[1:]
    )
    assert note.is_visible() and note.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top > -1 && r.bottom < innerHeight + 1; }"
    )
    # the reason is the cell's own (its year first) and names the published figures it comes from
    reason = note.inner_text()
    assert reason.startswith(year.strip()) and "<5" in reason and "=" in reason, reason
    tab.assert_clean()
    note.locator("a").click()
    page.wait_for_url(f"**#{ref.get_attribute('id')}")
    assert ref.evaluate(
        "a => a.getBoundingClientRect().top > -1 && a.getBoundingClientRect().bottom < innerHeight + 1"
    )


def _country_rows(tab: Any) -> list[list[str]]:
    return _rows(tab, "countries")


def _count(text: str) -> int:
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits else -1


@screens
def test_the_country_list_is_searched_and_sorted_by_typing_and_clicking(
    open_tab: OpenTab, screen: str
) -> None:
    tab = open_tab(screen, "en")
    tab.open("/evidence/countries/")
    page = tab.page
    every = _country_rows(tab)
    page.locator("#country-q").click()
    page.keyboard.type("ang")
    page.locator("#country-sort").select_option("victims")
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").click()
    assert "q=ang" in page.url and "sort=victims" in page.url
    found = _country_rows(tab)
    assert 0 < len(found) < len(every)
    assert all("ang" in (name + code).lower() for name, code, *_ in found)
    counts = [_count(r[5]) for r in found]
    assert counts == sorted(counts, reverse=True)
    assert page.locator("#country-q").input_value() == "ang"  # the form keeps what was typed
    tab.assert_clean()
    # sort by code, submitted from the search box with Enter
    page.locator("#country-q").fill("")
    page.locator("#country-sort").select_option("code")
    page.locator("#country-q").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    codes = [r[1] for r in _country_rows(tab)]
    assert len(codes) == len(every) and codes == sorted(codes)
    # a State that is only a country of origin in the data has a page too
    origin = page.locator("table[data-table='origins'] tbody th a").first
    name = origin.inner_text().strip()
    origin.click()
    page.wait_for_url("**/evidence/countries/*/")
    assert name in page.locator("h1").inner_text()
    tab.assert_clean()


CLEAN_CSV = """async () => {
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
    .filter(h => /\\.(csv|json|xlsx)(\\?|$)/.test(h));
  const out = [];
  for (const href of [...new Set(links)]) {
    const r = await fetch(href, {credentials: 'same-origin'});
    const type = r.headers.get('content-type') || '';
    out.push({href, status: r.status, type, text: href.includes('.xlsx') ? '' : await r.text()});
  }
  return out;
}"""


@pytest.mark.parametrize("path", [f"/evidence/countries/{FOOTNOTED}/", "/evidence/world/"])
def test_every_download_of_a_view_is_a_clean_file(open_tab: OpenTab, path: str) -> None:
    """Each CSV link of the page gives a table and nothing else: the header first, no notes or blank lines."""
    import csv
    import io
    import json

    tab = open_tab("desktop", "en")
    tab.open(path)
    files = tab.page.evaluate(CLEAN_CSV)
    kinds = {f["href"].split("?")[0].rsplit(".", 1)[1] for f in files}
    assert kinds == {"csv", "json", "xlsx"}, kinds
    for f in files:
        assert f["status"] == 200, f["href"]
        if ".csv" in f["href"]:
            assert f["type"].startswith("text/csv"), f["href"]
            rows = list(csv.reader(io.StringIO(f["text"])))
            header = rows[0]
            assert len(header) >= 2 and all(h.strip() for h in header), (f["href"], header)
            assert not header[0].startswith(("#", "Source", "Note")), f["href"]
            assert all(len(row) == len(header) for row in rows), f"{f['href']}: a row not of the table"
            assert len(rows) >= 2, f["href"]
        elif ".json" in f["href"]:
            assert f["type"].startswith("application/json"), f["href"]
            json.loads(f["text"])
        else:
            assert "spreadsheetml" in f["type"], f["href"]


def test_the_comparison_with_the_region_follows_the_indicator_and_years(open_tab: OpenTab) -> None:
    tab = open_tab("phone", "en")
    tab.open(f"/evidence/countries/{FOOTNOTED}/")
    page = tab.page
    header = page.locator("table[data-table='compare'] thead th").all_text_contents()
    country = page.locator("h1").inner_text().strip()
    # the country's figures and its region's, side by side, each as a count and per 100,000
    assert len(header) >= 5 and country in header[1] and country not in header[3], header
    page.locator("#ex-indicator").select_option("Persons convicted")
    page.wait_for_url("**indicator=Persons+convicted**")
    page.wait_for_function("() => !document.querySelector('#explore[aria-busy]')")
    years = page.locator("#ex-from option").evaluate_all("os => os.map(o => o.value).filter(Boolean)")
    assert len(years) >= 3
    page.locator("#ex-from").select_option(years[1])
    page.wait_for_url(f"**from={years[1]}**")
    page.locator("#ex-to").select_option(years[-2])
    page.wait_for_url(f"**to={years[-2]}**")
    page.wait_for_function(
        "(y) => [...document.querySelectorAll(\"table[data-table='compare'] tbody th\")]"
        ".every(c => Number(c.textContent) <= y)",
        arg=int(years[-2]),
    )
    shown = [int(y) for y in page.locator("table[data-table='compare'] tbody th").all_text_contents()]
    assert shown and min(shown) >= int(years[1]) and max(shown) <= int(years[-2])
    csv_link = page.locator("a[href^='/evidence/compare/'][href*='.csv']").get_attribute("href")
    assert "indicator=Persons+convicted" in csv_link and f"from={years[1]}" in csv_link
    assert page.evaluate("document.activeElement.id") == "ex-to"
    tab.assert_clean()


@languages
def test_a_region_view_changes_with_the_form_of_exploitation(open_tab: OpenTab, language: str) -> None:
    tab = open_tab("desktop", language)
    tab.open("/evidence/regions/Africa/")
    first = _rows(tab, "explore")
    forms = tab.page.locator("#ex-form option").evaluate_all("os => os.map(o => o.value)")
    assert len(forms) >= 3
    tab.page.locator("#ex-form").select_option(forms[1])
    tab.page.wait_for_url("**form=**")
    tab.page.wait_for_function("() => !document.querySelector('#explore[aria-busy]')")
    assert _rows(tab, "explore") != first
    assert tab.page.evaluate("document.activeElement.id") == "ex-form"
    tab.assert_clean()
