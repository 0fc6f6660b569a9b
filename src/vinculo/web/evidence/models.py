"""Stored GLOTIP releases, their figures, and figures submitted by Member States.

A *release* is one version of the data the pages show. An ``export`` release holds the figures of
one imported UNODC file; a ``combined`` release is its base export plus the published submissions
(their figures replace the base figures of the same country, indicator, dimension and year). The
figures of a combined release are not copied: they are read from the base release and from the
submissions, so every figure keeps the release or submission it came from.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from vinculo.web.core.models import OwnedRecord


class ReleaseKind(models.TextChoices):
    EXPORT = "export", _("UNODC export")
    COMBINED = "combined", _("Export with published submissions")


class ReleaseStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")


class GlotipRelease(models.Model):
    """One version of the GLOTIP data: an imported file, or an export combined with submissions."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ReleaseKind.choices, default=ReleaseKind.EXPORT)
    source_name = models.CharField(_("source"), max_length=200)
    export_date = models.DateField(_("export date"), null=True, blank=True)
    checksum = models.CharField(_("content checksum (SHA-256)"), max_length=64, db_index=True)
    imported_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ReleaseStatus.choices, default=ReleaseStatus.CURRENT
    )
    base = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived",
        verbose_name=_("base"),
    )
    submissions: models.ManyToManyField[FigureSubmission, Any] = models.ManyToManyField(
        "FigureSubmission", blank=True, related_name="releases"
    )
    # Reporting countries as [iso3, name, region, subregion], as in the file.
    countries = models.JSONField(default=list)
    n_records = models.PositiveIntegerField(_("figures"), default=0)
    n_countries = models.PositiveIntegerField(_("countries"), default=0)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("GLOTIP release")
        verbose_name_plural = _("GLOTIP releases")

    def __str__(self) -> str:
        date = self.export_date.isoformat() if self.export_date else "undated"
        return f"GLOTIP release {self.version} ({self.source_name}, {date})"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned with comments")
    PUBLISHED = "published", _("Published")


class FigureSubmission(OwnedRecord):
    """Yearly figures sent by an organisation acting for a Member State, in the export's layout."""

    country = models.ForeignKey("core.Country", on_delete=models.PROTECT, verbose_name=_("country"))
    source_name = models.CharField(_("file name"), max_length=200)
    checksum = models.CharField(_("content checksum (SHA-256)"), max_length=64)
    years = models.JSONField(_("years"), default=list)
    # The country as in the file: [iso3, name, region, subregion].
    area = models.JSONField(default=list)
    n_records = models.PositiveIntegerField(_("figures"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    comments = models.TextField(_("review comments"), blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("figure submission")
        verbose_name_plural = _("figure submissions")

    def __str__(self) -> str:
        return f"Submission {self.pk} ({self.country.iso3}, {self.source_name})"


class GlotipFigure(models.Model):
    """One figure: a count of one country, indicator, breakdown and year, with its suppression.

    ``low``/``high`` are the range of the count (equal when exact); ``suppressed_cells`` says how
    many "<5" cells it holds and ``cells`` how many published cells were added into it. Exactly one
    of ``release`` (an export) and ``submission`` is set.
    """

    release = models.ForeignKey(
        GlotipRelease, on_delete=models.CASCADE, null=True, blank=True, related_name="figures"
    )
    submission = models.ForeignKey(
        FigureSubmission, on_delete=models.CASCADE, null=True, blank=True, related_name="figures"
    )
    iso3 = models.CharField(max_length=3)
    region = models.CharField(max_length=80, blank=True)
    subregion = models.CharField(max_length=80, blank=True)
    indicator = models.CharField(max_length=120)
    dimension = models.CharField(max_length=80)
    category = models.CharField(max_length=255)
    sex = models.CharField(max_length=40)
    age = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    low = models.PositiveIntegerField()
    high = models.PositiveIntegerField()
    suppressed_cells = models.PositiveIntegerField(default=0)
    cells = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["release", "iso3", "year"], name="evidence_fig_rel_iso_year"),
            models.Index(fields=["release", "indicator", "dimension", "year"], name="evidence_fig_rel_ind"),
            models.Index(fields=["submission", "iso3"], name="evidence_fig_sub_iso"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(release__isnull=False, submission__isnull=True)
                    | models.Q(release__isnull=True, submission__isnull=False)
                ),
                name="evidence_figure_one_origin",
            ),
            models.CheckConstraint(
                condition=models.Q(low__lte=models.F("high")), name="evidence_figure_low_high"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iso3} {self.indicator} {self.year}"
