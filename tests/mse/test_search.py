from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vinculo.mse import read_histories
from vinculo.mse._batch import fit_batch
from vinculo.mse._design import all_terms
from vinculo.mse._fit import fit_model
from vinculo.mse._select import hierarchical_masks, search


def test_batched_fits_agree_with_one_at_a_time_fits(mse_data: Path) -> None:
    h = read_histories(mse_data / "Western.csv")
    terms = all_terms(h.n_lists, 2)
    masks = hierarchical_masks(h.n_lists, 2)
    assert masks is not None
    res = fit_batch(h.n_lists, h.counts, terms, masks[1])
    rng = np.random.default_rng(0)
    for b in rng.choice(masks[1].shape[0], 25, replace=False):
        model = tuple(t for t, m in zip(terms, masks[1][b], strict=True) if m)
        f = fit_model(h.n_lists, h.counts, model)
        assert (f.status == 0) == (res.status[b] == 0)
        if f.status == 0:
            assert res.loglik[b] == pytest.approx(f.loglik, abs=1e-6)
            assert res.log_dark[b] == pytest.approx(float(f.beta[0]), abs=1e-6)


def test_hierarchical_models_up_to_order_three_include_triples_only_with_their_pairs() -> None:
    enumerated = hierarchical_masks(3, 3)
    assert enumerated is not None
    terms, masks = enumerated
    triple = terms.index((0, 1, 2))
    with_triple = masks[masks[:, triple]]
    assert len(with_triple) == 1 and with_triple[0].all()
    assert len(masks) == 2**3 + 1


def test_more_than_six_lists_uses_a_greedy_search(mse_data: Path) -> None:
    h = read_histories(mse_data / "NewOrl.csv")
    table = search(h.n_lists, h.counts, 2, "bic")
    assert table.search == "greedy"
    assert list(table.bic) == sorted(table.bic)
