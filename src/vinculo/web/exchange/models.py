"""Notices exchanged between organisations under privacy rules (resolution 74/176, §13).

A notice is an alert, a request for information or a briefing that one organisation shares with the
platform, with chosen partner organisations, or only internally, according to its sensitivity.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vinculo.web.core.models import OwnedRecord


class NoticeKind(models.TextChoices):
    ALERT = "alert", _("Alert")
    REQUEST = "request", _("Request for information")
    BRIEFING = "briefing", _("Briefing")


class Notice(OwnedRecord):
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices, default=NoticeKind.BRIEFING)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    countries = models.ManyToManyField("core.Country", blank=True, verbose_name=_("countries concerned"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.title
