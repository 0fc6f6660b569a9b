"""The background job that runs an estimate and stores its result."""

from __future__ import annotations

from vinculo.web.jobs.models import Job
from vinculo.web.jobs.runner import Progress

from .models import Estimate
from .services import histories_from_text, settings_from_dict


def run_estimate(job: Job, progress: Progress) -> None:
    from vinculo.mse import estimate as run

    record = Estimate.objects.get(job=job)
    histories = histories_from_text(record.source_csv, record.source_name)
    settings = settings_from_dict(record.settings)
    result = run(histories, settings, progress=progress)
    Estimate.objects.filter(pk=record.pk).update(result=result.to_dict())
