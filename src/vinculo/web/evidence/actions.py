"""Every change to GLOTIP data: import a release, submit figures, review and publish them.

Each function is one transaction and writes one audit entry per change. Access is checked by the
caller through ``vinculo.web.accounts.access``.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max
from django.http import HttpRequest
from django.utils import timezone

from vinculo.errors import Issue, Location, VinculoError
from vinculo.evidence import SUPPRESSED_MAX, SUPPRESSED_TEXT, Area, GlotipDataset, ImportResult, read_glotip
from vinculo.web.accounts.models import User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.countries import un_name
from vinculo.web.core.models import Country, Sensitivity

from .models import (
    FigureSubmission,
    GlotipFigure,
    GlotipRelease,
    ReleaseKind,
    ReleaseStatus,
    SubmissionStatus,
)
from .services import areas_of, combine_rows, published_submissions, rows_of_export, rows_of_submission

_BATCH = 5000


@dataclass(frozen=True)
class ImportOutcome:
    """What :func:`import_release` did: the release, and whether it was created (False: already there)."""

    release: GlotipRelease
    created: bool
    result: ImportResult


def parse_upload(
    source: str | Path | bytes,
    name: str | None = None,
    sheet: str | None = None,
    *,
    refuse_small_counts: bool = False,
) -> ImportResult:
    """Parse a GLOTIP file given as a path or as bytes (then ``name`` gives its file name and type).

    ``refuse_small_counts`` refuses exact counts from 1 to 4, which must be written "<5" (submissions).
    """
    if not isinstance(source, bytes):
        return read_glotip(source, sheet=sheet, refuse_small_counts=refuse_small_counts)
    safe = PurePath(name or "upload.xlsx").name or "upload.xlsx"
    with tempfile.TemporaryDirectory(prefix="vinculo-glotip-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(source)
        return read_glotip(path, sheet=sheet, refuse_small_counts=refuse_small_counts)


_FIGURE_COLUMNS = (
    "release_id",
    "submission_id",
    "iso3",
    "region",
    "subregion",
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


def _insert_figures(
    dataset: GlotipDataset, *, release_id: int | None = None, submission_id: int | None = None
) -> None:
    """Insert one row per record with a plain ``executemany`` (the ORM's bulk_create is ~10x slower here)."""
    table = connection.ops.quote_name(GlotipFigure._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _FIGURE_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_FIGURE_COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - fixed names only
    rows = []
    for r in dataset.records:
        area = dataset.area(r.iso3)
        c = r.count
        rows.append(
            (
                release_id,
                submission_id,
                r.iso3,
                area.region,
                area.subregion,
                r.indicator,
                r.dimension,
                r.category,
                r.sex,
                r.age,
                r.year,
                c.low,
                c.high,
                c.suppressed_cells,
                c.cells,
            )
        )
    with connection.cursor() as cursor:
        for i in range(0, len(rows), _BATCH):
            cursor.executemany(sql, rows[i : i + _BATCH])


def _next_version() -> int:
    top = GlotipRelease.objects.aggregate(v=Max("version"))["v"]
    return 1 if top is None else int(top) + 1


def _make_current(release: GlotipRelease) -> None:
    GlotipRelease.objects.exclude(pk=release.pk).filter(status=ReleaseStatus.CURRENT).update(
        status=ReleaseStatus.SUPERSEDED
    )


def _area_rows(areas: Any) -> list[list[str]]:
    return [[a.iso3, a.name, a.region, a.subregion] for a in sorted(areas, key=lambda a: a.iso3)]


def import_release(
    source: str | Path | bytes,
    actor: User | None,
    *,
    name: str | None = None,
    sheet: str | None = None,
    request: HttpRequest | None = None,
) -> ImportOutcome:
    """Import a UNODC GLOTIP export (xlsx, csv or csv.gz) as the new current release.

    The whole file is checked first: any problem raises the core's :class:`VinculoError` (with one
    issue per bad cell) and nothing is stored. A file whose content checksum matches an imported
    export changes nothing and returns that release with ``created=False``.
    """
    result = parse_upload(source, name, sheet)
    dataset = result.dataset
    with transaction.atomic():
        existing = GlotipRelease.objects.filter(kind=ReleaseKind.EXPORT, checksum=dataset.checksum).first()
        if existing is not None:
            return ImportOutcome(existing, False, result)
        release = GlotipRelease.objects.create(
            version=_next_version(),
            kind=ReleaseKind.EXPORT,
            source_name=dataset.source_name[:200],
            export_date=dataset.export_date,
            checksum=dataset.checksum,
            imported_by=actor,
            status=ReleaseStatus.CURRENT,
            countries=_area_rows(dataset.countries.values()),
            n_records=len(dataset.records),
            n_countries=len(dataset.countries),
            summary={
                k: v for k, v in result.to_dict().items() if k in ("rows_read", "combined_rows", "unmapped")
            },
        )
        _insert_figures(dataset, release_id=release.pk)
        _make_current(release)
        audit(
            AuditAction.CREATE,
            request=request,
            actor=actor,
            obj=release,
            details={
                "version": release.version,
                "source": release.source_name,
                "checksum": release.checksum,
                "records": release.n_records,
                "countries": release.n_countries,
            },
        )
    return ImportOutcome(release, True, result)


# -- submissions of figures by Member States ------------------------------------------------------
def _check_submission_country(dataset: GlotipDataset, country: Country, source_name: str) -> None:
    others = sorted(set(dataset.countries) - {country.iso3})
    if not others:
        return
    issues = [
        Issue(
            "evidence.wrong_country",
            f"figures for {code} cannot be submitted by an organisation acting for {country.iso3}.",
            Location(file=source_name, column="Iso3_code"),
            value=code,
            expected=country.iso3,
            fix=f"Keep only the rows of {country.iso3} ({un_name(country.iso3, country.name)}).",
        )
        for code in others
    ]
    raise VinculoError(
        f"{source_name}: the file holds figures of {', '.join(others)}; an organisation may submit "
        f"figures only for its own country ({country.iso3}). Nothing was stored.",
        code="evidence.wrong_country",
        issues=issues,
        fields={"file": source_name, "country": country.iso3},
        fix=f"Remove the rows of other countries and submit the figures of {country.iso3} only.",
    )


def submit_figures(
    *,
    actor: User,
    source: str | Path | bytes,
    name: str | None = None,
    request: HttpRequest | None = None,
) -> FigureSubmission:
    """Check a file of yearly figures (same layout as the export) and store it as a submission.

    The organisation must act for a Member State (its ``country``); the file may hold only that
    country's rows. The same checks as for an export apply, and an exact count from 1 to 4 is refused
    (published figures show it as "<5"); any problem stores nothing.
    """
    org = actor.organisation
    if org is None or org.country_id is None:
        raise VinculoError(
            "Your organisation has no country, so it cannot submit figures for a Member State.",
            code="evidence.no_country",
            fix="Ask a platform administrator to set your organisation's country.",
        )
    country = Country.objects.get(pk=org.country_id)
    result = parse_upload(source, name, refuse_small_counts=True)
    dataset = result.dataset
    _check_submission_country(dataset, country, dataset.source_name)
    area = dataset.countries[country.iso3]
    with transaction.atomic():
        record = FigureSubmission.objects.create(
            owner=org,
            created_by=actor,
            sensitivity=Sensitivity.RESTRICTED,
            country=country,
            source_name=dataset.source_name[:200],
            checksum=dataset.checksum,
            years=list(dataset.years),
            area=[area.iso3, area.name, area.region, area.subregion],
            n_records=len(dataset.records),
        )
        _insert_figures(dataset, submission_id=record.pk)
        audit(
            AuditAction.CREATE,
            request=request,
            actor=actor,
            obj=record,
            details={
                "status": record.status,
                "country": country.iso3,
                "years": record.years,
                "records": record.n_records,
                "checksum": record.checksum,
            },
        )
    return record


_TRANSITIONS = {
    "start_review": ({SubmissionStatus.SUBMITTED}, SubmissionStatus.UNDER_REVIEW),
    "return": ({SubmissionStatus.SUBMITTED, SubmissionStatus.UNDER_REVIEW}, SubmissionStatus.RETURNED),
    "publish": ({SubmissionStatus.UNDER_REVIEW}, SubmissionStatus.PUBLISHED),
}


def _transition(record: FigureSubmission, step: str) -> str:
    allowed, target = _TRANSITIONS[step]
    if record.status not in allowed:
        raise VinculoError(
            f"Submission {record.pk} is {record.status}; it cannot go to {target} from there.",
            code="evidence.bad_transition",
            fields={"status": record.status, "step": step},
            fix="A submission goes submitted → under review → published, or is returned with comments.",
        )
    return str(target)


def _lock(record: FigureSubmission) -> FigureSubmission:
    return FigureSubmission.objects.select_for_update().select_related("country", "owner").get(pk=record.pk)


@transaction.atomic
def start_review(
    *, actor: User, submission: FigureSubmission, request: HttpRequest | None = None
) -> FigureSubmission:
    record = _lock(submission)
    before = record.status
    record.status = _transition(record, "start_review")
    record.reviewed_by = actor
    record.reviewed_at = timezone.now()
    record.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=record,
        details={"from": before, "to": record.status},
    )
    return record


@transaction.atomic
def return_submission(
    *, actor: User, submission: FigureSubmission, comments: str, request: HttpRequest | None = None
) -> FigureSubmission:
    """Send a submission back to its organisation with the reviewer's comments (required)."""
    if not comments.strip():
        raise VinculoError(
            "A returned submission needs comments saying what to change.",
            code="evidence.comments_required",
            fix="Write what the organisation should correct, then return the submission.",
        )
    record = _lock(submission)
    before = record.status
    record.status = _transition(record, "return")
    record.comments = comments.strip()
    record.reviewed_by = actor
    record.reviewed_at = timezone.now()
    record.save(update_fields=["status", "comments", "reviewed_by", "reviewed_at", "updated_at"])
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=record,
        details={"from": before, "to": record.status, "comments_chars": len(record.comments)},
    )
    return record


def _refuse_small_counts(record: FigureSubmission) -> None:
    """A submission stored before exact counts 1-4 were refused at upload is not published either."""
    small = GlotipFigure.objects.filter(
        submission_id=record.pk, suppressed_cells=0, low__gte=1, low__lte=SUPPRESSED_MAX, high=F("low")
    ).count()
    if small:
        raise VinculoError(
            f"Submission {record.pk} holds {small} exact count(s) from 1 to {SUPPRESSED_MAX}; the Global Report "
            f'publishes such counts only as "{SUPPRESSED_TEXT}". Nothing was published.',
            code="evidence.small_count",
            fields={"submission": record.pk, "figures": small},
            fix=f'Return the submission and ask for a file with "{SUPPRESSED_TEXT}" in those cells.',
        )


def _export_base() -> GlotipRelease:
    current = GlotipRelease.objects.filter(status=ReleaseStatus.CURRENT).order_by("-version").first()
    if current is None:
        raise VinculoError(
            "There is no GLOTIP release to add the submission to.",
            code="evidence.no_release",
            fix="Import the UNODC export first (vinculo glotip import FILE --store).",
        )
    return current


@transaction.atomic
def publish_submission(
    *, actor: User, submission: FigureSubmission, request: HttpRequest | None = None
) -> GlotipRelease:
    """Publish a reviewed submission: a new current release = base export + published submissions.

    The submission's figures replace the base figures of the same country, indicator, dimension
    and year. Earlier releases stay stored and retrievable by version.
    """
    record = _lock(submission)
    before = record.status
    target = _transition(record, "publish")
    _refuse_small_counts(record)
    current = _export_base()
    base = current.base if current.kind == ReleaseKind.COMBINED else current
    assert base is not None
    included = published_submissions(current) if current.kind == ReleaseKind.COMBINED else []
    subs = [*included, record]
    rows, _origin = combine_rows(rows_of_export(base), [(s.pk, rows_of_submission(s.pk)) for s in subs])
    areas = {a.iso3: a for a in areas_of(base)}
    for s in subs:
        if s.area and s.area[0] not in areas:
            areas[s.area[0]] = Area(*s.area)
    dataset = GlotipDataset.from_rows(
        rows, areas.values(), export_date=base.export_date, source_name=base.source_name
    )
    now = timezone.now()
    record.status = target
    record.reviewed_by = actor
    record.reviewed_at = now
    record.published_at = now
    record.save(update_fields=["status", "reviewed_by", "reviewed_at", "published_at", "updated_at"])
    release = GlotipRelease.objects.create(
        version=_next_version(),
        kind=ReleaseKind.COMBINED,
        source_name=f"{base.source_name} + {len(subs)} submission(s)"[:200],
        export_date=base.export_date,
        checksum=dataset.checksum,
        imported_by=actor,
        status=ReleaseStatus.CURRENT,
        base=base,
        countries=_area_rows(areas.values()),
        n_records=len(dataset.records),
        n_countries=len(dataset.countries),
        summary={"submissions": [s.pk for s in subs]},
    )
    release.submissions.set(subs)
    _make_current(release)
    audit(
        AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=record,
        details={"from": before, "to": record.status, "release": release.version},
    )
    audit(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        obj=release,
        details={
            "version": release.version,
            "base": base.version,
            "submissions": [s.pk for s in subs],
            "checksum": release.checksum,
        },
    )
    return release
