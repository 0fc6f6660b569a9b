"""Appraisal of the Global Plan of Action to Combat Trafficking in Persons (A/RES/64/293; resolution
74/176, §3–§5): pillars, action points, appraisal cycles and each organisation's questionnaire."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Pillar(models.Model):
    code = models.CharField(max_length=16, unique=True)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class ActionPoint(models.Model):
    """An action point of the Plan. ``provisional`` until an administrator checks it against A/RES/64/293."""

    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="action_points")
    code = models.CharField(_("code"), max_length=16, unique=True)
    text = models.TextField(_("text"))
    reference = models.CharField(_("paragraph of the Plan"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    provisional = models.BooleanField(_("provisional wording"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["pillar__order", "order"]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"


class Cycle(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    is_open = models.BooleanField(_("open for answers"), default=False)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Questionnaire(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="questionnaires")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey(
        "core.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-cycle__year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "organisation"], name="appraisal_one_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.cycle}"

    @property
    def submitted(self) -> bool:
        return self.status == QuestionnaireStatus.SUBMITTED


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Answer(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="answers")
    action_point = models.ForeignKey(ActionPoint, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("progress"), max_length=16, choices=Progress.choices, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    evidence_links = models.JSONField(_("evidence links"), default=list, blank=True)

    class Meta:
        ordering = ["action_point__pillar__order", "action_point__order"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "action_point"], name="appraisal_one_answer")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire}: {self.action_point.code}"
