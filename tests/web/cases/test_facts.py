"""The narrow facts table that counts read follows the case records on every write path (triggers)."""

from __future__ import annotations

from typing import Any

from django.db import connection

from vinculo.charts import Suppressed
from vinculo.web.cases.models import BROWSE_COLUMNS, CaseFacts, CaseRecord
from vinculo.web.cases.queries import CaseFilter, count_summary, total_and_exact, visible_facts

from ..conftest import World
from .conftest import ROWS, csv_bytes, manager, submit_and_import

COLUMNS = ("owner_id", "sensitivity", "consent_to_share", *BROWSE_COLUMNS)


def _cases() -> dict[int, tuple[Any, ...]]:
    return {row[0]: tuple(row[1:]) for row in CaseRecord.objects.values_list("id", *COLUMNS)}


def _facts() -> dict[int, tuple[Any, ...]]:
    return {row[0]: tuple(row[1:]) for row in CaseFacts.objects.values_list("id", *COLUMNS)}


def test_an_import_writes_one_facts_row_per_case_with_the_same_columns(world: World) -> None:
    submit_and_import(world, sensitivity="internal")
    assert len(_cases()) == len(ROWS)
    assert _facts() == _cases()


def test_a_changed_record_sensitivity_and_a_raw_update_reach_the_facts(world: World) -> None:
    submit_and_import(world, sensitivity="internal")
    changed = [list(r) for r in ROWS]
    changed[0][5] = "IT"  # country of exploitation
    submit_and_import(world, csv_bytes(changed), sensitivity="restricted")
    assert set(CaseFacts.objects.values_list("sensitivity", flat=True)) == {"restricted"}
    CaseRecord.objects.filter(country="IT").update(year=1999, control="|x|")  # a bulk path, no save()
    with connection.cursor() as cursor:  # and a path outside the ORM
        cursor.execute("UPDATE cases_caserecord SET sex = %s WHERE year = %s", ["Masculine", 1999])
    assert _facts() == _cases()
    assert CaseFacts.objects.filter(year=1999, sex="Masculine", control="|x|").count() == 2


def test_deleting_cases_deletes_their_facts(world: World) -> None:
    submit_and_import(world)
    first = CaseRecord.objects.order_by("id").first()
    assert first is not None
    first.delete()
    assert _facts() == _cases() and len(_facts()) == len(ROWS) - 1
    CaseRecord.objects.all().delete()
    assert not CaseFacts.objects.exists()


def test_counts_and_totals_over_the_facts_match_counting_the_cases(world: World) -> None:
    submit_and_import(world, sensitivity="internal")
    owner, outsider = manager(world), world.users["other_analyst"]
    summary = count_summary(owner, CaseFilter({}), ["country", "exploitation"])
    assert summary["exact"] and summary["total"] == len(ROWS)
    assert {code: n for code, _label, n in summary["dimensions"]["country"]} == {"PL": 2, "IT": 1}
    assert total_and_exact(owner, visible_facts(owner, CaseFilter({"country": "PL"}))) == (2, True)
    # Another organisation lists none of these internal cases (an empty list is exact), and counts
    # the consented ones (2 of 3) only inexactly: fewer than 5, so the total is withheld.
    assert total_and_exact(outsider, visible_facts(outsider, CaseFilter({}))) == (0, True)
    theirs = count_summary(outsider, CaseFilter({}), ["country"])
    assert not theirs["exact"] and isinstance(theirs["total"], Suppressed)
