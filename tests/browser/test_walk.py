"""A walk of the platform's main pages in a real browser, at a desktop and a phone size, in English, Arabic
and Chinese (issue 11): each page declares its language and direction, has no WCAG 2.2 AA violation found by
axe-core, asks no host but the server for anything, logs no script error and never scrolls sideways.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import LANGUAGES, SCREENS, OpenTab, Platform, open_menu, sign_in

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
