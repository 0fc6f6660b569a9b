"""The GLOTIP export shipped with vinculo (UNODC Data Portal, export of 14/04/2025)."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from vinculo.evidence._dataset import GlotipDataset
from vinculo.evidence._importer import ImportResult, read_glotip

__all__ = ["PACKAGED_EXPORT", "load_glotip", "packaged_export_path"]

#: File name of the packaged export (same cells as data_glotip.xlsx, banner rows kept).
PACKAGED_EXPORT = "glotip_2025-04-14.csv.gz"


def packaged_export_path() -> Path:
    """Path of the packaged export (see ``data/ATTRIBUTION.md`` for source and terms)."""
    return Path(str(resources.files("vinculo.evidence").joinpath("data", PACKAGED_EXPORT)))


@functools.cache
def _packaged_import() -> ImportResult:
    return read_glotip(packaged_export_path())


def load_glotip(path: str | Path | None = None) -> GlotipDataset:
    """The dataset of ``path``, or of the packaged 2025 export (read once, then cached)."""
    if path is None:
        return _packaged_import().dataset
    return read_glotip(path).dataset
