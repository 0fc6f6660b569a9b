"""Issue 9, finding 4: other organisations see aggregates only of internal cases, never rows, and a
file's own record ids are identifiers (encrypted at rest, matched on re-import by a blind index).

The reproduction: an NGO imports internal cases; an analyst of another organisation saw CN as "<5"
in the counts while ``/api/cases?citizenship=CN`` listed the 4 rows with the NGO's own record id,
``prs_MailingCity`` and ``prs_Title``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ..conftest import World
from .conftest import csv_bytes, submit_and_import

HEADER = [
    "record_id", "prs_FirstName", "prs_Title", "prs_MailingCity", "prs_Gender", "prs_Citizenship",
    "hte_Country", "hte_Type", "cas_IncomingReferralDate", "vic_AgeWhenTrafficked",
    "vic_TypeOfExploitation", "con_Consent",
]  # fmt: skip
SECRET_ID = "POLICE-CASE-2024-77"
CITY = "Quillhaven"
TITLE = "Archdeaconess"


def _rows(prefix: str, n: int, citizenship: str = "CN") -> list[list[str]]:
    return [
        [f"{SECRET_ID}" if i == 0 else f"{prefix}-{i}", f"Person{prefix}{i}", TITLE, CITY, "Feminine",
         citizenship, "TH", "Exploitation", "2024-02-03", "27", "ForcedLabour", "TRUE"]
        for i in range(n)
    ]  # fmt: skip


@pytest.fixture
def internal(world: World) -> World:
    """Four consented internal cases of CN citizens and ten of VN citizens, owned by the NGO."""
    submit_and_import(
        world, csv_bytes(_rows("A", 4) + _rows("B", 10, "VN")[1:], HEADER), sensitivity="internal"
    )
    return world


def _leaks(text: str) -> list[str]:
    return [s for s in (SECRET_ID, CITY, TITLE, "PersonA") if s in text]


def test_another_organisation_sees_internal_cases_only_in_counts_never_as_rows(internal: World) -> None:
    other = internal.client_for("other_analyst")
    counts = other.get("/api/cases/counts", {"dimensions": "citizenship"}).json()
    assert counts["small_cell_protection"] is True
    assert {d["code"]: d["cases"] for d in counts["dimensions"]["citizenship"]}["CN"] == "<5"
    narrowed = other.get("/api/cases", {"citizenship": "CN"})
    assert narrowed.status_code == 200
    assert narrowed.json()["cases"] == [] and narrowed.json()["total"] == 0
    everything = other.get("/api/cases")
    assert everything.json()["cases"] == [] and not _leaks(everything.content.decode())
    page = other.get(reverse("cases:list"), {"citizenship": "CHN"}).content.decode()
    assert not re.findall(r'href="/cases/\d+/"', page) and not _leaks(page)
    chart = other.get(reverse("cases:counts"), {"citizenship": "CHN"}).content.decode()
    assert "&lt;5" in chart and not _leaks(chart)
    for url in (reverse("cases:export") + "?format=csv", "/api/cases/export?format=csv"):
        text = b"".join(other.get(url).streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        assert list(csv.DictReader(io.StringIO(text))) == [] and not _leaks(text)


def test_an_internal_case_page_of_another_organisation_answers_like_a_missing_one(internal: World) -> None:
    own = internal.client_for("owner_analyst")
    ids = [c["id"] for c in own.get("/api/cases", {"citizenship": "CN"}).json()["cases"]]
    assert len(ids) == 4
    other = internal.client_for("other_analyst")
    for pk in ids:
        for url in (f"/cases/{pk}/", f"/cases/{pk}/history/", f"/api/cases/{pk}", f"/api/cases/{pk}/history"):
            response = other.get(url)
            assert response.status_code == 404, url
            assert not _leaks(response.content.decode())


def test_the_owners_members_list_their_internal_cases_and_only_data_managers_see_the_record_id(
    internal: World,
) -> None:
    analyst = internal.client_for("owner_analyst").get("/api/cases", {"citizenship": "CN"}).json()
    assert len(analyst["cases"]) == 4 and analyst["total"] == 4
    assert all(c["source_record_id"] is None for c in analyst["cases"])
    assert all(c["values"]["prs_MailingCity"] == CITY for c in analyst["cases"])
    manager = internal.client_for("owner_manager").get("/api/cases", {"citizenship": "CN"}).json()
    assert f"id:{SECRET_ID}" in {c["source_record_id"] for c in manager["cases"]}


def test_a_shared_internal_case_is_a_row_for_the_partner_without_the_record_id(world: World) -> None:
    submit_and_import(
        world, csv_bytes(_rows("A", 4), HEADER), sensitivity="internal", shared_with=[world.partner]
    )
    partner = world.client_for("partner_analyst").get("/api/cases").json()
    assert len(partner["cases"]) == 4
    assert {c["values"]["prs_MailingCity"] for c in partner["cases"]} == {CITY}
    assert all(c["source_record_id"] is None for c in partner["cases"])
    assert world.client_for("other_analyst").get("/api/cases").json()["cases"] == []


def test_a_public_case_row_of_another_organisation_shows_coded_values_only(world: World) -> None:
    submit_and_import(world, csv_bytes(_rows("A", 1), HEADER), sensitivity="public")
    for who in ("anonymous", "other_analyst"):
        client = world.client_for(who)
        listed = client.get("/api/cases").json()["cases"]
        assert len(listed) == 1
        case = listed[0]
        assert case["source_record_id"] is None and case["identifiers"] is None
        assert case["values"] == {
            "prs_Gender": "Feminine",
            "prs_Citizenship": ["CN"],
            "hte_Country": "TH",
            "hte_Type": "Exploitation",
            "vic_TypeOfExploitation": ["ForcedLabour"],
            "con_Consent": True,
        }
        assert (case["year"], case["age_group"]) == (2024, "27-29")
        for url in (
            f"/cases/{case['id']}/",
            f"/cases/{case['id']}/history/",
            f"/api/cases/{case['id']}/history",
        ):
            text = client.get(url).content.decode()
            assert not _leaks(text) and "2024-02-03" not in text and "3 Feb 2024" not in text, url
        text = b"".join(client.get("/api/cases/export").streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        row = next(csv.DictReader(io.StringIO(text)))
        assert row["prs_Citizenship"] == "CN" and row["source_record_id"] == "" and not _leaks(text)


def test_record_ids_are_stored_only_encrypted_and_reimport_stays_idempotent(world: World) -> None:
    from django.conf import settings
    from django.test import override_settings

    from vinculo.protect import generate_key
    from vinculo.web.cases import actions
    from vinculo.web.cases.models import CaseRecord

    data = csv_bytes(_rows("A", 4), HEADER)
    submit_and_import(world, data, sensitivity="internal")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {CaseRecord._meta.db_table}")
        stored = repr(cursor.fetchall())
    assert SECRET_ID not in stored and "A-1" not in stored
    again = submit_and_import(world, data, sensitivity="internal")
    assert (again.n_created, again.n_changed, again.n_unchanged) == (0, 0, 4)
    keys = [generate_key(), *settings.VINCULO_ENCRYPTION_KEYS]
    with override_settings(VINCULO_ENCRYPTION_KEYS=keys):
        actions.rotate_keys()
        rotated = submit_and_import(world, data, sensitivity="internal")
        assert (rotated.n_created, rotated.n_changed, rotated.n_unchanged) == (0, 0, 4)
        manager = world.client_for("owner_manager").get("/api/cases").json()
        assert f"id:{SECRET_ID}" in {c["source_record_id"] for c in manager["cases"]}
    assert CaseRecord.objects.count() == 4


MIGRATION_SCRIPT = """
import sys
import vinculo.web.settings.test as cfg
cfg.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": sys.argv[1]}}
import django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
before = [("cases", "0002_source_record_id_index_and_token")]
executor = MigrationExecutor(connection)
executor.migrate(before)
old = executor.loader.project_state(before).apps
org = old.get_model("accounts", "Organisation").objects.create(name="Migrated NGO", short_name="MIG")
sub = old.get_model("cases", "Submission").objects.create(owner=org, number=1, file_name="old.csv")
for srid in sys.argv[2:]:
    old.get_model("cases", "CaseRecord").objects.create(
        owner=org, submission=sub, source_record_id=srid, content_hash="0" * 64
    )
executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())
from vinculo.web.cases.models import CaseRecord
from vinculo.web.cases.protection import open_source_id, source_id_index
for srid in sys.argv[2:]:
    record = CaseRecord.objects.get(source_id_index=source_id_index(srid))
    assert srid not in record.source_id_token, "stored in plaintext"
    assert open_source_id(record.source_id_token) == srid
with connection.cursor() as cursor:
    cursor.execute("SELECT * FROM cases_caserecord")
    assert not any(s in repr(cursor.fetchall()) for s in sys.argv[2:]), "plaintext left in a column"
print("migrated", CaseRecord.objects.count())
executor = MigrationExecutor(connection)
executor.migrate([("cases", "0001_initial")])  # and back: the ids are decrypted again
with connection.cursor() as cursor:
    cursor.execute("SELECT source_record_id FROM cases_caserecord")
    assert sorted(r[0] for r in cursor.fetchall()) == sorted(sys.argv[2:]), "not restored"
print("reversed")
"""


def test_the_data_migration_encrypts_existing_record_ids_keeps_them_matchable_and_reverses(
    tmp_path: Path,
) -> None:
    ids = [f"id:{SECRET_ID}", "id:r1", "id:R1", "row:" + "a" * 32]
    result = subprocess.run(
        [sys.executable, "-c", MIGRATION_SCRIPT, str(tmp_path / "old.sqlite3"), *ids],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "vinculo.web.settings.test"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["migrated", "4", "reversed"]


def _cn(client: Client) -> object:
    counts = client.get("/api/cases/counts", {"dimensions": "citizenship"}).json()
    return {d["code"]: d["cases"] for d in counts["dimensions"]["citizenship"]}.get("CN", 0), counts["total"]


def test_cached_counts_follow_every_import_and_never_cross_access_scopes(world: World) -> None:
    """Counts are cached (finding 8); the cache must never answer for another scope or a stale state."""
    data = csv_bytes(_rows("A", 6), HEADER)
    submit_and_import(world, data, sensitivity="restricted", shared_with=[world.partner])
    partner, other, owner = (
        world.client_for(w) for w in ("partner_analyst", "other_analyst", "owner_analyst")
    )
    assert _cn(partner) == (6, 6)
    assert _cn(other) == (0, 0)  # asked right after the partner: not the partner's cached answer
    assert _cn(owner) == (6, 6)
    submit_and_import(world, data, sensitivity="internal")  # unchanged rows, new access: counted for all
    assert _cn(other) == (6, 6)
    assert _cn(partner) == (6, 6)
    submit_and_import(world, csv_bytes(_rows("B", 4)[1:], HEADER), sensitivity="internal")  # 3 new cases
    assert _cn(other) == (9, 9) and _cn(world.client_for("anonymous")) == (0, 0)


def test_repeated_counts_are_answered_without_counting_again(internal: World) -> None:
    from django.test.utils import CaptureQueriesContext

    other = internal.client_for("other_analyst")
    with CaptureQueriesContext(connection) as first:
        assert other.get("/api/cases/counts").status_code == 200
    with CaptureQueriesContext(connection) as second:
        again = other.get("/api/cases/counts")
    assert again.status_code == 200
    assert sum("GROUP BY" in q["sql"] for q in first.captured_queries) == 9
    assert not [q["sql"] for q in second.captured_queries if "GROUP BY" in q["sql"] or "COUNT(" in q["sql"]]
