"""Countries, areas and UNODC regions: ISO3 code -> name, region and subregion.

The GLOTIP export gives a region and subregion for each of its 199 reporting countries; they are
kept as in the file. Citizenships and countries of repatriation can also name countries that do
not report (Eritrea, Somalia, ...): their UNODC region comes from the packaged table
``data/areas.csv`` (UN M49 regions, which UNODC's regions follow; see its ``source`` column).
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

import pycountry

__all__ = ["USER_ASSIGNED_CODES", "Area", "is_known_code", "known_areas"]

#: Codes outside ISO 3166-1 that the evidence package accepts (user-assigned X.. range).
USER_ASSIGNED_CODES: dict[str, str] = {
    "XKX": "Kosovo",
    "XSK": "Sark",
}


@dataclass(frozen=True, slots=True)
class Area:
    """A country or area with its UNODC region and subregion (empty when it has none)."""

    iso3: str
    name: str
    region: str
    subregion: str


@functools.cache
def known_areas() -> dict[str, Area]:
    """Every area in ``data/areas.csv`` (ISO 3166-1 plus XKX and XSK), by ISO3 code."""
    ref = resources.files("vinculo.evidence").joinpath("data", "areas.csv")
    out: dict[str, Area] = {}
    with ref.open("r", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["iso3"]] = Area(row["iso3"], row["name"], row["region"], row["subregion"])
    return out


@functools.cache
def is_known_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 code or one of :data:`USER_ASSIGNED_CODES`."""
    if code in USER_ASSIGNED_CODES:
        return True
    return len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None
