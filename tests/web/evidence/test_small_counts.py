"""Submissions of new Global Report figures refuse exact counts from 1 to 4 (issue 9, finding 10).

The Global Report publishes a count below 5 only as "<5" (``vinculo.evidence.Count``): a submitted
exact 1-4 would publish what small-cell protection hides. The file is refused with the row, the column
and the fix, and nothing is stored; "<5", 0 and counts of 5 or more pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vinculo.errors import VinculoError
from vinculo.evidence import COLUMNS, parse_glotip_rows
from vinculo.web.accounts.models import Organisation
from vinculo.web.core.models import Country
from vinculo.web.evidence import actions
from vinculo.web.evidence.models import FigureSubmission, GlotipFigure, SubmissionStatus

from ..conftest import World
from ..reports.conftest import GLOTIP_ROWS
from .conftest import figure_row, write_csv

VICTIMS = "Detected trafficking victims"


def _nld(value: str, year: int = 2023, category: str = "Total", dimension: str = "Total") -> list[str]:
    return figure_row(
        "NLD",
        "Netherlands (Kingdom of the)",
        "Europe",
        "Western Europe",
        VICTIMS,
        year,
        value,
        category=category,
        dimension=dimension,
    )


@pytest.fixture
def nld(world: World, tmp_path: Path) -> World:
    """The partner organisation acts for the Netherlands; a small export is the current release."""
    Organisation.objects.filter(pk=world.partner.pk).update(country=Country.objects.get(iso3="NLD"))
    for user in world.users.values():
        if user is not None:
            user.refresh_from_db()
    actions.import_release(write_csv(tmp_path / "export.csv", GLOTIP_ROWS), None)
    return world


def _upload(world: World, tmp_path: Path, rows: list[list[str]]) -> str:
    path = write_csv(tmp_path / "nld.csv", rows)
    response = world.client_for("partner_analyst").post(
        reverse("evidence:submission_create"),
        {"file": SimpleUploadedFile("nld.csv", path.read_bytes(), content_type="text/csv")},
    )
    assert response.status_code in (302, 400)  # refused files come back with 400 and the error summary
    return response.content.decode() if response.status_code == 400 else ""


@pytest.mark.parametrize("value", ["1", "2", "3", "4", " 4 ", "03"])
def test_an_exact_count_from_1_to_4_is_refused_with_the_cell_and_the_fix(
    nld: World, tmp_path: Path, value: str
) -> None:
    rows = [_nld("120"), _nld(value, dimension="by form of exploitation", category="Forced labour")]
    html = _upload(nld, tmp_path, rows)
    assert "row 3" in html and "txtVALUE" in html
    assert "exact count from 1 to 4" in html and "Write &quot;&lt;5&quot; in this cell" in html
    assert FigureSubmission.objects.count() == 0
    assert not GlotipFigure.objects.filter(submission__isnull=False).exists()


def test_suppressed_zero_and_larger_counts_are_accepted(nld: World, tmp_path: Path) -> None:
    rows = [
        _nld("1,300"),
        _nld("<5", dimension="by form of exploitation", category="Forced labour"),
        _nld("0", dimension="by form of exploitation", category="Organ removal"),
        _nld("5", dimension="by form of exploitation", category="Sexual exploitation"),
    ]
    assert _upload(nld, tmp_path, rows) == ""
    record = FigureSubmission.objects.get()
    assert record.n_records == 4 and record.status == SubmissionStatus.SUBMITTED


def test_every_small_cell_of_a_file_is_listed_at_once(nld: World) -> None:
    partner = nld.users["partner_analyst"]
    assert partner is not None
    text = "\n".join(
        ",".join(row)
        for row in [COLUMNS, _nld("2", 2022), _nld("9", 2023), _nld("4", 2024)]  # type: ignore[list-item]
    ).encode()
    with pytest.raises(VinculoError) as caught:
        actions.submit_figures(actor=partner, source=text, name="nld.csv")
    small = [i for i in caught.value.issues if i.code == "evidence.small_count"]
    assert [(i.location.row, i.value) for i in small] == [(2, "2"), (4, "4")]
    assert "<5" in (small[0].fix or "")


def test_typed_spreadsheet_cells_are_checked_like_text_and_exports_keep_their_rule() -> None:
    def row(value: object) -> tuple[int, tuple[object, ...]]:
        return (2, ("NLD", "Netherlands", "Europe", "Western Europe", VICTIMS, "Total", "Total", "Total",
                    "Total", 2023, "Counts", value, "GLOTIP"))  # fmt: skip

    for value in (3, 3.0, "3"):
        with pytest.raises(VinculoError) as caught:
            parse_glotip_rows([row(value)], refuse_small_counts=True)
        assert caught.value.issues[0].code == "evidence.small_count"
    # UNODC's own exports are read as they are (they never hold such counts).
    assert parse_glotip_rows([row(3)]).dataset.records[0].count.value == 3


def test_a_stored_submission_with_a_small_exact_count_is_not_published(nld: World, tmp_path: Path) -> None:
    assert _upload(nld, tmp_path, [_nld("1,300")]) == ""
    record = FigureSubmission.objects.get()
    # As stored before the rule: an exact 3 among its figures.
    GlotipFigure.objects.filter(submission=record).update(low=3, high=3)
    reviewer = nld.users["other_reviewer"]
    assert reviewer is not None
    actions.start_review(actor=reviewer, submission=record)
    with pytest.raises(VinculoError) as caught:
        actions.publish_submission(actor=reviewer, submission=record)
    assert caught.value.code == "evidence.small_count" and "<5" in str(caught.value)
    record.refresh_from_db()
    assert record.status == SubmissionStatus.UNDER_REVIEW
