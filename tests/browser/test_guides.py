"""The guides, reached as a reader would: from the footer of any page, in each language and at each size."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import LANGUAGES, SCREENS, OpenTab


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_a_reader_opens_a_guide_from_the_footer_and_sees_its_pictures(
    open_tab: OpenTab, language: str, screen: str
) -> None:
    tab = open_tab(screen, language)
    tab.open("/evidence/")
    tab.page.locator("footer a[href='/guides/']").click()
    tab.page.wait_for_url("**/guides/")
    tab.page.wait_for_load_state("networkidle")
    tab.assert_clean()
    tab.page.locator("main a[href='/guides/reading-a-country-profile/']").click()
    tab.page.wait_for_url("**/guides/reading-a-country-profile/")
    tab.page.wait_for_load_state("networkidle")
    tab.assert_clean()
    images = tab.page.locator("article.guide img")
    assert images.count() >= 2
    for index in range(images.count()):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        image.evaluate("img => img.complete || new Promise(done => img.addEventListener('load', done))")
        natural, shown = image.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
        assert natural > 0, f"picture {index} did not load"
        assert shown <= SCREENS[screen].width, f"picture {index} is wider than the window"
    assert tab.overflow() == 0


# A page, whether it needs the data manager's session, and the guide its "How this works" link opens.
HOW_THIS_WORKS = [
    ("/evidence/countries/NGA/", False, "reading-a-country-profile"),
    ("/cases/submissions/new/", True, "ngo-sharing-cases"),
    ("/estimates/new/", True, "rapporteur-estimate"),
]


@pytest.mark.parametrize(("path", "signed_in", "guide"), HOW_THIS_WORKS)
def test_how_this_works_on_a_page_opens_the_guide_for_that_page(
    open_tab: OpenTab, manager_state: Any, path: str, signed_in: bool, guide: str
) -> None:
    tab = open_tab("phone", "ar", storage_state=manager_state if signed_in else None)
    tab.open(path)
    link = tab.page.locator("main p.guide-link a")
    assert link.count() == 1 and link.is_visible()
    link.click()
    tab.page.wait_for_url(f"**/guides/{guide}/")
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.locator("main h1").count() == 1 and tab.page.locator("article.guide").count() == 1
    tab.assert_clean()
