"""Every change to case data: submit a file, check it, import it in one transaction, cancel, rotate keys.

Access is checked by the callers through ``vinculo.web.accounts.access``. Audit entries carry
counts and codes, never a protected value.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from vinculo.errors import VinculoError
from vinculo.protect import KeyRing
from vinculo.web.accounts.models import Organisation, User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.jobs import runner

from .models import CaseRecord, CaseVersion, SavedMapping, Submission, SubmissionContent, SubmissionStatus
from .protection import browse_columns, keyring, source_id_index, split_record
from .services import (
    ProgressFn,
    background_bytes,
    check_size,
    mapping_json,
    open_reading,
    public_issue,
    quarantine_csv,
    read_mapping,
    seal_bytes,
    unseal_bytes,
)

logger = logging.getLogger("vinculo.cases")

BATCH = 2000
# Problems of the whole file (its layout or header): such a file is refused at once.
FILE_LEVEL_CODES = frozenset(
    {
        "htcds.no_known_columns",
        "htcds.empty_file",
        "htcds.merged_header",
        "htcds.duplicate_column",
        "htcds.ambiguous_column",
    }
)
# File-level problems that choosing how the columns are read can fix: with ``mappable`` such a file
# is stored (nothing can be imported) so that its columns can be mapped on the mapping page.
MAPPABLE_CODES = frozenset({"htcds.no_known_columns", "htcds.duplicate_column", "htcds.ambiguous_column"})
VALIDATE_JOB = "cases.validate"
IMPORT_JOB = "cases.import"


def _no_progress(done: int, total: int) -> None:
    return None


def _estimate_rows(data: bytes) -> int:
    if data[:2] == b"PK":
        return 0
    return max(0, data.count(b"\n") - 1)


def check_file(
    data: bytes,
    file_name: str,
    mapping_data: bytes,
    mapping_name: str,
    progress: ProgressFn = _no_progress,
    date_order: str = "",
    mappable: bool = False,
) -> dict[str, Any]:
    """Read and check a whole upload; the fields of the submission that describe it.

    Raises VinculoError when the file (or the mapping file) cannot be used at all; with
    ``mappable``, not when every file-level problem is one a column mapping can fix.
    """
    mapping = read_mapping(mapping_data, mapping_name)
    reading = open_reading(data, file_name, mapping=mapping, date_order=date_order)
    estimated = _estimate_rows(data)
    invalid_rows: list[int] = []
    done = 0
    for record, has_errors, _cells in reading.records():
        done += 1
        if has_errors:
            invalid_rows.append(record.row)
        if done % 5000 == 0:
            progress(done, max(estimated, done + 1))
    result = reading.reader.result()
    progress(done, done)
    issues = [public_issue(i) for i in result.issues]
    file_level = [i for i in result.errors if i.location.row is None or i.code in FILE_LEVEL_CODES]
    if file_level and not (mappable and all(i.code in MAPPABLE_CODES for i in file_level)):
        raise VinculoError(
            f"{file_name}: the file cannot be imported as it is: "
            + " ".join(i.message[:1].upper() + i.message[1:] for i in file_level[:3]),
            code="cases.file_errors",
            issues=file_level,
            fix=file_level[0].fix or "Fix the file's layout and upload it again.",
        )
    return {
        "format": result.format,
        "sheet": result.sheet or "",
        "encoding": result.encoding or "",
        "checksum": result.checksum,
        "n_records": result.n_records,
        "n_invalid": len(invalid_rows),
        "n_errors": result.n_errors,
        "n_warnings": result.n_warnings,
        "file_errors": len(file_level),
        "counts_by_entity": dict(result.counts_by_entity),
        "issue_counts": dict(result.issue_counts),
        "issues": issues,
        "invalid_rows": invalid_rows,
        "columns": [c.to_dict() for c in result.columns],
    }


def _next_number(owner_id: int) -> int:
    top = Submission.objects.filter(owner_id=owner_id).aggregate(top=Max("number"))["top"]
    return int(top or 0) + 1


def create_submission(
    *,
    actor: User | None,
    data: bytes,
    file_name: str,
    mapping_data: bytes = b"",
    mapping_name: str = "",
    sensitivity: str = "restricted",
    shared_with: Iterable[Organisation] = (),
    owner: Organisation | None = None,
    background: bool | None = None,
    request: HttpRequest | None = None,
    saved_mapping: SavedMapping | None = None,
    date_order: str | None = None,
    mappable: bool = False,
) -> Submission:
    """Store an upload (encrypted) and check it: now for small files, in a background job for big ones.

    The submission belongs to ``owner`` (by default the actor's organisation; the command line passes
    an organisation and no actor). ``background`` forces or forbids the background check (default:
    by file size). Unusable files (random bytes, encrypted workbooks, missing sheets, files over the
    size limit, bad mapping files) raise VinculoError and nothing is written.

    ``saved_mapping`` (one of the owner's, checked by the caller) is used instead of a mapping file;
    ``date_order`` ("DMY", "MDY" or "" for not chosen) defaults to the saved mapping's. With
    ``mappable`` (the upload page) a small file whose columns need a mapping is stored for the
    mapping step instead of refused (see ``MAPPABLE_CODES``).
    """
    if saved_mapping is not None:
        mapping_data = mapping_json(saved_mapping.columns, saved_mapping.values)
        mapping_name = saved_mapping.name
        if date_order is None:
            date_order = saved_mapping.date_order
    date_order = date_order if date_order in ("DMY", "MDY") else ""
    owner_id = owner.pk if owner is not None else (actor.organisation_id if actor is not None else None)
    if owner_id is None:
        raise VinculoError(
            "Case files are submitted for an organisation, and none was given.",
            code="cases.no_organisation",
            fix="Sign in as a data manager of an organisation, or pass --org on the command line.",
        )
    check_size(len(data), file_name)
    ring = keyring()
    big = len(data) > background_bytes() if background is None else background
    if big:
        mapping = read_mapping(mapping_data, mapping_name)
        reading = open_reading(data, file_name, mapping=mapping)  # opens and plans the header only
        checked: dict[str, Any] = {
            "format": reading.reader.table.format,
            "sheet": reading.reader.table.sheet or "",
            "encoding": reading.reader.table.encoding or "",
            "checksum": reading.reader.table.checksum,
            "columns": [c.to_dict() for c in reading.reader.columns],
        }
    else:
        checked = check_file(
            data, file_name, mapping_data, mapping_name, date_order=date_order, mappable=mappable
        )
    shared = list(shared_with)
    with transaction.atomic():
        submission = Submission(
            owner_id=owner_id,
            created_by=actor,
            sensitivity=sensitivity,
            number=_next_number(owner_id),
            file_name=file_name[:200],
            mapping_name=mapping_name[:200],
            size_bytes=len(data),
            status=SubmissionStatus.VALIDATING if big else SubmissionStatus.READY,
            date_order=date_order,
            saved_mapping=saved_mapping,
            **checked,
        )
        submission.full_clean(
            exclude=[
                "job",
                "issues",
                "invalid_rows",
                "counts_by_entity",
                "issue_counts",
                "columns",
                "saved_mapping",
            ]
        )
        submission.save()
        if shared:
            submission.shared_with.set(shared)
        SubmissionContent.objects.create(
            submission=submission,
            upload=seal_bytes(data, ring),
            mapping=seal_bytes(mapping_data, ring),
        )
        if big:
            job = runner.enqueue(VALIDATE_JOB, {"submission": submission.pk}, created_by=actor)
            Submission.objects.filter(pk=submission.pk).update(job=job)
            submission.job = job
        audit(
            AuditAction.CREATE,
            request=request,
            actor=actor,
            obj=submission,
            details={
                "file_size": len(data),
                "sha256": submission.checksum,
                "sensitivity": sensitivity,
                "shared_with": sorted(o.pk for o in shared),
                "records": submission.n_records,
                "errors": submission.n_errors,
                "background": big,
                "saved_mapping": saved_mapping.pk if saved_mapping is not None else None,
                "date_order": date_order,
            },
        )
    return submission


def run_validation(submission: Submission, progress: ProgressFn = _no_progress) -> Submission:
    """The background check of a big upload. A file found unusable marks the submission failed."""
    ring = keyring()
    content = SubmissionContent.objects.get(submission=submission)
    data = unseal_bytes(content.upload, ring)
    mapping_data = unseal_bytes(content.mapping, ring)
    try:
        checked = check_file(
            data,
            submission.file_name,
            mapping_data,
            submission.mapping_name,
            progress,
            date_order=submission.date_order,
        )
    except VinculoError as exc:
        with transaction.atomic():
            Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.FAILED, error=str(exc))
            SubmissionContent.objects.filter(pk=content.pk).update(upload="", mapping="")
        raise
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.READY, **checked)
    submission.refresh_from_db()
    return submission


def _require_ready(submission: Submission, what: str, fix: str) -> None:
    if submission.status != SubmissionStatus.READY:
        raise VinculoError(
            f"Submission #{submission.number} is {submission.get_status_display().lower()}; only a checked "
            f"submission waiting for confirmation can be {what}.",
            code="cases.not_ready",
            fix=fix,
        )


def _refuse_import(submission: Submission, valid_only: bool) -> None:
    _require_ready(submission, "imported", "Upload the file again if you need a new import.")
    if submission.file_errors:
        raise VinculoError(
            f"{submission.file_name}: {submission.file_errors} problem(s) concern the whole file (its layout "
            "or header), so no row can be imported.",
            code="cases.file_errors",
            fix="Fix the problems listed without a row number and upload the file again.",
        )
    if submission.n_invalid and not valid_only:
        raise VinculoError(
            f"{submission.file_name}: {submission.n_invalid:,} of {submission.n_records:,} row(s) have errors, "
            "so the file was rejected whole and nothing was imported.",
            code="cases.invalid_rows",
            fields={"invalid_rows": submission.n_invalid},
            fix="Fix the rows listed and upload the file again, or choose to import only the valid rows "
            "(the others are kept in an encrypted quarantine file).",
        )
    if submission.n_records - (submission.n_invalid if valid_only else 0) <= 0 and submission.n_records:
        raise VinculoError(
            f"{submission.file_name}: every row has errors; there is nothing to import.",
            code="cases.nothing_valid",
            fix="Fix the rows listed and upload the file again.",
        )


def confirm_submission(
    *,
    actor: User | None,
    submission: Submission,
    valid_only: bool = False,
    request: HttpRequest | None = None,
) -> Submission:
    """Import a checked submission: now for small files, in a background job for big ones."""
    _refuse_import(submission, valid_only)
    if submission.size_bytes > background_bytes():
        with transaction.atomic():
            updated = Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.READY).update(
                status=SubmissionStatus.IMPORTING, valid_only=valid_only
            )
            if not updated:
                raise VinculoError("This submission is already being imported.", code="cases.not_ready")
            job = runner.enqueue(
                IMPORT_JOB,
                {"submission": submission.pk, "actor": actor.pk if actor else None},
                created_by=actor,
            )
            Submission.objects.filter(pk=submission.pk).update(job=job)
            audit(
                AuditAction.UPDATE,
                request=request,
                actor=actor,
                obj=submission,
                details={"confirmed": True, "valid_only": valid_only, "background": True},
            )
        submission.refresh_from_db()
        return submission
    return import_submission(actor=actor, submission=submission, valid_only=valid_only, request=request)


@transaction.atomic
def import_submission(
    *,
    actor: User | None,
    submission: Submission,
    valid_only: bool = False,
    request: HttpRequest | None = None,
    progress: ProgressFn = _no_progress,
) -> Submission:
    """Write the records of a checked submission in ONE transaction.

    Records are keyed by (owner, blind index of the source record id): an unchanged record is left alone, a changed one
    becomes a new version (the old one is kept in :class:`CaseVersion`), a new one is created.
    Rows with errors are imported only with ``valid_only``, and then kept in the quarantine file.
    """
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status == SubmissionStatus.IMPORTING:
        locked.status = SubmissionStatus.READY  # the background job continues the confirmed import
        valid_only = locked.valid_only
    _refuse_import(locked, valid_only)
    ring = keyring()
    content = SubmissionContent.objects.get(submission=locked)
    data = unseal_bytes(content.upload, ring)
    mapping = read_mapping(unseal_bytes(content.mapping, ring), locked.mapping_name)
    need_cells = valid_only and locked.n_invalid > 0
    reading = open_reading(
        data,
        locked.file_name,
        mapping=mapping,
        sheet=locked.sheet or None,
        keep_cells=need_cells,
        date_order=locked.date_order,
    )
    shared_ids = list(locked.shared_with.values_list("pk", flat=True))
    existing: dict[str, tuple[int, str, int]] = {}
    sensitivity_of: dict[int, str] = {}
    for index, pk, digest, version, sensitivity in CaseRecord.objects.filter(
        owner_id=locked.owner_id
    ).values_list("source_id_index", "pk", "content_hash", "version", "sensitivity"):
        existing[index] = (pk, digest, version)
        sensitivity_of[pk] = sensitivity
    shares_of: dict[int, set[int]] = defaultdict(set)
    for case_id, org_id in CaseRecord.shared_with.through.objects.filter(
        caserecord__owner_id=locked.owner_id
    ).values_list("caserecord_id", "organisation_id"):
        shares_of[case_id].add(org_id)
    wanted_shares = set(shared_ids)
    # Records already stored whose sensitivity or sharing this submission changes (a permission change).
    access_changed: list[int] = []
    unchanged_to_update: list[int] = []
    problems_by_row: dict[int, list[str]] = defaultdict(list)
    if need_cells:
        for item in locked.issues:
            row = item.get("location", {}).get("row")
            if row is not None and item.get("severity") == "error":
                problems_by_row[row].append(f"{item.get('code')}: {item.get('message')}")
    now = timezone.now()
    changed: dict[int, tuple[dict[str, Any], str, str, bool, dict[str, Any]]] = {}
    quarantined: list[tuple[int, tuple[Any, ...], list[str]]] = []
    seen: set[str] = set()
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    total = locked.n_records
    done = 0

    insert = _RecordInsert(locked, actor, now)
    new = insert.rows

    def flush_new() -> None:
        insert.flush()

    for record, has_errors, cells in reading.records():
        done += 1
        if done % BATCH == 0:
            progress(done, max(total, done + 1))
        if has_errors:
            if not valid_only:  # the file changed since it was checked: refuse rather than guess
                raise VinculoError(
                    f"{locked.file_name}, row {record.row}: has errors.", code="cases.invalid_rows"
                )
            quarantined.append((record.row, cells or (), problems_by_row.get(record.row, [])))
            continue
        srid = record.source_record_id
        index = source_id_index(srid, ring)
        if index in seen:
            counts["unchanged"] += 1
            continue
        seen.add(index)
        open_values, token, digest = split_record(record.values, record.extra, ring)
        consent = record.values.get("con_Consent") is True
        before = existing.get(index)
        if before is not None:
            new_access = (
                sensitivity_of.get(before[0]) != locked.sensitivity
                or shares_of.get(before[0], set()) != wanted_shares
            )
            if new_access:
                access_changed.append(before[0])
            if before[1] == digest:
                counts["unchanged"] += 1
                if new_access:
                    unchanged_to_update.append(before[0])
            else:
                browse = {**browse_columns(record.values), "source_row": record.row}
                changed[before[0]] = (open_values, token, digest, consent, browse)
                counts["changed"] += 1
                if len(changed) >= 500:
                    _apply_changes(changed, locked, actor, now, shared_ids)
            continue
        new.append(
            insert.row(
                index,
                ring.encrypt(srid),
                consent,
                digest,
                token,
                open_values,
                {**browse_columns(record.values), "source_row": record.row},
            )
        )
        counts["created"] += 1
        if len(new) >= BATCH:
            flush_new()
    flush_new()
    if shared_ids and counts["created"]:
        through = CaseRecord.shared_with.through
        created_ids = CaseRecord.objects.filter(submission=locked, version=1).values_list("pk", flat=True)
        through.objects.bulk_create(
            [
                through(caserecord_id=pk, organisation_id=o)
                for pk in created_ids.iterator()
                for o in shared_ids
            ],
            batch_size=BATCH,
        )
    _apply_changes(changed, locked, actor, now, shared_ids)
    _apply_access(unchanged_to_update, locked, shared_ids)
    if access_changed:
        audit(
            AuditAction.PERMISSION_CHANGE,
            request=request,
            actor=actor,
            object_type="cases.caserecord",
            object_repr=f"access of {len(access_changed)} case(s) set by submission #{locked.number}",
            details={
                "submission": locked.pk,
                "records": len(access_changed),
                "ids": sorted(access_changed)[:1000],
                "sensitivity": locked.sensitivity,
                "shared_with": sorted(wanted_shares),
            },
        )
    quarantine = ""
    if quarantined:
        header = reading.tap.first[1] if reading.tap is not None and reading.tap.first else None
        quarantine = seal_bytes(quarantine_csv(header, quarantined), ring)
    SubmissionContent.objects.filter(pk=content.pk).update(upload="", mapping="", quarantine=quarantine)
    Submission.objects.filter(pk=locked.pk).update(
        status=SubmissionStatus.COMMITTED,
        valid_only=valid_only,
        committed_at=timezone.now(),
        n_created=counts["created"],
        n_changed=counts["changed"],
        n_unchanged=counts["unchanged"],
        n_quarantined=len(quarantined),
    )
    progress(done, done)
    audit(
        AuditAction.CREATE,
        request=request,
        actor=actor,
        obj=locked,
        object_repr=f"import of submission #{locked.number}",
        details={
            "submission": locked.pk,
            "created": counts["created"],
            "changed": counts["changed"],
            "unchanged": counts["unchanged"],
            "quarantined": len(quarantined),
            "valid_only": valid_only,
        },
    )
    locked.refresh_from_db()
    return locked


class _RecordInsert:
    """Inserts new case records with ``executemany`` in batches: one prepared statement, no model objects.

    Measured: Django's ``bulk_create`` spent more time compiling SQL (per field and row) than the
    database spent inserting; this path gives the same rows several times faster (see
    docs/benchmarks/cases.md). The columns are the model's own, so a model change shows here.
    """

    COLUMNS = (
        "owner_id", "sensitivity", "created_by_id", "created_at", "updated_at", "source_id_index",
        "source_id_token", "submission_id", "version", "consent_to_share", "content_hash", "protected", "values",
        "country", "citizenship", "year", "sex", "age_group", "exploitation", "control", "recruitment",
        "industry", "source_row",
    )  # fmt: skip

    def __init__(self, submission: Submission, actor: User | None, now: Any) -> None:
        from django.db import connection

        self.connection = connection
        ops = connection.ops
        table = ops.quote_name(CaseRecord._meta.db_table)
        names = ", ".join(ops.quote_name(c) for c in self.COLUMNS)
        json_cast = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
        marks = ", ".join(json_cast if c == "values" else "%s" for c in self.COLUMNS)
        self.sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model
        stamp = ops.adapt_datetimefield_value(now)
        self.head = (submission.owner_id, submission.sensitivity, actor.pk if actor else None, stamp, stamp)
        self.submission_id = submission.pk
        self.rows: list[tuple[Any, ...]] = []

    def row(
        self,
        source_index: str,
        source_token: str,
        consent: bool,
        digest: str,
        token: str,
        open_values: dict[str, Any],
        browse: dict[str, Any],
    ) -> tuple[Any, ...]:
        import json

        return (
            *self.head, source_index, source_token, self.submission_id, 1, consent, digest, token,
            json.dumps(open_values, ensure_ascii=False),
            browse["country"], browse["citizenship"], browse["year"], browse["sex"], browse["age_group"],
            browse["exploitation"], browse["control"], browse["recruitment"], browse["industry"],
            browse["source_row"],
        )  # fmt: skip

    def flush(self) -> None:
        if not self.rows:
            return
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, self.rows)
        self.rows.clear()


def _apply_access(ids: list[int], submission: Submission, shared_ids: list[int]) -> None:
    """Give unchanged records the sensitivity and sharing the new submission asks for."""
    through = CaseRecord.shared_with.through
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        CaseRecord.objects.filter(pk__in=chunk).update(sensitivity=submission.sensitivity)
        through.objects.filter(caserecord_id__in=chunk).delete()
        if shared_ids:
            through.objects.bulk_create(
                [through(caserecord_id=pk, organisation_id=o) for pk in chunk for o in shared_ids]
            )


def _apply_changes(
    changed: dict[int, tuple[dict[str, Any], str, str, bool, dict[str, Any]]],
    submission: Submission,
    actor: User | None,
    now: Any,
    shared_ids: list[int],
) -> None:
    """Keep the current version of each changed record, then write the new one over it."""
    if not changed:
        return
    records = list(CaseRecord.objects.filter(pk__in=list(changed)))
    CaseVersion.objects.bulk_create(
        [
            CaseVersion(
                case_id=r.pk,
                version=r.version,
                submission_id=r.submission_id,
                sensitivity=r.sensitivity,
                consent_to_share=r.consent_to_share,
                content_hash=r.content_hash,
                protected=r.protected,
                values=r.values,
                created_at=r.updated_at,
            )
            for r in records
        ],
        batch_size=BATCH,
    )
    fields = ["submission", "version", "sensitivity", "consent_to_share", "content_hash", "protected", "values",
              "updated_at", "source_row", *browse_columns({}).keys()]  # fmt: skip
    for r in records:
        open_values, token, digest, consent, browse = changed[r.pk]
        r.submission = submission
        r.version += 1
        r.sensitivity = submission.sensitivity
        r.consent_to_share = consent
        r.content_hash = digest
        r.protected = token
        r.values = open_values
        r.updated_at = now
        for name, value in browse.items():
            setattr(r, name, value)
    CaseRecord.objects.bulk_update(records, fields, batch_size=500)
    through = CaseRecord.shared_with.through
    through.objects.filter(caserecord_id__in=[r.pk for r in records]).delete()
    if shared_ids:
        through.objects.bulk_create(
            [through(caserecord_id=r.pk, organisation_id=o) for r in records for o in shared_ids]
        )
    changed.clear()


@transaction.atomic
def cancel_submission(
    *, actor: User | None, submission: Submission, request: HttpRequest | None = None
) -> None:
    """Drop a checked submission without importing it; its encrypted upload is deleted."""
    if submission.status not in (
        SubmissionStatus.READY,
        SubmissionStatus.FAILED,
        SubmissionStatus.VALIDATING,
    ):
        raise VinculoError(
            "Only a submission that has not been imported can be cancelled.", code="cases.not_cancellable"
        )
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.CANCELLED)
    SubmissionContent.objects.filter(submission=submission).update(upload="", mapping="")
    audit(AuditAction.UPDATE, request=request, actor=actor, obj=submission, details={"cancelled": True})


def _rotate_token(token: str, ring: KeyRing, counts: dict[str, int]) -> str:
    if not token:
        return token
    if ring.is_current(token):
        counts["already"] += 1
        return token
    return ring.rotate(token)


def _rotate_table(
    model: Any,
    fields: tuple[str, ...],
    ring: KeyRing,
    batch: int,
    progress: RotationProgress,
    counts: dict[str, int],
    name: str,
) -> None:
    """Re-encrypt ``fields`` of every row of ``model``, ``batch`` rows per transaction.

    Each batch commits on its own: an interruption leaves every row readable with the configured
    keys (rotated or not), and running again carries on (rows already under the newest key are
    skipped). Only one batch is in memory at a time.
    """
    total = model.objects.count()
    done = 0
    last = 0
    while True:
        with transaction.atomic():
            rows = list(
                model.objects.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")
                .only("pk", *fields)[:batch]
            )
            if not rows:
                break
            changed = []
            for row in rows:
                before = [getattr(row, f) for f in fields]
                after = [_rotate_token(t, ring, counts) for t in before]
                if after != before:
                    for f, value in zip(fields, after, strict=True):
                        setattr(row, f, value)
                    changed.append(row)
            if changed:
                model.objects.bulk_update(changed, list(fields))
        counts[name] += len(rows)
        done += len(rows)
        last = rows[-1].pk
        progress(name, done, total)


def _no_rotation_progress(stage: str, done: int, total: int) -> None:
    return None


RotationProgress = Callable[[str, int, int], None]

#: Encrypted columns of other areas that key rotation re-encrypts too, registered by their app's
#: ``ready()`` (see :func:`register_encrypted`): (model, fields, whole files?, name in the counts).
_ENCRYPTED_ELSEWHERE: list[tuple[Any, tuple[str, ...], bool, str]] = []


def register_encrypted(model: Any, fields: tuple[str, ...], *, files: bool, name: str) -> None:
    """Have :func:`rotate_keys` re-encrypt ``fields`` of ``model`` (key-ring tokens or sealed files).

    ``files=True`` for columns holding whole files (``seal_bytes``): those go ``file_batch`` rows per
    transaction. ``name`` is the key under which the rows are counted.
    """
    entry = (model, fields, files, name)
    if entry not in _ENCRYPTED_ELSEWHERE:
        _ENCRYPTED_ELSEWHERE.append(entry)


def rotate_keys(
    *,
    ring: KeyRing | None = None,
    actor: User | None = None,
    batch: int = 500,
    file_batch: int = 1,
    progress: RotationProgress = _no_rotation_progress,
) -> dict[str, int]:
    """Re-encrypt every protected value with the newest configured key, in batches.

    Case records (identifiers and the file's record id), earlier versions and the encrypted columns
    other areas register (:func:`register_encrypted`: linkage exercises' encodings files and record
    ids) go ``batch`` rows per transaction; stored files (uploads, mapping files, quarantine files, up to the upload limit
    each) ``file_batch`` at a time, so memory stays bounded by one batch. Safe to interrupt and to
    run again: values already under the newest key are skipped (counted in ``already``). Blind
    indexes and content hashes use a key derived from SECRET_KEY, so they do not change.
    """
    ring = ring or keyring()
    counts = {"records": 0, "versions": 0, "files": 0, "already": 0}
    counts.update({name: 0 for *_, name in _ENCRYPTED_ELSEWHERE})
    audit(
        AuditAction.UPDATE,
        actor=actor,
        object_type="cases.caserecord",
        object_repr="encryption key rotation started",
        details={"batch": batch},
    )
    _rotate_table(CaseRecord, ("protected", "source_id_token"), ring, batch, progress, counts, "records")
    _rotate_table(CaseVersion, ("protected",), ring, batch, progress, counts, "versions")
    _rotate_table(
        SubmissionContent, ("upload", "mapping", "quarantine"), ring, file_batch, progress, counts, "files"
    )
    for model, fields, files, name in _ENCRYPTED_ELSEWHERE:
        _rotate_table(model, fields, ring, file_batch if files else batch, progress, counts, name)
    audit(
        AuditAction.UPDATE,
        actor=actor,
        object_type="cases.caserecord",
        object_repr="encryption key rotation",
        details=counts,
    )
    return counts


def _mapping_name(name: str) -> str:
    return " ".join(name.split())[:100]


@transaction.atomic
def save_mapping(
    *,
    actor: User | None,
    owner_id: int,
    name: str,
    columns: dict[str, str | None],
    values: dict[str, dict[str, str]],
    date_order: str,
    request: HttpRequest | None = None,
) -> SavedMapping:
    """Create or replace the owner's mapping called ``name`` (audited with its column count)."""
    clean = _mapping_name(name)
    if not clean:
        raise VinculoError(
            "The mapping needs a name to be saved.",
            code="cases.mapping_name",
            fix="Type a name such as “Shelter export 2026”, or leave the box empty to not save it.",
        )
    saved = SavedMapping.objects.select_for_update().filter(owner_id=owner_id, name=clean).first()
    created = saved is None
    if saved is None:
        saved = SavedMapping(owner_id=owner_id, name=clean, created_by=actor)
    saved.columns = dict(columns)
    saved.values = {k: dict(v) for k, v in values.items()}
    saved.date_order = date_order if date_order in ("DMY", "MDY") else ""
    saved.save()
    audit(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        request=request,
        actor=actor,
        obj=saved,
        details={
            "columns": len(saved.columns),
            "recoded_fields": len(saved.values),
            "date_order": saved.date_order,
        },
    )
    return saved


def remap_submission(
    *,
    actor: User | None,
    submission: Submission,
    columns: dict[str, str | None],
    date_order: str,
    save_as: str = "",
    request: HttpRequest | None = None,
) -> Submission:
    """Check a waiting submission again with the columns mapped as chosen (and the chosen date order).

    ``columns`` maps column headers to HTCDS fields (``None`` ignores a column); value recodes of the
    submission's mapping are kept. With ``save_as`` the mapping is also saved for the owner's next
    uploads. A file too big to check now goes back to a background check.
    """
    _require_ready(submission, "mapped again", "Upload the file again.")
    ring = keyring()
    content = SubmissionContent.objects.get(submission=submission)
    data = unseal_bytes(content.upload, ring)
    before = read_mapping(unseal_bytes(content.mapping, ring), submission.mapping_name)
    values = {k: dict(v) for k, v in before.values.items()} if before else {}
    order = date_order if date_order in ("DMY", "MDY") else ""
    mapping_data = mapping_json(columns, values)
    read_mapping(mapping_data, "mapping")  # every target checked against the standard
    label = _mapping_name(save_as) or f"columns chosen for submission #{submission.number}"
    big = submission.size_bytes > background_bytes()
    # Checked before anything is written: a mapping that makes the file unusable raises here.
    checked = (
        {}
        if big
        else check_file(data, submission.file_name, mapping_data, label, date_order=order, mappable=True)
    )
    with transaction.atomic():
        saved = None
        if save_as.strip():
            assert submission.owner_id is not None
            saved = save_mapping(
                actor=actor,
                owner_id=submission.owner_id,
                name=save_as,
                columns=columns,
                values=values,
                date_order=order,
                request=request,
            )
        SubmissionContent.objects.filter(pk=content.pk).update(mapping=seal_bytes(mapping_data, ring))
        fields: dict[str, Any] = {
            "mapping_name": label[:200],
            "date_order": order,
            "saved_mapping": saved or submission.saved_mapping,
            **checked,
        }
        if big:
            fields["status"] = SubmissionStatus.VALIDATING
            fields["job"] = runner.enqueue(VALIDATE_JOB, {"submission": submission.pk}, created_by=actor)
        Submission.objects.filter(pk=submission.pk).update(**fields)
        audit(
            AuditAction.UPDATE,
            request=request,
            actor=actor,
            obj=submission,
            details={
                "remapped": True,
                "mapped_columns": sum(1 for v in columns.values() if v),
                "ignored_columns": sum(1 for v in columns.values() if not v),
                "date_order": order,
                "saved_mapping": saved.pk if saved else None,
                "errors": checked.get("n_errors"),
            },
        )
    submission.refresh_from_db()
    return submission
