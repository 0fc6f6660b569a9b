"""Events calendar (resolution 74/176, §6): the World Day against Trafficking in Persons (30 July),
meetings and launches, exported as iCalendar."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    WORLD_DAY = "world_day", _("World Day")
    MEETING = "meeting", _("Meeting")
    LAUNCH = "launch", _("Launch")
    OTHER = "other", _("Other")


class Event(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices, default=EventKind.MEETING)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    url = models.URLField(_("web page"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    yearly = models.BooleanField(_("every year"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "title"]

    def __str__(self) -> str:
        return self.title
