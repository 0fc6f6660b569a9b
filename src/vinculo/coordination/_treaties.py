"""Seed treaty status for UNTOC (UNTC XVIII-12) and its Trafficking in Persons Protocol (XVIII-12-a).

Two partial sources are packaged (see ``data/ATTRIBUTION.md``):

* Kelley & Simmons (2015): the YEAR of ratification of each instrument, panel ending about 2010/2011.
  ``not_by_data_end`` means "not ratified by the end of the data", never "not a party".
* ILAB 2022: whether the Protocol was ratified ("Yes"/"No") for the countries ILAB covers. An empty
  value means "not covered", never "not ratified".

:func:`seed_treaty_entries` merges them into one :class:`SeedEntry` per State and instrument, each
citing its source and its precision. Nothing here replaces the UN Treaty Collection: every entry
is unconfirmed until an administrator checks it there.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from vinculo.errors import Issue, Location, VinculoError

__all__ = [
    "ILAB_2022",
    "INSTRUMENTS",
    "KELLEY_SIMMONS",
    "UNTC_URLS",
    "Instrument",
    "Precision",
    "SeedEntry",
    "TreatyStatusCode",
    "seed_treaty_entries",
]

Instrument = Literal["untoc", "tip_protocol"]
Precision = Literal["none", "year", "day"]
TreatyStatusCode = Literal["party", "signatory", "not_party", "not_by_data_end", "unknown"]

INSTRUMENTS: dict[str, str] = {
    "untoc": "United Nations Convention against Transnational Organized Crime (UNTC XVIII-12)",
    "tip_protocol": "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and "
    "Children (UNTC XVIII-12-a)",
}
UNTC_URLS: dict[str, str] = {
    "untoc": "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12&chapter=18",
    "tip_protocol": "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12-a&chapter=18",
}
KELLEY_SIMMONS = (
    "Kelley & Simmons (2015), AJPS replication data (github.com/andrewheiss/scorecard-diplomacy, commit f8c06be), "
    "variables unctocdate/protocoldate: year only, data end about 2011"
)
ILAB_2022 = (
    "U.S. Department of Labor, ILAB, Sweat & Toil data (Findings on the Worst Forms of Child Labor, reporting "
    "year 2022): Palermo Protocol ratified Yes/No"
)
_NOT_BY_DATA_END = "not_by_data_end"
_DATA = "vinculo.coordination"


@dataclass(frozen=True, slots=True)
class SeedEntry:
    """The seed status of one State for one instrument, with its source and precision.

    ``year`` is set only when the source gives one (``precision == "year"``); the sources here never
    give a full date, so ``precision`` is ``"year"`` or ``"none"``.
    """

    iso3: str
    instrument: Instrument
    status: TreatyStatusCode
    year: int | None
    precision: Precision
    source: str
    citation: str
    note: str


def _open(name: str) -> list[dict[str, str]]:
    ref = resources.files(_DATA).joinpath("data", name)
    with ref.open("r", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@functools.cache
def _crosswalk() -> dict[tuple[str, str], str]:
    return {(r["dataset"], r["name"]): r["iso3"] for r in _open("country_names.csv")}


def _year(value: str, *, file: str, row: int, column: str) -> int | None:
    text = value.strip()
    if text == _NOT_BY_DATA_END:
        return None
    if not text.isdigit() or not 2000 <= int(text) <= 2011:
        raise VinculoError(
            f"{file}, row {row}, column {column!r}: {text!r} is not a year from 2000 to 2011 "
            f"nor {_NOT_BY_DATA_END!r}.",
            code="coordination.invalid_seed_year",
            issues=[
                Issue(
                    "coordination.invalid_seed_year",
                    "Not a ratification year.",
                    Location(file=file, row=row, column=column),
                    value=text,
                    expected=f"2000-2011 or {_NOT_BY_DATA_END}",
                    fix="Correct the packaged file; it must match shared/data/treaties.",
                )
            ],
        )
    return int(text)


def _kelley_simmons() -> dict[tuple[str, str], SeedEntry]:
    file = "kelley_simmons_2015_ratification_years.csv"
    names = _crosswalk()
    out: dict[tuple[str, str], SeedEntry] = {}
    for row_number, row in enumerate(_open(file), start=2):
        iso3 = names.get(("kelley_simmons_2015", row["country_name_ks"]))
        if iso3 is None:
            raise VinculoError(
                f"{file}, row {row_number}: country {row['country_name_ks']!r} has no ISO3 code in "
                "country_names.csv. Add it there.",
                code="coordination.unknown_seed_country",
            )
        for instrument, column in (("untoc", "untoc_year"), ("tip_protocol", "tip_protocol_year")):
            year = _year(row[column], file=file, row=row_number, column=column)
            if year is None:
                entry = SeedEntry(
                    iso3,
                    instrument,  # type: ignore[arg-type]
                    "not_by_data_end",
                    None,
                    "none",
                    "kelley_simmons_2015",
                    KELLEY_SIMMONS,
                    "Not ratified by the end of the data (about 2011); it may have ratified since.",
                )
            else:
                entry = SeedEntry(
                    iso3,
                    instrument,  # type: ignore[arg-type]
                    "party",
                    year,
                    "year",
                    "kelley_simmons_2015",
                    KELLEY_SIMMONS,
                    "Year of ratification or accession only; the kind of act and the exact date are not "
                    "in the source.",
                )
            out[(iso3, instrument)] = entry
    return out


def _ilab() -> dict[str, str]:
    names = _crosswalk()
    out: dict[str, str] = {}
    for row in _open("ilab_2022_palermo_protocol.csv"):
        iso3 = names[("ilab_2022", row["country"])]
        value = row["palermo_protocol_ratified"].strip()
        if value in ("Yes", "No"):
            out[iso3] = value
    return out


def seed_treaty_entries(member_states: Iterable[str]) -> list[SeedEntry]:
    """One seed entry per State in ``member_states`` (ISO3 codes) and per instrument.

    Kelley & Simmons give a year of ratification when there is one. For the Protocol, ILAB 2022
    then fills what the older data leave open: "Yes" turns "not ratified by the end of the data"
    (or no data) into "party by 2022, date unknown"; "No" records "not a party in 2022". Where the
    two sources disagree (a year in Kelley & Simmons but "No" in ILAB) the year is kept and the
    disagreement is written in the note for an administrator to resolve. States in neither source
    are ``unknown``.

    Parameters
    ----------
    member_states : iterable of str
        ISO 3166-1 alpha-3 codes, usually the 193 UN Member States.

    Returns
    -------
    list of SeedEntry
        Sorted by ISO3 code, then instrument.

    Examples
    --------
    >>> entries = seed_treaty_entries(["ARG", "AND"])
    >>> [(e.iso3, e.instrument, e.status, e.year) for e in entries][:2]
    [('AND', 'tip_protocol', 'unknown', None), ('AND', 'untoc', 'unknown', None)]
    """
    ks = _kelley_simmons()
    ilab = _ilab()
    out: list[SeedEntry] = []
    for iso3 in sorted(set(member_states)):
        for instrument in ("tip_protocol", "untoc"):
            entry = ks.get((iso3, instrument))
            verdict = ilab.get(iso3) if instrument == "tip_protocol" else None
            if verdict == "Yes" and (entry is None or entry.status != "party"):
                before = " (Kelley & Simmons: not ratified by about 2011)" if entry is not None else ""
                entry = SeedEntry(
                    iso3,
                    "tip_protocol",
                    "party",
                    None,
                    "none",
                    "ilab_2022",
                    ILAB_2022,
                    f"Ratified or acceded by 2022 according to ILAB; date unknown{before}.",
                )
            elif verdict == "No" and (entry is None or entry.status != "party"):
                entry = SeedEntry(
                    iso3,
                    "tip_protocol",
                    "not_party",
                    None,
                    "none",
                    "ilab_2022",
                    ILAB_2022,
                    "Not ratified in 2022 according to ILAB.",
                )
            elif verdict == "No" and entry is not None:
                entry = SeedEntry(
                    entry.iso3,
                    entry.instrument,
                    entry.status,
                    entry.year,
                    entry.precision,
                    entry.source,
                    entry.citation,
                    entry.note + " ILAB 2022 says not ratified: the sources disagree, check the UNTC.",
                )
            if entry is None:
                entry = SeedEntry(
                    iso3,
                    instrument,
                    "unknown",
                    None,
                    "none",
                    "none",
                    "",
                    "No packaged source covers this State: check the UN Treaty Collection.",
                )
            out.append(entry)
    return out
