"""Stored Multiple Systems Estimation runs: the capture-history table, the settings, and the result."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vinculo.web.core.models import OwnedRecord


class Estimate(OwnedRecord):
    title = models.CharField(_("title"), max_length=200)
    country = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("country")
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    source_name = models.CharField(_("file name"), max_length=200)
    # Aggregated counts of capture histories only: no record of any person is stored here.
    source_csv = models.TextField(_("capture histories (CSV)"))
    input_sha256 = models.CharField(max_length=64)
    stratum_column = models.CharField(
        _("stratum column"),
        max_length=100,
        blank=True,
        help_text=_("Estimated separately for each value of this column, then summed."),
    )
    lists = models.JSONField(default=list)
    n_observed = models.PositiveIntegerField(default=0)
    settings = models.JSONField(default=dict)
    job = models.OneToOneField("jobs.Job", on_delete=models.PROTECT, null=True, related_name="estimate")
    result = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")

    def __str__(self) -> str:
        return self.title
