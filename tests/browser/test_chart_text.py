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


# Each visible chart's box and the screen boxes of its texts, to check that none leaves its chart.
INSIDE = """(selector) => [...document.querySelectorAll(selector)].filter(s => s.getClientRects().length)
  .map(svg => { const r = svg.getBoundingClientRect();
    return {kind: svg.getAttribute('class'), box: [r.left, r.top, r.right, r.bottom],
      texts: [...svg.querySelectorAll('text')].filter(t => t.getClientRects().length).map(t => {
        const b = t.getBoundingClientRect();
        return {label: t.textContent, box: [b.left, b.top, b.right, b.bottom],
                size: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b)};
      })}; })"""


def _narrow_tab(browser: Any, server: str, width: int) -> Any:
    """A phone-sized tab narrower than the shared screens (340 px: a small phone)."""
    from .conftest import Screen, Tab, _guard

    screen = Screen(width, 740, mobile=True)
    context = browser.new_context(
        viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    tab = Tab(page=context.new_page(), base=server, screen=screen, language=LANGUAGES["en"])
    _guard(tab, context)
    return context, tab


@pytest.mark.parametrize("width", [340, 390])
def test_sankey_labels_and_chart_titles_stay_inside_a_narrow_phone(
    browser: Any, server: str, width: int
) -> None:
    context, tab = _narrow_tab(browser, server, width)
    try:
        tab.open("/evidence/world/")
        assert tab.overflow() == 0
        charts = tab.page.evaluate(INSIDE, "svg.vinculo-chart")
        tab.open("/evidence/countries/NGA/")
        assert tab.overflow() == 0
        profile = tab.page.evaluate(INSIDE, "svg.vinculo-chart")
        assert any("sankey" in c["kind"] for c in profile), "the profile shows its flow diagrams"
        charts += profile
        for chart in charts:
            left, top, right, bottom = chart["box"]
            for t in chart["texts"]:
                x0, y0, x1, y1 = t["box"]
                assert left - 1 <= x0 and x1 <= right + 1, f"{t['label']!r} leaves its chart ({width} px)"
                assert top - 1 <= y0 and y1 <= bottom + 1, t["label"]
            if "sankey" in chart["kind"]:
                # the diagram's labels are whole (wrapped, never cut) and at least 12 px on screen
                assert all("…" not in t["label"] and t["size"] >= 11.95 for t in chart["texts"])
        texts = tab.page.evaluate(MEASURE, "svg.sankey")
        assert [p for p in _problems(texts) if "overlaps" in p] == []
        # every chart text of the profile is at least 12 px on screen, at 340 px too
        assert [p for p in _problems(tab.page.evaluate(MEASURE, "svg.vinculo-chart")) if " px" in p] == []
        # the drawn titles of the profile's charts are whole
        titles = tab.page.eval_on_selector_all(
            "svg.vinculo-chart",
            "ss => ss.filter(s => s.getClientRects().length).map(s => [s.querySelector('title').textContent,"
            " [...s.querySelectorAll('text[font-weight=bold]')].map(t => t.textContent).join(' ')])",
        )
        drawn = [(name, shown) for name, shown in titles if shown]
        assert drawn and all(shown == name for name, shown in drawn)
    finally:
        context.close()


def test_the_map_shows_the_indicator_and_year_chosen(open_tab: OpenTab) -> None:
    tab = open_tab("phone", "en")
    tab.open("/evidence/world/")
    tab.page.locator("#map-indicator").select_option("Persons convicted")
    tab.page.wait_for_url("**map_indicator=Persons+convicted**")
    tab.page.wait_for_load_state("networkidle")
    years = [y for y in tab.page.locator("#map-year option").evaluate_all("os => os.map(o => o.value)")]
    assert years[0] == "latest" and len(years) > 2
    chosen = years[-2]
    tab.page.locator("#map-year").select_option(chosen)
    tab.page.wait_for_url(f"**map_year={chosen}**")
    tab.page.wait_for_load_state("networkidle")
    assert f"Persons convicted in {chosen}" in tab.page.locator("#map-title").inner_text()
    cells = tab.page.eval_on_selector_all(
        "table[data-table='map'] tbody tr", "rows => rows.map(r => r.cells[2].textContent.trim())"
    )
    assert chosen in cells and set(cells) <= {chosen, "–"}
    tab.assert_clean()
