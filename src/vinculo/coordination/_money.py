"""Money for the Trust Fund ledger: ISO 4217 currencies, amounts as Decimal, balances, reconciliation.

The ledger is a list of entries, each a contribution (money in) or a disbursement (money out) in one
currency. Balances are computed from the ledger only: balance = contributions − disbursements, per
currency. :func:`reconcile` compares derived summaries with what the ledger says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

import pycountry

from vinculo.errors import Issue, Location, VinculoError

__all__ = [
    "Balance",
    "LedgerLine",
    "balances",
    "check_currency",
    "parse_amount",
    "reconcile",
]

EntryKind = Literal["contribution", "disbursement"]
_CENT = Decimal("0.01")
_MAX = Decimal("1000000000000")  # one trillion: more than any voluntary contribution


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One ledger entry as plain data: what kind, which currency, how much (always positive)."""

    kind: EntryKind
    currency: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Balance:
    """What the ledger says about one currency."""

    currency: str
    contributed: Decimal
    disbursed: Decimal

    @property
    def balance(self) -> Decimal:
        return self.contributed - self.disbursed


def check_currency(code: str, *, field: str = "currency") -> str:
    """``code`` upper-cased if it is an ISO 4217 alphabetic code; otherwise a :class:`VinculoError`.

    Examples
    --------
    >>> check_currency("eur")
    'EUR'
    """
    text = (code or "").strip().upper()
    if len(text) != 3 or pycountry.currencies.get(alpha_3=text) is None:
        raise VinculoError(
            f"{field}: {code!r} is not an ISO 4217 currency code. Use a three-letter code such as USD or EUR.",
            code="coordination.invalid_currency",
            issues=[
                Issue(
                    "coordination.invalid_currency",
                    "Not an ISO 4217 currency code.",
                    Location(field=field),
                    value=str(code),
                    expected="ISO 4217 alphabetic code (USD, EUR, ...)",
                    fix="Use a three-letter ISO 4217 code.",
                )
            ],
        )
    return text


def parse_amount(value: str | int | Decimal, *, field: str = "amount") -> Decimal:
    """A strictly positive amount with at most two decimals, as :class:`~decimal.Decimal`.

    Floats are refused (they cannot hold money exactly); pass a string or a Decimal.

    Examples
    --------
    >>> parse_amount("1250.50")
    Decimal('1250.50')
    """
    if isinstance(value, float) or isinstance(value, bool):
        raise VinculoError(
            f"{field}: give the amount as text or Decimal, not as a floating-point number ({value!r}).",
            code="coordination.invalid_amount",
        )
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        amount = Decimal("NaN")
    problem = None
    if not amount.is_finite():
        problem = "is not a number"
    elif amount <= 0:
        problem = "must be greater than zero"
    elif amount != amount.quantize(_CENT):
        problem = "has more than two decimals"
    elif amount >= _MAX:
        problem = "is implausibly large"
    if problem:
        raise VinculoError(
            f"{field}: {value!r} {problem}. Give a positive amount such as 1000 or 1250.50.",
            code="coordination.invalid_amount",
            issues=[
                Issue(
                    "coordination.invalid_amount",
                    f"The amount {problem}.",
                    Location(field=field),
                    value=str(value),
                    expected="a positive amount with at most two decimals",
                )
            ],
        )
    return amount.quantize(_CENT)


def balances(lines: Iterable[LedgerLine]) -> dict[str, Balance]:
    """Contributions, disbursements and balance per currency, from the ledger lines alone."""
    inflow: dict[str, Decimal] = {}
    outflow: dict[str, Decimal] = {}
    for line in lines:
        target = inflow if line.kind == "contribution" else outflow
        target[line.currency] = target.get(line.currency, Decimal(0)) + line.amount
    return {
        c: Balance(c, inflow.get(c, Decimal(0)), outflow.get(c, Decimal(0)))
        for c in sorted(set(inflow) | set(outflow))
    }


def reconcile(
    ledger: Mapping[str, Balance], summary: Mapping[str, tuple[Decimal, Decimal, Decimal]]
) -> list[Issue]:
    """Differences between the ledger and a derived summary, as issues (empty when they agree).

    ``summary`` maps a currency to (contributed, disbursed, balance) as stored in a summary table.
    """
    issues: list[Issue] = []
    for currency in sorted(set(ledger) | set(summary)):
        zero = Decimal(0)
        want = ledger.get(currency, Balance(currency, zero, zero))
        got = summary.get(currency, (zero, zero, zero))
        expected = (want.contributed, want.disbursed, want.balance)
        for name, a, b in zip(("contributed", "disbursed", "balance"), got, expected, strict=True):
            if a != b:
                issues.append(
                    Issue(
                        "coordination.ledger_mismatch",
                        f"{currency} {name}: the summary says {a}, the ledger says {b}.",
                        Location(field=f"{currency}.{name}"),
                        value=str(a),
                        expected=str(b),
                        fix="Rebuild the summary from the ledger.",
                    )
                )
    return issues
