"""Case records on the HTCDS 2.0 standard, the submissions they came from, and their versions.

Protected identifiers (every field with ``FieldSpec.protected``: names, birthdate, document numbers,
contact details, locations, free-text notes, and any column that is not an HTCDS field) are stored
only inside ``protected``, one Fernet token per record (see ``vinculo.protect``); the file's own
record id only in ``source_id_token``, with a keyed blind index for re-import. The database holds
no plaintext identifier. The non-protected fields used for browsing are copied into indexed columns;
multi-valued ones are kept as ``|code|code|`` text so that one row per case answers every count.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vinculo.web.core.models import OwnedRecord


class SubmissionStatus(models.TextChoices):
    VALIDATING = "validating", _("Being checked")
    READY = "ready", _("Checked: waiting for confirmation")
    IMPORTING = "importing", _("Being imported")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Could not be read")
    CANCELLED = "cancelled", _("Cancelled")


class DateOrder(models.TextChoices):
    """How a file's numeric dates (03/04/2021) are read; not chosen: a date valid both ways is a problem."""

    ASK = "", _("Not chosen: report dates that read both ways")
    DMY = "DMY", _("Day first (31/12/2021)")
    MDY = "MDY", _("Month first (12/31/2021)")


class SavedMapping(models.Model):
    """An organisation's named mapping of file columns to HTCDS fields, reusable on the next uploads.

    ``columns`` maps a column header to an HTCDS field name, or to ``None`` to ignore the column;
    ``values`` holds value recodes (HTCDS field -> {source value: HTCDS value}), as in a mapping file.
    """

    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=100)
    columns = models.JSONField(default=dict)
    values = models.JSONField(default=dict)
    date_order = models.CharField(_("date order"), max_length=3, choices=DateOrder.choices, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="cases_saved_mapping_name")]
        verbose_name = _("saved column mapping")
        verbose_name_plural = _("saved column mappings")

    def __str__(self) -> str:
        return self.name


class Submission(OwnedRecord):
    """One uploaded case file: its checks, and after confirmation the records it created or changed."""

    number = models.PositiveIntegerField(_("submission number"))
    file_name = models.CharField(_("file name"), max_length=200)
    mapping_name = models.CharField(_("mapping file"), max_length=200, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    checksum = models.CharField(max_length=80, blank=True)
    format = models.CharField(max_length=10, blank=True)
    sheet = models.CharField(max_length=100, blank=True)
    encoding = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.VALIDATING
    )
    error = models.TextField(blank=True)
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    n_records = models.PositiveIntegerField(default=0)
    n_invalid = models.PositiveIntegerField(default=0)
    n_errors = models.PositiveIntegerField(default=0)
    n_warnings = models.PositiveIntegerField(default=0)
    file_errors = models.PositiveIntegerField(default=0)  # errors not tied to a row: block any import
    counts_by_entity = models.JSONField(default=dict)
    issue_counts = models.JSONField(default=dict)
    # Issues as dicts (code, message, location, expected, fix, severity; a value only for
    # non-protected fields) and the rows that have at least one error.
    issues = models.JSONField(default=list)
    invalid_rows = models.JSONField(default=list)
    valid_only = models.BooleanField(_("import only the valid rows"), default=False)
    # How each column of the file was read (``ColumnPlan.to_dict()``: index, column, header, field, how).
    columns = models.JSONField(default=list)
    date_order = models.CharField(_("date order"), max_length=3, choices=DateOrder.choices, blank=True)
    saved_mapping = models.ForeignKey(
        SavedMapping, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    committed_at = models.DateTimeField(null=True, blank=True)
    n_created = models.PositiveIntegerField(default=0)
    n_changed = models.PositiveIntegerField(default=0)
    n_unchanged = models.PositiveIntegerField(default=0)
    n_quarantined = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["owner", "number"], name="cases_submission_number")]
        verbose_name = _("case submission")
        verbose_name_plural = _("case submissions")

    def __str__(self) -> str:
        return f"#{self.number} {self.file_name}"


class SubmissionContent(models.Model):
    """The encrypted upload (and mapping file) between checking and import, and the quarantine file.

    The upload is deleted once the submission is imported or cancelled; the quarantine (rejected
    rows, which may hold identifiers) stays encrypted for the owner's data managers to download.
    """

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="content")
    upload = models.TextField(blank=True)
    mapping = models.TextField(blank=True)
    quarantine = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"content of submission {self.submission_id}"


BROWSE_COLUMNS = (
    "country", "citizenship", "year", "sex", "age_group", "exploitation", "control", "recruitment", "industry"
)  # fmt: skip


class CaseRecord(OwnedRecord):
    """The current version of one case, unique per owner and source record id."""

    # The file's own record id is an identifier (a police or shelter case number): stored only
    # encrypted, and matched on re-import by its keyed blind index (``protection.source_id_index``).
    source_id_index = models.CharField(_("blind index of the source record id"), max_length=64)
    source_id_token = models.TextField(_("source record id (encrypted)"), blank=True)
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="records")
    # The row of the file the current version came from (names a case whose file has no id column).
    source_row = models.PositiveIntegerField(_("row in the file"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Not indexed alone (two values): an index here made SQLite choose slow OR plans for counts;
    # the composite index below serves the access filter.
    consent_to_share = models.BooleanField(_("consent to share"), default=False)
    content_hash = models.CharField(max_length=64)
    protected = models.TextField(_("protected identifiers (encrypted)"), blank=True)
    values = models.JSONField(_("non-protected values"), default=dict)
    # Browsing columns (non-protected, derived from values).
    country = models.CharField(_("country of exploitation"), max_length=2, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=32, blank=True)
    age_group = models.CharField(_("age group"), max_length=8, blank=True)
    exploitation = models.CharField(_("forms of exploitation"), max_length=400, blank=True)
    control = models.CharField(_("means of control"), max_length=600, blank=True)
    recruitment = models.CharField(_("recruitment"), max_length=400, blank=True)
    industry = models.CharField(_("industry"), max_length=60, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "source_id_index"], name="cases_record_source_index")
        ]
        indexes = [
            models.Index(fields=["owner", "sensitivity", "consent_to_share"], name="cases_access"),
            # One index per browsing column that also holds the access columns: a count by that
            # column reads only the (narrow) index, never the wide rows with their encrypted blobs,
            # and a filter on the column uses it too.
            *[
                models.Index(fields=[dim, "sensitivity", "consent_to_share", "owner"], name=f"cases_by_{dim}")
                for dim in BROWSE_COLUMNS
            ],
            # The freshness mark of cached counts (``queries.counts_generation``).
            models.Index(fields=["updated_at"], name="cases_record_updated"),
        ]
        verbose_name = _("case record")
        verbose_name_plural = _("case records")

    def __str__(self) -> str:
        return f"case {self.pk}"


class CaseFacts(models.Model):
    """The access and browsing columns of every case record, in a narrow table of their own.

    Kept by database triggers (migration ``0006``) in the same transaction as every insert, update and
    delete of :class:`CaseRecord`, whatever the path (ORM, bulk or raw SQL), so it can never disagree
    with the cases. Counts read it instead of the case rows: a case row carries its encrypted
    identifiers and values (about 1.4 kB), a row here about 100 bytes, so a filtered count reads a
    fraction of the pages. The primary key is the case's id, so the access conditions of
    ``vinculo.web.accounts.access`` apply to it unchanged. Never written by the application.
    """

    id = models.BigIntegerField(primary_key=True)
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    sensitivity = models.CharField(max_length=16)
    consent_to_share = models.BooleanField(default=False)
    country = models.CharField(max_length=2, blank=True)
    citizenship = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=32, blank=True)
    age_group = models.CharField(max_length=8, blank=True)
    exploitation = models.CharField(max_length=400, blank=True)
    control = models.CharField(max_length=600, blank=True)
    recruitment = models.CharField(max_length=400, blank=True)
    industry = models.CharField(max_length=60, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "sensitivity", "consent_to_share"], name="case_facts_access"),
            *[
                models.Index(
                    fields=[dim, "sensitivity", "consent_to_share", "owner"], name=f"case_facts_{dim}"
                )
                for dim in BROWSE_COLUMNS
            ],
        ]

    def __str__(self) -> str:
        return f"facts of case {self.pk}"


class CaseVersion(models.Model):
    """A superseded version of a case, kept when a later submission changed it."""

    case = models.ForeignKey(CaseRecord, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="+")
    sensitivity = models.CharField(max_length=16)
    consent_to_share = models.BooleanField(default=False)
    content_hash = models.CharField(max_length=64)
    protected = models.TextField(blank=True)
    values = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="cases_version_unique")]

    def __str__(self) -> str:
        return f"case {self.case_id} v{self.version}"
