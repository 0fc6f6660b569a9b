"""Record linkage: the same victim across agencies' lists, with and without sharing identities.

- :func:`read_source` -- one agency's file (CSV, XLSX, JSON, KoBo/ODK) as normalised persons
  (:mod:`vinculo.linkage.normalise`, :mod:`vinculo.linkage.names`).
- :func:`link` -- trusted mode: splink (DuckDB, or Spark) over the persons of one or more sources.
- :func:`encode_source`, :func:`read_encodings`, :func:`match_encodings` -- privacy-preserving
  linkage from keyed Bloom-filter encodings (:mod:`vinculo.linkage.pprl`).
- :func:`cluster`, :func:`capture_histories`, :func:`histories_rows`, :func:`threshold_sensitivity`
  -- from scored pairs to clusters and to the capture histories that :mod:`vinculo.mse` estimates from.
- :mod:`vinculo.linkage.synthetic`, :mod:`vinculo.linkage.evaluate`, :mod:`vinculo.linkage.febrl`
  -- a multi-script test set with its truth, quality measures, and the FEBRL data sets.

The heavy engines (splink, DuckDB, Spark) are imported only when first used.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from vinculo.linkage.model import LinkResult, Person, ScoredPair, Source

_LAZY = {
    "read_source": "vinculo.linkage.sources",
    "normalise_person": "vinculo.linkage.normalise",
    "link": "vinculo.linkage.trusted",
    "cluster": "vinculo.linkage.clusters",
    "capture_histories": "vinculo.linkage.histories",
    "histories_rows": "vinculo.linkage.histories",
    "threshold_sensitivity": "vinculo.linkage.histories",
    "encode_source": "vinculo.linkage.pprl",
    "read_encodings": "vinculo.linkage.pprl",
    "match_encodings": "vinculo.linkage.pprl",
}

__all__ = ["LinkResult", "Person", "ScoredPair", "Source", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vinculo.linkage' has no attribute {name!r}")
    return getattr(import_module(module), name)
