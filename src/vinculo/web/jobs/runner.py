"""Background jobs on Django's tasks framework (``django.tasks``).

A job is a ``Job`` row (what users see: state, progress, a failure message) plus one task of the
configured backend (``settings.VINCULO_JOBS_BACKEND``, an alias of ``settings.TASKS``) that runs it:

- the **database** backend (django-tasks-db, the embedded default) keeps the queue in the platform's own
  database, so the task is written in the same transaction as the job and both commit or neither does;
- the **Redis** backend (django-tasks-redis) serves several machines; its task is sent once the job's
  transaction has committed, and a job whose task could not be sent is sent again by the next worker.

Handlers are registered by kind; a handler gets the job and a ``progress(done, total)`` callback and
returns nothing (it stores its own results). A handler that raises marks the job failed with a message
fit for users (a VinculoError's text, otherwise a generic sentence; the traceback goes to the log only).

A worker claims a job by a compare-and-set update (queued -> running), so two tasks for one job never
both run it, and refreshes the job's heartbeat while it runs. A running job whose heartbeat stopped for
``VINCULO_JOB_STALE_SECONDS`` lost its worker: the next worker queues it again, up to ``MAX_ATTEMPTS``
runs in all, and then marks it failed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F, Q
from django.tasks import task_backends
from django.utils import timezone

from vinculo.errors import VinculoError
from vinculo.web.accounts.models import User

from .models import Job, JobStatus

logger = logging.getLogger("vinculo.jobs")

Progress = Callable[[int, int], None]
Handler = Callable[[Job, Progress], None]

HANDLERS: dict[str, Handler] = {}
# A job is run at most this many times when its worker keeps dying under it.
MAX_ATTEMPTS = 3
SERVER_ERROR = "The job failed because of an error on the server. It has been logged; try again later."
GAVE_UP = (
    "The job was started {attempts} times and its worker stopped each time before it finished, so it "
    "was given up. Try again; if it happens again, ask the platform's administrator to check the "
    "worker's log (a job that needs more memory or time than the worker has)."
)


def register(kind: str, handler: Handler) -> None:
    HANDLERS[kind] = handler


def backend_alias() -> str:
    return str(getattr(settings, "VINCULO_JOBS_BACKEND", "default"))


def heartbeat_seconds() -> float:
    return float(getattr(settings, "VINCULO_JOB_HEARTBEAT_SECONDS", 30))


def stale_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "VINCULO_JOB_STALE_SECONDS", 300)))


def _is_database_backend(backend: object) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(backend, DatabaseBackend)


def enqueue(kind: str, params: dict[str, object], created_by: User | None = None) -> Job:
    """Store a job and queue its task (now on the database backend, after the commit on others)."""
    if kind not in HANDLERS:
        raise ValueError(f"No job handler for {kind!r}")
    job = Job.objects.create(kind=kind, params=params, created_by=created_by)
    if _is_database_backend(task_backends[backend_alias()]):
        job.task_id = _send(job.pk) or ""
    else:
        # The worker of another machine must find the job when it gets the task.
        transaction.on_commit(lambda: _send(job.pk))
    return job


def _send(job_id: int) -> str | None:
    """Queue the task that runs ``job_id``; returns the task's id, or None when the queue cannot be reached
    (the job then waits for the next worker to send it again)."""
    from .tasks import run_job

    try:
        result = run_job.using(backend=backend_alias()).enqueue(job_id)
    except Exception:
        if _is_database_backend(task_backends[backend_alias()]):
            raise  # the job and its task are one transaction: refuse both
        logger.exception("Job %s could not be sent to the task queue; a worker will send it again", job_id)
        return None
    Job.objects.filter(pk=job_id).update(task_id=result.id)
    return str(result.id)


def _claim(job_id: int) -> Job | None:
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    return Job.objects.get(pk=job_id) if claimed else None


def _progress_callback(job: Job) -> Progress:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] > 0.5:
            last[0] = now
            Job.objects.filter(pk=job.pk).update(
                progress_done=done, progress_total=total, heartbeat_at=timezone.now()
            )

    return progress


class _Heartbeat:
    """Refresh a running job's heartbeat from a side thread, so a long step without progress is not taken for dead."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"vinculo-job-{job.pk}-heartbeat", daemon=True)

    def _beat(self) -> None:
        try:
            while not self.stop.wait(heartbeat_seconds()):
                try:
                    Job.objects.filter(
                        pk=self.job.pk, status=JobStatus.RUNNING, attempts=self.job.attempts
                    ).update(heartbeat_at=timezone.now())
                except Exception:  # a busy database: the next beat tries again
                    logger.warning("Heartbeat of job %s not written", self.job.pk, exc_info=True)
        finally:
            close_old_connections()

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)


def _finish(job: Job, status: str, error: str = "") -> None:
    # Only the run that holds the job may finish it (not one whose job was re-queued meanwhile).
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        status=status, error=error, finished_at=timezone.now(), heartbeat_at=timezone.now()
    )


def run_job(job: Job) -> Job:
    """Run a claimed job's handler and record the outcome. Returns the job as stored afterwards."""
    handler = HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise VinculoError(
                f"This platform cannot run jobs of kind {job.kind!r}.", code="jobs.unknown_kind"
            )
        with _Heartbeat(job):
            handler(job, _progress_callback(job))
    except VinculoError as exc:
        _finish(job, JobStatus.FAILED, str(exc))
    except Exception:
        logger.exception("Job %s failed", job.pk)
        _finish(job, JobStatus.FAILED, SERVER_ERROR)
    else:
        _finish(job, JobStatus.DONE)
    job.refresh_from_db()
    return job


def run_job_by_id(job_id: int) -> str:
    """The body of the task: claim the job and run it; a job already taken or finished is left alone."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    return str(run_job(job).status)


def requeue_abandoned() -> int:
    """Queue again the jobs whose worker died (or give them up), and send jobs whose task was never sent."""
    now = timezone.now()
    stale = now - stale_after()
    abandoned = Job.objects.filter(status=JobStatus.RUNNING).filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, started_at__lt=stale)
    )
    requeued = 0
    for job in abandoned:
        same_run = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)
        if job.attempts >= MAX_ATTEMPTS:
            same_run.update(
                status=JobStatus.FAILED, error=GAVE_UP.format(attempts=job.attempts), finished_at=now
            )
            logger.error("Job %s gave up after %s runs whose worker died", job.pk, job.attempts)
            continue
        with transaction.atomic():
            if same_run.update(status=JobStatus.QUEUED, task_id="", heartbeat_at=None):
                logger.warning("Job %s lost its worker (run %s); queued again", job.pk, job.attempts)
                if _send(job.pk) is not None:
                    requeued += 1
    # Jobs whose task could not be sent (the queue was down when they were stored).
    for job_id in Job.objects.filter(status=JobStatus.QUEUED, task_id="").values_list("id", flat=True)[:100]:
        if _send(job_id) is not None:
            requeued += 1
    # Jobs waiting for a task the queue no longer has (a Redis restarted without persistence).
    waiting = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=stale).exclude(task_id="")
    for job_id, task_id in waiting.values_list("id", "task_id")[:100]:
        if not _task_exists(task_id):
            logger.warning("The task of job %s is gone from the queue; sent again", job_id)
            if Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, task_id=task_id).update(task_id=""):
                requeued += int(_send(job_id) is not None)
    return requeued


def _task_exists(task_id: str) -> bool:
    from django.tasks.exceptions import TaskResultDoesNotExist

    try:
        task_backends[backend_alias()].get_result(task_id)
    except TaskResultDoesNotExist:
        return False
    return True


def _run_database_task(alias: str) -> bool:
    """Claim and run one ready task of a django-tasks-db backend. Returns False when none is ready."""
    from django.tasks.base import TaskContext
    from django.tasks.signals import task_finished, task_started
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready().filter(backend_name=alias)
    if not ready.exists():  # a plain read: an idle worker never takes SQLite's write lock
        return False
    with transaction.atomic():
        db_result = ready.get_locked()
        if db_result is None:
            return False
        db_result.claim(_worker_id())
    try:
        task = db_result.task
        task_started.send(sender=type(task.get_backend()), task_result=db_result.task_result)
        args, kwargs = db_result.args_kwargs["args"], db_result.args_kwargs["kwargs"]
        if task.takes_context:
            value = task.call(TaskContext(task_result=db_result.task_result), *args, **kwargs)
        else:
            value = task.call(*args, **kwargs)
        db_result.set_successful(value)
    except Exception as exc:
        logger.exception("Task %s failed", db_result.id)
        db_result.set_failed(exc)
    task_finished.send(sender=type(task_backends[alias]), task_result=db_result.task_result)
    return True


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:64]


def run_available(limit: int | None = None, wait_seconds: float = 0) -> int:
    """Run ready tasks of the jobs backend until none is left (or ``limit`` ran). Returns how many ran."""
    alias = backend_alias()
    backend: Any = task_backends[alias]
    ran = 0
    while limit is None or ran < limit:
        if _is_database_backend(backend):
            if not _run_database_task(alias):
                break
        elif type(backend).__module__.startswith("django_tasks_redis"):
            from django_tasks_redis import executor

            block = int(wait_seconds * 1000) if ran == 0 else None
            if executor.process_one_task(backend_name=alias, worker_id=_worker_id(), block=block) is None:
                break
        else:  # an immediate or dummy backend has nothing queued for a worker
            break
        ran += 1
    return ran


def run_pending(limit: int | None = None) -> int:
    """What a worker does on each round: re-queue jobs whose worker died, then run what is ready."""
    requeue_abandoned()
    return run_available(limit)


def work_forever(poll_seconds: float = 1.0, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    last_sweep = 0.0
    while not stop.is_set():
        close_old_connections()
        try:
            if time.monotonic() - last_sweep > heartbeat_seconds():
                requeue_abandoned()
                last_sweep = time.monotonic()
            ran = run_available(limit=1, wait_seconds=poll_seconds)
        except Exception:  # the database or Redis may be briefly unavailable; keep the worker alive
            logger.exception("Worker loop error")
            ran = 0
        if not ran:
            stop.wait(poll_seconds)


def start_background_worker() -> threading.Thread:
    """A daemon thread running jobs inside this process (``vinculo serve`` / ``vinculo demo``)."""
    thread = threading.Thread(target=work_forever, name="vinculo-worker", daemon=True)
    thread.start()
    return thread
