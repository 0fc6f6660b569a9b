"""The trained trusted model corrected from the data: anchored birth gaps, namesake u, lambda by EM,
and the name columns that find swapped orders."""

from __future__ import annotations

import math

import numpy as np
import pytest

from vinculo.linkage import _trusted_fit as fit
from vinculo.linkage import _trusted_model as model
from vinculo.linkage.model import Person

pytest.importorskip("duckdb")


def _anchors(n: int, *, gap: int = 0) -> list[Person]:
    """``n`` persons on two records each sharing an identity number; the second record's birth
    year ``gap`` years off."""
    out = []
    for i in range(n):
        for side, shift in (("a", 0), ("b", gap)):
            out.append(
                Person(
                    source=side,
                    record_id=f"anchor{i}",
                    given=(f"given{i}",),
                    family=(f"family{i}",),
                    birth_year=1960 + i % 30 + shift,
                    identity_number=f"ID{i:04d}",
                )
            )
    return out


def _namesakes(n: int, *, citizenship: str = "UA", street: str = "") -> list[Person]:
    """``n`` different persons with one name, born 7 years apart each (clear namesakes)."""
    return [
        Person(
            source="c",
            record_id=f"ns{i}",
            given=("ivan",),
            family=("petrenko",),
            birth_year=1930 + 7 * i,
            birth_month=1 + i % 12,
            birth_day=1 + i % 28,
            citizenship=citizenship,
            street=street,
        )
        for i in range(n)
    ]


def _table(persons: list[Person]):
    from vinculo.linkage.trusted import _arrow_table

    return _arrow_table(model.record_table(persons))


def _level(label: str, m: float, u: float, **extra: object) -> dict[str, object]:
    return {"label_for_charts": label, "m_probability": m, "u_probability": u, **extra}


def _model(far_m: float = 0.17) -> dict[str, object]:
    """A trained model as splink saves it (only what the refit reads): EM's birth-gap m as given."""
    null = {"label_for_charts": "missing", "is_null_level": True}
    birth = [
        null,
        _level("same birth date", 0.6, 0.0002),
        _level("same birth year", 0.12, 0.02),
        _level(model.BIRTH_ONE_APART, 0.04, 0.04),
        _level(model.BIRTH_GAP_LEVELS[0], 0.12, 0.17),
        _level(model.BIRTH_GAP_LEVELS[1], far_m, 0.77),
    ]
    citizenship = [null, _level("same citizenship", 0.95, 0.12), _level("citizenship differs", 0.05, 0.88)]
    street = [
        null,
        _level("same street", 0.8, 0.0005, tf_adjustment_column="street", tf_adjustment_weight=1.0),
        _level("street differs", 0.2, 0.9995),
    ]
    return {
        "comparisons": [
            {"output_column_name": "birth_date", "comparison_levels": birth},
            {"output_column_name": "citizenship", "comparison_levels": citizenship},
            {"output_column_name": "street", "comparison_levels": street},
        ]
    }


def _levels_of(model_dict: dict[str, object], name: str) -> dict[str, dict[str, float]]:
    for comp in model_dict["comparisons"]:  # type: ignore[attr-defined]
        if comp["output_column_name"] == name:
            return {
                lv["label_for_charts"]: lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")
            }
    raise KeyError(name)


def _weight(level: dict[str, float]) -> float:
    return math.log2(level["m_probability"] / level["u_probability"])


def test_anchors_replace_em_birth_gap_m_only_when_they_contradict_it() -> None:
    n, gaps = fit.anchor_gaps(_table(_anchors(40)))
    assert (n, gaps) == (40, {0: 40})
    em = {model.BIRTH_ONE_APART: 0.001, model.BIRTH_GAP_LEVELS[0]: 0.12, model.BIRTH_GAP_LEVELS[1]: 0.17}
    anchored = fit.anchored_birth_m(em, n, gaps)
    # 40 anchors, none apart: m = 0.5 / 41 for the gaps EM overstated; one apart at 0.001 is
    # inside the anchors' interval and stays EM's
    assert anchored == {model.BIRTH_GAP_LEVELS[0]: 0.5 / 41, model.BIRTH_GAP_LEVELS[1]: 0.5 / 41}
    assert fit.anchored_birth_m(em, 20, {0: 20}) == {}  # too few anchors to tell
    # anchors whose years are far apart (corrupted dates): EM's m stands
    n_far, gaps_far = fit.anchor_gaps(_table(_anchors(40, gap=9)))
    assert model.BIRTH_GAP_LEVELS[1] not in fit.anchored_birth_m(em, n_far, gaps_far)


def test_refit_renormalises_birth_m_and_the_gap_weighs_strongly_against() -> None:
    model_dict = _model()
    notes = fit.refit(model_dict, _table(_anchors(40)))
    birth = _levels_of(model_dict, "birth_date")
    assert set(notes["birth_gap_m"]) == set(model.BIRTH_GAP_LEVELS)
    assert math.isclose(sum(lv["m_probability"] for lv in birth.values()), 1.0)
    assert _weight(birth[model.BIRTH_GAP_LEVELS[1]]) < -5.5  # was log2(0.17 / 0.77), about -2
    # the mass taken from the gaps goes to the agreeing levels, in EM's proportions
    assert math.isclose(
        birth["same birth date"]["m_probability"] / birth["same birth year"]["m_probability"], 0.6 / 0.12
    )


def test_namesakes_agreeing_on_citizenship_is_no_longer_strong_evidence() -> None:
    persons = _anchors(40) + _namesakes(12)  # 66 namesake pairs, all of one citizenship
    model_dict = _model()
    before = _weight(_levels_of(model_dict, "citizenship")["same citizenship"])
    notes = fit.refit(model_dict, _table(persons))
    after = _levels_of(model_dict, "citizenship")
    assert "citizenship" in notes["namesake_u"]
    assert before > 2.9 and _weight(after["same citizenship"]) < 0.1
    assert math.isclose(sum(lv["u_probability"] for lv in after.values()), 1.0)
    # two records with the same (common) names and citizenship and nothing else: +7 +7 for the
    # names against a prior of -13 links on citizenship alone before the refit, not after
    evidence = -13.0 + 7.0 + 7.0
    assert 1 / (1 + 2 ** -(evidence + before)) >= 0.9
    assert 1 / (1 + 2 ** -(evidence + _weight(after["same citizenship"]))) < 0.9


def test_namesake_u_is_left_alone_without_anchors_that_confirm_far_birth_years_mean_two_persons() -> None:
    # no anchors (FEBRL without its identity number): the namesakes might be one person each
    model_dict = _model()
    notes = fit.refit(model_dict, _table(_namesakes(12)))
    assert notes == {"birth_gap_m": {}, "namesake_u": {}}
    assert _levels_of(model_dict, "citizenship")["same citizenship"]["u_probability"] == 0.12
    # anchors whose records are often years apart: the criterion is not trusted either
    model_dict = _model(far_m=0.17)
    notes = fit.refit(model_dict, _table(_anchors(40, gap=9) + _namesakes(12)))
    assert notes["namesake_u"] == {}


def test_a_field_no_commoner_among_namesakes_keeps_its_random_pair_u() -> None:
    persons = _anchors(40) + [
        Person(
            source="c", record_id=f"ns{i}", given=("ivan",), family=("petrenko",),
            birth_year=1930 + 7 * i, citizenship=("UA", "MD", "RU", "SY", "IQ", "VN", "CO", "NG")[i % 8],
        )
        for i in range(12)
    ]  # fmt: skip
    model_dict = _model()
    model_dict["comparisons"][1]["comparison_levels"][1]["u_probability"] = 0.3  # type: ignore[index]
    notes = fit.refit(model_dict, _table(persons))
    assert "citizenship" not in notes["namesake_u"]


def test_households_sharing_a_street_weaken_the_street_and_drop_its_term_frequencies() -> None:
    family = [
        Person(
            source="c", record_id=f"h{i}", given=(given,), family=("petrenko",),
            birth_year=1940 + 7 * i, street="vul sadova 3",
        )
        for i, given in enumerate(("olena", "taras", "mykola", "iryna", "petro", "halyna", "bohdan", "zoya", "yurii"))
    ]  # fmt: skip  # 36 pairs of relatives with other given names, years apart, one street
    model_dict = _model()
    notes = fit.refit(model_dict, _table(_anchors(40) + family))
    street = _levels_of(model_dict, "street")["same street"]
    assert "street" in notes["namesake_u"]
    assert street["u_probability"] > 0.9 and "tf_adjustment_column" not in street


def test_lambda_fixed_point_counts_the_matches_the_pairs_hold() -> None:
    from vinculo.linkage.trusted import _lambda_fixed_point

    total = 1e6
    # 300 sure matches and 10,000 sure non-matches, scored with a prior that is 8 times too low
    weights = np.concatenate([np.full(300, 40.0), np.full(10_000, -40.0)])
    lam = _lambda_fixed_point(weights, 300 / total / 8, total)
    assert math.isclose(lam, 300 / total, rel_tol=1e-3)
    # uncertain pairs count by their probability: 1,000 pairs at even odds under the true prior
    start = 1e-4
    weights = np.full(1_000, 0.0)  # probability 1/2 at lambda = start
    lam = _lambda_fixed_point(weights, start, total)
    p = 1 / (1 + 2 ** -(math.log2(lam / (1 - lam)) - math.log2(start / (1 - start))))
    assert math.isclose(lam, 1_000 * p / total, rel_tol=1e-3)
    assert _lambda_fixed_point(np.array([]), 1e-4, total) == 1e-4


def test_name_ends_and_family_core_meet_swapped_orders_middle_names_and_articles() -> None:
    ends, core = model._name_ends, model._family_core
    assert ends(("huong",), ("nguyen",)) == ends(("nguyen", "thi"), ("huong",)) == "huong nguyen"
    assert ends(("ana",), ("jimenez", "rodriguez")) == ends(("jimenez",), ("ana",))
    assert ends(("dung", "van", "vu"), ()) == ends(("dung",), ("vu",))  # a full name in one field
    assert ends(("anna",), ()) is None and ends(("anna",), ("anna",)) is None
    assert core(("alfassi",)) == core(("fassi",)) == "fassi"
    assert core(("jimenez", "rodriguez")) == "jimenez"
    assert core(("ali",)) == "ali" and core(()) is None  # "al" of a short name is no article
    rules = {cols for cols, _sql in model.PREDICTION_RULES}
    assert {("name_ends",), ("given_name", "family_core"), ("family_core", "birth_year")} <= rules


def test_place_words_drop_arabic_articles_and_generic_words() -> None:
    from vinculo.linkage.names import normalise_text

    words, telling = model._place_words, model._city_words
    assert words(normalise_text("An-Najaf")) == words(normalise_text("Najaf")) == ["najaf"]
    assert words(normalise_text("النجف")) == ["njf"]  # the article joined, as Arabic script gives it
    assert words("al mawsil") == ["mawsil"] and words("albsra") == ["bsra"]
    assert words("alma") == ["alma"] and words("al") == ["al"]  # no article of a short or lone word
    assert telling(words(normalise_text("Santiago de Cali"))) == ["santiago", "cali"]
    assert telling(words(normalise_text("Benin City"))) == ["benin"]
    assert telling(words(normalise_text("Bogotá D.C."))) == ["bogota"]
    assert telling(["de", "la"]) is None
    # the sound of the city is taken without the article: Najaf and An-Najaf, Rabat and الرباط
    table = model.record_table(
        [
            Person(source="a", record_id=str(i), given=("x",), family=("y",), city=normalise_text(c))
            for i, c in enumerate(
                ["An-Najaf", "Najaf", "Rabat", "الرباط", "Cartagena de Indias", "Cartagena"]
            )
        ]
    )
    ph = table["city_ph"]
    assert ph[0] == ph[1] and ph[2] == ph[3] and ph[0] != ph[2]
    # only words that two differently written names share are kept ("indias" is in one name only)
    assert table["city_tokens"] == [["najaf"], ["najaf"], None, None, ["cartagena"], ["cartagena"]]
    one_spelling = model.record_table(
        [Person(source="a", record_id="1", city="cali"), Person(source="a", record_id="2", city="cali")]
    )
    assert "city_tokens" not in model.present_columns(one_spelling)  # the level is left out


def test_a_fathers_name_as_family_name_crossed_sounds_and_phone_forms_are_proposed_and_compared() -> None:
    from vinculo.linkage import _blocking

    people = [
        Person(source="a", record_id="1", given=("wafaa",), family=("majed",), birth_year=1979),
        Person(source="b", record_id="2", given=("wafaa", "majed"), family=("alkhatib",)),
        Person(source="a", record_id="3", given=("alahmad",), family=("ziad",)),
        Person(source="b", record_id="4", given=("ziad", "umar"), family=("alahmed",)),
        Person(source="a", record_id="5", given=("lina",), family=("x",), phone="+212774111896"),
        Person(source="b", record_id="6", given=("mona",), family=("y",), phone="212774111896"),
    ]
    table = model.record_table(people)
    assert table["middle_name"] == [None, "majed", None, "umar", None, None]
    present = model.present_columns(table)
    rules = dict.fromkeys(sql for cols, sql in model.blocking_rules(present) if sql)
    assert "l.family_name = r.middle_name AND l.given_initial = r.given_initial" in rules
    assert "l.given_ph = r.family_ph AND l.family_ph = r.given_ph" in rules
    assert ("phone_tail",) in [cols for cols, sql in model.blocking_rules(present) if sql is None]
    # the rules' pairs are counted with each side needing only its own columns
    import pyarrow as pa

    arrow = pa.Table.from_pydict(
        {k: v for k, v in table.items() if k not in ("given_tokens", "family_tokens", "city_tokens")}
    )
    _t, planned = _blocking.plan(arrow, model.blocking_rules(present), present)
    counts = {r.text: r.pairs for r in planned}
    assert counts["l.family_name = r.middle_name AND l.given_initial = r.given_initial"] == 1
    assert counts["l.given_ph = r.family_ph AND l.family_ph = r.given_ph"] >= 1
    assert counts["phone_tail"] == 1
    labels = [lv.create_label_for_charts() for lv in _family_levels(present)]
    assert labels.index(model.FAMILY_AS_MIDDLE) == len(labels) - 2  # just before "differ"


def _family_levels(present: frozenset[str]) -> list[object]:
    comp = next(c for c in model.comparisons(present) if c.create_output_column_name() == "family_name")
    return list(comp._comparison_levels[1:])  # without the missing-value level


def test_on_the_multi_script_set_the_refit_applies_and_siblings_stay_apart() -> None:
    from vinculo.linkage import synthetic
    from vinculo.linkage.evaluate import pairwise
    from vinculo.linkage.model import Source
    from vinculo.linkage.normalise import normalise_person
    from vinculo.linkage.trusted import link

    s = synthetic.generate(800, seed=11)
    sources = [
        Source(
            name=name,
            persons=tuple(
                normalise_person(r, source=name, record_id=r["record_id"], row=i)
                for i, r in enumerate(rows, 2)
            ),
        )
        for name, rows in s.sources.items()
    ]
    result = link(sources)
    refit = result.parameters["refit"]
    assert model.BIRTH_GAP_LEVELS[1] in refit["birth_gap_m"]  # type: ignore[index]
    assert "citizenship" in refit["namesake_u"]  # type: ignore[index]
    q = pairwise(dict(result.clusters), s.truth)
    assert q.precision >= 0.9 and q.recall >= 0.8, q.summary()
    # relatives (same family, other persons) put in one cluster are rare
    members: dict[int, list[tuple[str, str]]] = {}
    for key, c in result.clusters.items():
        members.setdefault(c, []).append(key)
    merged = sum(
        1
        for keys in members.values()
        for i, a in enumerate(keys)
        for b in keys[i + 1 :]
        if s.truth[a] != s.truth[b] and s.families.get(s.truth[a], "-") == s.families.get(s.truth[b], "")
    )
    relatives = len(s.families)
    assert merged <= 0.1 * relatives, (merged, relatives)
