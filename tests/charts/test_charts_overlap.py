"""The UpSet overlap chart and the estimate-with-interval chart."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from vinculo.charts import (
    PALETTE,
    interval_chart,
    number_format,
    overlap_combinations,
    overlap_table,
    upset_chart,
)

NS = "{http://www.w3.org/2000/svg}"
LISTS = ["Police", "Labour inspectorate and municipal social services", "NGO"]
HISTORIES = [
    {"Police": 1, "Labour inspectorate and municipal social services": 0, "NGO": 0, "count": 1200},
    {"Police": 1, "Labour inspectorate and municipal social services": 1, "NGO": 0, "count": 40},
    {"Police": 0, "Labour inspectorate and municipal social services": 0, "NGO": 1, "count": 300},
    {"Police": 1, "Labour inspectorate and municipal social services": 1, "NGO": 1, "count": 0},
]


def test_combinations_are_the_non_empty_histories_largest_first() -> None:
    combos = overlap_combinations(LISTS, HISTORIES)
    assert combos == [(("Police",), 1200), (("NGO",), 300), (("Police", LISTS[1]), 40)]


def test_the_upset_chart_draws_one_bar_per_combination_and_names_the_lists_in_full() -> None:
    svg = upset_chart(LISTS, HISTORIES, title="Overlap <of> lists", description="d")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Overlap <of> lists"
    bars = root.findall(f"{NS}rect")
    assert len(bars) == 3
    assert [b.find(f"{NS}title").text for b in bars][2] == f"Police + {LISTS[1]}: 40"
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert LISTS[1] in labels  # not shortened
    # The label column is wide enough for the longest name at about 7 px a character.
    first_bar_x = float(bars[0].get("x"))
    assert first_bar_x > 7 * len(LISTS[1])
    # A pair is drawn as two filled dots joined by a line.
    assert len(root.findall(f"{NS}line")) == 1
    filled = [c for c in root.findall(f"{NS}circle") if c.get("fill") == PALETTE[0]]
    assert len(filled) == 1 + 1 + 2


def test_the_overlap_table_and_chart_numbers_follow_the_context_format() -> None:
    with number_format(lambda v: f"{v:,.0f}".replace(",", "\u202f")):
        table = overlap_table(LISTS, HISTORIES, lists_header="Lists", count_header="Cases")
        svg = upset_chart(LISTS, HISTORIES, title="t", description="d")
    assert table[0] == ["Lists", "Cases"]
    assert table[1] == ["Police", "1\u202f200"]
    assert ">1\u202f200<" in svg


def test_an_empty_overlap_says_so() -> None:
    svg = upset_chart(LISTS, [], title="t", description="d", missing="nothing here")
    assert "nothing here" in svg and "<rect" not in svg


def test_the_interval_chart_marks_the_highlighted_row_by_more_than_colour() -> None:
    svg = interval_chart(
        ["main effects", "A × B", "A × C"],
        [1000.0, 1500.0, None],
        [800.0, 1200.0, None],
        [1300.0, 2100.0, None],
        title="Candidates",
        description="d",
        highlight=1,
        highlight_label="chosen",
        x_label="total",
        missing="no data",
    )
    root = ET.fromstring(svg)
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert "A × B (chosen)" in labels and "main effects" in labels and "no data" in labels
    bold = [t.text for t in root.iter(f"{NS}text") if t.get("font-weight") == "bold"]
    assert bold == ["A × B (chosen)"]
    tips = [c.find(f"{NS}title").text for c in root.iter(f"{NS}circle") if c.find(f"{NS}title") is not None]
    assert tips == ["1,000 (800 – 1,300)", "1,500 (1,200 – 2,100)"]
    # The interval lines run from lower to upper on one scale: the chosen one is longer and thicker.
    whiskers = [ln for ln in root.iter(f"{NS}line") if ln.get("stroke") in (PALETTE[0], PALETTE[1])]
    lengths = [float(w.get("x2")) - float(w.get("x1")) for w in whiskers]
    assert len(whiskers) == 2 and lengths[1] / lengths[0] == pytest.approx(900 / 500, rel=0.02)
    assert whiskers[1].get("stroke-width") == "4"
    # A ring around the chosen estimate.
    assert any(c.get("fill") == "none" for c in root.iter(f"{NS}circle"))


def test_the_interval_chart_without_numbers_is_a_no_data_chart_and_lengths_must_match() -> None:
    svg = interval_chart(["a"], [None], [None], [None], title="t", description="d", missing="nothing")
    assert "nothing" in svg and not re.search(r"<circle", svg)
    with pytest.raises(ValueError, match="same length"):
        interval_chart(["a", "b"], [1.0], [1.0], [1.0], title="t", description="d")


def test_a_long_label_widens_the_interval_chart_instead_of_being_cut() -> None:
    long = "Police × Labour inspectorate, NGO shelter × Labour inspectorate, Police × NGO shelter"
    svg = interval_chart(
        [long, "main effects"], [10.0, 12.0], [8.0, 9.0], [13.0, 16.0], title="t", description="d"
    )
    root = ET.fromstring(svg)
    assert long in [t.text for t in root.iter(f"{NS}text")]
    width = float(root.get("width"))
    label_x = max(float(t.get("x")) for t in root.iter(f"{NS}text") if t.text == long)
    assert label_x >= 7 * len(long) and width >= label_x + 300
