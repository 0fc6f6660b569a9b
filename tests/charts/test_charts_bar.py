from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from vinculo.charts import SUPPRESSED, Suppressed, bar_chart, stacked_bar_chart
from vinculo.errors import VinculoError

NS = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{NS}text")]


def bars(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [
        r for g in root.iter(f"{NS}g") if g.attrib.get("class") == "category" for r in g.iter(f"{NS}rect")
    ]


@pytest.mark.parametrize("horizontal", [False, True])
def test_bar_chart_labels_every_value(horizontal: bool) -> None:
    svg = bar_chart(["Female", "Male"], [1234, 56.5], title="t", description="d", horizontal=horizontal)
    found = texts(svg)
    assert "1,234" in found and "56.5" in found
    assert "Female" in found and "Male" in found
    assert len(bars(svg)) == 2


@pytest.mark.parametrize("horizontal", [False, True])
def test_longer_bar_for_larger_value(horizontal: bool) -> None:
    svg = bar_chart(["a", "b"], [10, 40], title="t", description="d", horizontal=horizontal)
    a, b = bars(svg)
    size = "width" if horizontal else "height"
    assert float(b.attrib[size]) == pytest.approx(4 * float(a.attrib[size]), rel=0.02)


@pytest.mark.parametrize("horizontal", [False, True])
def test_suppressed_value_is_hatched_and_never_a_number(horizontal: bool) -> None:
    svg = bar_chart(["Female", "Male"], [20, SUPPRESSED], title="t", description="d", horizontal=horizontal)
    found = texts(svg)
    assert "<5 suppressed" in found
    hatched = [r for r in bars(svg) if r.attrib.get("fill", "").startswith("url(#")]
    assert len(hatched) == 1
    assert "stroke-dasharray" in hatched[0].attrib
    # the only numbers printed are axis ticks and the visible value 20, never a cell value for Male
    tooltips = [t.text or "" for t in ET.fromstring(svg).iter(f"{NS}title")]
    assert any(t == "Male: <5 suppressed" for t in tooltips)


def test_suppressed_threshold_shapes_the_label() -> None:
    svg = bar_chart(["a"], [Suppressed(threshold=10)], title="t", description="d")
    assert "<10 suppressed" in texts(svg)


def test_missing_value_is_labelled_no_data_and_draws_no_bar() -> None:
    svg = bar_chart(["a", "b"], [5, None], title="t", description="d", missing="not reported")
    assert "not reported" in texts(svg)
    assert len(bars(svg)) == 1


def test_unit_is_appended_to_value_labels() -> None:
    svg = bar_chart(["a"], [2.5], title="t", description="d", unit="per 100,000")
    assert "2.5 per 100,000" in texts(svg)


def test_negative_values_extend_below_zero() -> None:
    svg = bar_chart(["a", "b"], [-5, 10], title="t", description="d")
    ET.fromstring(svg)
    assert "-5" in texts(svg)


def test_long_labels_are_shortened_with_the_full_label_in_the_tooltip() -> None:
    long = "Exploitation for the purpose of forced criminal activity and begging"
    svg = bar_chart([long, "b"], [1, 2], title="t", description="d", horizontal=True, width=300)
    assert long not in texts(svg)
    assert any(t.endswith("…") for t in texts(svg))
    assert any((t.text or "").startswith(long) for t in ET.fromstring(svg).iter(f"{NS}title"))


def test_mismatched_lengths_raise_a_clear_error() -> None:
    with pytest.raises(VinculoError, match="2 values but there are 3 categories") as info:
        bar_chart(["a", "b", "c"], [1, 2], title="t", description="d")
    assert info.value.code == "charts.length_mismatch"


@pytest.mark.parametrize("horizontal", [False, True])
def test_stacked_segments_add_up_to_the_total(horizontal: bool) -> None:
    svg = stacked_bar_chart(
        ["2020", "2021"], {"F": [10, 20], "M": [30, 20]}, title="t", description="d", horizontal=horizontal
    )
    rects = bars(svg)
    assert len(rects) == 4
    size = "width" if horizontal else "height"
    first = float(rects[0].attrib[size]) + float(rects[1].attrib[size])
    second = float(rects[2].attrib[size]) + float(rects[3].attrib[size])
    assert first == pytest.approx(second, rel=0.02)
    assert "40" in texts(svg)


def test_stacked_suppressed_segment_is_flagged_not_added() -> None:
    svg = stacked_bar_chart(["2020"], {"F": [10], "M": [SUPPRESSED]}, title="t", description="d")
    assert "10 + suppressed" in texts(svg)
    assert not any(re.search(r"\b1[1-4]\b", t) for t in texts(svg) if "suppressed" in t)


def test_grouped_mode_draws_one_bar_per_series_and_category() -> None:
    svg = stacked_bar_chart(
        ["2020", "2021"], {"F": [1, 2], "M": [3, SUPPRESSED]}, title="t", description="d", mode="grouped"
    )
    assert len(bars(svg)) == 4
    assert "<5 suppressed" in texts(svg)
    assert "F" in texts(svg) and "M" in texts(svg)  # legend


def test_unknown_mode_is_rejected() -> None:
    with pytest.raises(VinculoError) as info:
        stacked_bar_chart(["a"], {"x": [1]}, title="t", description="d", mode="pie")  # type: ignore[arg-type]
    assert info.value.code == "charts.invalid_option"
