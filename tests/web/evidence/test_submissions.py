"""Member States submit yearly figures; reviewers publish them into a new release, or return them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vinculo.web.accounts.models import Organisation
from vinculo.web.audit.models import AuditEntry
from vinculo.web.core.models import Country
from vinculo.web.evidence.models import (
    FigureSubmission,
    GlotipFigure,
    GlotipRelease,
    ReleaseStatus,
    SubmissionStatus,
)

from ..conftest import World
from .conftest import figure_row, page_tables, write_csv

VICTIMS = "Detected trafficking victims"


@pytest.fixture
def nld_world(world: World, release: GlotipRelease) -> World:
    """The partner organisation (a Member State authority) acts for the Netherlands."""
    Organisation.objects.filter(pk=world.partner.pk).update(country=Country.objects.get(iso3="NLD"))
    world.partner.refresh_from_db()
    for user in world.users.values():
        if user is not None:
            user.refresh_from_db()
    return world


def _file(tmp_path: Path, rows: list[list[str]], name: str = "nld_2023.csv") -> SimpleUploadedFile:
    path = write_csv(tmp_path / name, rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def _nld(indicator: str, year: int, value: str, **kw: str) -> list[str]:
    return figure_row("NLD", "Netherlands", "Europe", "Western Europe", indicator, year, value, **kw)


def _submit(world: World, tmp_path: Path, rows: list[list[str]], who: str = "partner_analyst"):  # type: ignore[no-untyped-def]
    return world.client_for(who).post(reverse("evidence:submission_create"), {"file": _file(tmp_path, rows)})


def _review(world: World, pk: int, step: str, comments: str = "", who: str = "other_reviewer"):  # type: ignore[no-untyped-def]
    return world.client_for(who).post(
        reverse("evidence:submission_review", args=[pk]), {"step": step, "comments": comments}
    )


def _audit(pk: int) -> list[tuple[str, dict[str, object]]]:
    entries = AuditEntry.objects.filter(object_type="evidence.figuresubmission", object_id=str(pk)).order_by(
        "at", "id"
    )
    return [(e.action, e.details) for e in entries if e.action != "view"]


def test_published_figures_update_the_profile_in_a_new_release_and_the_old_one_stays(
    nld_world: World, tmp_path: Path, release: GlotipRelease
) -> None:
    rows = [
        _nld(VICTIMS, 2023, "1,234"),
        _nld(VICTIMS, 2023, "<5", sex="Other"),
        _nld(VICTIMS, 2023, "700", sex="Female"),
        _nld("Persons convicted", 2023, "41"),
    ]
    response = _submit(nld_world, tmp_path, rows)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = FigureSubmission.objects.get()
    assert record.status == SubmissionStatus.SUBMITTED and record.years == [2023]
    assert GlotipFigure.objects.filter(submission=record).count() == 4
    assert _review(nld_world, record.pk, "start_review").status_code == 302
    assert _review(nld_world, record.pk, "publish").status_code == 302
    record.refresh_from_db()
    assert record.status == SubmissionStatus.PUBLISHED and record.published_at is not None
    new = GlotipRelease.objects.get(status=ReleaseStatus.CURRENT)
    assert new.version == release.version + 1 and new.base_id == release.pk
    assert list(new.submissions.all()) == [record]
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUPERSEDED

    client = nld_world.client_for("anonymous")
    html = client.get(reverse("evidence:country", args=["NLD"])).content.decode()
    tables = page_tables(html)
    trend = {row[0]: row[1] for row in tables["trend"][1:]}
    assert trend["2023"] == "1,234"
    sex = tables["victims_by_sex"]
    row_2023 = next(r for r in sex if r[0] == "2023")
    assert row_2023[sex[0].index("Other")] == "<5" and row_2023[sex[0].index("Female")] == "700"
    assert f"Submission {record.pk} by {nld_world.partner.name}" in html
    old = client.get(
        reverse("evidence:country", args=["NLD"]) + f"?release={release.version}"
    ).content.decode()
    assert "2023" not in {row[0] for row in page_tables(old)["trend"]}
    assert "This is an earlier release" in old

    api = client.get(
        "/api/evidence/figures",
        {"country": "NLD", "year_from": 2022, "year_to": 2023, "indicator": VICTIMS, "dimension": "Total"},
    ).json()
    origins = {(f["year"], f["sex"], f["age"]): (f["release"], f["submission"]) for f in api["figures"]}
    assert origins[(2023, "Total", "Total")] == (None, record.pk)
    assert origins[(2022, "Total", "Total")] == (release.version, None)
    other = {(f["year"], f["sex"]): f["value"] for f in api["figures"]}
    assert other[(2023, "Other")] == {"suppressed": True}

    steps = _audit(record.pk)
    assert [a for a, _d in steps] == ["create", "update", "update"]
    assert steps[1][1] == {"from": "submitted", "to": "under_review"}
    assert steps[2][1]["to"] == "published" and steps[2][1]["release"] == new.version
    assert AuditEntry.objects.filter(
        object_type="evidence.glotiprelease", object_id=str(new.pk), action="create"
    ).exists()


def test_a_returned_submission_carries_the_comments_and_changes_no_release(
    nld_world: World, tmp_path: Path, release: GlotipRelease
) -> None:
    _submit(nld_world, tmp_path, [_nld(VICTIMS, 2023, "10")])
    record = FigureSubmission.objects.get()
    response = _review(nld_world, record.pk, "return", comments="")
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == SubmissionStatus.SUBMITTED
    _review(nld_world, record.pk, "return", comments="Please add the breakdown by sex.")
    record.refresh_from_db()
    assert record.status == SubmissionStatus.RETURNED and "breakdown by sex" in record.comments
    page = (
        nld_world.client_for("partner_analyst")
        .get(reverse("evidence:submission", args=[record.pk]))
        .content.decode()
    )
    assert "Please add the breakdown by sex." in page
    _review(nld_world, record.pk, "publish")
    record.refresh_from_db()
    assert record.status == SubmissionStatus.RETURNED
    assert GlotipRelease.objects.get(status=ReleaseStatus.CURRENT).pk == release.pk
    assert [a for a, _d in _audit(record.pk)] == ["create", "update"]


def test_figures_of_another_country_or_a_bad_file_are_refused_and_nothing_is_stored(
    nld_world: World, tmp_path: Path, release: GlotipRelease
) -> None:
    response = _submit(
        nld_world,
        tmp_path,
        [
            _nld(VICTIMS, 2023, "10"),
            figure_row("BEL", "Belgium", "Europe", "Western Europe", VICTIMS, 2023, "5"),
        ],
    )
    assert response.status_code == 400  # the form shown again, its error summary first
    assert "BEL" in response.content.decode() and "nothing was stored" in response.content.decode().lower()
    response = _submit(nld_world, tmp_path, [_nld(VICTIMS, 2023, "ten")])
    assert response.status_code == 400 and "txtVALUE" in response.content.decode()
    assert (
        FigureSubmission.objects.count() == 0
        and GlotipFigure.objects.filter(submission__isnull=False).count() == 0
    )


@pytest.mark.parametrize(
    ("who", "can_submit", "can_see", "can_review"),
    [
        ("anonymous", False, False, False),
        ("admin", False, True, True),
        ("owner_manager", False, False, False),
        ("owner_analyst", False, False, False),
        ("partner_analyst", True, True, False),
        ("other_analyst", False, False, False),
        ("other_reviewer", False, True, True),
    ],
)
def test_who_may_submit_see_and_review_figures(
    nld_world: World, tmp_path: Path, who: str, can_submit: bool, can_see: bool, can_review: bool
) -> None:
    _submit(nld_world, tmp_path, [_nld(VICTIMS, 2023, "10")])
    record = FigureSubmission.objects.get()
    client = nld_world.client_for(who)
    form = client.get(reverse("evidence:submission_create"))
    if who == "anonymous":
        assert form.status_code == 302
    else:
        assert form.status_code == (200 if can_submit else 404)
    detail = client.get(reverse("evidence:submission", args=[record.pk]))
    if who == "anonymous":
        assert detail.status_code == 302
    else:
        assert detail.status_code == (200 if can_see else 404)
    missing = client.get(reverse("evidence:submission", args=[record.pk + 1000]))
    assert missing.status_code == (302 if who == "anonymous" else 404)
    response = _review(nld_world, record.pk, "start_review", who=who)
    record.refresh_from_db()
    assert (record.status == SubmissionStatus.UNDER_REVIEW) == can_review
    if not can_review:
        assert response.status_code in (302, 404) and record.status == SubmissionStatus.SUBMITTED
