from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vinculo.evidence import Count, Share, sum_counts


def test_a_suppressed_cell_is_neither_zero_nor_five():
    c = Count.parse("<5")
    assert c.value is None
    assert c.is_suppressed and not c.is_exact
    assert c.render() == "<5"
    assert c.to_json() == {"suppressed": True}
    assert (c.low, c.high) == (0, 4)


def test_thousands_separators_are_parsed():
    assert Count.parse("1,269").value == 1269
    assert Count.parse("12").value == 12
    assert Count.parse("1,234,567").value == 1234567


@pytest.mark.parametrize("text", ["1.269", "12,34", "1,2345", "-3", "twelve", "", "<4", "5.0", "1 269"])
def test_malformed_numbers_are_rejected(text):
    with pytest.raises(ValueError):
        Count.parse(text)


def test_a_sum_with_suppressed_cells_is_a_lower_bound_with_its_range():
    total = Count.exact(12) + Count.suppressed() + Count.suppressed()
    assert total.render() == "≥ 12 (12–20)"
    assert total.is_partial
    assert total.to_json() == {
        "lower_bound": 12,
        "low": 12,
        "high": 20,
        "suppressed_cells": 2,
        "display": "≥ 12 (12–20)",
    }


def test_a_sum_of_only_suppressed_cells_shows_no_number():
    total = Count.suppressed() + Count.suppressed()
    assert total.is_suppressed
    assert total.render() == "2 cells <5"
    assert total.to_json() == {"suppressed": True, "suppressed_cells": 2}


def test_builtin_sum_and_sum_counts_agree():
    parts = [Count.exact(3), Count.suppressed(), Count.exact(1269)]
    assert sum(parts) == sum_counts(parts) == Count(1272, 1276, 1, 3)
    assert sum_counts([]) == Count.zero()


@given(st.lists(st.one_of(st.integers(0, 10_000).map(Count.exact), st.just(Count.suppressed())), max_size=30))
def test_sums_keep_every_suppressed_cell(parts):
    total = sum_counts(parts)
    assert total.suppressed_cells == sum(1 for p in parts if p.is_suppressed)
    assert total.high - total.low == 4 * total.suppressed_cells
    assert total.cells == len(parts)


def test_share_of_exact_counts_is_exact():
    s = Share.of(Count.exact(1), Count.exact(3))
    assert s is not None and s.value == 0.25 and s.render() == "25.0%"


def test_share_with_suppressed_cells_is_an_interval():
    s = Share.of(Count.exact(10), Count.suppressed())
    assert s is not None
    assert (s.low, s.high) == (Fraction(10, 14), Fraction(1))
    assert not s.is_exact


def test_share_of_an_empty_total_is_none():
    assert Share.of(Count.zero(), Count.zero()) is None
