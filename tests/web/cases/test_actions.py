"""Submitting, checking and importing case files (src/vinculo/web/cases/actions.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from vinculo.errors import VinculoError
from vinculo.web.audit.models import AuditEntry
from vinculo.web.cases import actions
from vinculo.web.cases.models import CaseRecord, CaseVersion, Submission, SubmissionContent, SubmissionStatus
from vinculo.web.cases.protection import keyring, open_protected
from vinculo.web.cases.services import unseal_bytes

from ..conftest import World
from .conftest import ROWS, by_source_id, csv_bytes, manager, source_ids, submit, submit_and_import


def test_a_small_file_is_checked_at_once_and_waits_for_confirmation(world: World) -> None:
    submission = submit(world)
    assert submission.status == SubmissionStatus.READY
    assert submission.n_records == 3 and submission.n_invalid == 0
    assert submission.counts_by_entity["person"] == 3
    assert CaseRecord.objects.count() == 0
    entry = AuditEntry.objects.filter(object_type="cases.submission", action="create").get()
    assert entry.details["records"] == 3


def test_confirming_imports_every_record_with_owner_sensitivity_and_submission(world: World) -> None:
    submission = submit_and_import(world, sensitivity="internal")
    assert submission.status == SubmissionStatus.COMMITTED
    assert submission.n_created == 3
    records = CaseRecord.objects.order_by("pk")
    assert source_ids() == ["id:R1", "id:R2", "id:R3"]
    assert [by_source_id(f"id:R{n}") for n in (1, 2, 3)] == list(records)
    assert {r.owner_id for r in records} == {world.owner.pk}
    assert {r.sensitivity for r in records} == {"internal"}
    assert {r.submission_id for r in records} == {submission.pk}
    assert [r.consent_to_share for r in records] == [True, False, True]
    first = records[0]
    assert first.country == "PL" and first.citizenship == "|UA|" and first.year == 2021
    assert first.age_group == "24-26" and first.exploitation == "|ForcedLabour|"
    assert first.control == "|DebtBondage|TakesEarnings|"
    assert open_protected(first.protected)["prs_FirstName"] == "Zenobia"
    assert SubmissionContent.objects.get(submission=submission).upload == ""


def test_the_database_holds_no_plaintext_name(world: World) -> None:
    submit_and_import(world)
    table = CaseRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        raw = repr(cursor.fetchall())
        cursor.execute(f"SELECT * FROM {SubmissionContent._meta.db_table}")
        raw += repr(cursor.fetchall())
        cursor.execute(f"SELECT * FROM {AuditEntry._meta.db_table}")
        raw += repr(cursor.fetchall())
    for name in ("Zenobia", "Quillfeather", "Ottoline", "Marchbanks", "Casimir", "Thistlewood"):
        assert name not in raw
        assert name.lower() not in raw.lower()
    assert "UA" in raw  # non-protected browsing columns are readable


def test_reimporting_the_same_file_creates_no_duplicates(world: World) -> None:
    submit_and_import(world)
    again = submit_and_import(world)
    assert (again.n_created, again.n_changed, again.n_unchanged) == (0, 0, 3)
    assert CaseRecord.objects.count() == 3
    assert CaseVersion.objects.count() == 0


def test_a_changed_record_with_the_same_id_becomes_a_new_version(world: World) -> None:
    first = submit_and_import(world)
    rows = [list(r) for r in ROWS]
    rows[0][2] = "Quillfeather-Smith"
    rows[1][3] = "Feminine"
    second = submit_and_import(world, csv_bytes(rows))
    assert (second.n_created, second.n_changed, second.n_unchanged) == (0, 2, 1)
    record = by_source_id("id:R1")
    assert record.version == 2 and record.submission_id == second.pk
    assert open_protected(record.protected)["prs_SecondName"] == "Quillfeather-Smith"
    old = CaseVersion.objects.get(case=record)
    assert old.version == 1 and old.submission_id == first.pk
    assert open_protected(old.protected)["prs_SecondName"] == "Quillfeather"
    assert by_source_id("id:R2").sex == "Feminine"
    assert second.number == first.number + 1


BAD = [
    list(ROWS[0]),
    ["R9", "Ximena", "Oddbody", "Robot", "", "", "", "2021-13-45", "", "Nonsense", "", "TRUE"],
]


def test_a_file_with_an_invalid_row_is_rejected_whole_by_default(world: World) -> None:
    submission = submit(world, csv_bytes(BAD))
    assert submission.status == SubmissionStatus.READY and submission.n_invalid == 1
    assert submission.invalid_rows == [3]
    with pytest.raises(VinculoError) as caught:
        actions.confirm_submission(actor=manager(world), submission=submission)
    assert caught.value.code == "cases.invalid_rows"
    assert "rejected whole" in str(caught.value)
    assert CaseRecord.objects.count() == 0
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.READY


def test_valid_only_import_keeps_the_rejected_rows_in_an_encrypted_quarantine(world: World) -> None:
    submission = submit_and_import(world, csv_bytes(BAD), valid_only=True)
    assert (submission.n_created, submission.n_quarantined) == (1, 1)
    assert source_ids() == ["id:R1"]
    token = SubmissionContent.objects.get(submission=submission).quarantine
    assert token and "Ximena" not in token
    text = unseal_bytes(token, keyring()).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("source_row,problems,record_id,prs_FirstName")
    assert lines[1].startswith("3,") and "Ximena" in lines[1] and "htcds.invalid" in lines[1]


def test_problems_never_carry_the_value_of_a_protected_field(world: World) -> None:
    rows = [["R1", "Zenobia", "1977-31-31", "TRUE"]]
    submission = submit(
        world, csv_bytes(rows, ["record_id", "prs_FirstName", "prs_Birthdate", "con_Consent"])
    )
    assert submission.n_errors == 1 and submission.invalid_rows == [2]
    (issue,) = [i for i in submission.issues if i["severity"] == "error"]
    assert issue["location"]["field"] == "prs_Birthdate"
    assert "value" not in issue
    assert "1977" not in repr(submission.issues)


def test_stored_problems_keep_field_row_code_and_message_but_no_value_that_may_identify_a_person(
    world: World,
) -> None:
    """Issue 9, finding 10: invalid values of non-protected fields were kept in the problem list."""
    header = ["record_id", "prs_Gender", "prs_Citizenship", "vic_AgeWhenTrafficked", "cas_IncomingReferralDate",
              "cas_OutgoingReferralDate", "vic_TypeOfExploitation", "prs_Email", "con_Consent"]  # fmt: skip
    rows = [["R1", "Zenobia Quillfeather", "Quillhaven", "Zenobia", "Quillfeather 2021", "2020-01-01",
             "ForcedLabour Quillfeather", "zenobia@quill", "TRUE"],
            ["R2", "Feminine", "UA", "24", "2021-05-06", "2021-01-01", "ForcedLabour", "", "Quillfeather"]]  # fmt: skip
    submission = submit(world, csv_bytes(rows, header))
    errors = {(i["location"]["row"], i["location"]["field"]): i for i in submission.issues}
    for key in [(2, "prs_Gender"), (2, "prs_Citizenship"), (2, "vic_AgeWhenTrafficked"),
                (2, "cas_IncomingReferralDate"), (2, "vic_TypeOfExploitation"), (3, "con_Consent")]:  # fmt: skip
        issue = errors[key]
        assert issue["code"].startswith("htcds.") and issue["message"].startswith(key[1]), issue
        assert "value" not in issue
    assert (3, "cas_OutgoingReferralDate") in errors
    stored = repr(Submission.objects.filter(pk=submission.pk).values_list("issues", "error").get())
    for secret in ("Zenobia", "Quillfeather", "Quillhaven", "zenobia@quill", "2021-05-06", "2021-01-01"):
        assert secret.casefold() not in stored.casefold(), secret
    client = world.client_for("owner_manager")
    for url in (
        reverse("cases:submission", args=[submission.pk]),
        reverse("cases:problems", args=[submission.pk]),
        f"/api/cases/submissions/{submission.pk}/problems",
    ):
        text = client.get(url).content.decode("utf-8-sig")
        assert "prs_Gender" in text and "Quillfeather" not in text and "Zenobia" not in text, url


def test_the_command_line_validator_still_quotes_values_to_the_person_holding_the_file() -> None:
    from vinculo.htcds import read_submission

    parsed = read_submission(
        csv_bytes([["R1", "Robot", "TRUE"]], ["record_id", "prs_Gender", "con_Consent"]), name="f.csv"
    )
    (issue,) = [i for i in parsed.issues if i.severity == "error"]
    assert issue.value == "Robot" and "'Robot'" in issue.message


def test_a_submission_cannot_be_imported_twice(world: World) -> None:
    submission = submit_and_import(world)
    with pytest.raises(VinculoError) as caught:
        actions.confirm_submission(actor=manager(world), submission=Submission.objects.get(pk=submission.pk))
    assert caught.value.code == "cases.not_ready"


def test_records_shared_at_submission_are_shared_with_the_partner(world: World) -> None:
    submit_and_import(world, shared_with=[world.partner])
    for record in CaseRecord.objects.all():
        assert list(record.shared_with.values_list("pk", flat=True)) == [world.partner.pk]


def test_cancelling_deletes_the_stored_upload(world: World) -> None:
    submission = submit(world)
    actions.cancel_submission(actor=manager(world), submission=submission)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CANCELLED
    assert SubmissionContent.objects.get(submission=submission).upload == ""


def test_ids_hashed_from_rows_are_keyed_so_a_guessed_row_cannot_be_tested(world: World) -> None:
    from django.test import override_settings

    from vinculo.htcds import SubmissionSettings, read_submission

    from .conftest import HEADER

    header = [h for h in HEADER if h != "record_id"]
    rows = [row[1:] for row in ROWS]
    data = csv_bytes(rows, header)
    submit_and_import(world, data)
    stored = set(source_ids())
    unkeyed = read_submission(data, name="cases.csv", settings=SubmissionSettings(keep_records=True))
    guessed = {r.source_record_id for r in unkeyed.records}
    assert len(stored) == 3 and not stored & guessed
    with override_settings(SECRET_KEY="another-secret-key-0123456789abcdef0123456789abcdef"):
        from vinculo.web.cases.services import submission_settings

        other = read_submission(data, name="cases.csv", settings=submission_settings())
    assert not {r.source_record_id for r in other.records} & stored


def test_content_hashes_do_not_change_when_a_new_encryption_key_is_put_first(world: World) -> None:
    from django.test import override_settings

    from vinculo.protect import generate_key
    from vinculo.web.cases.models import CaseRecord

    submit_and_import(world)
    from django.conf import settings

    keys = list(settings.VINCULO_ENCRYPTION_KEYS)
    with override_settings(VINCULO_ENCRYPTION_KEYS=[generate_key(), *keys]):
        again = submit_and_import(world)
    assert (again.n_created, again.n_changed, again.n_unchanged) == (0, 0, 3)
    assert CaseRecord.objects.filter(version=1).count() == 3


def test_a_new_submission_narrows_or_widens_access_of_unchanged_records_and_says_so(world: World) -> None:
    first = submit_and_import(world, sensitivity="public")
    assert set(CaseRecord.objects.values_list("sensitivity", flat=True)) == {"public"}
    again = submit_and_import(world, sensitivity="restricted", shared_with=[world.partner])
    assert (again.n_created, again.n_changed, again.n_unchanged) == (0, 0, 3)
    assert set(CaseRecord.objects.values_list("sensitivity", flat=True)) == {"restricted"}
    for record in CaseRecord.objects.all():
        assert list(record.shared_with.values_list("pk", flat=True)) == [world.partner.pk]
    entry = AuditEntry.objects.filter(action="permission_change", object_type="cases.caserecord").latest("id")
    assert entry.details["records"] == 3 and entry.details["sensitivity"] == "restricted"
    assert entry.details["shared_with"] == [world.partner.pk]
    unshared = submit_and_import(world, sensitivity="restricted")
    assert unshared.n_unchanged == 3
    assert not CaseRecord.shared_with.through.objects.exists()
    assert first.pk != again.pk
