"""Background jobs on Django's tasks framework: the database queue, the Redis queue, retries after a dead worker."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus, task_backends
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from vinculo.web.estimates.models import Estimate
from vinculo.web.jobs import runner
from vinculo.web.jobs.models import Job, JobStatus
from vinculo.web.jobs.tasks import run_job

from .conftest import World
from .redis_support import REDIS_URL, redis_prefix
from .test_deploy import ROOT
from .test_estimates import KOREA, upload

DATABASE_TASKS = {"BACKEND": "django_tasks_db.DatabaseBackend"}


def status_of(world: World, record: Estimate) -> dict[str, Any]:
    body: dict[str, Any] = (
        world.client_for("owner_manager").get(reverse("estimates:status", args=[record.pk])).json()
    )
    return body


def test_a_job_is_a_task_of_djangos_tasks_framework_queued_in_the_database(world: World) -> None:
    upload(world)
    record = Estimate.objects.get()
    job = Job.objects.get(pk=record.job_id)
    result = run_job.get_result(job.task_id)
    assert result.status == TaskResultStatus.READY and result.args == [job.pk]
    assert runner.run_pending() == 1
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "done"
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1


def test_a_job_and_its_task_are_written_together_or_not_at_all(world: World) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        runner.enqueue("estimate", {"title": "never"})
        raise RuntimeError("the action failed after queueing its job")
    assert Job.objects.count() == 0 and DBTaskResult.objects.count() == 0


def die_while_running(job_id: int, *, attempts: int, minutes_ago: int) -> str:
    """What a worker killed mid-job (kill -9, out of memory, a lost machine) leaves behind."""
    job = Job.objects.get(pk=job_id)
    DBTaskResult.objects.filter(id=job.task_id).update(status=TaskResultStatus.RUNNING)
    then = timezone.now() - timedelta(minutes=minutes_ago)
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING, attempts=attempts, started_at=then, heartbeat_at=then, progress_done=3
    )
    return job.task_id


def test_a_job_whose_worker_died_is_run_again_by_the_next_worker(world: World) -> None:
    upload(world)
    record = Estimate.objects.get()
    first_task = die_while_running(record.job_id, attempts=1, minutes_ago=30)
    assert status_of(world, record)["status"] == "running"
    assert runner.run_pending() == 1
    job = Job.objects.get(pk=record.job_id)
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 2 and job.task_id != first_task
    record.refresh_from_db()
    assert record.result is not None and record.result["n_observed"] == 123
    assert status_of(world, record)["status"] == "done"


def test_a_running_job_whose_worker_is_alive_is_not_taken_over(world: World) -> None:
    upload(world)
    record = Estimate.objects.get()
    die_while_running(record.job_id, attempts=1, minutes_ago=0)
    assert runner.run_pending() == 0
    job = Job.objects.get(pk=record.job_id)
    assert job.status == JobStatus.RUNNING and job.attempts == 1


def test_a_job_whose_worker_died_every_time_is_given_up_with_a_plain_message(world: World) -> None:
    upload(world)
    record = Estimate.objects.get()
    die_while_running(record.job_id, attempts=runner.MAX_ATTEMPTS, minutes_ago=30)
    runner.run_pending()
    body = status_of(world, record)
    assert body["status"] == "failed"
    assert f"started {runner.MAX_ATTEMPTS} times" in body["error"] and "Traceback" not in body["error"]


def test_a_task_for_a_job_another_run_holds_does_nothing(world: World) -> None:
    upload(world)
    record = Estimate.objects.get()
    Job.objects.filter(pk=record.job_id).update(status=JobStatus.DONE)
    assert runner.run_job_by_id(record.job_id) == "skipped"
    assert Estimate.objects.get().result is None


# --- The Redis queue (several machines) ---------------------------------------------------------------


@pytest.fixture
def use_redis_queue() -> Iterator[Callable[[str], Any]]:
    """Switch the jobs backend to a Redis queue of its own (a fresh key prefix)."""
    with redis_prefix() as prefix:
        yield from _switcher(prefix)


def _switcher(prefix: str) -> Iterator[Callable[[str], Any]]:
    overrides: list[Any] = []

    def switch(url: str) -> Any:
        if overrides:
            overrides.pop().disable()
        override = override_settings(
            TASKS={
                "default": DATABASE_TASKS,
                "redis": {
                    "BACKEND": "django_tasks_redis.RedisTaskBackend",
                    "OPTIONS": {
                        "REDIS_URL": url,
                        "REDIS_KEY_PREFIX": prefix,
                        "REDIS_SOCKET_CONNECT_TIMEOUT": 2,
                    },
                },
            },
            VINCULO_JOBS_BACKEND="redis",
        )
        override.enable()
        overrides.append(override)
        return task_backends["redis"]

    yield switch
    if overrides:
        overrides.pop().disable()


def test_jobs_run_through_a_redis_queue_when_it_is_configured(
    world: World, use_redis_queue: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    backend = use_redis_queue(REDIS_URL)
    with django_capture_on_commit_callbacks(execute=True):
        upload(world)
    record = Estimate.objects.get()
    job = Job.objects.get(pk=record.job_id)
    assert job.task_id, "the task is sent once the job's transaction has committed"
    assert backend.get_result(job.task_id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.count() == 0  # nothing went to the database queue
    assert runner.run_pending() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    result = backend.get_result(job.task_id)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "done"
    assert status_of(world, record)["status"] == "done"


def test_a_job_stored_while_redis_is_down_is_sent_and_run_by_the_next_worker(
    world: World, use_redis_queue: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    use_redis_queue("redis://127.0.0.1:1/0")  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(world)
    assert response.status_code == 302  # the user's upload is kept, not a server error
    record = Estimate.objects.get()
    assert Job.objects.get(pk=record.job_id).task_id == ""
    assert status_of(world, record)["status"] == "queued"
    use_redis_queue(REDIS_URL)
    assert runner.run_pending() == 1
    assert Job.objects.get(pk=record.job_id).status == JobStatus.DONE


def test_a_job_whose_task_the_queue_lost_is_sent_again(
    world: World, use_redis_queue: Callable[[str], Any], django_capture_on_commit_callbacks: Any
) -> None:
    backend = use_redis_queue(REDIS_URL)
    with django_capture_on_commit_callbacks(execute=True):
        upload(world)
    record = Estimate.objects.get()
    lost = Job.objects.get(pk=record.job_id).task_id
    client = backend.get_client()  # Redis restarted without persistence: this queue's keys are gone
    client.delete(*client.scan_iter(f"{backend.key_prefix}*"))
    assert runner.run_pending() == 0  # too recent to be called lost
    Job.objects.filter(pk=record.job_id).update(created_at=timezone.now() - timedelta(hours=1))
    assert runner.run_pending() == 1
    job = Job.objects.get(pk=record.job_id)
    assert job.status == JobStatus.DONE and job.task_id != lost


def test_the_worker_command_runs_what_is_queued(world: World) -> None:
    from click.testing import CliRunner

    from vinculo.cli import main

    upload(world)
    result = CliRunner().invoke(main, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 job(s) run." in result.output
    assert Job.objects.get().status == JobStatus.DONE
    wrong = CliRunner().invoke(main, ["worker", "--poll", "0"])
    assert wrong.exit_code == 2 and "--poll" in wrong.output and "Traceback" not in wrong.output


# --- Separate processes: a web process stores the job, a worker process runs it ------------------------

STORE_A_JOB = r"""
import django
django.setup()
from vinculo.web.accounts import actions as accounts
from vinculo.web.estimates import actions
org = accounts.create_organisation(actor=None, name="Shelter", short_name="S", kind="civil_society")
user = accounts.create_user(actor=None, username="m", password="p" * 16, organisation=org, role="data_manager",
                            email="m@example.org")
record = actions.create_estimate(actor=user, title="t", source_name="k.csv", source_text=KOREA,
                                 settings={"method": "main", "ci": "wald"}, sensitivity="restricted")
print(record.job_id)
"""


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("VINCULO_TEST_DATABASE") == "postgres",
    reason="uses a SQLite file of its own, whatever the test database: it ran in the SQLite pass",
)
def test_a_worker_process_runs_a_job_another_process_stored_and_stops_cleanly_on_sigterm(
    tmp_path: Any,
) -> None:
    database = tmp_path / "shared.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("VINCULO_")},
        "DJANGO_SETTINGS_MODULE": "vinculo.web.settings.dev",
        "VINCULO_VAR_DIR": str(tmp_path),
        "VINCULO_DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(ROOT / "src"),
    }
    cli = [sys.executable, "-c", "from vinculo.cli import main; main()"]
    migrate = subprocess.run([*cli, "manage", "migrate", "-v", "0"], env=env, capture_output=True, text=True)
    assert migrate.returncode == 0, migrate.stderr
    stored = subprocess.run(
        [sys.executable, "-c", f"KOREA = {KOREA!r}\n{STORE_A_JOB}"], env=env, capture_output=True, text=True
    )
    assert stored.returncode == 0, stored.stderr
    job_id = int(stored.stdout.strip().splitlines()[-1])

    worker = subprocess.Popen(
        [*cli, "worker", "--poll", "0.2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        status = ""
        deadline = time.monotonic() + 180  # a safety net for a busy machine, not a speed target
        while time.monotonic() < deadline and status not in ("done", "failed"):
            time.sleep(0.5)
            with sqlite3.connect(database, timeout=30) as conn:
                status = conn.execute("SELECT status FROM jobs_job WHERE id = ?", [job_id]).fetchone()[0]
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=120)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert status == "done", err
    assert worker.returncode == 0, err
    assert "Stopping after the running job" in out and "Traceback" not in err
