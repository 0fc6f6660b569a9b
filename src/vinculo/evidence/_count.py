"""Suppression-aware counts: the value type of every GLOTIP number and aggregate.

The UNODC export publishes counts below 5 as the text ``"<5"``. Such a cell is kept as a
*suppressed* count: it is never read as 0 and never as 5. A suppressed cell stands for any
whole number from 0 to 4 — 0 included, because in the 2025 export a suppressed part is
implied to be 0 by its published total more often than it is implied to be 1, 2, 3 or 4
(see docs/reference/evidence.md). A sum that includes suppressed cells is therefore an
interval: ``low`` (every suppressed cell at 0) to ``high`` (every suppressed cell at 4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

__all__ = ["SUPPRESSED_MAX", "SUPPRESSED_MIN", "SUPPRESSED_TEXT", "Count", "Share", "sum_counts"]

SUPPRESSED_TEXT = "<5"
SUPPRESSED_MIN = 0
SUPPRESSED_MAX = 4


@dataclass(frozen=True, slots=True, order=False)
class Count:
    """A published count, or a sum of published counts some of which may be suppressed.

    Attributes
    ----------
    low : int
        Smallest possible value: the exact part plus 0 for every suppressed cell.
    high : int
        Largest possible value: the exact part plus 4 for every suppressed cell.
    suppressed_cells : int
        How many ``"<5"`` cells the value includes.
    cells : int
        How many published cells were added up (1 for a single cell).

    Examples
    --------
    >>> total = Count.exact(12) + Count.suppressed() + Count.suppressed()
    >>> total.render()
    '≥ 12 (12–20)'
    >>> Count.suppressed().render(), Count.exact(1269).render()
    ('<5', '1,269')
    """

    low: int
    high: int
    suppressed_cells: int = 0
    cells: int = 1

    # -- constructors ------------------------------------------------------------------------
    @classmethod
    def exact(cls, value: int) -> Count:
        """One published cell with a number."""
        if value < 0:
            raise ValueError(f"A count cannot be negative; found {value}.")
        return cls(value, value, 0, 1)

    @classmethod
    def suppressed(cls) -> Count:
        """One published cell shown as ``"<5"``."""
        return cls(SUPPRESSED_MIN, SUPPRESSED_MAX, 1, 1)

    @classmethod
    def zero(cls) -> Count:
        """The empty sum (no cells)."""
        return cls(0, 0, 0, 0)

    # -- properties ------------------------------------------------------------------------------
    @property
    def is_exact(self) -> bool:
        """True when no suppressed cell is included (the value is known exactly)."""
        return self.suppressed_cells == 0

    @property
    def is_suppressed(self) -> bool:
        """True when *every* cell included is suppressed (nothing exact is known beyond the range)."""
        return self.suppressed_cells > 0 and self.suppressed_cells == self.cells

    @property
    def is_partial(self) -> bool:
        """True for a sum of exact and suppressed cells: a lower bound with a range."""
        return 0 < self.suppressed_cells < self.cells

    @property
    def value(self) -> int | None:
        """The exact value, or None when any suppressed cell is included."""
        return self.low if self.is_exact else None

    @property
    def lower_bound(self) -> int:
        """Alias of ``low``: the value is at least this."""
        return self.low

    # -- arithmetic --------------------------------------------------------------------------------
    def __add__(self, other: object) -> Count:
        if isinstance(other, Count):
            return Count(
                self.low + other.low,
                self.high + other.high,
                self.suppressed_cells + other.suppressed_cells,
                self.cells + other.cells,
            )
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __radd__(self, other: object) -> Count:
        # Lets the built-in sum() start from 0.
        return self.__add__(other)

    def sort_key(self) -> tuple[int, int]:
        """Order by lower bound, then by upper bound (for "main flows")."""
        return (self.low, self.high)

    # -- output ------------------------------------------------------------------------------------
    def render(self) -> str:
        """Human text: ``"1,269"``, ``"<5"``, or ``"≥ 12 (12–20)"`` for a partially suppressed sum.

        A sum of only suppressed cells shows no number but the cell count: ``"2 cells <5"``.
        """
        if self.is_exact:
            return f"{self.low:,}"
        if self.cells == 1:
            return SUPPRESSED_TEXT
        if self.is_suppressed:
            return f"{self.suppressed_cells} cells <5"
        return f"≥ {self.low:,} ({self.low:,}–{self.high:,})"

    def __str__(self) -> str:
        return self.render()

    def to_json(self) -> int | dict[str, Any]:
        """JSON value: a number when exact, else an object that never shows a suppressed cell as a number.

        * exact: ``1269``
        * one suppressed cell: ``{"suppressed": true}``
        * only suppressed cells: ``{"suppressed": true, "suppressed_cells": 2}``
        * exact and suppressed cells: ``{"lower_bound": 12, "low": 12, "high": 20,
          "suppressed_cells": 2, "display": "≥ 12 (12–20)"}``
        """
        if self.is_exact:
            return self.low
        if self.cells == 1:
            return {"suppressed": True}
        if self.is_suppressed:
            return {"suppressed": True, "suppressed_cells": self.suppressed_cells}
        return {
            "lower_bound": self.low,
            "low": self.low,
            "high": self.high,
            "suppressed_cells": self.suppressed_cells,
            "display": self.render(),
        }

    @classmethod
    def parse(cls, text: str) -> Count:
        """Parse a published cell: ``"<5"``, ``"12"`` or ``"1,269"``. Raises ValueError otherwise."""
        s = text.strip()
        if s == SUPPRESSED_TEXT:
            return cls.suppressed()
        digits = s.replace(",", "")
        if not digits.isascii() or not digits.isdigit():
            raise ValueError(text)
        if "," in s:
            groups = s.split(",")
            if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
                raise ValueError(text)
        return cls.exact(int(digits))


def sum_counts(counts: Iterable[Count]) -> Count:
    """Add counts up; the empty sum is :meth:`Count.zero`."""
    total = Count.zero()
    for c in counts:
        total = total + c
    return total


@dataclass(frozen=True, slots=True)
class Share:
    """A proportion between 0 and 1 that may be an interval because of suppressed cells.

    ``low``/``high`` are exact fractions; ``value`` is set only when they coincide.
    """

    low: Fraction
    high: Fraction

    @classmethod
    def of(cls, part: Count, rest: Count) -> Share | None:
        """Share of ``part`` in ``part + rest`` over every value the suppressed cells allow.

        Returns None when the total can only be 0.
        """
        if part.high + rest.high == 0:
            return None
        lo = Fraction(1) if part.low + rest.high == 0 else Fraction(part.low, part.low + rest.high)
        hi = Fraction(0) if part.high + rest.low == 0 else Fraction(part.high, part.high + rest.low)
        return cls(lo, hi)

    @property
    def is_exact(self) -> bool:
        return self.low == self.high

    @property
    def value(self) -> float | None:
        return float(self.low) if self.is_exact else None

    def render(self, digits: int = 1) -> str:
        if self.is_exact:
            return f"{float(self.low) * 100:.{digits}f}%"
        return f"{float(self.low) * 100:.{digits}f}–{float(self.high) * 100:.{digits}f}%"

    def to_json(self) -> float | dict[str, float]:
        if self.is_exact:
            return round(float(self.low), 6)
        return {"low": round(float(self.low), 6), "high": round(float(self.high), 6)}
