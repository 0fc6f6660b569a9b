from __future__ import annotations

from datetime import date

from vinculo.registry import check_period, overlaps


def test_an_end_before_the_start_is_reported_on_the_end_date() -> None:
    issues = check_period(date(2024, 5, 1), date(2024, 4, 30))
    assert [i.code for i in issues] == ["registry.period_order"]
    assert issues[0].location.field == "end_date"
    assert "2024-04-30" in issues[0].message and "2024-05-01" in issues[0].message


def test_open_or_same_day_periods_are_fine() -> None:
    assert check_period(date(2024, 1, 1), None) == []
    assert check_period(None, date(2024, 1, 1)) == []
    assert check_period(date(2024, 1, 1), date(2024, 1, 1)) == []


def test_overlap_with_a_range_of_years() -> None:
    assert overlaps(date(2020, 6, 1), date(2021, 6, 1), 2021, 2022)
    assert not overlaps(date(2020, 6, 1), date(2020, 12, 1), 2021, None)
    assert not overlaps(date(2023, 1, 1), None, None, 2022)
    assert overlaps(date(2010, 1, 1), None, 2024, 2024)
