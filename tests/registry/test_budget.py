from __future__ import annotations

from decimal import Decimal

import pytest

from vinculo.registry import Budget, check_budget, is_currency


def test_a_valid_budget_is_rounded_to_cents_and_its_currency_upper_cased() -> None:
    assert check_budget("1500.555", "eur") == (Budget(Decimal("1500.56"), "EUR"), [])


def test_no_amount_means_no_budget_and_no_issue() -> None:
    assert check_budget(None, "") == (None, [])
    assert check_budget("", "USD") == (None, [])


@pytest.mark.parametrize(
    ("amount", "currency", "code", "field"),
    [
        ("-5", "USD", "registry.negative_budget", "budget_amount"),
        ("12abc", "USD", "registry.invalid_budget", "budget_amount"),
        ("NaN", "USD", "registry.invalid_budget", "budget_amount"),
        ("1e20", "USD", "registry.invalid_budget", "budget_amount"),
        ("100", "XYZ", "registry.unknown_currency", "budget_currency"),
        ("100", "", "registry.missing_currency", "budget_currency"),
    ],
)
def test_bad_budgets_are_reported_with_the_field_and_a_fix(
    amount: str, currency: str, code: str, field: str
) -> None:
    budget, issues = check_budget(amount, currency)
    assert budget is None
    assert [i.code for i in issues] == [code]
    assert issues[0].location.field == field
    assert issues[0].fix


def test_currency_codes_come_from_iso_4217() -> None:
    assert is_currency("XOF") and is_currency("chf")
    assert not is_currency("EURO") and not is_currency("ZZZ")
