"""Lists derived from a loaded release for the pages: names, the region tree, the country list."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from vinculo.evidence import Count, citizenship_flows, known_areas, normalize_text, origin_countries

from .labels import country_name
from .services import LoadedRelease
from .tables import count_text

VICTIMS = "Detected trafficking victims"


def names_of(loaded: LoadedRelease) -> dict[str, str]:
    """ISO3 -> name in the active language for every reporting country and every other known area.

    Cached on the release per language; UNODC's English name where no translation exists.
    """
    key = ("web", "names", get_language() or "en")
    cached = loaded.dataset.cache.get(key)
    if cached is None:
        names = {code: a.name for code, a in known_areas().items()}
        names.update({code: a.name for code, a in loaded.dataset.countries.items()})
        names = {code: country_name(code, name) for code, name in names.items()}
        loaded.dataset.cache[key] = names
        cached = names
    return cached


def region_tree(loaded: LoadedRelease) -> list[dict[str, Any]]:
    """Regions with their subregions and number of reporting countries."""
    tree: dict[str, dict[str, int]] = {}
    for a in loaded.dataset.countries.values():
        subs = tree.setdefault(a.region, {})
        subs[a.subregion] = subs.get(a.subregion, 0) + 1
    return [
        {"name": region, "countries": sum(subs.values()), "subregions": sorted(subs.items())}
        for region, subs in sorted(tree.items())
    ]


def country_rows(loaded: LoadedRelease) -> list[dict[str, Any]]:
    """One row per reporting country: name, code, region, latest year with detected victims and that count."""
    key = ("web", "countries", get_language() or "en")
    cached = loaded.dataset.cache.get(key)
    if cached is not None:
        return cached
    ds = loaded.dataset
    rows = []
    for code, a in sorted(ds.countries.items(), key=lambda kv: kv[1].name):
        latest = None
        for r in ds.records_of(code):
            if (r.indicator, r.dimension, r.category, r.sex, r.age) == (
                VICTIMS,
                "Total",
                "Total",
                "Total",
                "Total",
            ):
                if latest is None or r.year > latest.year:
                    latest = r
        rows.append(
            {
                "iso3": code,
                "name": country_name(code, a.name),
                "region": a.region,
                "subregion": a.subregion,
                "year": latest.year if latest else None,
                "victims": count_text(latest.count) if latest else "",
                "victims_low": latest.count.low if latest else None,
                "count": latest.count if latest else None,
                "english": a.name,
            }
        )
    rows.sort(key=lambda r: _fold(str(r["name"])))
    ds.cache[key] = rows
    return rows


def origin_rows(loaded: LoadedRelease) -> list[dict[str, Any]]:
    """One row per State that does not report but is the citizenship of victims detected elsewhere.

    Their pages show where their citizens were detected; the count is over every year of the export.
    """
    key = ("web", "origins", get_language() or "en")
    cached = loaded.dataset.cache.get(key)
    if cached is not None:
        return cached
    ds = loaded.dataset
    rows: list[dict[str, Any]] = []
    for code in sorted(origin_countries(ds) - set(ds.countries)):
        a = ds.area(code)
        flows = citizenship_flows(ds, origins=[code])
        total = sum((f.count for f in flows), Count.zero())
        rows.append(
            {
                "iso3": code,
                "name": country_name(code, a.name),
                "region": a.region,
                "subregion": a.subregion,
                "countries": len({f.destination for f in flows}),
                "victims": count_text(total),
                "victims_low": total.low,
                "english": a.name,
            }
        )
    rows.sort(key=lambda r: _fold(str(r["name"])))
    ds.cache[key] = rows
    return rows


SORTS = ("name", "code", "region", "year", "victims")


def _fold(text: str) -> str:
    """Case- and accent-free form for searching and sorting ("Côte d'Ivoire" ~ "cote d'ivoire")."""
    return normalize_text(text)


def filter_countries(
    rows: list[dict[str, Any]], *, query: str = "", region: str = "", sort: str = "name"
) -> list[dict[str, Any]]:
    """Rows whose name (in the page's language or in English) or code contains ``query``, in ``region``,
    sorted by ``sort`` (numbers largest first, rows without a value last)."""
    q = _fold(query.strip())
    out = [
        r
        for r in rows
        if (not region or r["region"] == region)
        and (not q or q in _fold(str(r["name"])) or q in _fold(str(r["english"])) or q in r["iso3"].lower())
    ]
    if sort == "code":
        out.sort(key=lambda r: r["iso3"])
    elif sort == "region":
        out.sort(key=lambda r: (str(r["region"]), _fold(str(r["name"]))))
    elif sort in ("year", "victims"):
        field = "year" if sort == "year" else "victims_low"
        out.sort(key=lambda r: (r.get(field) is None, -(r.get(field) or 0), _fold(str(r["name"]))))
    return out
