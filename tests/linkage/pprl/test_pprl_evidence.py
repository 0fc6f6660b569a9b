"""The evidence model: Dice bins plus the agreement pattern of keyed blocking keys, fitted by EM."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pytest

from vinculo.linkage.pprl import encode_source, match_encodings, read_encodings
from vinculo.linkage.pprl.evidence import (
    DICE_BINS,
    Layout,
    _cap_one_to_one,
    fit_evidence,
    one_to_one_excess,
    pair_levels,
)

BLOCKING = ("name_year", "name_year", "name_pair", "phone", "street_city")


def test_layout_models_kinds_built_from_shared_attributes_jointly():
    layout = Layout.of(BLOCKING)
    assert layout.names == ("names, birth date and postcode", "phone", "street")
    # two name-year slots (missing, none, one, two agree) x name-pair (missing, differs, agrees)
    assert layout.sizes() == [DICE_BINS, 4 * 3, 3, 3]
    assert Layout.of(("phone", "something_new")).names == ("phone", "something_new")


def test_pair_levels_compare_the_slots_of_a_kind_as_sets():
    layout = Layout.of(BLOCKING)
    a = np.array([[11, 12, 5, 7, 0], [11, 12, 5, 7, 9], [11, 0, 5, 0, 9]], dtype=np.uint64)
    # row 0: given and family name swapped, phone differs, no street on one side;
    # row 1: nothing agrees; row 2: a side without name_year family key, phone missing
    b = np.array([[12, 11, 5, 8, 9], [13, 14, 6, 8, 8], [11, 13, 6, 7, 9]], dtype=np.uint64)
    ix = np.arange(3)
    levels = pair_levels(layout, a, b, ix, ix, np.array([0.8, 0.3, 1.0], dtype=np.float32))
    assert levels[:, 0].tolist() == [32, 12, DICE_BINS - 1]
    assert levels[:, 1].tolist() == [3 * 3 + 2, 1 * 3 + 1, 2 * 3 + 1]  # 2 agree+pair; none; 1 agrees
    assert levels[:, 2].tolist() == [1, 1, 0]  # differs, differs, missing
    assert levels[:, 3].tolist() == [0, 1, 2]  # missing, differs, agrees
    assert Layout.of(BLOCKING).describe(1, 3 * 3 + 2) == "name_year 2 agree, name_pair agrees"


def test_cap_scales_each_record_with_each_source_down_to_one_match():
    w = np.array([0.9, 0.6, 0.3, 0.2])
    groups = [(np.array([0, 0, 1, 1]), np.ones(4))]
    capped = _cap_one_to_one(w, groups)
    assert np.bincount(groups[0][0], weights=capped).max() <= 1.0 + 1e-12
    assert capped[2:].tolist() == [0.3, 0.2]  # under the cap: unchanged
    assert math.isclose(capped[0] / capped[1], 1.5)


def _simulated(rng: np.random.Generator, n: int, prior: float):
    """Comparison vectors of a known latent-class model: Dice bins and three 3-level keys (a
    two-class model needs at least three conditionally independent variables to be identified)."""
    match = rng.random(n) < prior
    dice = np.where(match, rng.normal(0.8, 0.06, n), rng.normal(0.5, 0.04, n)).clip(0, 0.999)
    m, u = np.array([0.1, 0.1, 0.8]), np.array([0.3, 0.6, 0.1])
    keys = [np.where(match, rng.choice(3, n, p=m), rng.choice(3, n, p=u)) for _ in range(3)]
    layout = Layout.of(("phone", "identity", "street_city"))
    levels = np.column_stack([(dice * DICE_BINS).astype(np.int64), *keys])
    return layout, levels, dice, match, m, u


def test_em_recovers_a_known_mixture_from_a_rough_start():
    rng = np.random.default_rng(4)
    layout, levels, dice, match, m, u = _simulated(rng, 20_000, 0.2)
    model = fit_evidence(layout, levels, (dice > 0.62).astype(float), [])
    assert model is not None
    assert abs(model.prior - 0.2) < 0.01
    for v in (1, 2, 3):
        assert np.abs(model.m[v] - m).max() < 0.02 and np.abs(model.u[v] - u).max() < 0.02
    post = model.posterior(levels)
    assert ((post >= 0.5) == match).mean() > 0.99
    # the waterfall explains the probability: the weights in bits plus the prior's log-odds
    row = model.explain(levels[:1], dice[:1])[0]
    logit = sum(w for _, _, w in row) * math.log(2) + math.log(model.prior / (1 - model.prior))
    assert math.isclose(1 / (1 + math.exp(-logit)), post[0], rel_tol=1e-3)
    assert row[0] == ("Dice", f"{dice[0]:.3f}", row[0][2])


def test_excess_is_zero_for_one_match_per_record_and_large_for_several():
    rng = np.random.default_rng(5)
    layout, levels, _dice, match, _, _ = _simulated(rng, 2_000, 0.5)
    model = fit_evidence(layout, levels, match.astype(float), [])
    assert model is not None
    post = model.posterior(levels)
    one_each = [(np.arange(len(levels)), np.ones(len(levels)))]
    all_in_one = [(np.zeros(len(levels), dtype=np.int64), np.ones(len(levels)))]
    assert one_to_one_excess(model, levels, one_each) == 0.0
    assert math.isclose(one_to_one_excess(model, levels, all_in_one), 1 - 1 / post.sum(), rel_tol=1e-9)


def test_blocking_key_evidence_beats_dice_alone_on_the_multi_script_set():
    """Siblings and namesakes score as high a Dice as the same person written another way; the
    pattern of agreeing keys (other birth year, same street) tells them apart."""
    from vinculo.linkage import synthetic
    from vinculo.linkage.evaluate import pairwise
    from vinculo.linkage.pprl.scores import ScoreModel
    from vinculo.linkage.sources import read_source

    data = synthetic.generate(800, seed=11)
    with tempfile.TemporaryDirectory() as folder:
        data.write(folder)
        sources = [read_source(Path(folder) / f"{a}.csv", id_column="record_id") for a in synthetic.AGENCIES]
    files = [read_encodings(encode_source(s, b"e" * 32)) for s in sources]
    result = match_encodings(files)
    fitted = result.parameters["score_model"]
    if fitted is None:
        pytest.skip("no Dice mixture to compare with")
    dice_only = ScoreModel(**{k: v for k, v in fitted.items() if k != "iterations"}, iterations=0)
    plain = match_encodings(files, threshold=dice_only.threshold())
    ours, theirs = pairwise(result.clusters, data.truth), pairwise(plain.clusters, data.truth)
    assert ours.f1 > theirs.f1 + 0.02, (ours, theirs)
    assert abs(ours.persons_error) < 0.05


def test_beyond_the_validated_number_of_pairs_records_are_linked_on_dice_alone(monkeypatch):
    from vinculo.linkage import synthetic
    from vinculo.linkage.evaluate import pairwise
    from vinculo.linkage.pprl import match as match_module
    from vinculo.linkage.sources import read_source

    data = synthetic.generate(1500, seed=21)
    with tempfile.TemporaryDirectory() as folder:
        data.write(folder)
        sources = [read_source(Path(folder) / f"{a}.csv", id_column="record_id") for a in synthetic.AGENCIES]
    files = [read_encodings(encode_source(s, b"f" * 32)) for s in sources]
    full = match_encodings(files)
    assert full.parameters["score"] != "dice" and full.parameters["evidence_model"]
    monkeypatch.setattr(match_module, "_EM_PAIRS", 1_500)  # about a third of the cross-source pairs
    capped = match_encodings(files)
    assert capped.parameters["score"] == "dice"
    # Dice alone is what the threshold-free default falls back to, not a different clustering.
    plain = match_encodings(files, threshold=capped.threshold)
    assert pairwise(capped.clusters, data.truth).f1 == pytest.approx(
        pairwise(plain.clusters, data.truth).f1, abs=0.02
    )


def test_duplicates_within_a_source_raise_the_cap_by_at_most_one():
    """Many within-source candidates of a few records (namesakes, a few real duplicates among
    them) do not lift the 1:1 cap altogether; a source without within-source pairs keeps it at one."""
    from vinculo.linkage.pprl.match import _duplicates_per_record

    rng = np.random.default_rng(6)
    layout, levels, dice, match, _, _ = _simulated(rng, 5_000, 0.2)
    model = fit_evidence(layout, levels, match.astype(float), [])
    assert model is not None
    source_of = np.repeat([0, 1], 100)
    within = levels[:4_000]  # 40 candidates per record of source 1, about 800 of them matches
    found = [(np.full(len(within), 100), np.full(len(within), 101), dice[:4_000], True, within)]
    extra = _duplicates_per_record(model, found, source_of, 2)
    assert extra[0] == 0.0 and 0.0 <= extra[1] <= 1.0
    # one clear candidate per record (50 pairs of the 100 records): each is a probable duplicate
    clear = levels[match & (dice > 0.8)][:50]
    pairs = [(np.arange(100, 200, 2), np.arange(101, 200, 2), dice[:50], True, clear)]
    assert _duplicates_per_record(model, pairs, source_of, 2).tolist() == [0.0, 1.0]


def test_within_source_prior_is_fitted_below_the_cross_source_prior_and_bounded_by_it():
    """The within-source prior is EM on the prior alone with m/u of the cross-source fit: its own
    value where it is the smaller, the cross-source prior where the within-source patterns look
    more like matches (namesakes and relatives, on large files: the prior then absorbs the misfit)."""
    from vinculo.linkage.pprl.evidence import fit_within_prior

    rng = np.random.default_rng(8)
    layout, levels, _, match, _, _ = _simulated(rng, 20_000, 0.2)
    model = fit_evidence(layout, levels, match.astype(float), [])
    assert model is not None and abs(model.prior - 0.2) < 0.01
    rare = _simulated(np.random.default_rng(9), 20_000, 0.05)[1]
    assert abs(fit_within_prior(model, rare) - 0.05) < 0.01
    many = _simulated(np.random.default_rng(10), 20_000, 0.6)[1]
    assert fit_within_prior(model, many) == pytest.approx(model.prior)
    assert fit_within_prior(model, many[:0]) == 0.0


def test_a_record_keeps_at_most_one_probable_duplicate_in_its_source():
    from vinculo.linkage.pprl.evidence import cap_duplicates

    # record 0 has five look-alike candidates (namesakes), records 10 and 11 one clear candidate
    left = np.array([0, 0, 0, 0, 0, 10])
    right = np.array([1, 2, 3, 4, 5, 11])
    capped = cap_duplicates(np.full(6, 0.9), left, right)
    assert np.allclose(capped, [0.2, 0.2, 0.2, 0.2, 0.2, 0.9])
    assert (capped >= 0.5).tolist() == [False] * 5 + [True]
