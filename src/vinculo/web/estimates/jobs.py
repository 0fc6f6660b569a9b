"""The background job that runs an estimate and stores its result."""

from __future__ import annotations

import warnings

from vinculo.errors import SparseDataWarning
from vinculo.web.jobs.models import Job
from vinculo.web.jobs.runner import Progress

from .models import Estimate
from .services import histories_from_text, settings_from_dict, strata_from_text


def run_estimate(job: Job, progress: Progress) -> None:
    from vinculo.mse import estimate as run
    from vinculo.mse import estimate_strata

    record = Estimate.objects.get(job=job)
    settings = settings_from_dict(record.settings)
    # A sparse stratum is noted in the result (its ``warnings``, shown with it): the warning itself
    # must not stop the job, whatever the process's warning filters.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SparseDataWarning)
        if record.stratum_column:
            strata = strata_from_text(record.source_csv, record.source_name, record.stratum_column)
            combined = estimate_strata(strata, settings, progress=progress)
            Estimate.objects.filter(pk=record.pk).update(result=combined.to_dict())
            return
        histories = histories_from_text(record.source_csv, record.source_name)
        result = run(histories, settings, progress=progress)
    Estimate.objects.filter(pk=record.pk).update(result=result.to_dict())
