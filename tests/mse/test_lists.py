from __future__ import annotations

import pytest

from vinculo.errors import VinculoError
from vinculo.mse import histories_from_lists, histories_from_records


def test_lists_of_identifiers_give_the_same_histories_as_the_records_they_describe() -> None:
    lists = {"A": ["x1", "x2", "x3", "x4"], "B": ["x2", "x5"], "C": ["x3", "x2", "x6"]}
    from_lists = histories_from_lists(lists)
    records = [["A"], ["A", "B", "C"], ["A", "C"], ["A"], ["B"], ["C"]]
    assert from_lists.lists == ("A", "B", "C")
    assert from_lists.rows() == histories_from_records(records, ["A", "B", "C"]).rows()
    assert from_lists.n_observed == 6


def test_identifiers_match_ignoring_case_spacing_and_repeats() -> None:
    h = histories_from_lists({"Police": [" AB-1 ", "ab-1", "cd 2"], "NGO": ["Ab-1", "CD  2", ""]})
    assert h.rows() == [((1, 1), 2)]


def test_a_list_without_identifiers_is_named_in_the_error() -> None:
    with pytest.raises(VinculoError) as info:
        histories_from_lists({"Police": ["a"], "Shelter": ["", "  "]}, source="upload")
    assert info.value.code == "mse.empty_list"
    assert 'list "Shelter"' in str(info.value.issues[0])
