from __future__ import annotations

import doctest
import importlib

import pytest

from vinculo.registry import SYNTHETIC_LABEL, SYNTHETIC_NOTE, check_programme, generate_programmes


def test_generated_programmes_are_labelled_valid_and_reproducible() -> None:
    rows = generate_programmes(60, ["NGA", "FRA", "MEX", "EGY"], seed=3)
    assert rows == generate_programmes(60, ["NGA", "FRA", "MEX", "EGY"], seed=3)
    for row in rows:
        assert row["title"].startswith(SYNTHETIC_LABEL)
        assert SYNTHETIC_NOTE in row["problem_statement"]
        assert check_programme(row) == [], row
        assert set(row["countries"]) <= {"NGA", "FRA", "MEX", "EGY"}


def test_several_languages_are_generated() -> None:
    languages = {row["original_language"] for row in generate_programmes(80, ["NGA"], seed=1)}
    assert {"en", "fr", "es", "ar"} <= languages


@pytest.mark.parametrize(
    "module",
    [
        "_budget",
        "_documents",
        "_evidence",
        "_period",
        "_query",
        "_synthetic",
        "_translations",
        "_vocabulary",
        "_workflow",
    ],
)
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"vinculo.registry.{module}"))
    assert result.failed == 0
