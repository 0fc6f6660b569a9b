"""Organisations, the people who belong to them, their roles, and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
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
    # An account whose membership awaits confirmation (two-person rule): it can do nothing at all.
    NONE = "none", _("No role until a data manager confirms the membership")


# The roles an administrator may give (NONE is only ever set by the platform itself).
GRANTABLE_ROLES = [(value, label) for value, label in Role.choices if value != Role.NONE]


class User(AbstractUser):
    """A person with an account. Each belongs to one organisation and has one role.

    One e-mail address holds one account (compared case-insensitively); accounts created by the
    platform's own commands may have none.
    """

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
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="unique_user_email_case_insensitive",
                violation_error_message=_(
                    "This e-mail address already belongs to an account. Each address holds one account."
                ),
            )
        ]


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn by a later change")


class MembershipRequest(models.Model):
    """A request that ``person`` become an active ``role`` of ``organisation`` (two-person rule).

    An administrator asks; a data manager of that organisation confirms or refuses. While an
    organisation has no active data manager, a second administrator decides instead (the first-manager
    bootstrap). A request to become a platform administrator (no organisation) is decided by another
    administrator. Until it is confirmed the request changes nothing: the person keeps what they had.
    """

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="membership_requests")
    # None for a request to become a platform administrator (who belongs to no organisation).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="membership_requests",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=GRANTABLE_ROLES)
    requested_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    bootstrap = models.BooleanField(
        _("decided by a second administrator"),
        default=False,
        help_text=_("Decided under the first-manager rule: the organisation had no active data manager."),
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="pending"),
                name="one_pending_membership_request_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.get_role_display()}, {self.organisation or '—'}"


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
