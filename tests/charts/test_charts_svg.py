"""Behaviour shared by every chart: valid XML, accessible names, escaping, empty data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from vinculo.charts import (
    PALETTE,
    SUPPRESSED,
    bar_chart,
    escape_text,
    histogram,
    line_chart,
    stacked_bar_chart,
)

NS = "{http://www.w3.org/2000/svg}"
EVIL = "<script>alert(\"x\")</script> & 'quotes' \x00\x0b"

CHARTS: dict[str, Callable[[str, str], str]] = {
    "bar": lambda t, d: bar_chart(["A", "B", "C"], [3, 1, None], title=t, description=d),
    "bar_horizontal": lambda t, d: bar_chart(
        ["A", "B"], [3, SUPPRESSED], title=t, description=d, horizontal=True
    ),
    "stacked": lambda t, d: stacked_bar_chart(
        ["2020", "2021"], {"F": [1, 2], "M": [3, None]}, title=t, description=d
    ),
    "grouped": lambda t, d: stacked_bar_chart(
        ["2020", "2021"], {"F": [1, 2], "M": [3, 4]}, title=t, description=d, mode="grouped"
    ),
    "line": lambda t, d: line_chart([2020, 2021, 2022], {"x": [1, 2, 3]}, title=t, description=d),
    "histogram": lambda t, d: histogram([1.0, 2.0, 2.0, 3.0], bins=3, title=t, description=d),
}


def all_numbers_in_rects_are_finite(root: ET.Element) -> bool:
    for el in root.iter():
        for key in ("x", "y", "width", "height", "x1", "x2", "y1", "y2", "cx", "cy"):
            if key in el.attrib:
                value = float(el.attrib[key])
                if value != value or value in (float("inf"), float("-inf")):
                    return False
                if key in ("width", "height") and value < 0:
                    return False
    return True


@pytest.mark.parametrize("kind", list(CHARTS))
def test_chart_parses_as_svg_with_title_desc_and_aria_labelledby(kind: str) -> None:
    svg = CHARTS[kind]("Victims by year", "Detected victims per year, 2020-2022.")
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    assert root.attrib["role"] == "img"
    title = root.find(f"{NS}title")
    desc = root.find(f"{NS}desc")
    assert title is not None and title.text == "Victims by year"
    assert desc is not None and desc.text == "Detected victims per year, 2020-2022."
    ids = root.attrib["aria-labelledby"].split()
    assert ids == [title.attrib["id"], desc.attrib["id"]]
    assert all_numbers_in_rects_are_finite(root)


@pytest.mark.parametrize("kind", list(CHARTS))
def test_chart_escapes_script_in_title_and_description(kind: str) -> None:
    svg = CHARTS[kind](EVIL, EVIL)
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{NS}script"))
    title = root.find(f"{NS}title")
    assert title is not None and title.text is not None and "<script>" in title.text


def test_labels_from_user_data_are_escaped() -> None:
    svg = bar_chart([EVIL, "ok"], [1, 2], title="t", description="d")
    assert "<script>" not in svg
    ET.fromstring(svg)
    svg = stacked_bar_chart(["a"], {EVIL: [1], "b": [2]}, title="t", description="d")
    assert "<script>" not in svg
    ET.fromstring(svg)
    svg = line_chart(["x", EVIL], {EVIL: [1, 2]}, title="t", description="d")
    assert "<script>" not in svg
    ET.fromstring(svg)


def test_escape_text_drops_characters_xml_forbids() -> None:
    assert escape_text("a\x00b\x1fc") == "abc"
    assert escape_text("<&>\"'") == "&lt;&amp;&gt;&quot;&#39;"


@pytest.mark.parametrize(
    "make",
    [
        lambda: bar_chart([], [], title="Empty", description="none"),
        lambda: bar_chart(["A", "B"], [None, None], title="Empty", description="none"),
        lambda: stacked_bar_chart(["A"], {}, title="Empty", description="none"),
        lambda: line_chart([], {}, title="Empty", description="none"),
        lambda: line_chart([1, 2], {"s": [None, None]}, title="Empty", description="none"),
        lambda: histogram([], title="Empty", description="none"),
        lambda: histogram([float("nan")], title="Empty", description="none"),
    ],
)
def test_empty_data_gives_a_no_data_chart(make: Callable[[], str]) -> None:
    svg = make()
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "No data to show" in texts


def test_two_charts_on_one_page_have_distinct_ids() -> None:
    a = bar_chart(["A"], [1], title="One", description="d")
    b = bar_chart(["A"], [2], title="Two", description="d")
    ida = ET.fromstring(a).attrib["aria-labelledby"]
    idb = ET.fromstring(b).attrib["aria-labelledby"]
    assert ida != idb


def test_text_in_arabic_gets_rtl_direction_and_keeps_its_side() -> None:
    svg = bar_chart(["ذكور", "Female"], [3, 4], title="t", description="d", horizontal=True)
    root = ET.fromstring(svg)
    assert root.attrib["direction"] == "ltr"
    labels = {t.text: t.attrib for t in root.iter(f"{NS}text")}
    # both category labels are right-aligned at the same x whatever their script
    assert labels["ذكور"]["direction"] == "rtl"
    assert labels["ذكور"]["text-anchor"] == "start"
    assert labels["Female"]["direction"] == "ltr"
    assert labels["Female"]["text-anchor"] == "end"
    assert labels["ذكور"]["x"] == labels["Female"]["x"]


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("colour", PALETTE)
def test_palette_colours_have_at_least_3_to_1_contrast_on_white(colour: str) -> None:
    assert re.fullmatch(r"#[0-9A-F]{6}", colour)
    ratio = 1.05 / (relative_luminance(colour) + 0.05)
    assert ratio >= 3.0


def test_every_name_in_all_is_importable_and_django_is_not_loaded() -> None:
    import subprocess
    import sys

    code = (
        "import sys, vinculo.charts as m; "
        "assert all(hasattr(m, n) for n in m.__all__); "
        "assert 'django' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
