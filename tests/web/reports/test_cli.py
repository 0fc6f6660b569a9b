"""``vinculo report`` (src/vinculo/cli/report.py), run on a local click group inside the test database."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from vinculo.cli.report import report

from .conftest import SECRET, YEAR, ReportWorld


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> click.Group:
    monkeypatch.setattr("vinculo.cli.report._setup", lambda settings: None)  # Django is already set up

    @click.group()
    def group() -> None:
        """Local group for the test."""

    group.add_command(report)
    return group


def test_the_sg_report_is_written_as_html_and_pdf(
    report_world: ReportWorld, cli: click.Group, tmp_path: Path
) -> None:
    html = tmp_path / "sg.html"
    result = CliRunner().invoke(
        cli, ["report", "sg", "--year", str(YEAR), "--lang", "ar", "--format", "html", "--output", str(html)]
    )
    assert result.exit_code == 0, result.output
    text = html.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in text and "1,200.50" in text and SECRET not in text
    assert str(html) in result.output and "HTML" in result.output
    pdf = tmp_path / "appraisal.pdf"
    result = CliRunner().invoke(
        cli, ["report", "appraisal", "--cycle", "2021", "--lang", "es", "-o", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_missing_cycle_or_a_wrong_language_is_refused(
    report_world: ReportWorld, cli: click.Group, tmp_path: Path
) -> None:
    missing = CliRunner().invoke(
        cli, ["report", "appraisal", "--cycle", "2019", "-o", str(tmp_path / "x.pdf")]
    )
    assert missing.exit_code == 1 and "no appraisal cycle 2019" in missing.output
    wrong = CliRunner().invoke(cli, ["report", "sg", "--year", "2024", "--lang", "de"])
    assert wrong.exit_code == 2 and "'de' is not one of" in wrong.output
    far = CliRunner().invoke(cli, ["report", "sg", "--year", "1200", "-o", str(tmp_path / "y.pdf")])
    assert far.exit_code == 1 and "year: 1200 is out of range" in far.output
    assert not (tmp_path / "x.pdf").exists()
