"""The demo loader imports a few hundred synthetic cases for the demo NGO (src/vinculo/web/cases/demo.py)."""

from __future__ import annotations

from typing import Any

from vinculo.web.cases.demo import DEMO_ORGANISATION, DEMO_RECORDS
from vinculo.web.cases.models import CaseRecord
from vinculo.web.cases.protection import open_source_id
from vinculo.web.core.demo import load_demo


def test_demo_data_include_labelled_synthetic_cases_and_loading_twice_adds_none(db: Any) -> None:
    lines = load_demo()
    assert any("synthetic records" in line for line in lines)
    records = CaseRecord.objects.filter(owner__name=DEMO_ORGANISATION)
    assert records.count() == DEMO_RECORDS
    assert all(open_source_id(r.source_id_token).startswith("id:SYNTHETIC-") for r in records[:20])
    load_demo()
    assert CaseRecord.objects.count() == DEMO_RECORDS
