"""Chart and map text as the browser draws it (issue 11): at least 12 px on screen and never overlapping,
at a desktop and a phone size, in English, Arabic and Chinese; the world map's countries are links.

Boxes come from the browser: each visible ``<text>``'s ``getBBox()`` (its own coordinates, before its
transform), turned into screen corners with ``getScreenCTM()``, so rotated labels are checked as rotated
rectangles. Its on-screen font size is its computed font size times the scale of that matrix.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from .conftest import LANGUAGES, SCREENS, OpenTab

MEASURE = """(selector) => {
  const out = [];
  document.querySelectorAll(selector).forEach((svg, index) => {
    if (!svg.getClientRects().length) return;  // a drawn width the page does not show at this size
    svg.querySelectorAll('text').forEach((t) => {
      if (!t.getClientRects().length || getComputedStyle(t).visibility === 'hidden') return;
      const b = t.getBBox();
      const m = t.getScreenCTM();
      const corner = (x, y) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
      out.push({svg: index, label: t.textContent,
        size: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b),
        corners: [corner(b.x, b.y), corner(b.x + b.width, b.y), corner(b.x + b.width, b.y + b.height),
                  corner(b.x, b.y + b.height)]});
    });
  });
  return out;
}"""

# Glyph boxes include the font's line gap; labels whose boxes meet by less than this are not overlapping.
TOLERANCE = 1.0


def _separated(a: list[list[float]], b: list[list[float]]) -> bool:
    for poly in (a, b):
        for i in range(4):
            (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % 4]
            length = math.hypot(x2 - x1, y2 - y1) or 1.0
            nx, ny = (y2 - y1) / length, (x1 - x2) / length
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            if max(pa) <= min(pb) + TOLERANCE or max(pb) <= min(pa) + TOLERANCE:
                return True
    return False


def _problems(texts: list[dict[str, Any]]) -> list[str]:
    out = [f"{t['label']!r} is {t['size']:.1f} px" for t in texts if t["size"] < 11.95]
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if a["svg"] == b["svg"] and not _separated(a["corners"], b["corners"]):
                out.append(f"{a['label']!r} overlaps {b['label']!r}")
    return out


screens = pytest.mark.parametrize("screen", list(SCREENS))
languages = pytest.mark.parametrize("language", list(LANGUAGES))


@screens
@languages
def test_country_profile_chart_text_is_readable_and_apart(
    open_tab: OpenTab, language: str, screen: str
) -> None:
    tab = open_tab(screen, language)
    tab.open("/evidence/countries/NGA/")
    texts = tab.page.evaluate(MEASURE, "svg.vinculo-chart")
    assert len({t["svg"] for t in texts}) >= 3, "the profile shows its charts"
    assert _problems(texts) == []
    # one drawn width per chart is shown, stretched to the container's full width
    widths = tab.page.evaluate(
        """() => [...document.querySelectorAll('figure.chart')].filter(f => f.querySelector('.chart-size'))
             .map(f => [f.getBoundingClientRect().width,
                        [...f.querySelectorAll('svg.vinculo-chart')].filter(s => s.getClientRects().length)
                          .map(s => s.getBoundingClientRect().width)])"""
    )
    for figure_width, shown in widths:
        assert len(shown) == 1 and shown[0] == pytest.approx(figure_width, abs=1)


@screens
@languages
def test_world_map_caption_is_readable_on_hover_and_focus(
    open_tab: OpenTab, language: str, screen: str
) -> None:
    tab = open_tab(screen, language)
    tab.open("/evidence/world/")
    assert tab.page.evaluate(MEASURE, "svg.vinculo-map") == []  # no text until a country is pointed at
    country = tab.page.locator("svg.vinculo-map a[data-iso3='BRA']")
    # the outline, not the link: the link's box also holds its (hidden) caption in the map's corner
    country.locator("path").hover()
    texts = tab.page.evaluate(MEASURE, "svg.vinculo-map")
    title = country.locator("title").text_content()
    assert len(texts) == 1 and texts[0]["label"] == title  # the caption reads as the tooltip: name: value
    assert _problems(texts) == []
    tab.page.mouse.move(0, 0)
    country.focus()
    texts = tab.page.evaluate(MEASURE, "svg.vinculo-map")
    assert len(texts) == 1 and texts[0]["size"] >= 12
    frame = tab.page.evaluate(
        "() => [document.querySelector('svg.vinculo-map').getBoundingClientRect().width,"
        " document.querySelector('.map-frame').getBoundingClientRect().width]"
    )
    assert frame[0] == pytest.approx(frame[1], abs=1)
    tab.assert_clean()


@screens
def test_a_country_on_the_map_opens_its_page(open_tab: OpenTab, screen: str) -> None:
    tab = open_tab(screen, "en")
    tab.open("/evidence/countries/")
    tab.page.locator("svg.vinculo-map a[data-iso3='NGA'] path").click()
    tab.page.wait_for_url("**/evidence/countries/NGA/")
    assert "Nigeria" in tab.page.locator("h1").inner_text()
    tab.assert_clean()
