"""Import of releases: bad files are refused whole, the same file twice changes nothing, and the CLI stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from vinculo.cli.glotip import glotip
from vinculo.errors import VinculoError
from vinculo.web.audit.models import AuditEntry
from vinculo.web.evidence.actions import import_release
from vinculo.web.evidence.models import GlotipFigure, GlotipRelease, ReleaseStatus

from .conftest import HEADER, figure_row, raw_rows, write_csv

CODES = {"NLD", "BEL", "NGA"}


def _state() -> tuple[int, int, int]:
    return GlotipRelease.objects.count(), GlotipFigure.objects.count(), AuditEntry.objects.count()


def _subset(tmp_path: Path, name: str = "subset_2025-04-14.csv", **kw: Any) -> Path:
    return write_csv(tmp_path / name, raw_rows(CODES), **kw)


def test_a_small_export_becomes_the_current_release_with_one_row_per_figure(
    tmp_path: Path, release: GlotipRelease
) -> None:
    path = _subset(tmp_path, banner=True)
    outcome = import_release(path, None)
    assert outcome.created
    new = outcome.release
    assert new.version == release.version + 1 and new.status == ReleaseStatus.CURRENT
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUPERSEDED
    rows = raw_rows(CODES)
    keys = {tuple(r[:1] + r[4:10]) for r in rows}
    assert GlotipFigure.objects.filter(release=new).count() == len(keys) == new.n_records
    assert new.export_date is not None and new.export_date.isoformat() == "2025-04-14"
    fig = GlotipFigure.objects.get(
        release=new,
        iso3="NLD",
        indicator="Detected trafficking victims",
        dimension="Total",
        category="Total",
        sex="Total",
        age="Total",
        year=2022,
    )
    text = next(
        r[11]
        for r in rows
        if r[0] == "NLD"
        and r[4] == "Detected trafficking victims"
        and r[5:9] == ["Total"] * 4
        and r[9] == "2022"
    )
    assert fig.low == fig.high == int(text.replace(",", "")) and fig.suppressed_cells == 0
    assert fig.region == "Europe" and fig.subregion == "Western Europe"
    entry = AuditEntry.objects.filter(object_type="evidence.glotiprelease", object_id=str(new.pk)).get()
    assert entry.action == "create" and entry.details["records"] == new.n_records


def test_suppressed_cells_are_stored_as_a_range_and_never_as_a_number(
    tmp_path: Path, release: GlotipRelease
) -> None:
    new = import_release(_subset(tmp_path), None).release
    rows = raw_rows(CODES)
    n_suppressed_keys = len({tuple(r[:1] + r[4:10]) for r in rows if r[11] == "<5"})
    suppressed = GlotipFigure.objects.filter(release=new, suppressed_cells__gt=0)
    assert suppressed.count() >= n_suppressed_keys // 2
    assert not suppressed.filter(low=5).exists()
    single = suppressed.filter(cells=1)
    assert single.exists() and set(single.values_list("low", "high").distinct()) == {(0, 4)}


def test_importing_the_same_file_again_changes_nothing(release: GlotipRelease, full_release: Any) -> None:
    from .conftest import glotip_file

    before = _state()
    outcome = import_release(glotip_file(), None)
    assert not outcome.created and outcome.release.pk == release.pk
    assert _state() == before


def test_the_xlsx_export_and_its_csv_are_the_same_release(release: GlotipRelease) -> None:
    pytest.importorskip("openpyxl")
    from .conftest import glotip_file

    path = glotip_file("data_glotip_2025-04-14.xlsx")
    before = _state()
    outcome = import_release(path.read_bytes(), None, name=path.name)
    assert not outcome.created and outcome.release.pk == release.pk
    assert _state() == before


BAD_CASES = {
    "missing column": (lambda rows: (rows, [h for h in HEADER if h != "Sex"]), "evidence.missing_columns"),
    "renamed column": (
        lambda rows: (rows, [("Value" if h == "txtVALUE" else h) for h in HEADER]),
        "evidence.missing_columns",
    ),
    "bad number": (
        lambda rows: ([*rows[:-1], [*rows[-1][:11], "12.5", "GLOTIP"]], HEADER),
        "evidence.invalid_export",
    ),
    "unknown country code": (
        lambda rows: ([*rows, ["XXZ", *rows[0][1:]]], HEADER),
        "evidence.invalid_export",
    ),
    "banner row below the data": (
        lambda rows: (
            [*rows, ["Source: UNODC Data Portal", "", "", "", "", "", "", "", "", "", "", "", ""]],
            HEADER,
        ),
        "evidence.invalid_export",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_a_bad_file_is_refused_whole_and_nothing_is_imported(
    tmp_path: Path, release: GlotipRelease, case: str
) -> None:
    make, code = BAD_CASES[case]
    rows, header = make(
        [
            figure_row("NLD", "Netherlands", "Europe", "Western Europe", "Persons convicted", y, "12")
            for y in (2020, 2021)
        ]
    )
    path = write_csv(tmp_path / "bad.csv", rows, header=header)
    before = _state()
    with pytest.raises(VinculoError) as info:
        import_release(path.read_bytes(), None, name="bad.csv")
    assert info.value.code == code
    assert info.value.issues or code != "evidence.invalid_export"
    assert _state() == before


def test_a_workbook_without_the_named_sheet_or_header_is_refused(
    tmp_path: Path, release: GlotipRelease
) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Notes"
    ws.append(["This workbook has no GLOTIP table"])
    path = tmp_path / "wrong.xlsx"
    wb.save(path)
    before = _state()
    with pytest.raises(VinculoError) as info:
        import_release(path, None)
    assert info.value.code == "evidence.no_header"
    with pytest.raises(VinculoError) as info:
        import_release(path, None, sheet="data_glotip")
    assert info.value.code == "evidence.no_such_sheet" and "Notes" in str(info.value)
    assert _state() == before


def test_the_cli_stores_a_file_through_the_action_and_keeps_the_check_only_mode(
    tmp_path: Path, release: GlotipRelease
) -> None:
    path = _subset(tmp_path)
    before = _state()
    checked = CliRunner().invoke(glotip, ["import", str(path)])
    assert checked.exit_code == 0, checked.output
    assert "content checksum" in checked.output and _state() == before
    stored = CliRunner().invoke(glotip, ["import", str(path), "--store"])
    assert stored.exit_code == 0, stored.output
    assert "Stored as release" in stored.output
    assert GlotipRelease.objects.count() == before[0] + 1
    again = CliRunner().invoke(glotip, ["import", str(path), "--store"])
    assert again.exit_code == 0 and "nothing changed" in again.output
    assert GlotipRelease.objects.count() == before[0] + 1
    bad = write_csv(
        tmp_path / "bad.csv",
        [figure_row("NLD", "Netherlands", "Europe", "Western Europe", "Persons convicted", 2020, "many")],
    )
    refused = CliRunner().invoke(glotip, ["import", str(bad), "--store"])
    assert refused.exit_code == 1 and "evidence.bad_number" in refused.output
