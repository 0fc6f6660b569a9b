"""Demo loader: a few hundred synthetic, clearly labelled case records for the demo shelter network."""

from __future__ import annotations

import tempfile
from pathlib import Path

from vinculo.htcds import synthetic, write_csv
from vinculo.web.accounts.models import Organisation, Role, User
from vinculo.web.core.models import Sensitivity

from . import actions
from .models import Submission

DEMO_ORGANISATION = "Demo Shelter Network (fictitious)"
DEMO_RECORDS = 300


def synthetic_csv(n: int, seed: int) -> bytes:
    """``n`` synthetic HTCDS records (``vinculo.htcds.synthetic``) as the bytes of a CSV file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.csv"
        write_csv(synthetic.generate(n, seed=seed), path)
        return path.read_bytes()


def load_demo_cases() -> list[str]:
    org = Organisation.objects.filter(name=DEMO_ORGANISATION).first()
    if org is None:
        return []
    if Submission.objects.filter(owner=org).exists():
        return []
    manager = User.objects.filter(organisation=org, role=Role.DATA_MANAGER, is_active=True).first()
    if manager is None:
        return []
    data = synthetic_csv(DEMO_RECORDS, seed=74176)
    submission = actions.create_submission(
        actor=manager,
        data=data,
        file_name="demo-synthetic-cases.csv",
        sensitivity=Sensitivity.INTERNAL,
    )
    result = actions.import_submission(actor=manager, submission=submission)
    return [
        f"  Case data: {result.n_created} synthetic records (labelled SYNTHETIC) for {DEMO_ORGANISATION}.",
    ]
