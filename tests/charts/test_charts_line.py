from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from vinculo.charts import histogram, histogram_bins, line_chart
from vinculo.errors import VinculoError

NS = "{http://www.w3.org/2000/svg}"


def paths(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(f"{NS}path"))


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{NS}text")]


def test_line_chart_draws_one_path_per_series_and_a_legend() -> None:
    svg = line_chart(
        [2019, 2020, 2021], {"Detected": [1, 2, 3], "Convicted": [0, 1, 1]}, title="t", description="d"
    )
    assert len(paths(svg)) == 2
    assert "Detected" in texts(svg) and "Convicted" in texts(svg)
    dashes = {p.attrib.get("stroke-dasharray") for p in paths(svg)}
    assert len(dashes) == 2  # series differ by dash pattern, not only colour


def test_missing_values_break_the_line() -> None:
    svg = line_chart([1, 2, 3, 4, 5], {"s": [1, 2, None, 4, 5]}, title="t", description="d")
    assert len(paths(svg)) == 2


def test_numeric_x_is_placed_proportionally() -> None:
    svg = line_chart([0, 1, 10], {"s": [1, 1, 1]}, title="t", description="d")
    (path,) = paths(svg)
    xs = [float(p.split(",")[0]) for p in path.attrib["d"].lstrip("M").split(" L")]
    assert (xs[2] - xs[1]) == pytest.approx(9 * (xs[1] - xs[0]), rel=0.01)


def test_profile_likelihood_chart_has_cutoff_and_estimate_lines() -> None:
    svg = line_chart(
        [100, 110, 120, 130],
        {"profile log-likelihood": [-3.0, -0.5, 0.0, -2.5]},
        title="Profile",
        description="d",
        include_zero=False,
        reference_lines={"95% cut-off": -1.92},
        marker_lines={"estimate": 120},
    )
    found = texts(svg)
    assert "95% cut-off" in found
    assert "estimate: 120" in found


def test_line_chart_length_mismatch_raises() -> None:
    with pytest.raises(VinculoError, match="has 2 values but x has 3"):
        line_chart([1, 2, 3], {"s": [1, 2]}, title="t", description="d")


def test_histogram_bins_count_every_finite_value_once() -> None:
    values = [0.1 * i for i in range(101)] + [float("nan")]
    table = histogram_bins(values, bins=7)
    assert sum(b.count for b in table) == 101
    assert table[0].lower == 0.0 and table[-1].upper == pytest.approx(10.0)


def test_histogram_bins_with_explicit_edges_drop_values_outside() -> None:
    table = histogram_bins([0.5, 1.5, 2.5, 9.0], bins=[0, 1, 2, 3])
    assert [b.count for b in table] == [1, 1, 1]


def test_histogram_of_a_single_repeated_value_has_one_full_bin() -> None:
    table = histogram_bins([4.0, 4.0], bins=3)
    assert sum(b.count for b in table) == 2


def test_histogram_draws_labelled_marker_lines() -> None:
    svg = histogram(
        [float(v) for v in range(100)],
        bins=10,
        title="Bootstrap estimates",
        description="d",
        marker_lines={"estimate": 50.0, "95% upper": 97.5},
    )
    found = texts(svg)
    assert "estimate: 50" in found
    assert "95% upper: 97.5" in found
    root = ET.fromstring(svg)
    assert len([r for r in root.iter(f"{NS}rect") if r.attrib.get("fill", "").startswith("#0")]) == 10


def test_histogram_rejects_zero_bins() -> None:
    with pytest.raises(VinculoError) as info:
        histogram([1.0], bins=0, title="t", description="d")
    assert info.value.code == "charts.invalid_option"
