"""The programmes and practices database (resolution 74/176, §19).

A programme record follows ICAT's "Toolkit for Guidance in Designing and Evaluating Counter
Trafficking Programmes". Programmes are curated: only published ones are public (see
``vinculo.web.accounts.access.access_curated_visible``). Every change keeps the previous version
as a :class:`ProgrammeVersion` snapshot, and ``version`` guards against concurrent edits.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vinculo.registry import DOCUMENT_TYPES


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned with comments")


class Pillar(models.TextChoices):
    PREVENTION = "prevention", _("Prevention")
    PROTECTION = "protection", _("Protection and assistance")
    PROSECUTION = "prosecution", _("Prosecution")
    PARTNERSHIP = "partnership", _("Partnership")


class FormOfExploitation(models.TextChoices):
    SEXUAL = "sexual_exploitation", _("Sexual exploitation")
    LABOUR = "forced_labour", _("Forced labour")
    CRIMINALITY = "forced_criminality", _("Forced criminal activity")
    BEGGING = "forced_begging", _("Forced begging")
    MARRIAGE = "forced_marriage", _("Forced or sham marriage")
    ORGANS = "organ_removal", _("Removal of organs")
    ADOPTION = "illegal_adoption", _("Illegal adoption")
    ARMED = "armed_groups", _("Exploitation by armed groups")
    ONLINE = "online_exploitation", _("Online exploitation")
    OTHER = "other", _("Other forms")


class TargetGroup(models.TextChoices):
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    GIRLS = "girls", _("Girls")
    BOYS = "boys", _("Boys")
    MIGRANTS = "migrants", _("Migrants")
    REFUGEES = "refugees", _("Refugees and asylum seekers")
    DISPLACED = "displaced", _("Internally displaced persons")
    DISABILITIES = "disabilities", _("Persons with disabilities")
    INDIGENOUS = "indigenous", _("Indigenous peoples")
    LGBTIQ = "lgbtiq", _("LGBTIQ+ persons")
    SURVIVORS = "survivors", _("Survivors")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement and border officials")
    JUDICIARY = "judiciary", _("Prosecutors and judges")
    LABOUR_INSPECTORS = "labour_inspectors", _("Labour inspectors")
    SERVICE_PROVIDERS = "service_providers", _("Health, social and shelter workers")
    PRIVATE_SECTOR = "private_sector", _("Businesses and supply chains")
    PUBLIC = "general_public", _("The general public")


class EvidenceRating(models.TextChoices):
    STRONG = "strong", _("Strong: independent evaluation with a comparison group")
    MODERATE = "moderate", _("Moderate: evaluated against baselines (before and after)")
    LIMITED = "limited", _("Limited: monitoring or qualitative findings only")
    NOT_ASSESSED = "not_assessed", _("Not assessed: no evaluation yet")


class EvaluationDesign(models.TextChoices):
    EXPERIMENTAL = "experimental", _("Experimental (randomised comparison group)")
    QUASI = "quasi_experimental", _("Quasi-experimental (non-random comparison group)")
    PRE_POST = "pre_post", _("Before and after, against baselines")
    QUALITATIVE = "qualitative", _("Qualitative (interviews, focus groups, case studies)")
    MONITORING = "monitoring", _("Routine monitoring of indicators")


class Evaluator(models.TextChoices):
    INTERNAL = "internal", _("Internal (the implementing organisation)")
    INDEPENDENT = "independent", _("Independent (external evaluator)")


class Language(models.TextChoices):
    AR = "ar", "العربية"
    ZH = "zh-hans", "中文"
    EN = "en", "English"
    FR = "fr", "Français"
    RU = "ru", "Русский"
    ES = "es", "Español"


class Programme(models.Model):
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    synthetic = models.BooleanField(_("synthetic (demo) record"), default=False)

    original_language = models.CharField(
        _("original language"), max_length=8, choices=Language.choices, default=Language.EN
    )
    title = models.CharField(_("title"), max_length=300)
    problem_statement = models.TextField(_("problem statement"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)

    implementing_organisations = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name=_("implementing organisations")
    )
    implementing_other = models.TextField(
        _("other implementing organisations"), blank=True, help_text=_("One name per line.")
    )
    funding_organisations = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name=_("funding organisations")
    )
    funding_other = models.TextField(_("other funders"), blank=True, help_text=_("One name per line."))
    countries = models.ManyToManyField(
        "core.Country", blank=True, related_name="+", verbose_name=_("countries")
    )

    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget_amount = models.DecimalField(_("budget"), max_digits=16, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(_("currency"), max_length=3, blank=True)

    pillars = models.JSONField(_("Global Plan of Action pillars"), default=list)
    forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)

    evidence_rating = models.CharField(
        _("evidence strength"),
        max_length=16,
        choices=EvidenceRating.choices,
        default=EvidenceRating.NOT_ASSESSED,
    )
    evidence_rationale = models.TextField(_("rationale of the evidence rating"), blank=True)
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("related programmes")
    )

    # Kept by the action functions: trigram matching of titles (PostgreSQL, all languages, normalised)
    # and the full-text vector (PostgreSQL only; SQLite keeps a separate FTS5 table).
    search_titles = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        indexes = [
            models.Index(fields=["status", "owner"], name="programme_status_owner"),
            models.Index(fields=["start_date"], name="programme_start"),
            models.Index(fields=["-updated_at", "-id"], name="programme_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="programme_end_after_start",
                violation_error_message=_("The end date is before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | Q(budget_amount__gte=0),
                name="programme_budget_not_negative",
                violation_error_message=_("The budget is negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeFacet(models.Model):
    """One facet value of a programme (pillar, form, target group, country, region, rating, start year).

    A denormalised index for faceted search, rebuilt by the action functions on every change.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="facet_values")
    facet = models.CharField(max_length=12)
    code = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["facet", "code", "programme"], name="programme_facet_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["programme", "facet", "code"], name="programme_facet_unique")
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.code}"


class Indicator(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=80, blank=True)
    baseline = models.CharField(_("baseline"), max_length=120, blank=True)
    target = models.CharField(_("target"), max_length=120, blank=True)
    result = models.CharField(_("result"), max_length=120, blank=True)
    source = models.CharField(_("source of data"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    """A monitoring or evaluation exercise, with findings against the OECD-DAC criteria."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="evaluations")
    position = models.PositiveSmallIntegerField(default=0)
    evaluator_name = models.CharField(_("who"), max_length=200, blank=True)
    evaluator = models.CharField(_("evaluator"), max_length=12, choices=Evaluator.choices)
    design = models.CharField(_("design"), max_length=20, choices=EvaluationDesign.choices)
    date = models.DateField(_("when"), null=True, blank=True)
    method = models.TextField(_("method"), blank=True)
    relevance = models.TextField(_("relevance"), blank=True)
    coherence = models.TextField(_("coherence"), blank=True)
    effectiveness = models.TextField(_("effectiveness"), blank=True)
    efficiency = models.TextField(_("efficiency"), blank=True)
    impact = models.TextField(_("impact"), blank=True)
    sustainability = models.TextField(_("sustainability"), blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_design_display()} ({self.date or '—'})"


class ProgrammeTranslation(models.Model):
    """The translated free text of one programme into one language; an empty field is untranslated."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    problem_statement = models.TextField(_("problem statement"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    activities = models.TextField(_("activities"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "language"], name="programme_translation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} ({self.language})"


class ProgrammeVersion(models.Model):
    """The state of a programme before one change: a JSON snapshot, viewable as history."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField()
    replaced_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    replaced_at = models.DateTimeField(auto_now_add=True)
    change = models.CharField(_("change"), max_length=40)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="programme_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} v{self.number}"


def document_path(instance: ProgrammeDocument, filename: str) -> str:
    """A random name under ``programmes/``: the uploader's name is never used on disk."""
    ext = instance.content_type and next(
        (e for e, t in DOCUMENT_TYPES.items() if t.content_type == instance.content_type), "bin"
    )
    return f"programmes/{secrets.token_hex(16)}.{ext or 'bin'}"


class ProgrammeDocument(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path, max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    original_name = models.CharField(max_length=160)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title or self.original_name


class ProgrammeReview(models.Model):
    """One step of the curation of a programme, with the comment the submitter sees."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField(_("step"), max_length=20)
    status = models.CharField(_("status after"), max_length=12, choices=ProgrammeStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.action}"
