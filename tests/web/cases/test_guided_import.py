"""The guided case import: templates, mapping step, preview, one clear choice, saved mappings, titles."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from vinculo.htcds import read_submission
from vinculo.web.audit.models import AuditEntry
from vinculo.web.cases.models import CaseRecord, SavedMapping, Submission, SubmissionStatus

from ..conftest import World

# A shelter's own layout: other column names, the official template's blank row-number column A,
# a day/month date that reads both ways, a near-miss code, a country given as a code in the place.
OWN = (
    b",Sex,Kind of exploitation,Referred on,Where exploited,Given name\n"
    b"1,Feminine,Forced labor,12/05/2021,FR,Zenobia\n"
    b"2,Masculine,SexualExploitation,2021-06-01,France,Ottoline\n"
    b"3,Feminine,ForcedLabour,2021-07-02,XX,Casimir\n"
)


def client_of(world: World) -> Client:
    return world.client_for("owner_manager")


def upload(world: World, data: bytes, name: str = "shelter.csv", **fields: object):  # type: ignore[no-untyped-def]
    payload: dict[str, object] = {"file": SimpleUploadedFile(name, data), "sensitivity": "restricted"}
    payload.update(fields)
    return client_of(world).post(reverse("cases:submit"), payload)


def test_the_upload_page_offers_templates_and_a_synthetic_example_that_read_back(world: World) -> None:
    client = client_of(world)
    page = client.get(reverse("cases:submit")).content.decode()
    for url in (
        reverse("cases:template", args=["xlsx"]),
        reverse("cases:template", args=["csv"]),
        reverse("cases:example"),
    ):
        assert url in page
    xlsx = client.get(reverse("cases:template", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["Case Sheet", "Codes", "About"]
    sheet = wb["Case Sheet"]
    header = [c.value for c in sheet[1]]
    assert "vic_TypeOfExploitation" in header and "prs_Gender" in header
    codes = {(r[0], r[1]) for r in wb["Codes"].iter_rows(min_row=2, values_only=True)}
    assert ("vic_TypeOfExploitation", "ForcedLabour") in codes
    template = read_submission(xlsx.content, name="t.xlsx")
    assert template.ok and template.label_row == 2 and template.n_records == 0
    assert read_submission(client.get(reverse("cases:template", args=["csv"])).content, name="t.csv").ok
    assert client.get(reverse("cases:template", args=["pdf"])).status_code == 404
    example = client.get(reverse("cases:example")).content
    assert b"SYNTHETIC-" in example and b"is_synthetic" in example
    sub = read_submission(example, name="example.csv")
    assert sub.ok and sub.n_records > 0
    assert all(r.extra and r.extra.get("is_synthetic") == "TRUE" for r in sub.records)
    # others than data managers get nothing
    assert world.client_for("owner_analyst").get(reverse("cases:example")).status_code == 404


def test_upload_mapping_preview_choice_import_and_a_saved_mapping_reused(world: World) -> None:
    client = client_of(world)
    response = upload(world, OWN)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.READY
    page = client.get(response["Location"]).content.decode()
    assert "How the columns were read" in page and "Kind of exploitation" in page
    assert "No header: row numbers are ignored" in page
    mapping_url = reverse("cases:mapping", args=[submission.pk])
    assert mapping_url in page
    form = client.get(mapping_url).content.decode()
    assert 'name="col_1"' in form and 'name="col_0"' not in form  # the row-number column is not mapped

    chosen = {
        "col_1": "prs_Gender",
        "col_2": "vic_TypeOfExploitation",
        "col_3": "cas_IncomingReferralDate",
        "col_4": "vic_LocationOfExploitation",
        "col_5": "prs_FirstName",
    }
    # Two columns mapped to one field: refused on the page, nothing changed.
    clash = client.post(mapping_url, {**chosen, "col_2": "prs_Gender"})
    assert clash.status_code == 400 and "are both mapped to prs_Gender" in clash.content.decode()
    assert not SavedMapping.objects.exists()

    done = client.post(mapping_url, {**chosen, "save_as": "Shelter export"})
    assert done.status_code == 302
    submission.refresh_from_db()
    saved = SavedMapping.objects.get()
    assert saved.owner_id == world.owner.pk and saved.columns["Sex"] == "prs_Gender"
    assert AuditEntry.objects.filter(object_type="cases.savedmapping", action="create").count() == 1
    assert AuditEntry.objects.filter(object_type="cases.submission", details__remapped=True).count() == 1
    codes = {i["code"] for i in submission.issues}
    assert {"htcds.ambiguous_date", "htcds.invalid_value", "htcds.invalid_country"} <= codes
    messages = " ".join(i["message"] for i in submission.issues)
    assert "Did you mean ForcedLabour (Forced labour)?" in messages
    assert "12 May 2021 (day first)" in messages and "5 December 2021 (month first)" in messages
    assert all(
        i.get("fix") and i["location"].get("row") for i in submission.issues if i["severity"] == "error"
    )
    assert submission.n_records == 3 and submission.n_invalid == 2

    page = client.get(reverse("cases:submission", args=[submission.pk])).content.decode()
    assert "Preview of the first rows" in page
    assert "Zenobia" not in page and "Ottoline" not in page  # protected values masked in the preview
    assert "Female" in page or "Feminine" in page
    assert "Import the 1 valid row(s), quarantine 2" in page and "Import the 3 record(s)" not in page

    # Choose day first: the date is no longer ambiguous.
    client.post(mapping_url, {**chosen, "date_order": "DMY"})
    submission.refresh_from_db()
    assert "htcds.ambiguous_date" not in {i["code"] for i in submission.issues}
    assert submission.date_order == "DMY" and submission.n_invalid == 2  # labor, XX

    client.post(reverse("cases:confirm", args=[submission.pk]), {"valid_only": "on"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.COMMITTED and submission.n_created == 1
    case = CaseRecord.objects.get()
    assert case.country == "FR"  # "France" in the place field
    listing = client.get(reverse("cases:list")).content.decode()
    assert "Case 3 of shelter.csv (uploaded " in listing and "row:" not in listing
    assert "France" in listing
    assert CaseRecord.objects.filter(country="FR").count() == 1
    filtered = client.get(reverse("cases:list") + "?country=FR").content.decode()
    assert "Case 3 of shelter.csv" in filtered

    # Next upload: the saved mapping reads the same layout at once.
    again = upload(world, OWN, name="shelter-2.csv", saved_mapping=str(saved.pk), date_order="DMY")
    assert again.status_code == 302
    second = Submission.objects.get(file_name="shelter-2.csv")
    assert second.saved_mapping_id == saved.pk and second.mapping_name == "Shelter export"
    assert {c["header"]: c["field"] for c in second.columns}[
        "Kind of exploitation"
    ] == "vic_TypeOfExploitation"


def test_a_file_without_errors_offers_one_import_button_and_all_errors_only_fix(world: World) -> None:
    client = client_of(world)
    good = upload(world, b"prs_Gender,hte_Country\nFeminine,PH\n")
    page = client.get(good["Location"]).content.decode()
    assert "Import the 1 record(s)" in page and "Fix the file and upload it again" not in page
    bad = upload(world, b"prs_Gender,hte_Country\nRobot,XX\n", name="bad.csv")
    page = client.get(bad["Location"]).content.decode()
    assert "nothing to import" in page and "Import the" not in page
    submission = Submission.objects.get(file_name="bad.csv")
    fixed = client.post(reverse("cases:cancel", args=[submission.pk]), {"then": "upload"})
    assert fixed["Location"] == reverse("cases:submit")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CANCELLED


def test_another_organisations_saved_mapping_cannot_be_used(world: World) -> None:
    other = SavedMapping.objects.create(owner=world.other, name="theirs", columns={"Sex": "prs_Gender"})
    response = upload(world, OWN, saved_mapping=str(other.pk))
    assert response.status_code == 400 and not Submission.objects.exists()
    assert "Select a valid choice" in response.content.decode()
