"""The packaged UN WPP 2022 population table: look-ups by ISO3 code and year."""

from __future__ import annotations

import csv
import difflib
import functools
import gzip
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from vinculo.errors import VinculoError

__all__ = [
    "DATA_FILE",
    "SOURCE_CITATION",
    "AgeBreakdown",
    "PopulationRecord",
    "PopulationTable",
    "countries",
    "load_population",
]

DATA_FILE = "wpp2022_population_1990_2030.csv.gz"
SOURCE_CITATION = (
    "United Nations, Department of Economic and Social Affairs, Population Division (2022). "
    "World Population Prospects 2022, Online Edition. CC BY 3.0 IGO."
)
_THOUSAND = 1000.0


@dataclass(frozen=True, slots=True)
class AgeBreakdown:
    """Population of one country and year by broad age group, in persons.

    The source (WPP 2022 file POP/02-1) has five-year age groups for both sexes combined;
    the packaged table keeps three groups: 0-14, 15-19 and 20 and over.
    """

    age_0_14: float
    age_15_19: float
    age_20_plus: float

    @property
    def total(self) -> float:
        """Sum of the three groups (equals :meth:`PopulationTable.get`)."""
        return self.age_0_14 + self.age_15_19 + self.age_20_plus

    @property
    def approx_0_17(self) -> float:
        """Children aged 0-17, *approximated* as 0-14 plus three fifths of 15-19.

        WPP publishes five-year groups, so single ages 15, 16 and 17 are assumed to hold
        three fifths of the 15-19 group. Say so wherever this number is shown.
        """
        return self.age_0_14 + 0.6 * self.age_15_19


@dataclass(frozen=True, slots=True)
class PopulationRecord:
    """One row of the table: a country or area in one year. Populations are in persons."""

    iso3: str
    iso2: str
    un_location_code: int
    name: str
    year: int
    variant: str
    total: float
    ages: AgeBreakdown

    @property
    def is_projection(self) -> bool:
        """True for WPP medium-variant projections (2022 onwards), False for estimates."""
        return self.variant != "Estimates"


class PopulationTable:
    """Total population by country/area (ISO 3166-1 alpha-3) and year, 1990-2030.

    Source: UN DESA Population Division, World Population Prospects 2022 (estimates up to
    2021, medium variant from 2022). **The source publishes thousands of persons**; every
    method here returns **persons** (thousands x 1,000). Each five-year group in the source
    is rounded to the nearest thousand, so small states are coarse (Tuvalu 2022: 11,000).
    Only rows of type "Country/Area" are kept, so there are no regional aggregates.
    Kosovo uses the user-assigned code ``XKX``; China excludes Hong Kong, Macao and
    Taiwan, which have their own rows. There is no split by sex.

    Build it with :func:`load_population`; the table is read-only.
    """

    def __init__(self, records: Mapping[tuple[str, int], PopulationRecord]) -> None:
        self._records: Mapping[tuple[str, int], PopulationRecord] = MappingProxyType(dict(records))
        names: dict[str, str] = {}
        years: set[int] = set()
        for (iso3, year), rec in self._records.items():
            names[iso3] = rec.name
            years.add(year)
        self._names: Mapping[str, str] = MappingProxyType(dict(sorted(names.items())))
        self.first_year: int = min(years) if years else 0
        self.last_year: int = max(years) if years else -1
        self.source: str = SOURCE_CITATION

    def __len__(self) -> int:
        return len(self._records)

    def __repr__(self) -> str:
        return (
            f"<PopulationTable {len(self._names)} countries/areas, "
            f"{self.first_year}-{self.last_year}, UN WPP 2022>"
        )

    # -- listing ---------------------------------------------------------------------------
    def countries(self) -> tuple[str, ...]:
        """ISO3 codes of every country or area in the table, sorted."""
        return tuple(self._names)

    def name(self, iso3: str) -> str:
        """The UN name of a country or area (commas removed in the source: "China Taiwan ...")."""
        return self._names[self._check_country(iso3)]

    def years(self) -> range:
        """The years covered, as a range (1990-2030 for the packaged table)."""
        return range(self.first_year, self.last_year + 1)

    # -- lenient look-ups (None when absent) -------------------------------------------------
    def get(self, iso3: str, year: int) -> float | None:
        """Total population (both sexes) in **persons**, or None if the country or year is absent.

        Parameters
        ----------
        iso3 : str
            ISO 3166-1 alpha-3 code, case-insensitive (``"NLD"``, ``"nld"``).
        year : int
            Calendar year; WPP values refer to 1 July of that year.

        Returns
        -------
        float or None
            The source value in thousands multiplied by 1,000, or None when the table has no
            row for this code and year. Use :meth:`record` to get an error that names the problem.

        Examples
        --------
        >>> table = load_population()
        >>> table.get("TUV", 2022)
        11000.0
        """
        rec = self._records.get((iso3.strip().upper(), int(year)))
        return None if rec is None else rec.total

    def get_by_age(self, iso3: str, year: int) -> AgeBreakdown | None:
        """Population by broad age group (0-14, 15-19, 20+) in persons, or None if absent."""
        rec = self._records.get((iso3.strip().upper(), int(year)))
        return None if rec is None else rec.ages

    # -- strict look-up ------------------------------------------------------------------------
    def record(self, iso3: str, year: int) -> PopulationRecord:
        """The row for one country and year; raises :class:`VinculoError` if there is none.

        Raises
        ------
        VinculoError
            ``population.unknown_country`` (with close matches) or
            ``population.year_out_of_range``.
        """
        code = self._check_country(iso3)
        if isinstance(year, bool) or not isinstance(year, int):
            raise VinculoError(
                f"Population year must be a whole number; found {year!r}.",
                code="population.invalid_year",
                fields={"iso3": code, "year": repr(year)},
                fix=f"Pass a year between {self.first_year} and {self.last_year}, e.g. 2022.",
            )
        rec = self._records.get((code, year))
        if rec is None:
            raise VinculoError(
                f"No population for {code} ({self._names[code]}) in {year}: the UN WPP 2022 table "
                f"covers {self.first_year}-{self.last_year}.",
                code="population.year_out_of_range",
                fields={
                    "iso3": code,
                    "year": year,
                    "first_year": self.first_year,
                    "last_year": self.last_year,
                },
                fix=f"Use a year between {self.first_year} and {self.last_year}.",
            )
        return rec

    def _check_country(self, iso3: str) -> str:
        code = iso3.strip().upper() if isinstance(iso3, str) else ""
        if code in self._names:
            return code
        suggestions = self.suggest(iso3 if isinstance(iso3, str) else repr(iso3))
        hint = (
            "Did you mean " + ", ".join(f"{c} ({self._names[c]})" for c in suggestions) + "?"
            if suggestions
            else "Call countries() for the full list."
        )
        raise VinculoError(
            f"Unknown country code {iso3!r}: the UN WPP 2022 table has no country or area with "
            "this ISO 3166-1 alpha-3 code.",
            code="population.unknown_country",
            fields={"iso3": str(iso3), "suggestions": list(suggestions)},
            fix=f"Use a three-letter ISO3 code such as 'NLD'. {hint}",
        )

    def suggest(self, text: str, limit: int = 3) -> tuple[str, ...]:
        """ISO3 codes close to ``text``, matched against codes, ISO2 codes and names."""
        query = text.strip()
        if not query:
            return ()
        upper = query.upper()
        found: list[str] = []
        # An ISO2 code or an exact (case-insensitive) name is a strong hint.
        for (iso3, _year), rec in self._records.items():
            if (upper == rec.iso2 or query.casefold() == rec.name.casefold()) and iso3 not in found:
                found.append(iso3)
        found += [c for c in difflib.get_close_matches(upper, list(self._names), n=limit, cutoff=0.6)]
        by_name = {name.casefold(): code for code, name in self._names.items()}
        for name in difflib.get_close_matches(query.casefold(), list(by_name), n=limit, cutoff=0.6):
            found.append(by_name[name])
        unique = list(dict.fromkeys(found))
        return tuple(unique[:limit])


def _parse(text: str, origin: str) -> dict[tuple[str, int], PopulationRecord]:
    records: dict[tuple[str, int], PopulationRecord] = {}
    # keep_default_na-style traps do not apply to the csv module: Namibia's ISO2 "NA" stays text.
    reader = csv.DictReader(io.StringIO(text))
    for line, row in enumerate(reader, start=2):
        try:
            ages = AgeBreakdown(
                age_0_14=float(row["pop_0_14_thousands"]) * _THOUSAND,
                age_15_19=float(row["pop_15_19_thousands"]) * _THOUSAND,
                age_20_plus=float(row["pop_20plus_thousands"]) * _THOUSAND,
            )
            rec = PopulationRecord(
                iso3=row["iso3"].strip().upper(),
                iso2=row["iso2"].strip().upper(),
                un_location_code=int(row["un_location_code"]),
                name=row["name"].strip(),
                year=int(row["year"]),
                variant=row["variant"].strip(),
                total=float(row["pop_total_thousands"]) * _THOUSAND,
                ages=ages,
            )
        except (KeyError, TypeError, ValueError) as exc:  # pragma: no cover - packaged file is fixed
            raise VinculoError(
                f"{origin}, row {line}: cannot read population row ({exc}).",
                code="population.bad_data_file",
                fix="Reinstall vinculo; the packaged population file is damaged.",
            ) from exc
        records[(rec.iso3, rec.year)] = rec
    return records


@functools.cache
def load_population() -> PopulationTable:
    """Load the packaged UN WPP 2022 table (read once, then cached).

    Returns
    -------
    PopulationTable
        236 countries/areas x 41 years (1990-2030), values in persons.

    Examples
    --------
    >>> table = load_population()
    >>> table.get("NLD", 2020) > 17_000_000
    True
    """
    ref = resources.files("vinculo.population").joinpath("data", DATA_FILE)
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8", newline="") as fh:
        text = fh.read()
    return PopulationTable(_parse(text, DATA_FILE))


def countries() -> tuple[str, ...]:
    """ISO3 codes of every country or area in the packaged population table, sorted."""
    return load_population().countries()
