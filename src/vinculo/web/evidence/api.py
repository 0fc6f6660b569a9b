"""API of the Global Report evidence area, mounted at ``/api/evidence``. All of it is public data.

Values are numbers or suppression objects (``{"suppressed": true}``, or a lower bound with its
range for sums that include suppressed cells), exactly as in ``vinculo glotip profile --format json``.
Tables come as JSON, or as CSV/XLSX with ``format=csv|xlsx``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from vinculo.errors import VinculoError
from vinculo.evidence import FLOW_CSV_COLUMNS, citizenship_flows, list_indicators, origin_countries
from vinculo.web.core.bounds import Version, Year, page_size
from vinculo.web.core.countries import country_name

from .downloads import table_response
from .models import GlotipRelease
from .services import LoadedRelease, loaded_release, release_by_version

router = Router(tags=["evidence"])

FIGURE_COLUMNS = [
    "iso3",
    "country",
    "region",
    "subregion",
    "indicator",
    "dimension",
    "category",
    "sex",
    "age",
    "year",
    "value",
    "low",
    "high",
    "suppressed_cells",
    "cells",
    "release",
    "submission",
]


class ReleaseOut(Schema):
    version: int
    kind: str
    status: str
    source_name: str
    export_date: date | None
    checksum: str
    imported_at: datetime
    n_records: int
    n_countries: int
    base: int | None
    submissions: list[int]

    @staticmethod
    def resolve_base(obj: GlotipRelease) -> int | None:
        return obj.base.version if obj.base is not None else None

    @staticmethod
    def resolve_submissions(obj: GlotipRelease) -> list[int]:
        return sorted(s.pk for s in obj.submissions.all())


class IndicatorOut(Schema):
    indicator: str
    dimension: str
    categories: list[str]
    sexes: list[str]
    ages: list[str]
    years: list[int]
    records: int
    countries: int


class EvidenceCountryOut(Schema):
    iso3: str
    name: str
    region: str
    subregion: str


class FigureFilters(Schema):
    release: Version | None = None
    country: str | None = None
    region: str | None = None
    subregion: str | None = None
    year_from: Year | None = None
    year_to: Year | None = None
    indicator: str | None = None
    dimension: str | None = None
    category: str | None = None
    sex: str | None = None
    age: str | None = None
    format: Literal["json", "csv", "xlsx"] = "json"
    limit: Annotated[int, page_size(1_000_000)] = 100000


class FlowFilters(Schema):
    release: Version | None = None
    country: str | None = None
    region: str | None = None
    year_from: Year | None = None
    year_to: Year | None = None
    indicator: Literal["Detected trafficking victims", "Persons convicted"] = "Detected trafficking victims"
    sex: str = "Total"
    age: str = "Total"
    form: str | None = None
    format: Literal["json", "csv", "xlsx"] = "json"


def _loaded(version: int | None) -> tuple[GlotipRelease, LoadedRelease]:
    release = release_by_version(version)
    if release is None:
        raise Http404
    return release, loaded_release(release)


@router.get("/releases", response=list[ReleaseOut], summary="Every stored release, newest first")
def releases(request: HttpRequest) -> list[GlotipRelease]:
    return list(
        GlotipRelease.objects.select_related("base").prefetch_related("submissions").order_by("-version")
    )


@router.get("/indicators", response=list[IndicatorOut], summary="Indicators and breakdowns in the data")
def indicators(request: HttpRequest, release: Version | None = None) -> list[dict[str, Any]]:
    _rel, loaded = _loaded(release)
    return [
        {
            "indicator": s.indicator,
            "dimension": s.dimension,
            "categories": list(s.categories),
            "sexes": list(s.sexes),
            "ages": list(s.ages),
            "years": list(s.years),
            "records": s.records,
            "countries": s.countries,
        }
        for s in list_indicators(loaded.dataset)
    ]


@router.get(
    "/countries", response=list[EvidenceCountryOut], summary="Reporting countries with their UNODC region"
)
def countries(request: HttpRequest, release: Version | None = None) -> list[dict[str, str]]:
    _rel, loaded = _loaded(release)
    return [
        {"iso3": a.iso3, "name": country_name(a.iso3, a.name), "region": a.region, "subregion": a.subregion}
        for a in loaded.dataset.countries.values()
    ]


@router.get(
    "/countries/{iso3}/profile",
    response=dict[str, Any],
    summary="Country profile (as the CLI's JSON); a State known only as an origin has reporting=false",
)
def country_profile(request: HttpRequest, iso3: str, release: Version | None = None) -> dict[str, Any]:
    rel, loaded = _loaded(release)
    code = iso3.upper()
    if code not in loaded.dataset.countries and code not in origin_countries(loaded.dataset):
        raise Http404
    out = loaded.country_profile(code).to_dict()
    out["name"] = country_name(code, out.get("name", ""))
    out["release"] = rel.version
    return out


@router.get("/areas/{level}/profile", response=dict[str, Any], summary="Subregion, region or world profile")
def area_profile(
    request: HttpRequest,
    level: Literal["subregion", "region", "world"],
    area: str | None = None,
    release: Version | None = None,
) -> dict[str, Any]:
    rel, loaded = _loaded(release)
    if level != "world" and not area:
        raise HttpError(
            400, f"area: a {level} profile needs ?area=<name>. Use the names of /evidence/countries."
        )
    try:
        out = loaded.area_profile(level, area).to_dict()
    except VinculoError as exc:
        if exc.code == "evidence.unknown_area":
            raise Http404 from exc
        raise
    out["release"] = rel.version
    return out


def _years_ok(year: int, f: FigureFilters | FlowFilters) -> bool:
    return (f.year_from is None or year >= f.year_from) and (f.year_to is None or year <= f.year_to)


#: The OpenAPI description of a table answered as JSON, or as CSV/XLSX with ``format=csv|xlsx``.
_TABLE_FORMATS: dict[str, Any] = {
    "responses": {
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
            }
        }
    }
}


@router.get(
    "/figures",
    response=dict[str, Any],
    summary="Figures with filters, as JSON, CSV or XLSX",
    openapi_extra=_TABLE_FORMATS,
)
def figures(request: HttpRequest, filters: Query[FigureFilters]) -> Any:
    rel, loaded = _loaded(filters.release)
    ds = loaded.dataset
    base_version = rel.base.version if rel.base is not None else rel.version
    if filters.country:
        codes = [filters.country.upper()]
        if codes[0] not in ds.countries:
            raise HttpError(400, "country: not a reporting country. See /evidence/countries.")
    else:
        codes = [
            c
            for c, a in ds.countries.items()
            if (filters.region is None or a.region == filters.region)
            and (filters.subregion is None or a.subregion == filters.subregion)
        ]
    wanted = {
        k: v
        for k, v in (
            ("indicator", filters.indicator),
            ("dimension", filters.dimension),
            ("category", filters.category),
            ("sex", filters.sex),
            ("age", filters.age),
        )
        if v is not None
    }
    rows: list[dict[str, Any]] = []
    for code in codes:
        a = ds.countries[code]
        for r in ds.records_of(code):
            if not _years_ok(r.year, filters) or any(getattr(r, k) != v for k, v in wanted.items()):
                continue
            sub = loaded.from_submission.get((r.iso3, r.indicator, r.dimension, r.year))
            c = r.count
            rows.append(
                {
                    "iso3": r.iso3,
                    "country": country_name(code, a.name),
                    "region": a.region,
                    "subregion": a.subregion,
                    "indicator": r.indicator,
                    "dimension": r.dimension,
                    "category": r.category,
                    "sex": r.sex,
                    "age": r.age,
                    "year": r.year,
                    "value": c.to_json(),
                    "low": None if c.is_suppressed else c.low,
                    "high": None if c.is_suppressed else c.high,
                    "suppressed_cells": c.suppressed_cells,
                    "cells": c.cells,
                    "release": None if sub is not None else base_version,
                    "submission": sub,
                    "_display": c.render() if not c.is_exact else c.low,
                }
            )
            if len(rows) >= filters.limit:
                break
    if filters.format == "json":
        for row in rows:
            row.pop("_display")
        return {"release": rel.version, "source": ds.citation, "count": len(rows), "figures": rows}
    sheet = [[row["_display"] if col == "value" else row[col] for col in FIGURE_COLUMNS] for row in rows]
    sheet = [["" if v is None else v for v in line] for line in sheet]
    return table_response(
        filters.format,
        name=f"glotip-figures-v{rel.version}",
        title="figures",
        header=FIGURE_COLUMNS,
        sheet_rows=sheet,
        json_rows=[],
        citation=ds.citation,
    )


@router.get(
    "/flows",
    response=dict[str, Any],
    summary="Citizenship flows with filters, as JSON, CSV or XLSX",
    openapi_extra=_TABLE_FORMATS,
)
def flows(request: HttpRequest, filters: Query[FlowFilters]) -> Any:
    rel, loaded = _loaded(filters.release)
    ds = loaded.dataset
    if filters.sex != "Total" or filters.age != "Total" or filters.form not in (None, "", "Total"):
        raise HttpError(
            400,
            "sex, age, form: the export reports citizenship only for all sexes, ages and forms together, "
            "so flows exist only with sex=Total, age=Total and no form. Use /evidence/figures for breakdowns.",
        )
    destinations: list[str] | None = None
    if filters.country:
        code = filters.country.upper()
        if code not in ds.countries:
            raise HttpError(400, "country: not a reporting country. See /evidence/countries.")
        destinations = [code]
    regions = sorted({a.region for a in ds.countries.values()})
    if filters.region is not None and filters.region not in regions:
        raise HttpError(400, f"region: not a region of the export. Use one of {', '.join(regions)}.")
    rows = []
    for f in citizenship_flows(ds, indicator=filters.indicator, destinations=destinations):
        if not _years_ok(f.year, filters):
            continue
        d = ds.area(f.destination)
        o = ds.area(f.origin) if f.origin_kind == "country" else None
        if (
            filters.region is not None
            and d.region != filters.region
            and (o is None or o.region != filters.region)
        ):
            continue
        rows.append(
            {
                "year": f.year,
                "origin": f.origin if o else "",
                "origin_name": country_name(o.iso3, o.name) if o else "",
                "origin_region": o.region if o else "",
                "origin_subregion": o.subregion if o else "",
                "origin_kind": f.origin_kind,
                "destination": f.destination,
                "destination_name": country_name(d.iso3, d.name),
                "destination_region": d.region,
                "destination_subregion": d.subregion,
                "flow_class": f.flow_class,
                "indicator": f.indicator,
                "value": f.count.to_json(),
                "low": None if f.count.is_suppressed else f.count.low,
                "high": None if f.count.is_suppressed else f.count.high,
                "suppressed_cells": f.count.suppressed_cells,
                "cells": f.count.cells,
                "source_texts": " | ".join(f.texts),
                "_display": f.count.render() if not f.count.is_exact else f.count.low,
            }
        )
    if filters.format == "json":
        for row in rows:
            row.pop("_display")
        return {"release": rel.version, "source": ds.citation, "count": len(rows), "flows": rows}
    header = list(FLOW_CSV_COLUMNS)
    sheet = [
        ["" if row[c] is None else (row["_display"] if c == "value" else row[c]) for c in header]
        for row in rows
    ]
    return table_response(
        filters.format,
        name=f"glotip-flows-v{rel.version}",
        title="flows",
        header=header,
        sheet_rows=sheet,
        json_rows=[],
        citation=ds.citation,
    )
