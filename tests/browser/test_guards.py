"""The guards of the walk catch what they are there for: a test that cannot fail would prove nothing.

Each case writes a small page with one defect into a blank tab (no server page, so the platform's
Content-Security-Policy, which would stop some of these defects first, is not in the way) and expects that
defect to be reported.
"""

from __future__ import annotations

import pytest

from .conftest import OpenTab, Tab


def _show(open_tab: OpenTab, body: str, screen: str = "phone") -> Tab:
    tab = open_tab(screen, "en")
    tab.page.set_content(
        "<!DOCTYPE html><html lang='en'><head><title>t</title>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'></head><body>{body}</body></html>"
    )
    return tab


def test_axe_reports_an_image_without_text(open_tab: OpenTab) -> None:
    tab = _show(open_tab, "<main><h1>Title</h1><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='></main>")
    assert any(line.startswith("image-alt ") for line in tab.axe_violations())


def test_a_clean_page_has_no_axe_violation(open_tab: OpenTab) -> None:
    tab = _show(open_tab, "<main><h1>Title</h1><p>Text.</p></main>")
    assert tab.axe_violations() == []


def test_overflow_is_measured_at_phone_width(open_tab: OpenTab) -> None:
    tab = _show(open_tab, "<main><div style='width: 1000px'>wide</div></main>")
    assert tab.overflow() >= 1000 - 390


def test_requests_to_other_hosts_are_refused_and_reported(open_tab: OpenTab) -> None:
    tab = _show(open_tab, "<main><img alt='x' src='http://other.invalid/pixel.png'></main>")
    tab.page.wait_for_load_state("networkidle")
    assert tab.foreign_requests == ["http://other.invalid"]
    with pytest.raises(AssertionError, match="requests to other hosts"):
        tab.assert_clean()
