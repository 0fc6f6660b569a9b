"""The privacy-budget ledger: basic sequential composition, refusal, the record of releases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vinculo.errors import VinculoError
from vinculo.release import BudgetLedger, compose

WHEN = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


def test_composition_sums_epsilon_and_delta() -> None:
    assert compose([]) == (0.0, 0.0)
    assert compose([(0.5, 0.0), (0.25, 1e-9), (1.0, 2e-9)]) == (1.75, pytest.approx(3e-9))
    # Exact decimals: ten releases at 0.1 make exactly 1.0 (floats would give 0.9999999999999999).
    assert compose([(0.1, 0.0)] * 10) == (1.0, 0.0)


def test_spend_records_what_who_when() -> None:
    ledger = BudgetLedger("cases-2026", epsilon=1.0)
    ledger = ledger.spend("counts by gender", 0.4, who="ana", when=WHEN, mechanism="laplace")
    ledger = ledger.spend("counts by region", 0.5, who="ben", when=WHEN)
    assert [(e.what, e.epsilon, e.who, e.when) for e in ledger.entries] == [
        ("counts by gender", 0.4, "ana", WHEN),
        ("counts by region", 0.5, "ben", WHEN),
    ]
    assert ledger.spent == (0.9, 0.0)
    assert ledger.remaining[0] == pytest.approx(0.1)


def test_over_budget_release_is_refused_and_not_recorded() -> None:
    ledger = BudgetLedger("cases-2026", epsilon=1.0).spend("first", 0.7, who="ana")
    with pytest.raises(VinculoError) as info:
        ledger.spend("second", 0.5, who="ben")
    error = info.value
    assert error.code == "release.budget_exceeded"
    assert "0.5" in str(error) and "0.3" in str(error) and "cases-2026" in str(error)
    assert error.fields["remaining_epsilon"] == pytest.approx(0.3)
    assert len(ledger.entries) == 1 and ledger.spent == (0.7, 0.0)
    # What is left can still be spent, exactly.
    assert ledger.spend("second", 0.3, who="ben").spent == (1.0, 0.0)


def test_ten_tenths_fill_a_budget_of_one_and_the_eleventh_is_refused() -> None:
    ledger = BudgetLedger("d", epsilon=1.0)
    for i in range(10):
        ledger = ledger.spend(f"release {i}", 0.1, who="ana")
    assert not ledger.can_spend(1e-6)
    with pytest.raises(VinculoError, match="Refused"):
        ledger.spend("one more", 0.01, who="ana")


def test_delta_is_budgeted_too() -> None:
    ledger = BudgetLedger("d", epsilon=10.0, delta=1e-8)
    ledger = ledger.spend("gaussian counts", 1.0, delta=6e-9, who="ana")
    with pytest.raises(VinculoError) as info:
        ledger.spend("more", 1.0, delta=6e-9, who="ana")
    assert "δ" in str(info.value)
    with pytest.raises(VinculoError):  # a pure-DP ledger has no δ to spend
        BudgetLedger("p", epsilon=1.0).spend("gaussian", 0.1, delta=1e-9, who="ana")


@pytest.mark.parametrize("epsilon", [0, -0.1, float("nan"), float("inf")])
def test_bad_amounts_are_refused(epsilon: float) -> None:
    with pytest.raises(VinculoError):
        BudgetLedger("d", epsilon=epsilon)
    with pytest.raises(VinculoError):
        BudgetLedger("d", epsilon=1.0).spend("x", epsilon, who="ana")
    with pytest.raises(VinculoError):
        BudgetLedger("d", epsilon=1.0).spend(" ", 0.1, who="ana")


def test_round_trip_and_tampered_ledger() -> None:
    ledger = BudgetLedger("d", epsilon=2.0, delta=1e-9).spend("a", 0.5, who="ana", when=WHEN)
    data = ledger.to_dict()
    assert data["rule"] == "basic sequential composition" and data["spent"]["epsilon"] == 0.5
    assert BudgetLedger.from_dict(data) == ledger
    data["entries"].append({**data["entries"][0], "epsilon": 1.8})
    with pytest.raises(VinculoError) as info:
        BudgetLedger.from_dict(data)
    assert info.value.code == "release.budget_exceeded"
