"""The privacy-budget ledger of one dataset: plain data, no storage (the web layer persists it).

A dataset's owner sets a total budget ``epsilon`` (and ``delta`` when releases use approximate
DP, e.g. Gaussian noise reported as (ε, δ)). Every DP release spends from it through
:meth:`BudgetLedger.spend`, which records what was released, ε, δ, who and when, and refuses
(:class:`~vinculo.errors.VinculoError`, code ``release.budget_exceeded``) a release that would
take the total over the budget; a refused release is not recorded and spends nothing.

**Composition rule: basic sequential composition.** Releases computed on the same dataset, each
(ε_i, δ_i)-DP, are together (Σ ε_i, Σ δ_i)-DP, whatever their order or how they were chosen
(Dwork and Roth 2014, theorem 3.16). It is simple to audit and never too optimistic; tighter
accounting (zCDP's Σ ρ_i, advanced composition) would allow more releases for the same
guarantee and may be added later as another ``rule``. Sums are kept as exact decimals of the
given values, so ten releases at 0.1 exactly fill a budget of 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from vinculo.errors import VinculoError

__all__ = ["BudgetEntry", "BudgetLedger", "compose"]

RULE = "basic sequential composition"


def _dec(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def compose(spends: list[tuple[float, float]]) -> tuple[float, float]:
    """Basic sequential composition: ``[(ε_i, δ_i)] -> (Σ ε_i, Σ δ_i)``."""
    eps = sum((_dec(e) for e, _ in spends), Decimal(0))
    delta = sum((_dec(d) for _, d in spends), Decimal(0))
    return float(eps), float(delta)


@dataclass(frozen=True, slots=True)
class BudgetEntry:
    """One recorded release: ``what`` was released, its ε and δ, ``who`` and ``when`` (UTC)."""

    what: str
    epsilon: float
    delta: float
    who: str
    when: datetime
    mechanism: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "epsilon": self.epsilon,
            "delta": self.delta,
            "who": self.who,
            "when": self.when.isoformat(),
            "mechanism": self.mechanism,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BudgetEntry:
        return cls(
            what=str(data["what"]),
            epsilon=float(data["epsilon"]),
            delta=float(data.get("delta", 0.0)),
            who=str(data["who"]),
            when=datetime.fromisoformat(str(data["when"])),
            mechanism=str(data.get("mechanism", "")),
        )


def _check_amount(name: str, value: float, *, allow_zero: bool) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or value != value
        or value
        in (
            float("inf"),
            float("-inf"),
        )
    ):
        raise VinculoError(f"{name} must be a number, not {value!r}.", code="release.bad_budget")
    if value < 0 or (value == 0 and not allow_zero):
        raise VinculoError(
            f"{name} must be {'at least' if allow_zero else 'greater than'} 0, not {value!r}.",
            code="release.bad_budget",
        )


@dataclass(frozen=True)
class BudgetLedger:
    """A dataset's total budget and the releases spent from it (immutable: ``spend`` returns a
    new ledger)."""

    dataset: str
    epsilon: float
    delta: float = 0.0
    entries: tuple[BudgetEntry, ...] = field(default=())
    rule: str = RULE

    def __post_init__(self) -> None:
        _check_amount("The total ε", self.epsilon, allow_zero=False)
        _check_amount("The total δ", self.delta, allow_zero=True)
        if self.rule != RULE:
            raise VinculoError(f"Unknown composition rule {self.rule!r}.", code="release.bad_budget")

    @property
    def spent(self) -> tuple[float, float]:
        """(ε, δ) spent so far under the composition rule."""
        return compose([(e.epsilon, e.delta) for e in self.entries])

    @property
    def remaining(self) -> tuple[float, float]:
        eps, delta = self.spent
        return (
            float(_dec(self.epsilon) - _dec(eps)),
            float(_dec(self.delta) - _dec(delta)),
        )

    def can_spend(self, epsilon: float, delta: float = 0.0) -> bool:
        eps_total, delta_total = compose([(e.epsilon, e.delta) for e in self.entries] + [(epsilon, delta)])
        return _dec(eps_total) <= _dec(self.epsilon) and _dec(delta_total) <= _dec(self.delta)

    def spend(
        self,
        what: str,
        epsilon: float,
        *,
        who: str,
        delta: float = 0.0,
        when: datetime | None = None,
        mechanism: str = "",
    ) -> BudgetLedger:
        """Record a release and return the new ledger, or refuse if it would exceed the budget."""
        _check_amount("ε", epsilon, allow_zero=False)
        _check_amount("δ", delta, allow_zero=True)
        if not what.strip() or not who.strip():
            raise VinculoError(
                "A release must say what it is and who makes it.",
                code="release.bad_entry",
                fix="Give a description and a user.",
            )
        if not self.can_spend(epsilon, delta):
            eps_left, delta_left = self.remaining
            over_delta = delta > 0 and _dec(self.spent[1]) + _dec(delta) > _dec(self.delta)
            part = (
                f"δ = {delta:g} but only {max(delta_left, 0.0):g} of the total δ = {self.delta:g} is left"
                if over_delta
                else f"ε = {epsilon:g} but only {max(eps_left, 0.0):g} of the total ε = {self.epsilon:g} is left"
            )
            raise VinculoError(
                f'Refused: the release "{what}" on dataset "{self.dataset}" needs {part} '
                f"({len(self.entries)} earlier release(s), {RULE}).",
                code="release.budget_exceeded",
                fields={
                    "dataset": self.dataset,
                    "requested_epsilon": epsilon,
                    "requested_delta": delta,
                    "remaining_epsilon": eps_left,
                    "remaining_delta": delta_left,
                },
                fix="Use a smaller ε (noisier), or ask the dataset's owner to raise the total budget.",
            )
        entry = BudgetEntry(
            what=what,
            epsilon=float(epsilon),
            delta=float(delta),
            who=who,
            when=when or datetime.now(UTC),
            mechanism=mechanism,
        )
        return replace(self, entries=(*self.entries, entry))

    def to_dict(self) -> dict[str, Any]:
        eps, delta = self.spent
        return {
            "dataset": self.dataset,
            "epsilon": self.epsilon,
            "delta": self.delta,
            "rule": self.rule,
            "spent": {"epsilon": eps, "delta": delta},
            "entries": [entry.to_dict() for entry in self.entries],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BudgetLedger:
        """Rebuild a ledger; the entries are re-checked against the budget."""
        ledger = cls(
            dataset=str(data["dataset"]),
            epsilon=float(data["epsilon"]),
            delta=float(data.get("delta", 0.0)),
            rule=str(data.get("rule", RULE)),
        )
        for raw in data.get("entries", []):
            entry = BudgetEntry.from_dict(raw)
            ledger = ledger.spend(
                entry.what,
                entry.epsilon,
                who=entry.who,
                delta=entry.delta,
                when=entry.when,
                mechanism=entry.mechanism,
            )
        return ledger
