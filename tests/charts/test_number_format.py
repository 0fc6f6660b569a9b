"""Charts write numbers as the context says (vinculo.charts.number_format)."""

from __future__ import annotations

import re

from vinculo import charts


def _labels(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_a_context_format_is_used_by_every_default_label_and_then_restored() -> None:
    values = [12345.0, 678.0]
    plain = charts.bar_chart(["A", "B"], values, title="t", description="d")
    assert "12,345" in _labels(plain)
    with charts.number_format(lambda v: f"<{v:.0f}>"):
        marked = charts.bar_chart(["A", "B"], values, title="t", description="d")
        assert charts.default_format(3.0) == "<3>"
    assert "&lt;12345&gt;" in marked and "12,345" not in marked
    assert charts.default_format(12345.0) == "12,345"
    assert charts.bar_chart(["A", "B"], values, title="t", description="d") == plain


def test_a_chart_given_its_own_format_keeps_it_inside_a_context() -> None:
    with charts.number_format(lambda v: "x"):
        svg = charts.bar_chart(["A"], [5.0], title="t", description="d", value_format=lambda v: f"{v:.1f} u")
    assert "5.0 u" in _labels(svg)


def test_histogram_counts_and_tables_follow_the_context() -> None:
    values = [float(i % 50) for i in range(2500)]
    with charts.number_format(lambda v: f"{v:,.0f}".replace(",", " ")):
        table = charts.histogram_table(values, bins=[0.0, 50.0])
    assert table[1][2] == "2 500"
