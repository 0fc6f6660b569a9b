"""The UN Voluntary Trust Fund for Victims of Trafficking in Persons, Especially Women and Children
(resolution 74/176, §8, §14, §24): contributions, grant cycles, grants to NGOs, disbursements, and an
append-only ledger from which every balance and summary is derived."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vinculo.web.audit.chain import ChainedEntry, ChainedQuerySet


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a ledger entry."""


class Contribution(models.Model):
    donor_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donor organisation"),
    )
    donor_name = models.CharField(
        _("donor (if not an organisation on the platform)"), max_length=200, blank=True
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency (ISO 4217)"), max_length=3)
    earmarking = models.TextField(_("earmarking"), blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.donor} {self.amount} {self.currency} ({self.received_on})"

    @property
    def donor(self) -> str:
        return self.donor_organisation.name if self.donor_organisation_id else self.donor_name  # type: ignore[union-attr]


class GrantCycle(models.Model):
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    opens_on = models.DateField(_("call opens"))
    closes_on = models.DateField(_("call closes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class Grant(models.Model):
    cycle = models.ForeignKey(GrantCycle, on_delete=models.PROTECT, related_name="grants")
    grantee = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("grantee NGO")
    )
    title = models.CharField(_("project"), max_length=200)
    amount = models.DecimalField(_("amount granted"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency (ISO 4217)"), max_length=3)
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    services = models.TextField(_("services funded"))
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title


class GrantReport(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("report"), max_length=200)
    due_on = models.DateField(_("due on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.title


class Disbursement(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="disbursements")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]

    def __str__(self) -> str:
        return f"{self.grant}: {self.amount} {self.currency} ({self.paid_on})"


class EntryKind(models.TextChoices):
    CONTRIBUTION = "contribution", _("Contribution")
    DISBURSEMENT = "disbursement", _("Disbursement")


class LedgerQuerySet(ChainedQuerySet):
    pass


class LedgerEntry(ChainedEntry):
    """Money in or out, never changed or removed: database triggers refuse UPDATE, DELETE and TRUNCATE,
    and each entry is a link of a hash chain checked by ``vinculo audit verify --ledger``."""

    CHAIN: ClassVar[str] = "ledger"
    CHAINED_FIELDS: ClassVar[tuple[str, ...]] = (
        "kind",
        "currency",
        "amount",
        "booked_on",
        "donor",
        "contribution",
        "disbursement",
        "created_at",
    )
    AppendOnly: ClassVar[type[Exception]] = AppendOnlyError

    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    currency = models.CharField(_("currency"), max_length=3)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    booked_on = models.DateField(_("date"))
    donor = models.CharField(_("donor"), max_length=200, blank=True)
    contribution = models.ForeignKey(
        Contribution, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disbursement = models.ForeignKey(
        Disbursement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["booked_on", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="trustfund_ledger_positive")
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.kind} {self.amount} {self.currency}"


class CurrencyBalance(models.Model):
    """Derived: totals per currency, kept equal to the ledger. Locked (SELECT FOR UPDATE) for every write."""

    currency = models.CharField(max_length=3, unique=True)
    contributed = models.DecimalField(default=0, max_digits=18, decimal_places=2)
    disbursed = models.DecimalField(default=0, max_digits=18, decimal_places=2)
    balance = models.DecimalField(default=0, max_digits=18, decimal_places=2)

    class Meta:
        ordering = ["currency"]
        constraints = [
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="trustfund_balance_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.balance}"


class DonorYearTotal(models.Model):
    """Derived: contributions per year, donor and currency (the public summary), kept equal to the ledger."""

    year = models.PositiveSmallIntegerField()
    donor = models.CharField(max_length=200)
    currency = models.CharField(max_length=3)
    amount = models.DecimalField(default=0, max_digits=18, decimal_places=2)

    class Meta:
        ordering = ["-year", "donor", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["year", "donor", "currency"], name="trustfund_one_total_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.donor} {self.amount} {self.currency}"
