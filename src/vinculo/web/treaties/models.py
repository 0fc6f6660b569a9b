"""Treaty status of each State for UNTOC (UNTC XVIII-12) and its Trafficking in Persons Protocol
(XVIII-12-a) (resolution 74/176, §1), with source, precision, versions and UNTC confirmation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Instrument(models.TextChoices):
    UNTOC = "untoc", _("Convention against Transnational Organized Crime (XVIII-12)")
    TIP_PROTOCOL = "tip_protocol", _("Trafficking in Persons Protocol (XVIII-12-a)")


class TreatyStatusCode(models.TextChoices):
    PARTY = "party", _("Party")
    SIGNATORY = "signatory", _("Signed, not ratified")
    NOT_PARTY = "not_party", _("Not a party")
    NOT_BY_DATA_END = "not_by_data_end", _("Not ratified by the end of the source data")
    UNKNOWN = "unknown", _("Unknown")


class ActionKind(models.TextChoices):
    NONE = "", _("Not known")
    RATIFICATION = "ratification", _("Ratification")
    ACCEPTANCE = "acceptance", _("Acceptance")
    APPROVAL = "approval", _("Approval")
    ACCESSION = "accession", _("Accession (a)")
    SUCCESSION = "succession", _("Succession (d)")


class Precision(models.TextChoices):
    NONE = "none", _("No date")
    YEAR = "year", _("Year only")
    DAY = "day", _("Full date")


class Source(models.TextChoices):
    NONE = "none", _("No source")
    KELLEY_SIMMONS = "kelley_simmons_2015", _("Kelley & Simmons 2015 (years, to about 2011)")
    ILAB = "ilab_2022", _("US DOL ILAB 2022 (ratified yes/no)")
    UNTC = "untc", _("UN Treaty Collection")
    OTHER = "other", _("Other (see citation)")


class TreatyEntry(models.Model):
    """One State's status for one instrument. ``version`` rises by one with each change."""

    country = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, related_name="treaty_entries", verbose_name=_("State")
    )
    instrument = models.CharField(_("instrument"), max_length=16, choices=Instrument.choices)
    status = models.CharField(_("status"), max_length=16, choices=TreatyStatusCode.choices)
    signature_date = models.DateField(_("signature"), null=True, blank=True)
    signature_precision = models.CharField(
        _("signature precision"), max_length=4, choices=Precision.choices, default=Precision.NONE
    )
    action_kind = models.CharField(_("kind of act"), max_length=16, choices=ActionKind.choices, blank=True)
    action_date = models.DateField(_("ratification, accession or succession"), null=True, blank=True)
    action_precision = models.CharField(
        _("date precision"), max_length=4, choices=Precision.choices, default=Precision.NONE
    )
    source = models.CharField(_("source"), max_length=24, choices=Source.choices)
    citation = models.TextField(_("source citation"), blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed against the UNTC on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["country__name", "instrument"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "instrument"], name="treaties_one_entry_per_instrument"
            )
        ]
        verbose_name = _("treaty entry")
        verbose_name_plural = _("treaty entries")

    def __str__(self) -> str:
        return f"{self.country} – {self.get_instrument_display()}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class TreatyEntryVersion(models.Model):
    """A snapshot of an entry after each change: the edit history (never changed afterwards)."""

    entry = models.ForeignKey(TreatyEntry, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("values"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)
    changed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["entry", "-version"]
        constraints = [models.UniqueConstraint(fields=["entry", "version"], name="treaties_unique_version")]

    def __str__(self) -> str:
        return f"{self.entry} v{self.version}"
