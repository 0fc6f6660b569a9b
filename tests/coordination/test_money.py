from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vinculo.coordination import LedgerLine, balances, check_currency, parse_amount, reconcile
from vinculo.errors import VinculoError


def test_currency_codes_are_checked_against_iso_4217() -> None:
    assert check_currency(" usd ") == "USD"
    for bad in ["", "US", "XYZ", "EURO", "123"]:
        with pytest.raises(VinculoError) as info:
            check_currency(bad)
        assert info.value.code == "coordination.invalid_currency"


@pytest.mark.parametrize("bad", ["-5", "0", "abc", "1.234", "NaN", "Infinity", 1.5, "1e15"])
def test_amounts_must_be_positive_decimals_with_two_places(bad: object) -> None:
    with pytest.raises(VinculoError) as info:
        parse_amount(bad)  # type: ignore[arg-type]
    assert info.value.code == "coordination.invalid_amount"


def test_amounts_keep_exact_cents() -> None:
    assert parse_amount("1,250.5") == Decimal("1250.50")
    assert parse_amount(Decimal("0.01")) == Decimal("0.01")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["contribution", "disbursement"]),
            st.sampled_from(["USD", "EUR"]),
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2),
        ),
        max_size=30,
    )
)
def test_balance_is_contributions_minus_disbursements_per_currency(
    rows: list[tuple[str, str, Decimal]],
) -> None:
    result = balances([LedgerLine(k, c, a) for k, c, a in rows])  # type: ignore[arg-type]
    for currency, b in result.items():
        inflow = sum((a for k, c, a in rows if c == currency and k == "contribution"), Decimal(0))
        outflow = sum((a for k, c, a in rows if c == currency and k == "disbursement"), Decimal(0))
        assert b.balance == inflow - outflow
    assert reconcile(result, {c: (b.contributed, b.disbursed, b.balance) for c, b in result.items()}) == []


def test_reconcile_reports_each_difference() -> None:
    ledger = balances([LedgerLine("contribution", "USD", Decimal("10.00"))])
    issues = reconcile(
        ledger,
        {
            "USD": (Decimal("10.00"), Decimal("0"), Decimal("9.00")),
            "EUR": (Decimal(1), Decimal(0), Decimal(1)),
        },
    )
    assert [i.location.field for i in issues] == ["EUR.contributed", "EUR.balance", "USD.balance"]
