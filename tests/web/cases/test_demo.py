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


def test_in_the_demo_unodc_analyst_counts_the_ngos_internal_cases_but_lists_none(db: Any) -> None:
    """Issue 9, finding 4, as reproduced on the demo data."""
    from django.test import Client

    from vinculo.web.accounts.models import User

    load_demo()
    client = Client()
    client.force_login(User.objects.get(username="unodc.analyst"))
    counts = client.get("/api/cases/counts", {"dimensions": "citizenship"}).json()
    assert counts["total"] == DEMO_RECORDS - CaseRecord.objects.filter(consent_to_share=False).count()
    assert counts["small_cell_protection"] is True
    small = [d["code"] for d in counts["dimensions"]["citizenship"] if d["cases"] == "<5"]
    assert small  # some citizenships are rare in the synthetic data
    for code in [*small[:3], None]:
        listed = client.get("/api/cases", {"citizenship": code} if code else {}).json()
        assert listed["cases"] == [] and listed["total"] == 0
    assert "SYNTHETIC-" not in client.get("/cases/").content.decode()
