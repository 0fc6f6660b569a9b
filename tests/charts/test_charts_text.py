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


LONG_TITLE = (
    "Main countries where citizens were detected abroad (all years), Democratic Republic of the Congo"
)
CHINESE_TITLE = "在国外被发现的本国公民的主要所在国家（所有年份），刚果民主共和国和大不列颠及北爱尔兰联合王国"


def _every_chart(title: str, width: int) -> dict[str, str]:
    from vinculo.charts import FlowLink, choropleth_map, histogram, interval_chart, sankey_chart, upset_chart

    names = {"COD": "Democratic Republic of the Congo", "GBR": "United Kingdom"}
    return {
        "bar": bar_chart(["A", "B"], [3, 4], title=title, description="d", width=width),
        "hbar": bar_chart(["A", "B"], [3, 4], title=title, description="d", width=width, horizontal=True),
        "stacked": stacked_bar_chart(
            ["2020", "2021"], _values(2, 3), title=title, description="d", width=width
        ),  # type: ignore[arg-type]
        "line": line_chart(
            [2020, 2021], {"a": [1, 2], "b": [2, 1]}, title=title, description="d", width=width
        ),
        "hist": histogram([1.0, 2.0, 2.5, 3.0], bins=3, title=title, description="d", width=width),
        "empty": bar_chart([], [], title=title, description="d", width=width),
        "interval": interval_chart(
            ["m1", "m2"], [5, 6], [4, 5], [6, 8], title=title, description="d", width=width
        ),
        "flow": sankey_chart(
            [FlowLink("COD", "GBR", 12.0)],
            title=title,
            description="d",
            source_labels=names,
            target_labels=names,
            width=width,
        ),
        "upset": upset_chart(
            ["A", "B"],
            [{"A": 1, "B": 0, "count": 3}, {"A": 1, "B": 1, "count": 2}],
            title=title,
            description="d",
        ),
        "map": choropleth_map({"COD": 3.0}, title=title, description="d"),
    }


@pytest.mark.parametrize("width", [340, 680, 960])
@pytest.mark.parametrize("title", [LONG_TITLE, CHINESE_TITLE])
def test_long_titles_wrap_inside_every_chart_type_and_keep_the_accessible_name(
    width: int, title: str
) -> None:
    for kind, svg in _every_chart(title, width).items():
        root = ET.fromstring(svg)
        assert root.find(f"{SVG}title").text == title, kind  # the chart's accessible name is the whole title
        if kind == "map":
            continue  # no drawn title; its captions are hidden until a country is pointed at (browser tests)
        drawn_width = float(root.get("viewBox", "0 0 0 0").split()[2])
        drawn_height = float(root.get("viewBox", "0 0 0 0").split()[3])
        for label, _size, corners in label_boxes(svg):
            xs, ys = [x for x, _y in corners], [y for _x, y in corners]
            assert min(xs) >= 0 and max(xs) <= drawn_width, f"{kind} at {width}: {label!r} leaves the chart"
            assert min(ys) >= 0 and max(ys) <= drawn_height, f"{kind} at {width}: {label!r}"
        assert overlaps(svg) == [] and small_text(svg) == [], kind
        bold = ["".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
        if kind in ("bar", "hbar", "stacked", "line", "hist", "empty"):
            # drawn, whole, on as many lines as it needs
            assert len(bold) >= (2 if width == 340 else 1), kind
            assert "".join(bold).replace(" ", "") == title.replace(" ", ""), kind


def test_wrap_text_keeps_every_character_and_fits_the_width() -> None:
    from vinculo.charts._svg import text_units, wrap_text

    for label in (LONG_TITLE, CHINESE_TITLE, "x" * 50, "a " * 30, "Supercalifragilistic short", "", "  "):
        for units in (1, 5, 12.5, 40, 200):
            lines = wrap_text(label, units)
            assert lines and all(text_units(line) <= max(units, 1) or len(line) == 1 for line in lines)
            assert "".join(lines).replace(" ", "") == label.replace(" ", "")
            assert all(line == line.strip() for line in lines)
    assert wrap_text("Bolivia (Plurinational State of)", 14) == ["Bolivia", "(Plurinational", "State of)"]
