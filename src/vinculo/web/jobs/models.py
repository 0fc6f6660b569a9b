"""What users see of a background job: its state, progress and failure message, kept in the database.

The job itself runs as a task of Django's tasks framework (see ``runner.py``); this record survives a page
reload, a restart and a change of task backend, and is what the pages and the API show.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    kind = models.CharField(max_length=40, db_index=True)
    status = models.CharField(
        max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    params = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The id of the django.tasks result that runs this job (empty until the task is sent to the queue).
    task_id = models.CharField(max_length=64, blank=True, default="")
    # Refreshed by the worker while the job runs; a running job whose heartbeat stopped lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(99, int(100 * self.progress_done / self.progress_total))

    def progress_text(self) -> str:
        """The progress line of a page: the state, with the share done only while the job runs.

        A queued job shows no percentage: its count may be left over from an attempt that was interrupted,
        and "Waiting to start — 99 %" reads as nonsense.
        """
        if self.status == JobStatus.RUNNING:
            return _("Running — %(percent)s %%") % {"percent": self.percent}
        return str(self.get_status_display())
