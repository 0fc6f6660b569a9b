"""The one task of Django's tasks framework that runs every background job (see ``runner.py``)."""

from __future__ import annotations

from django.tasks import task


@task
def run_job(job_id: int) -> str:
    """Run the job ``job_id`` (a ``Job`` row); returns its final status, or "skipped" if another run has it."""
    from .runner import run_job_by_id

    return run_job_by_id(job_id)
