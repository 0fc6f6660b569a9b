"""National rapporteurs and equivalent mechanisms (resolution 74/176, §10, §11, §23): directory,
consultative meetings with documents, and good-practice notes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Independence(models.TextChoices):
    INDEPENDENT = "independent", _("Independent")
    WITHIN_GOVERNMENT = "within_government", _("Within government")
    OTHER = "other", _("Other (see note)")


class MechanismKind(models.TextChoices):
    RAPPORTEUR = "rapporteur", _("National rapporteur")
    EQUIVALENT = "equivalent", _("Equivalent mechanism")


class Mechanism(models.Model):
    country = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=MechanismKind.choices, default=MechanismKind.RAPPORTEUR
    )
    mandate = models.TextField(_("mandate"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    independence = models.CharField(_("independence"), max_length=20, choices=Independence.choices)
    independence_note = models.TextField(_("independence: explanation"), blank=True)
    # Contact details are shown only to members of the network (access_is_network_member).
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    contact_address = models.TextField(_("postal address"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country__name"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.country})"


class Meeting(models.Model):
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    participants = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name=_("participants")
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="network/meetings/")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.title


class PracticeNote(models.Model):
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    countries = models.ManyToManyField(
        "core.Country", blank=True, related_name="+", verbose_name=_("countries")
    )
    programme_id = models.PositiveIntegerField(_("programme id (optional)"), null=True, blank=True)
    author = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
