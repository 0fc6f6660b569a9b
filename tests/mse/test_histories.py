from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vinculo.errors import SparseDataWarning, VinculoError, VinculoWarning
from vinculo.mse import histories_from_counts, histories_from_records, read_histories, read_strata


def write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reading_a_table_keeps_lists_in_header_order_and_counts_by_bit_mask(tmp_path: Path) -> None:
    h = read_histories(write(tmp_path, "A,B,C,count\n1,0,0,5\n0,1,1,2\n1,1,1,1\n"))
    assert h.lists == ("A", "B", "C")
    assert h.n_observed == 8
    assert h.counts[0b001] == 5
    assert h.counts[0b110] == 2
    assert h.counts[0b111] == 1
    assert h.overlap((1, 2)) == 3
    assert list(h.list_totals()) == [6, 3, 3]


def test_reading_the_same_table_twice_gives_the_same_checksum(tmp_path: Path) -> None:
    a = read_histories(write(tmp_path, "A,B,count\n1,0,5\n0,1,2\n1,1,1\n"))
    b = read_histories(write(tmp_path, "A;B;count\n1;1;1\n0;1;2\n1;0;5\n", "u.csv"))
    assert a.sha256 == b.sha256
    assert len(a.sha256) == 64


def test_values_other_than_zero_or_one_are_reported_with_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(VinculoError) as err:
        read_histories(write(tmp_path, "A,B,count\n1,0,5\n2,1,3\n1,yes,1\n"))
    assert err.value.code == "mse.bad_membership"
    rows = [(i.location.row, i.location.column) for i in err.value.issues]
    assert rows == [(3, "A"), (4, "B")]
    assert "0 or 1" in str(err.value)


@pytest.mark.parametrize("bad", ["-1", "2.5", "many"])
def test_negative_or_non_integer_counts_are_rejected(tmp_path: Path, bad: str) -> None:
    with pytest.raises(VinculoError) as err:
        read_histories(write(tmp_path, f"A,B,count\n1,0,5\n0,1,{bad}\n1,1,1\n"))
    assert err.value.code == "mse.bad_count"
    assert err.value.issues[0].location.row == 3
    assert err.value.issues[0].location.column == "count"


def test_whole_numbers_written_as_decimals_are_accepted(tmp_path: Path) -> None:
    h = read_histories(write(tmp_path, "A,B,count\n1,0,5.0\n0,1,2\n1,1,1\n"))
    assert h.counts[1] == 5


def test_duplicated_histories_are_merged_with_a_warning(tmp_path: Path) -> None:
    with pytest.warns(VinculoWarning, match="repeats the capture history"):
        h = read_histories(write(tmp_path, "A,B,count\n1,0,5\n0,1,2\n1,0,3\n1,1,1\n"))
    assert h.counts[0b01] == 8
    assert any("repeats" in n for n in h.notes)


def test_an_all_zero_history_is_ignored_with_a_warning(tmp_path: Path) -> None:
    with pytest.warns(SparseDataWarning, match="on no list"):
        h = read_histories(write(tmp_path, "A,B,count\n0,0,9\n1,0,5\n0,1,2\n1,1,1\n"))
    assert h.n_observed == 8


def test_fewer_than_two_lists_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(VinculoError) as err:
        read_histories(write(tmp_path, "A,count\n1,5\n"))
    assert err.value.code == "mse.too_few_lists"


def test_more_than_fifteen_lists_is_an_error(tmp_path: Path) -> None:
    header = ",".join(f"L{i}" for i in range(16)) + ",count\n"
    row = ",".join("1" for _ in range(16)) + ",1\n"
    with pytest.raises(VinculoError) as err:
        read_histories(write(tmp_path, header + row))
    assert err.value.code == "mse.too_many_lists"
    assert "Merge" in str(err.value)


def test_a_list_with_no_cases_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(VinculoError) as err:
        read_histories(write(tmp_path, "A,B,C,count\n1,0,0,5\n0,1,0,2\n1,1,0,1\n"))
    assert err.value.code == "mse.empty_list"
    assert "'C'" in str(err.value)


def test_a_missing_count_column_is_an_error_that_says_what_to_add(tmp_path: Path) -> None:
    with pytest.raises(VinculoError) as err:
        read_histories(write(tmp_path, "A,B,n\n1,0,5\n"))
    assert err.value.code == "mse.missing_count_column"
    assert '"count"' in str(err.value)


def test_an_empty_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(VinculoError) as err:
        read_histories(write(tmp_path, ""))
    assert err.value.code == "mse.empty_table"


def test_a_header_without_rows_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(VinculoError) as err:
        read_histories(write(tmp_path, "A,B,count\n"))
    assert err.value.code == "mse.empty_table"


def test_rows_without_a_count_column_are_records_counted_one_each() -> None:
    rows = [{"A": 1, "B": 0}, {"A": 1, "B": 0}, {"A": 0, "B": 1}, {"A": 1, "B": 1}]
    h = read_histories(rows, count_column=None)
    assert h.counts[0b01] == 2
    assert h.n_observed == 4


def test_records_given_as_list_names_are_counted() -> None:
    h = histories_from_records([["A"], ["A", "B"], ["B"], ["B"]], lists=["A", "B"])
    assert h.rows() == [((1, 0), 1), ((0, 1), 2), ((1, 1), 1)]


def test_records_naming_an_unknown_list_are_rejected() -> None:
    with pytest.raises(VinculoError) as err:
        histories_from_records([["A"], ["Z"]], lists=["A", "B"])
    assert err.value.code == "mse.unknown_list"


def test_counts_can_be_reindexed_with_list_zero_as_most_significant_bit() -> None:
    h = histories_from_counts(["A", "B", "C"], [0, 1, 2, 3, 4, 5, 6, 7])
    msb = h.counts_msb()
    # cell A only: bit 0 in vinculo's order, 0b100 with list 0 as the most significant bit
    assert msb[0b100] == h.counts[0b001] == 1
    assert msb[0b011] == h.counts[0b110] == 6


def test_strata_are_split_by_a_column_and_the_column_is_not_a_list(tmp_path: Path) -> None:
    text = "year,A,B,count\n2020,1,0,5\n2020,0,1,4\n2020,1,1,2\n2021,1,0,7\n2021,0,1,3\n2021,1,1,1\n"
    strata = read_strata(write(tmp_path, text), "year")
    assert list(strata) == ["2020", "2021"]
    assert strata["2020"].lists == ("A", "B")
    assert strata["2021"].n_observed == 11


def test_reference_files_are_read_with_their_published_totals(mse_data: Path) -> None:
    expected = {"UKdat": 2744, "NewOrl": 185, "NewOrl_186": 186, "Korea": 123, "Ned": 8234, "Kosovo": 4400}
    for stem, total in expected.items():
        assert read_histories(mse_data / f"{stem}.csv").n_observed == total


def test_counts_are_read_only() -> None:
    h = histories_from_counts(["A", "B"], [0, 3, 2, 1])
    with pytest.raises(ValueError):
        h.counts[1] = 9
    assert np.array_equal(h.counts, [0, 3, 2, 1])


def test_errors_in_a_stratum_name_the_file_row_and_stratum(tmp_path: Path) -> None:
    text = "year,A,B,count\n2020,1,0,5\n2021,1,0,7\n2020,0,7,4\n2020,1,1,2\n2021,0,1,3\n2021,1,1,1\n"
    with pytest.raises(VinculoError) as err:
        read_strata(write(tmp_path, text), "year")
    issue = err.value.issues[0]
    assert issue.location.row == 4
    assert issue.location.column == "B"
    assert "year=2020" in str(issue.location.file)
