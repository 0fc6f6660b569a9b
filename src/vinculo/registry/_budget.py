"""Budgets: a non-negative decimal amount in an ISO 4217 currency."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pycountry

from vinculo.errors import Issue, Location

__all__ = ["MAX_BUDGET_DIGITS", "Budget", "check_budget", "is_currency"]

#: Digits before the decimal point that the database column holds (amounts below 10^14).
MAX_BUDGET_DIGITS = 14


@dataclass(frozen=True, slots=True)
class Budget:
    """A validated budget: ``amount`` rounded to cents, ``currency`` an upper-case ISO 4217 code."""

    amount: Decimal
    currency: str


def is_currency(code: str) -> bool:
    """True when ``code`` is an active ISO 4217 alphabetic code (``"EUR"``, ``"usd"``)."""
    return len(code) == 3 and pycountry.currencies.get(alpha_3=code.upper()) is not None


def check_budget(amount: object, currency: str | None) -> tuple[Budget | None, list[Issue]]:
    """Validate a budget. Returns the budget (``None`` when there is no amount) and the issues.

    An amount needs a currency; a currency alone is ignored. Amounts are never negative and must
    fit the database column (``MAX_BUDGET_DIGITS`` digits before the decimal point, 2 after).

    Examples
    --------
    >>> check_budget("1500.5", "eur")
    (Budget(amount=Decimal('1500.50'), currency='EUR'), [])
    >>> check_budget(-1, "EUR")[1][0].code
    'registry.negative_budget'
    """
    issues: list[Issue] = []
    if amount is None or amount == "":
        return None, issues
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        issues.append(
            Issue(
                "registry.invalid_budget",
                f"The budget amount {amount!r} is not a number.",
                Location(field="budget_amount"),
                value=str(amount),
                expected="a decimal number such as 250000 or 250000.50",
                fix="Write the amount with digits and an optional decimal point, without currency signs.",
            )
        )
    elif value < 0:
        issues.append(
            Issue(
                "registry.negative_budget",
                f"The budget amount {value} is negative.",
                Location(field="budget_amount"),
                value=str(value),
                expected="zero or more",
                fix="Enter the total budget as a positive amount.",
            )
        )
    elif value.adjusted() >= MAX_BUDGET_DIGITS:
        issues.append(
            Issue(
                "registry.invalid_budget",
                f"The budget amount {value} is too large.",
                Location(field="budget_amount"),
                value=str(value),
                expected=f"less than 10^{MAX_BUDGET_DIGITS}",
                fix="Check the amount; enter it in units of the currency, not in cents.",
            )
        )
    code = (currency or "").strip().upper()
    if not code:
        issues.append(
            Issue(
                "registry.missing_currency",
                "The budget has an amount but no currency.",
                Location(field="budget_currency"),
                expected="an ISO 4217 code such as USD, EUR or XOF",
                fix="Choose the currency of the budget.",
            )
        )
    elif not is_currency(code):
        issues.append(
            Issue(
                "registry.unknown_currency",
                f"{currency!r} is not an ISO 4217 currency code.",
                Location(field="budget_currency"),
                value=str(currency),
                expected="a three-letter ISO 4217 code such as USD, EUR or XOF",
                fix="Use the three-letter code of the currency.",
            )
        )
    if issues:
        return None, issues
    return Budget(value.quantize(Decimal("0.01")), code), issues
