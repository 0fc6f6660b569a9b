"""The origin -> destination (Sankey) diagram: layout invariants read back from the SVG."""

from __future__ import annotations

import itertools
import random
import xml.etree.ElementTree as ET

import pytest
from tests.charts.test_charts_text import label_boxes, overlaps, small_text

from vinculo.charts import OTHER, SUPPRESSED, FlowLink, sankey_chart, sankey_layout
from vinculo.charts._flow import LABEL_SIZE
from vinculo.errors import VinculoError

NS = "{http://www.w3.org/2000/svg}"


def _chart(links: list[FlowLink], **kw: object) -> ET.Element:
    labels = {k: f"Country {k}" for lk in links for k in (lk.source, lk.target)}
    svg = sankey_chart(
        links,
        title="Flows",
        description="d",
        source_labels=labels,
        target_labels=labels,
        when="2021",
        **kw,  # type: ignore[arg-type]
    )
    return ET.fromstring(svg)


def _random_links(seed: int, n_src: int, n_dst: int) -> list[FlowLink]:
    rnd = random.Random(seed)
    links = []
    for s in range(n_src):
        for t in range(n_dst):
            if rnd.random() < 0.4:
                v = SUPPRESSED if rnd.random() < 0.2 else float(int(10 ** rnd.uniform(0, 4)))
                links.append(FlowLink(f"S{s:02d}", f"T{t:02d}", v))
    return links


def _label_boxes(root: ET.Element, side: str) -> list[tuple[float, float]]:
    boxes = []
    for g in root.iter(f"{NS}g"):
        if g.attrib.get("data-side") == side:
            texts = g.findall(f"{NS}text")
            assert texts
            for t in texts:
                size = float(t.attrib["font-size"])
                assert size >= 12
                y = float(t.attrib["y"])
                # A text line spans from its baseline up by the ascent and down by the descent.
                boxes.append((y - 0.8 * size, y + 0.25 * size))
    return sorted(boxes)


@pytest.mark.parametrize(("seed", "n_src", "n_dst"), [(1, 3, 2), (2, 30, 40), (3, 12, 1), (4, 1, 25)])
@pytest.mark.parametrize("rtl", [False, True])
def test_labels_never_overlap_at_any_size(seed: int, n_src: int, n_dst: int, rtl: bool) -> None:
    links = _random_links(seed, n_src, n_dst) or [FlowLink("S00", "T00", 1.0)]
    root = _chart(links, rtl=rtl)
    for side in ("source", "target"):
        boxes = _label_boxes(root, side)
        assert boxes
        for (_a0, a1), (b0, _b1) in itertools.pairwise(boxes):
            assert a1 <= b0, f"{side} labels overlap"
        height = float(root.attrib["height"])
        assert all(0 <= lo and hi <= height for lo, hi in boxes)


def test_widths_are_proportional_and_add_up_to_each_node() -> None:
    links = [
        FlowLink("A", "X", 30.0),
        FlowLink("A", "Y", 10.0),
        FlowLink("B", "X", 20.0),
        FlowLink("C", "Y", SUPPRESSED),
    ]
    root = _chart(links)
    paths = [p for p in root.iter(f"{NS}path") if p.attrib.get("class") == "sankey-link"]
    width = {(p.attrib["data-source"], p.attrib["data-target"]): float(p.attrib["data-width"]) for p in paths}
    assert width[("A", "X")] == pytest.approx(3 * width[("A", "Y")])
    assert width[("B", "X")] == pytest.approx(2 * width[("A", "Y")])
    nodes = {
        (g.attrib["data-side"], g.attrib["data-key"]): float(g.find(f"{NS}rect").attrib["data-height"])  # type: ignore[union-attr]
        for g in root.iter(f"{NS}g")
        if g.attrib.get("class") == "sankey-node"
    }
    for (side, key), h in nodes.items():
        i = 0 if side == "source" else 1
        assert h == pytest.approx(sum(w for st, w in width.items() if st[i] == key))
    # a suppressed link is drawn thin and dashed and never written as a number
    supp = next(p for p in paths if p.attrib["data-source"] == "C")
    assert "stroke-dasharray" in supp.attrib
    assert supp.find(f"{NS}title").text == "Country C → Country Y: <5 suppressed (2021)"  # type: ignore[union-attr]


def test_every_link_and_node_is_focusable_with_a_title() -> None:
    root = _chart([FlowLink("NGA", "ITA", 1234.0), FlowLink("NGA", "ESP", 12.0, lower_bound=True)])
    assert root.attrib["role"] == "group"
    focusable = [e for e in root.iter() if e.attrib.get("tabindex") == "0"]
    assert len(focusable) == 2 + 3  # two links, one origin, two destinations
    for e in focusable:
        assert e.attrib["aria-label"] == e.find(f"{NS}title").text  # type: ignore[union-attr]
    titles = {e.attrib["aria-label"] for e in focusable}
    assert "Country NGA → Country ITA: 1,234 (2021)" in titles
    assert "Country NGA → Country ESP: ≥ 12 (2021)" in titles


def test_beyond_top_the_rest_is_one_other_node_with_the_sum() -> None:
    links = [FlowLink(f"S{i}", "X", float(10 - i)) for i in range(10)]
    lay = sankey_layout(links, top=3)
    sources = {n.key: n for n in lay.nodes if n.side == "source"}
    assert set(sources) == {"S0", "S1", "S2", OTHER}
    assert sources[OTHER].value == sum(10 - i for i in range(3, 10))
    target = next(n for n in lay.nodes if n.side == "target")
    assert target.value == sum(range(1, 11))
    root = _chart(links, top=3, other_source="Other origins")
    labels = [t.text or "" for t in root.iter(f"{NS}text")]
    assert any(lb.startswith("Other origins") for lb in labels)


@pytest.mark.parametrize("rtl", [False, True])
def test_origins_are_on_the_reading_start_side(rtl: bool) -> None:
    lay = sankey_layout([FlowLink("A", "B", 1.0)], rtl=rtl)
    assert (lay.source_x < lay.target_x) != rtl
    root = _chart([FlowLink("A", "B", 1.0)], rtl=rtl)
    texts = {
        g.attrib["data-side"]: g.find(f"{NS}text") for g in root.iter(f"{NS}g") if "data-side" in g.attrib
    }
    assert all(int(t.attrib["font-size"]) == LABEL_SIZE for t in texts.values())  # type: ignore[union-attr]
    src_x = float(texts["source"].attrib["x"])  # type: ignore[union-attr]
    dst_x = float(texts["target"].attrib["x"])  # type: ignore[union-attr]
    assert (src_x < dst_x) != rtl


def test_labels_are_escaped_and_long_ones_wrapped() -> None:
    name = "<script>" + "x" * 200
    svg = sankey_chart(
        [FlowLink("A", "B", 5.0)],
        title="t",
        description="d",
        source_labels={"A": name},
        target_labels={"B": "B"},
    )
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    shown = [t.text or "" for t in root.iter(f"{NS}text")]
    assert all(len(s) < 60 for s in shown)
    # wrapped, not cut: the lines of the origin's label give the whole name back
    assert "".join(shown).startswith(name)
    assert any(name in (t.text or "") for t in root.iter(f"{NS}title"))


def test_no_links_says_so_and_bad_values_are_refused() -> None:
    svg = sankey_chart([], title="t", description="d", source_labels={}, target_labels={}, no_data="Nothing")
    assert "Nothing" in svg
    with pytest.raises(VinculoError, match="Give each flow a number"):
        sankey_layout([FlowLink("A", "B", -1.0)])
    with pytest.raises(VinculoError, match="top=1 or more"):
        sankey_layout([FlowLink("A", "B", 1.0)], top=0)


LONG_NAMES = [
    "Democratic Republic of the Congo",
    "Bolivia (Plurinational State of)",
    "United Kingdom of Great Britain and Northern Ireland",
    "Venezuela (Bolivarian Republic of)",
    "Lao People's Democratic Republic",
    "Saint Vincent and the Grenadines",
    "Iran (Islamic Republic of)",
    "Micronesia (Federated States of)",
    "Chad",
    "刚果民主共和国",
]


@pytest.mark.parametrize("width", [340, 680, 960])
@pytest.mark.parametrize("rtl", [False, True])
@pytest.mark.parametrize("n", [1, 4, 10])
def test_long_names_are_wrapped_inside_the_chart_and_never_overlap(width: int, rtl: bool, n: int) -> None:
    names = {f"K{i}": LONG_NAMES[i % len(LONG_NAMES)] for i in range(n)}
    links = [
        FlowLink(
            f"K{i}",
            f"K{(i + j) % n}",
            SUPPRESSED if (i + j) % 5 == 4 else float(1000 * (i + 1) + 7 * j),
            j == 1,
        )
        for i in range(n)
        for j in range(3)
    ]
    svg = sankey_chart(
        links,
        title="Flows",
        description="d",
        source_labels=names,
        target_labels=names,
        top=8,
        width=width,
        rtl=rtl,
        other_source="All the other countries of origin together",
    )
    root = ET.fromstring(svg)
    boxes = label_boxes(svg)
    assert boxes and small_text(svg) == []
    assert overlaps(svg) == []
    height = float(root.attrib["height"])
    for label, _size, corners in boxes:
        xs, ys = [x for x, _y in corners], [y for _x, y in corners]
        assert min(xs) >= 0 and max(xs) <= width, f"{label!r} leaves the chart at width {width}"
        assert min(ys) >= 0 and max(ys) <= height, label
    # label text stays clear of the bars and links: each node's lines are on its own side of its bar
    for g in root.iter(f"{NS}g"):
        if g.attrib.get("class") != "sankey-node":
            continue
        rect = g.find(f"{NS}rect")
        assert rect is not None
        bar_left, bar_right = float(rect.attrib["x"]), float(rect.attrib["x"]) + float(rect.attrib["width"])
        lines = "".join(t.text or "" for t in g.iter(f"{NS}text"))
        for t in g.iter(f"{NS}text"):
            (_l, _s, c) = label_boxes(
                f'<svg xmlns="http://www.w3.org/2000/svg">{ET.tostring(t, encoding="unicode")}</svg>'
            )[0]
            xs = [x for x, _y in c]
            assert max(xs) <= bar_left or min(xs) >= bar_right
        # nothing cut short: the full name is in the lines (wrapped at spaces)
        title = g.find(f"{NS}title")
        assert title is not None and "…" not in lines
        full = (title.text or "").rsplit(":", 1)[0]
        assert lines.replace(" ", "").startswith(full.replace(" ", ""))
