"""Rates per 100,000 population from the packaged UN WPP 2022 table."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from vinculo.errors import VinculoError
from vinculo.population._table import PopulationTable, load_population

__all__ = ["RateResult", "rate_per_100k"]

PER = 100_000


@dataclass(frozen=True, slots=True)
class RateResult:
    """A count expressed per 100,000 population.

    Attributes
    ----------
    value : float
        ``count / population * 100_000``.
    count : float
        The count that was divided.
    population : float
        Total population in persons (both sexes, 1 July of ``year``).
    iso3, year : str, int
        Country or area and year of the denominator.
    variant : str
        ``"Estimates"`` (up to 2021) or ``"Medium"`` (WPP medium-variant projection).
    source : str
        Citation for the denominator, to show beside the rate.
    """

    value: float
    count: float
    population: float
    iso3: str
    year: int
    variant: str
    source: str
    per: int = PER

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary."""
        return {
            "value": self.value,
            "count": self.count,
            "population": self.population,
            "iso3": self.iso3,
            "year": self.year,
            "variant": self.variant,
            "source": self.source,
            "per": self.per,
        }


def rate_per_100k(count: float, iso3: str, year: int, *, table: PopulationTable | None = None) -> RateResult:
    """Divide a count by the population of a country and year, per 100,000 persons.

    Parameters
    ----------
    count : float
        A non-negative count (detected victims, an MSE estimate, ...).
    iso3 : str
        ISO 3166-1 alpha-3 code of the country or area (case-insensitive).
    year : int
        Year of the population denominator (1990-2030).
    table : PopulationTable, optional
        Defaults to :func:`load_population`.

    Returns
    -------
    RateResult

    Raises
    ------
    VinculoError
        ``population.unknown_country`` (the message suggests close codes),
        ``population.year_out_of_range`` or ``population.invalid_count``.

    Examples
    --------
    >>> r = rate_per_100k(110, "TUV", 2022)
    >>> r.population, round(r.value, 1)
    (11000.0, 1000.0)
    """
    tbl = table if table is not None else load_population()
    rec = tbl.record(iso3, year)
    if isinstance(count, bool) or not isinstance(count, int | float) or not math.isfinite(count) or count < 0:
        raise VinculoError(
            f"Cannot compute a rate for {rec.iso3} {rec.year}: the count must be a finite number "
            f"of zero or more; found {count!r}.",
            code="population.invalid_count",
            fields={"iso3": rec.iso3, "year": rec.year, "count": repr(count)},
            fix="Pass the number of cases (or the estimate) as a non-negative number.",
        )
    variant = "medium-variant projection" if rec.is_projection else "estimates"
    source = f"UN DESA Population Division, World Population Prospects 2022 ({variant}), CC BY 3.0 IGO"
    return RateResult(
        value=float(count) / rec.total * PER,
        count=float(count),
        population=rec.total,
        iso3=rec.iso3,
        year=rec.year,
        variant=rec.variant,
        source=source,
    )
