"""CI gate: a hypothesis fuzz of every CLI reader (CSV, XLSX, JSON, KoBo/ODK, mapping files, capture
histories) and of ``vinculo validate`` / ``vinculo estimate``: any bytes end in a VinculoError or a clear
message with exit status 1 or 2, never another exception or a traceback."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vinculo.cli import main
from vinculo.errors import VinculoError, VinculoWarning
from vinculo.htcds import SubmissionSettings, load_mapping, read_submission
from vinculo.mse import read_histories, read_strata
from vinculo.readers import read_table

from .fuzz_strategies import EXTENSIONS, file_bytes

FUZZ = settings(
    max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
CLI_FUZZ = settings(FUZZ, max_examples=50)


def _write(folder: str, data: bytes, ext: str) -> Path:
    path = Path(folder) / f"input{ext}"
    path.write_bytes(data)
    return path


@FUZZ
@given(data=file_bytes, ext=st.sampled_from(EXTENSIONS))
def test_read_table_raises_only_vinculo_errors(data: bytes, ext: str) -> None:
    try:
        list(read_table(data, name=f"input{ext}").rows)
    except VinculoError as exc:
        assert exc.code.startswith("readers.") and str(exc)


@FUZZ
@given(data=file_bytes, ext=st.sampled_from(EXTENSIONS))
def test_read_submission_raises_only_vinculo_errors(data: bytes, ext: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, data, ext)
        try:
            result = read_submission(path, settings=SubmissionSettings(keep_records=False))
        except VinculoError as exc:
            assert str(exc)
        else:
            assert result.n_records >= 0


@FUZZ
@given(data=file_bytes, ext=st.sampled_from([".csv", ".json", ".xlsx", ""]))
def test_load_mapping_raises_only_vinculo_errors(data: bytes, ext: str) -> None:
    try:
        load_mapping(data, name=f"mapping{ext}")
    except VinculoError as exc:
        assert exc.code and str(exc)


@FUZZ
@given(data=file_bytes, ext=st.sampled_from([".csv", ".tsv", ".json", ".xlsx", ""]))
def test_capture_history_readers_raise_only_vinculo_errors(data: bytes, ext: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, data, ext)
        for read in (read_histories, lambda p: read_strata(p, "A")):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", VinculoWarning)  # merged rows, ignored rows: not errors
                try:
                    read(path)
                except VinculoError as exc:
                    assert str(exc)


@pytest.mark.parametrize(
    "command", [["validate"], ["validate", "--format", "json"], ["estimate", "--method", "main", "--quiet"]]
)
@CLI_FUZZ
@given(data=file_bytes, ext=st.sampled_from([".csv", ".json", ".xlsx", ".tsv"]))
def test_the_cli_ends_any_input_with_a_message_and_exit_status(
    command: list[str], data: bytes, ext: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, data, ext)
        result = CliRunner().invoke(main, [command[0], str(path), *command[1:]])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output
    if result.exit_code:
        assert result.output.strip()


@FUZZ
@given(data=file_bytes)
def test_validate_with_any_mapping_file_ends_with_a_message(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        cases = _write(folder, b"Gender\nFeminine\n", ".csv")
        mapping = Path(folder) / "mapping.json"
        mapping.write_bytes(data)
        result = CliRunner().invoke(main, ["validate", str(cases), "--mapping", str(mapping)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2)
