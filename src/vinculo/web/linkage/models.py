"""Linkage exercises: which organisations take part, what each contributed, and the linked records.

An exercise is owned by its coordinating organisation and is always restricted: it is seen by the
members of the coordinating organisation and of the organisations invited to it, never by others
(administrators included). The result is kept as rows: one :class:`LinkedRecord` per contributed
record (its organisation, a reference the organisation can resolve, the cluster id) and one
:class:`LinkPair` per scored pair in or above the uncertain band, so each organisation's view is a
filtered query and review decisions re-cluster from stored rows. No identifier is stored here: a
trusted-mode record is referenced by the case's platform id, a PPRL record by its own record id
encrypted with the platform's key ring. The summary holds counts only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vinculo.web.core.models import OwnedRecord

#: The person fields an exercise may compare (issue 10), HTCDS names.
PERSON_FIELDS = (
    "prs_FirstName",
    "prs_MiddleName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_MailingCity",
    "prs_MailingPostalCode",
    "prs_MailingStreet",
    "prs_MailingState",
    "prs_IdentityNumber",
    "prs_MobilePhone",
    "prs_Email",
)


class Mode(models.TextChoices):
    TRUSTED = "trusted", _("Trusted: the platform links the cases organisations already hold in it")
    PPRL = "pprl", _("Privacy-preserving: organisations send encodings made locally, never identifiers")


class ExerciseStatus(models.TextChoices):
    OPEN = "open", _("Open for contributions")
    RUNNING = "running", _("Being linked")
    DONE = "done", _("Linked")
    FAILED = "failed", _("Linking failed")


class Exercise(OwnedRecord):
    """A linkage exercise, opened by a data manager of the coordinating organisation (``owner``)."""

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=2000)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.TRUSTED)
    year_from = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    fields = models.JSONField(_("person fields compared"), default=list)
    threshold = models.FloatField(_("match threshold"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExerciseStatus.choices, default=ExerciseStatus.OPEN
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Set by the run: the threshold used, the uncertain band, and the counts shown on the result page.
    threshold_used = models.FloatField(null=True, blank=True)
    band_low = models.FloatField(null=True, blank=True)
    band_high = models.FloatField(null=True, blank=True)
    summary = models.JSONField(default=dict)
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("linkage exercise")
        verbose_name_plural = _("linkage exercises")

    def __str__(self) -> str:
        return self.title


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CONTRIBUTED = "contributed", pgettext_lazy("linkage participant", "Contributed")


class Participant(models.Model):
    """One organisation in an exercise: one list (source) of the capture histories."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    # The list's name in the capture histories (a column name): derived from the organisation.
    source_name = models.CharField(max_length=40)
    status = models.CharField(
        max_length=12, choices=ParticipantStatus.choices, default=ParticipantStatus.INVITED
    )
    invited_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    contributed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    contributed_at = models.DateTimeField(null=True, blank=True)
    # Trusted mode: the platform ids of the cases contributed (consent to share); the cases whose
    # consent does not allow sharing are counted in n_left_out and never linked.
    case_ids = models.JSONField(default=list)
    n_records = models.PositiveIntegerField(default=0)
    n_left_out = models.PositiveIntegerField(default=0)
    # PPRL mode: the encodings file, encrypted with the platform's key ring, and its checksum.
    encodings = models.TextField(blank=True)
    encodings_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "organisation"], name="linkage_participant_unique"),
            models.UniqueConstraint(fields=["exercise", "source_name"], name="linkage_participant_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} in exercise {self.exercise_id}"


class LinkedRecord(models.Model):
    """One contributed record and its cluster: what its organisation (and only it) sees."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="records")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="records")
    case = models.ForeignKey(
        "cases.CaseRecord", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # PPRL: the record id of the encodings file, encrypted (it may be an agency's case number).
    record_token = models.TextField(blank=True)
    cluster_id = models.PositiveIntegerField()
    # How many other lists (organisations) have a record in the same cluster.
    n_other_sources = models.PositiveSmallIntegerField(default=0)
    # Trusted mode: the record's strata values (sex, age group, form of exploitation, year of
    # identification) for stratified capture histories; PPRL records have none (an encodings file
    # carries nothing of the person).
    strata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["cluster_id", "pk"]
        indexes = [models.Index(fields=["exercise", "participant", "cluster_id"], name="linkage_record_view")]

    def __str__(self) -> str:
        return f"linked record {self.pk}"


class Decision(models.TextChoices):
    NONE = "", _("Not reviewed")
    MATCH = "match", _("The same person")
    NON_MATCH = "non_match", _("Not the same person")


class LinkPair(models.Model):
    """A scored pair in or above the uncertain band, and the clerical review decision if any."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="pairs")
    left = models.ForeignKey(LinkedRecord, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(LinkedRecord, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.NONE, blank=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-probability", "pk"]

    def __str__(self) -> str:
        return f"pair {self.pk}"
