"""The in-memory GLOTIP dataset: records, reporting countries, export date and checksum.

A :class:`GlotipDataset` is what every indicator, flow and profile function takes. The importer
builds one from a file (:func:`vinculo.evidence.read_glotip`); the web layer can build one from
database rows with :meth:`GlotipDataset.from_rows` (the inverse of :meth:`GlotipDataset.to_rows`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from vinculo.errors import Issue, Location, VinculoError
from vinculo.evidence._areas import Area, known_areas
from vinculo.evidence._citizenship import CitizenshipMapper, CitizenshipMatch
from vinculo.evidence._count import Count

__all__ = ["CITATION", "GlotipDataset", "GlotipRecord", "RecordKey"]

CITATION = "UNODC, Global Report on Trafficking in Persons data"

#: (iso3, indicator, dimension, category, sex, age, year)
RecordKey = tuple[str, str, str, str, str, str, int]

#: The fields of one record as ``GlotipDataset.to_rows`` gives them and ``from_rows`` takes them.
ROW_FIELDS = (
    "iso3",
    "indicator",
    "dimension",
    "category",
    "sex",
    "age",
    "year",
    "low",
    "high",
    "suppressed_cells",
    "cells",
)


@dataclass(frozen=True, slots=True)
class GlotipRecord:
    """One cell of the export: a count for a country, indicator, breakdown and year.

    When the export repeats a key (it does for sub-forms of "Other forms of exploitation" and
    for sex rows that are really age parts), the repeated rows are added up into one record and
    ``count.cells`` says how many rows it holds.
    """

    iso3: str
    indicator: str
    dimension: str
    category: str
    sex: str
    age: str
    year: int
    count: Count

    @property
    def key(self) -> RecordKey:
        return (self.iso3, self.indicator, self.dimension, self.category, self.sex, self.age, self.year)


class GlotipDataset:
    """An imported GLOTIP export, immutable and ready for queries.

    Parameters
    ----------
    records : iterable of GlotipRecord
        One record per key (repeated keys must already be combined).
    countries : iterable of Area
        The reporting countries with UNODC's region and subregion as in the file.
    export_date : datetime.date or None
        The export date printed above the header of the UNODC file (``14/04/2025``).
    source_name : str
        File name (or other label) of the source, for citations.
    warnings : iterable of Issue
        Non-fatal findings of the import (combined rows, codes assigned to uncoded areas).
    """

    def __init__(
        self,
        records: Iterable[GlotipRecord],
        countries: Iterable[Area],
        *,
        export_date: dt.date | None = None,
        source_name: str = "",
        warnings: Iterable[Issue] = (),
    ) -> None:
        recs = sorted(records, key=lambda r: r.key)
        index: dict[RecordKey, GlotipRecord] = {}
        for r in recs:
            if r.key in index:
                raise VinculoError(
                    f"Two records have the same key {r.key}.",
                    code="evidence.duplicate_record",
                    fix="Combine repeated keys (add their counts) before building a dataset.",
                )
            index[r.key] = r
        self.records: tuple[GlotipRecord, ...] = tuple(recs)
        self.countries: Mapping[str, Area] = MappingProxyType(
            {c.iso3: c for c in sorted(countries, key=lambda a: a.iso3)}
        )
        missing = sorted({r.iso3 for r in recs} - set(self.countries))
        if missing:
            raise VinculoError(
                f"Records name countries that the dataset does not list: {', '.join(missing[:10])}.",
                code="evidence.unknown_country",
                fix="Pass an Area (name, region, subregion) for every country that has records.",
            )
        self.export_date = export_date
        self.source_name = source_name
        self.warnings: tuple[Issue, ...] = tuple(warnings)
        self._index: Mapping[RecordKey, GlotipRecord] = MappingProxyType(index)
        by_country: dict[str, list[GlotipRecord]] = defaultdict(list)
        for r in recs:
            by_country[r.iso3].append(r)
        self._by_country = {k: tuple(v) for k, v in by_country.items()}
        self.years: tuple[int, ...] = tuple(sorted({r.year for r in recs}))
        #: Derived tables computed once on first use (flows); never part of the content.
        self.cache: dict[tuple[str, ...], Any] = {}
        self.checksum: str = self._compute_checksum()
        names = {a.name: a.iso3 for a in self.countries.values()}
        self.mapper = CitizenshipMapper(names)
        self.citizenship: Mapping[str, CitizenshipMatch] = MappingProxyType(
            {
                text: self.mapper.match(text)
                for text in sorted({r.category for r in recs if r.dimension in _FREE_TEXT_DIMENSIONS})
            }
        )

    # -- look-ups --------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.records)

    def __repr__(self) -> str:
        date = self.export_date.isoformat() if self.export_date else "undated"
        return f"<GlotipDataset {len(self.records)} records, {len(self.countries)} countries, export {date}>"

    def get(
        self,
        iso3: str,
        indicator: str,
        year: int,
        *,
        dimension: str = "Total",
        category: str = "Total",
        sex: str = "Total",
        age: str = "Total",
    ) -> Count | None:
        """The count of one cell, or None when the export has no such row (which is not 0)."""
        rec = self._index.get((iso3, indicator, dimension, category, sex, age, year))
        return None if rec is None else rec.count

    def records_of(self, iso3: str) -> tuple[GlotipRecord, ...]:
        """Every record of one reporting country (empty when it has none)."""
        return self._by_country.get(iso3, ())

    def area(self, iso3: str) -> Area:
        """Name and UNODC region of a reporting country or of any known ISO3 code."""
        if iso3 in self.countries:
            return self.countries[iso3]
        known = known_areas()
        if iso3 in known:
            return known[iso3]
        raise VinculoError(
            f"Unknown country code {iso3!r}: it is not a reporting country of this export "
            "nor an ISO 3166 code.",
            code="evidence.unknown_country",
            fields={"iso3": iso3},
            fix="Use an ISO 3166-1 alpha-3 code such as 'NLD'.",
        )

    def match_category(self, text: str) -> CitizenshipMatch:
        """What a citizenship or repatriation category text means (see :class:`CitizenshipMatch`)."""
        found = self.citizenship.get(text)
        return found if found is not None else self.mapper.match(text)

    @property
    def citation(self) -> str:
        """``UNODC, Global Report on Trafficking in Persons data (export of 2025-04-14)``."""
        if self.export_date is None:
            return f"{CITATION} (export date unknown)"
        return f"{CITATION} (export of {self.export_date.isoformat()})"

    # -- storage round trip ----------------------------------------------------------------------
    def to_rows(self) -> list[dict[str, Any]]:
        """One flat dict per record (keys in ``ROW_FIELDS``), e.g. for database storage."""
        return [
            {
                "iso3": r.iso3,
                "indicator": r.indicator,
                "dimension": r.dimension,
                "category": r.category,
                "sex": r.sex,
                "age": r.age,
                "year": r.year,
                "low": r.count.low,
                "high": r.count.high,
                "suppressed_cells": r.count.suppressed_cells,
                "cells": r.count.cells,
            }
            for r in self.records
        ]

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, Any]],
        countries: Iterable[Area],
        *,
        export_date: dt.date | None = None,
        source_name: str = "",
    ) -> GlotipDataset:
        """Rebuild a dataset from :meth:`to_rows` output (e.g. rows read back from a database)."""
        records = []
        for n, row in enumerate(rows, start=1):
            try:
                count = Count(
                    int(row["low"]), int(row["high"]), int(row["suppressed_cells"]), int(row["cells"])
                )
                records.append(
                    GlotipRecord(
                        str(row["iso3"]),
                        str(row["indicator"]),
                        str(row["dimension"]),
                        str(row["category"]),
                        str(row["sex"]),
                        str(row["age"]),
                        int(row["year"]),
                        count,
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise VinculoError(
                    f"Row {n} cannot be read as a GLOTIP record ({exc!r}).",
                    code="evidence.bad_row",
                    issues=[Issue("evidence.bad_row", f"bad or missing field: {exc}", Location(row=n))],
                    fix=f"Each row needs the fields {', '.join(ROW_FIELDS)}.",
                ) from exc
        return cls(records, countries, export_date=export_date, source_name=source_name)

    def _compute_checksum(self) -> str:
        h = hashlib.sha256()
        h.update(b"glotip-v1\n")
        for a in self.countries.values():
            h.update("\x1f".join((a.iso3, a.name, a.region, a.subregion)).encode() + b"\n")
        for r in self.records:
            c = r.count
            fields = (*r.key[:6], str(r.year), str(c.low), str(c.high), str(c.suppressed_cells), str(c.cells))
            h.update("\x1f".join(fields).encode() + b"\n")
        return h.hexdigest()


_FREE_TEXT_DIMENSIONS = frozenset({"by citizenship", "by country of repatriation"})
