"""Chart text: at least 12 units high and never overlapping, at several data sizes and widths.

Label boxes are computed from the SVG alone: a text's width is estimated from its length (0.6 em per
Latin character, a little wider than the digits and letters the charts use, a Chinese character 1 em), its height is its font size,
its anchor and direction place it, and a ``rotate`` transform turns the box. Two boxes overlap when no
separating axis exists between them (the separating axis theorem for rectangles).
"""

from __future__ import annotations

import math
import re
import unicodedata
import xml.etree.ElementTree as ET

import pytest

from vinculo.charts import SUPPRESSED, bar_chart, line_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"
EM = 0.6
Box = list[tuple[float, float]]


def label_boxes(svg: str) -> list[tuple[str, float, Box]]:
    """(text, font size, corner points) of every drawn text of the chart."""
    root = ET.fromstring(svg)
    default = float(root.get("font-size", "12"))
    out = []
    for node in root.iter(f"{SVG}text"):
        label = "".join(node.itertext())
        size = float(node.get("font-size", default))
        x, y = float(node.get("x", 0)), float(node.get("y", 0))
        # East Asian wide characters are a full em
        w = size * sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else EM for ch in label)
        anchor, rtl = node.get("text-anchor", "start"), node.get("direction") == "rtl"
        if anchor == "middle":
            x0 = x - w / 2
        elif (anchor == "start") != rtl:
            x0 = x
        else:
            x0 = x - w
        corners = [
            (x0, y - 0.8 * size),
            (x0 + w, y - 0.8 * size),
            (x0 + w, y + 0.2 * size),
            (x0, y + 0.2 * size),
        ]
        rotate = re.match(r"rotate\(([-\d.]+) ([-\d.]+) ([-\d.]+)\)", node.get("transform", ""))
        if rotate:
            a, cx, cy = (float(g) for g in rotate.groups())
            c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
            corners = [
                (cx + (px - cx) * c - (py - cy) * s, cy + (px - cx) * s + (py - cy) * c) for px, py in corners
            ]
        out.append((label, size, corners))
    return out


def _separated(a: Box, b: Box) -> bool:
    for poly in (a, b):
        for i in range(4):
            (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % 4]
            nx, ny = y2 - y1, x1 - x2
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            if max(pa) <= min(pb) + 1e-6 or max(pb) <= min(pa) + 1e-6:
                return True
    return False


def overlaps(svg: str) -> list[tuple[str, str]]:
    boxes = label_boxes(svg)
    return [
        (boxes[i][0], boxes[j][0])
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if not _separated(boxes[i][2], boxes[j][2])
    ]


def small_text(svg: str) -> list[str]:
    return [label for label, size, _box in label_boxes(svg) if size < 12]


def test_the_box_check_finds_overlaps_and_respects_rotation() -> None:
    head = '<svg xmlns="http://www.w3.org/2000/svg" font-size="12">'
    assert overlaps(head + '<text x="0" y="10">abcdef</text><text x="20" y="10">ghijkl</text></svg>')
    assert not overlaps(head + '<text x="0" y="10">abc</text><text x="40" y="10">def</text></svg>')
    # two labels rotated -40 degrees 20 units apart are parallel and clear; upright they would overlap
    rotated = "".join(
        f'<text x="{x}" y="50" text-anchor="end" transform="rotate(-40 {x} 50)">2019 report</text>'
        for x in (0, 20)
    )
    assert not overlaps(head + rotated + "</svg>")
    assert small_text(head + '<text x="0" y="0" font-size="11">tiny</text></svg>') == ["tiny"]


WIDTHS = [340, 660, 960]
SIZES = [1, 3, 8, 15, 24, 40]


def _values(n: int, k: int) -> dict[str, list[object]]:
    series = {}
    for j in range(k):
        series[f"Series number {j + 1}"] = [
            SUPPRESSED
            if (i + j) % 7 == 3
            else (None if (i + j) % 11 == 5 else 1234567 // (i + j + 1) + 13 * i)
            for i in range(n)
        ]
    return series


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("horizontal", [False, True])
def test_bar_chart_text_never_overlaps(width: int, n: int, horizontal: bool) -> None:
    cats = [str(2000 + i) if i % 2 else f"Category {i}" for i in range(n)]
    svg = bar_chart(
        cats,
        _values(n, 1)["Series number 1"],
        title="Victims",
        description="d",
        width=width,
        horizontal=horizontal,
    )
    assert overlaps(svg) == [] and small_text(svg) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("k", [2, 3, 5])
@pytest.mark.parametrize("mode", ["grouped", "stacked"])
@pytest.mark.parametrize("horizontal", [False, True])
def test_grouped_and_stacked_bar_text_never_overlaps(
    width: int, n: int, k: int, mode: str, horizontal: bool
) -> None:
    years = [str(2003 + i) for i in range(n)]
    svg = stacked_bar_chart(
        years, _values(n, k), title="By sex", description="d", mode=mode, width=width, horizontal=horizontal
    )  # type: ignore[arg-type]
    assert overlaps(svg) == [] and small_text(svg) == []
    # no negative sizes, however many bars share the width
    assert not re.search(r'(width|height)="-', svg)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("k", [1, 3])
def test_line_chart_text_never_overlaps(width: int, n: int, k: int) -> None:
    series = {name: [v if isinstance(v, int) else None for v in vals] for name, vals in _values(n, k).items()}
    svg = line_chart(list(range(2003, 2003 + n)), series, title="Trend", description="d", width=width)
    assert overlaps(svg) == [] and small_text(svg) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", ["grouped", "stacked"])
def test_chinese_legends_and_labels_never_overlap(width: int, mode: str) -> None:
    series = {
        "与刑事司法系统有正式接触的人员": [120, 80, 95],
        "贩运人口罪行": [30, 20, 41],
        "被起诉的人员": [12, 9, 15],
        "被定罪的人员": [7, 5, 8],
    }
    for horizontal in (False, True):
        svg = stacked_bar_chart(
            ["二〇二〇年", "二〇二一年", "二〇二二年"],
            series,  # type: ignore[arg-type]
            title="刑事司法",
            description="d",
            mode=mode,  # type: ignore[arg-type]
            width=width,
            horizontal=horizontal,
        )
        assert overlaps(svg) == [] and small_text(svg) == []
    svg = line_chart([2020, 2021, 2022], series, title="趋势", description="d", width=width)  # type: ignore[arg-type]
    assert overlaps(svg) == []
