"""Background jobs of the cases area: checking and importing big case files."""

from __future__ import annotations

from vinculo.web.accounts.models import User
from vinculo.web.jobs.models import Job
from vinculo.web.jobs.runner import Progress

from . import actions
from .models import Submission


def run_validation_job(job: Job, progress: Progress) -> None:
    submission = Submission.objects.get(pk=job.params["submission"])
    actions.run_validation(submission, progress)


def run_import_job(job: Job, progress: Progress) -> None:
    submission = Submission.objects.get(pk=job.params["submission"])
    actor_id = job.params.get("actor")
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        actions.import_submission(actor=actor, submission=submission, progress=progress)
    except Exception:
        # The transaction rolled back: nothing was imported; the user may confirm again.
        Submission.objects.filter(pk=submission.pk, status="importing").update(status="ready")
        raise
