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
