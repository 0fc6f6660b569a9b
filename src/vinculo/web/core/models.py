"""Reference data shared by every area: countries (ISO 3166-1) and the sensitivity of records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.Model):
    """A country or territory from ISO 3166-1, flagged when it is a Member State of the United Nations."""

    iso3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, unique=True)
    numeric = models.CharField(_("ISO 3166-1 numeric code"), max_length=3)
    name = models.CharField(_("name"), max_length=120)
    un_member = models.BooleanField(_("UN Member State"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        """The UN name in the active language (``vinculo.web.core.countries``)."""
        from .countries import country_name

        return country_name(self.iso3, self.name)


class Sensitivity(models.TextChoices):
    """Who may see a record. Checked only by the functions in ``vinculo.web.accounts.access``."""

    PUBLIC = "public", _("Public: anyone, signed in or not")
    INTERNAL = "internal", _("Internal: any signed-in member of the platform")
    RESTRICTED = "restricted", _("Restricted: the owning organisation and those it shares with")


class OwnedRecord(models.Model):
    """Abstract base of every record owned by an organisation and subject to object-level access."""

    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    sensitivity = models.CharField(
        _("sensitivity"), max_length=16, choices=Sensitivity.choices, default=Sensitivity.RESTRICTED
    )
    shared_with = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name=_("shared with")
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
