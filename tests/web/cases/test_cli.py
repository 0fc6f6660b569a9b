"""``vinculo import`` (src/vinculo/cli/cases.py), run on a local click group inside the test database."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from vinculo.cli.cases import import_
from vinculo.web.cases.models import CaseRecord, Submission

from ..conftest import World
from .conftest import ROWS, csv_bytes


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> click.Group:
    monkeypatch.setattr("vinculo.cli.cases._setup", lambda settings: None)  # Django is already set up

    @click.group()
    def group() -> None:
        """Local group for the test."""

    group.add_command(import_)
    return group


def test_import_checks_and_imports_a_file_for_an_organisation(
    world: World, cli: click.Group, tmp_path: Path
) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(ROWS))
    result = CliRunner().invoke(
        cli, ["import", str(path), "--org", world.owner.name, "--sensitivity", "internal"]
    )
    assert result.exit_code == 0, result.output
    assert "3 new" in result.output
    assert CaseRecord.objects.filter(owner=world.owner, sensitivity="internal").count() == 3
    again = CliRunner().invoke(cli, ["import", str(path), "--org", str(world.owner.pk)])
    assert again.exit_code == 0 and "0 new" in again.output and "3 unchanged" in again.output


def test_import_rejects_a_file_with_invalid_rows_unless_valid_only(
    world: World, cli: click.Group, tmp_path: Path
) -> None:
    rows = [list(ROWS[0]), ["R9", "X", "Y", "Robot", "", "", "", "", "", "", "", "TRUE"]]
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows))
    rejected = CliRunner().invoke(cli, ["import", str(path), "--org", world.owner.name])
    assert rejected.exit_code == 1
    assert "bad.csv:3:prs_Gender: error htcds.invalid_value" in rejected.output
    assert CaseRecord.objects.count() == 0
    assert Submission.objects.get().status == "cancelled"
    accepted = CliRunner().invoke(cli, ["import", str(path), "--org", world.owner.name, "--valid-only"])
    assert accepted.exit_code == 0 and "1 quarantined" in accepted.output
    assert CaseRecord.objects.count() == 1


def test_import_explains_unusable_files_and_unknown_organisations(
    world: World, cli: click.Group, tmp_path: Path
) -> None:
    path = tmp_path / "secret.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    result = CliRunner().invoke(cli, ["import", str(path), "--org", world.owner.name])
    assert result.exit_code == 2 and "password" in result.output.lower()
    unknown = CliRunner().invoke(cli, ["import", str(path), "--org", "Nobody"])
    assert unknown.exit_code == 1 and "matches no organisation" in unknown.output
    assert Submission.objects.count() == 0
