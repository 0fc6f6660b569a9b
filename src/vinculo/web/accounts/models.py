"""Organisations, the people who belong to them, their roles, and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MEMBER_STATE = "member_state", _("Member State authority")
    RAPPORTEUR = "rapporteur", _("National rapporteur or equivalent mechanism")
    UN_ENTITY = "un_entity", _("UN entity / ICAT member")
    REGIONAL = "regional", _("Regional organisation")
    CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    RESEARCH = "research", _("Research institution")


class IcatRole(models.TextChoices):
    NONE = "", _("Not part of ICAT")
    COORDINATOR = "coordinator", _("ICAT coordinator")
    MEMBER = "member", _("ICAT member")
    PARTNER = "partner", _("ICAT partner")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("country")
    )
    icat_role = models.CharField(_("ICAT role"), max_length=12, choices=IcatRole.choices, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class IcatCoChair(models.Model):
    """An ICAT co-chairmanship for one year (two organisations co-chair ICAT each year)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cochair_terms")
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="unique_cochair_year")]
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.year})"


class Role(models.TextChoices):
    ADMIN = "admin", _("Platform administrator")
    DATA_MANAGER = "data_manager", _("Organisation data manager")
    ANALYST = "analyst", _("Analyst")
    REVIEWER = "reviewer", _("Reviewer")


class User(AbstractUser):
    """A person with an account. Each belongs to one organisation and has one role."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.ANALYST)

    class Meta(AbstractUser.Meta):
        pass


class ApiToken(models.Model):
    """A token for scripts. Only a SHA-256 digest is stored; the token is shown once when created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # Named by number, never by ``prefix``: the audit trail stores this text, and it must hold no
        # character of the secret (the owner sees the prefix on their own account page only).
        return f"{self.name} (token #{self.pk})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
