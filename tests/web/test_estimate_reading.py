"""The words of an estimate (vinculo.web.estimates.reading), independent of the page."""

from __future__ import annotations

import math

import pytest
from django.utils import translation

from vinculo.web.estimates import reading

pytestmark = pytest.mark.backend_independent


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (11284.0, 11300.0),
        (9349.6, 9350.0),
        (0.0, 0.0),
        (987654.0, 988000.0),
        (42.4, 42.4),
        (-1234.0, -1230.0),
    ],
)
def test_significant_digits(value: float, rounded: float) -> None:
    assert reading.significant(value) == pytest.approx(rounded)


def test_no_headline_without_a_usable_estimate() -> None:
    assert reading.headline({"estimate": None, "n_observed": 10}) is None
    assert reading.headline({"estimate": math.inf, "n_observed": 10}) is None
    assert reading.headline({"estimate": 0.0, "n_observed": 0}) is None


def test_the_headline_is_rounded_and_formatted_for_the_language() -> None:
    result = {
        "estimate": 11284.2,
        "n_observed": 2841,
        "interval": {"lower": 9312.0, "upper": 14888.0, "level": 0.95, "method": "wald_log"},
    }
    with translation.override("en"):
        h = reading.headline(result)
    assert h == {
        "estimate": "11,300",
        "observed": "2,841",
        "unlisted": "75%",
        "lower": "9,310",
        "upper": "14,900",
        "level": "95%",
    }
    with translation.override("fr"):
        h = reading.headline(result)
    assert h is not None and h["estimate"] == "11\u202f300" and h["unlisted"] == "75\xa0%"
    with translation.override("en"):
        strict = reading.headline(result | {"interval": result["interval"] | {"level": 0.999}})
    assert strict is not None and strict["level"] == "99.9%"
    with translation.override("en"):
        without = reading.headline({"estimate": 100.0, "n_observed": 100})
    assert without is not None and "lower" not in without and without["unlisted"] == "0%"


def test_each_interaction_names_its_lists_and_no_interaction_says_independent() -> None:
    with translation.override("en"):
        independent = reading.model_reading([], ["A", "B"])
        pairs = reading.model_reading(["Police:NGO", "A:B:C"], ["Police", "NGO", "A", "B", "C"])
        unknown = reading.model_reading(["X:Y"], ["A", "B"])
    assert len(independent) == 1 and "independent" in independent[0]
    assert pairs[0].startswith("Police and NGO: a victim on one of these lists")
    assert pairs[1].startswith("A, B, and C: these lists overlap")
    assert unknown[0].startswith("X:Y:")


def test_candidates_are_sorted_by_bic_and_the_chosen_one_is_marked() -> None:
    result = {
        "model_terms": ["b:c"],
        "candidates": [
            {"terms": [], "estimate": 200.0, "bic": 30.0, "aic": 25.0, "df": 3},
            {"terms": ["b:c"], "estimate": 250.0, "bic": 12.5, "aic": 10.0, "df": 2},
            {"terms": ["b:d"], "estimate": 240.0, "bic": None, "aic": None, "df": 2},
        ],
    }
    with translation.override("en"):
        rows = reading.candidate_rows(result)
    assert [r["terms"] for r in rows] == ["b × c", "main effects only", "b × d"]
    assert [r["chosen"] for r in rows] == [True, False, False]
    # Deltas are against the best candidate; a model without a criterion has none.
    assert [r["delta_bic"] for r in rows] == [0.0, 17.5, None]
    assert [r["delta_aic"] for r in rows] == [0.0, 15.0, None]
    # Results stored before candidates carried their own interval show none.
    assert all(r["lower"] is None and r["upper"] is None for r in rows)


def test_candidate_intervals_are_kept_only_when_both_bounds_are_finite() -> None:
    result = {
        "model_terms": [],
        "candidates": [
            {"terms": [], "estimate": 200.0, "bic": 3.0, "aic": 2.0, "df": 3, "lower": 150.0, "upper": 260.0},
            {
                "terms": ["A:B"],
                "estimate": 210.0,
                "bic": 4.0,
                "aic": 2.5,
                "df": 2,
                "lower": 160.0,
                "upper": None,
            },
        ],
    }
    rows = reading.candidate_rows(result)
    assert (rows[0]["lower"], rows[0]["upper"]) == (150.0, 260.0)
    assert (rows[1]["lower"], rows[1]["upper"]) == (None, None)


def test_terms_and_patterns_name_the_lists_in_full() -> None:
    assert reading.term_label("Police:Labour inspectorate") == "Police × Labour inspectorate"
    assert reading.pattern_label([1, 0, 1], ["Police", "NGO shelter", "Labour inspectorate"]) == (
        "Police + Labour inspectorate"
    )
    with translation.override("en"):
        assert reading.model_label([]) == "main effects only"
        assert reading.model_label(["A:B", "B:C"]) == "A × B, B × C"


def test_every_interval_method_has_a_reading_and_an_unknown_one_has_none() -> None:
    with translation.override("en"):
        for method in ("wald_log", "profile", "bca"):
            assert "assumptions" in reading.interval_reading({"interval": {"method": method}})
        assert reading.interval_reading({"interval": {"method": "none"}}) == ""
