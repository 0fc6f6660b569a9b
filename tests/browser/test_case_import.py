"""The guided case import in a real browser (issue 11, item 3), by clicking and typing: upload a file of
another layout, map its columns, see the preview and the one clear choice, import the valid rows. Every page
on the way is checked in English, Arabic and Chinese, at a phone and a desktop size (axe, no overflow).
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import LANGUAGES, SCREENS, OpenTab

# Fictitious people (synthetic): a blank row-number column A, own column names, a near-miss code, an
# invalid country code, a date written day first.
FILE = (
    b",Sex,Kind of exploitation,Referred on,Where exploited,Given name\n"
    b"1,Feminine,Forced labor,2021-05-12,FR,Synthetic-Anna\n"
    b"2,Masculine,SexualExploitation,13/06/2021,France,Synthetic-Boris\n"
    b"3,Feminine,ForcedLabour,2021-07-02,XX,Synthetic-Chen\n"
)

MAPPING = {
    "Sex": "prs_Gender",
    "Kind of exploitation": "vic_TypeOfExploitation",
    "Referred on": "cas_IncomingReferralDate",
    "Where exploited": "vic_LocationOfExploitation",
    "Given name": "prs_FirstName",
}


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_data_manager_imports_a_file_of_another_layout_step_by_step(
    open_tab: OpenTab, manager_state: Any, language: str, screen: str
) -> None:
    tab = open_tab(screen, language, storage_state=manager_state)
    page = tab.page
    tab.open("/cases/submissions/new/")
    assert page.locator("a[href='/cases/submissions/template.xlsx']").is_visible()
    assert page.locator("a[href='/cases/submissions/example.csv']").is_visible()
    tab.assert_clean()

    page.locator("#id_file").set_input_files(
        {"name": f"shelter-{language}-{screen}.csv", "mimeType": "text/csv", "buffer": FILE}
    )
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/cases/submissions/" in page.url and page.url.rstrip("/").split("/")[-1].isdigit()
    page.wait_for_load_state("networkidle")
    tab.assert_clean()

    page.locator("a[href$='/mapping/']").click()
    page.wait_for_url("**/mapping/")
    tab.assert_clean()
    for row in page.locator("main table tbody tr").all():
        header = row.locator("th").inner_text().strip()
        if header in MAPPING:
            row.locator("select").select_option(MAPPING[header])
    page.locator("#id_date_order").select_option("DMY")
    page.locator("#id_save_as").press_sequentially(f"Shelter layout {language} {screen}")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    tab.assert_clean()

    # The preview masks the names; the one choice imports the valid row and quarantines the others.
    main = page.locator("main").inner_text()
    assert "Synthetic-Anna" not in main and "Synthetic-Boris" not in main
    assert page.locator("form[action$='/confirm/'] button").count() == 1
    assert page.locator("form[action$='/confirm/'] input[name=valid_only]").count() == 1
    with page.expect_navigation():
        page.locator("form[action$='/confirm/'] button").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("a[href$='/quarantine.csv']").count() == 1
    tab.assert_clean()
