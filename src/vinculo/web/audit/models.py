"""The append-only audit trail.

Entries are only ever inserted. The model refuses ``save()`` on an existing entry and ``delete()``;
its queryset refuses ``update()``, ``delete()`` and bulk writes; database triggers refuse UPDATE and
DELETE on the table (SQLite and PostgreSQL) and TRUNCATE (PostgreSQL). Each entry is also a link of a
hash chain keyed by a secret outside the database (:mod:`vinculo.web.audit.chain`), so a change made
behind the application's back is found by ``vinculo audit verify``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .chain import ChainedEntry, ChainedQuerySet


class AuditAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    LOGIN = "login", _("Sign in")
    LOGOUT = "logout", _("Sign out")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    PERMISSION_CHANGE = "permission_change", _("Permission change")
    VIEW = "view", _("View restricted data")
    EXPORT = "export", _("Export")


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditQuerySet(ChainedQuerySet):
    pass


class AuditEntry(ChainedEntry):
    CHAIN: ClassVar[str] = "audit"
    CHAINED_FIELDS: ClassVar[tuple[str, ...]] = (
        "at",
        "actor",
        "actor_username",
        "organisation",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "ip_address",
        "details",
    )
    AppendOnly: ClassVar[type[Exception]] = AppendOnlyError

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False, db_index=True)
    # The actor is kept as id and username even if the account is later deactivated or removed.
    actor = models.ForeignKey(
        "accounts.User",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField(_("who"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username or '-'} {self.action} {self.object_type}"
