from __future__ import annotations

from vinculo.mse import check_existence, histories_from_counts


def three_lists(c: dict[str, int]) -> object:
    counts = [0] * 8
    for bits, n in c.items():
        counts[int(bits[::-1], 2)] = n  # "ABC" string, A is bit 0
    return histories_from_counts(["A", "B", "C"], counts)


def test_a_table_with_every_cell_positive_has_an_mle_for_the_pairwise_model() -> None:
    h = histories_from_counts(["A", "B", "C"], [0, 10, 12, 3, 9, 4, 5, 2])
    check = check_existence(h, ["A:B", "A:C", "B:C"])
    assert check.status == 0
    assert check.ok


def test_an_interaction_whose_lists_do_not_overlap_is_set_to_minus_infinity() -> None:
    h = three_lists({"100": 20, "010": 15, "001": 11, "110": 4, "011": 3})
    check = check_existence(h, ["A:C"])
    assert check.empty_terms == ("A:C",)
    assert check.status == 0


def test_the_saturating_pairwise_model_without_triples_is_not_identifiable_when_pairs_are_empty() -> None:
    h = three_lists({"100": 20, "010": 15, "001": 11, "110": 4})
    check = check_existence(h, ["A:B", "A:C", "B:C"])
    assert check.status == 2
    assert "not identifiable" in check.message
