"""The region of a State, from the UNODC/UN M49 regions packaged with :mod:`vinculo.evidence`."""

from __future__ import annotations

__all__ = ["region_of"]


def region_of(iso3: str) -> str:
    """The UNODC region (Africa, Americas, Asia, Europe, Oceania) of ``iso3``, or "" when unknown.

    Examples
    --------
    >>> region_of("NGA")
    'Africa'
    """
    from vinculo.evidence import known_areas

    area = known_areas().get(iso3.upper())
    return area.region if area is not None else ""
