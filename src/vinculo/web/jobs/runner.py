"""Claim and run queued jobs. Used by ``vinculo worker`` and by the in-process worker of ``vinculo serve``.

A job is claimed by a compare-and-set update (queued -> running) so that several workers never run
the same job, on SQLite and PostgreSQL alike. Handlers are registered by kind; a handler gets the job
and a ``progress(done, total)`` callback and returns nothing (it stores its own results). A handler
that raises marks the job failed with a message fit for users (a VinculoError's text, otherwise a
generic sentence; the traceback goes to the log only).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import close_old_connections, transaction
from django.utils import timezone

from vinculo.errors import VinculoError
from vinculo.web.accounts.models import User

from .models import Job, JobStatus

logger = logging.getLogger("vinculo.jobs")

Progress = Callable[[int, int], None]
Handler = Callable[[Job, Progress], None]

HANDLERS: dict[str, Handler] = {}
# A job still "running" this long after it started was abandoned by a dead worker and is re-queued.
STALE_AFTER = timedelta(hours=6)


def register(kind: str, handler: Handler) -> None:
    HANDLERS[kind] = handler


def enqueue(kind: str, params: dict[str, object], created_by: User | None = None) -> Job:
    if kind not in HANDLERS:
        raise ValueError(f"No job handler for {kind!r}")
    return Job.objects.create(kind=kind, params=params, created_by=created_by)


def _claim() -> Job | None:
    stale = timezone.now() - STALE_AFTER
    Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=stale, attempts__lt=3).update(
        status=JobStatus.QUEUED
    )
    for job_id in (
        Job.objects.filter(status=JobStatus.QUEUED)
        .order_by("created_at", "id")
        .values_list("id", flat=True)[:10]
    ):
        claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now()
        )
        if claimed:
            return Job.objects.get(pk=job_id)
    return None


def _progress_callback(job: Job) -> Progress:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] > 0.5:
            last[0] = now
            Job.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)

    return progress


def run_job(job: Job) -> Job:
    handler = HANDLERS.get(job.kind)
    Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)
    try:
        if handler is None:
            raise VinculoError(
                f"This platform cannot run jobs of kind {job.kind!r}.", code="jobs.unknown_kind"
            )
        handler(job, _progress_callback(job))
    except VinculoError as exc:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc), finished_at=timezone.now()
        )
    except Exception:
        logger.exception("Job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error="The job failed because of an error on the server. It has been logged; try again later.",
            finished_at=timezone.now(),
        )
    else:
        Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def run_pending(limit: int | None = None) -> int:
    """Run queued jobs one after another until none is left (or ``limit`` ran). Returns how many ran."""
    ran = 0
    while limit is None or ran < limit:
        with transaction.atomic():
            job = _claim()
        if job is None:
            break
        run_job(job)
        ran += 1
    return ran


def work_forever(poll_seconds: float = 1.0, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    while not stop.is_set():
        close_old_connections()
        try:
            ran = run_pending(limit=1)
        except Exception:  # the database may be briefly unavailable; keep the worker alive
            logger.exception("Worker loop error")
            ran = 0
        if not ran:
            stop.wait(poll_seconds)


def start_background_worker() -> threading.Thread:
    """A daemon thread running jobs inside this process (``vinculo serve`` / ``vinculo demo``)."""
    thread = threading.Thread(target=work_forever, name="vinculo-worker", daemon=True)
    thread.start()
    return thread
