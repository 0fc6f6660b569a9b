from __future__ import annotations

import pytest

from vinculo.charts import SUPPRESSED, data_table, histogram_table
from vinculo.errors import VinculoError


def test_data_table_has_header_and_one_row_per_category() -> None:
    rows = data_table(["Female", "Male", "Unknown"], [1200, SUPPRESSED, None], value_header="Victims")
    assert rows == [
        ["Category", "Victims"],
        ["Female", "1,200"],
        ["Male", "<5 suppressed"],
        ["Unknown", "no data"],
    ]


def test_data_table_of_series_has_one_column_per_series() -> None:
    rows = data_table([2020, 2021], {"F": [1, 2], "M": [3, None]}, category_header="Year", unit="cases")
    assert rows[0] == ["Year", "F", "M"]
    assert rows[2] == ["2021", "2 cases", "no data"]


def test_data_table_leaves_escaping_to_the_template() -> None:
    rows = data_table(["<b>"], [1])
    assert rows[1][0] == "<b>"


def test_data_table_length_mismatch_raises() -> None:
    with pytest.raises(VinculoError):
        data_table(["a"], [1, 2])


def test_histogram_table_lists_bins() -> None:
    rows = histogram_table([1.0, 2.0, 3.0, 4.0], bins=2)
    assert rows[0] == ["From", "To", "Count"]
    assert [r[2] for r in rows[1:]] == ["2", "2"]
