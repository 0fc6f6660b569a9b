"""PLACEHOLDER (linkage-base): the reading helper A replaces this whole module.

Contract kept by the real module: ``read_source(path_or_bytes, *, id_column, mapping=None,
name=None) -> Source``; errors are :class:`vinculo.errors.VinculoError` with ``linkage.*`` codes.
"""

from __future__ import annotations

from pathlib import Path

from vinculo.errors import Issue, Location, VinculoError
from vinculo.linkage.model import Source
from vinculo.linkage.normalise import normalise_person
from vinculo.readers import read_table

__all__ = ["read_source"]


def read_source(
    data: str | Path | bytes, *, id_column: str, mapping: str | Path | None = None, name: str | None = None
) -> Source:
    file = name or (Path(data).name if not isinstance(data, bytes) else "<upload>")
    source_name = Path(file).stem
    table = read_table(data, name=file)
    header: list[str] | None = None
    persons = []
    for row, cells in table.rows:
        texts = ["" if c is None else str(c).strip() for c in cells]
        if header is None:
            header = [t.lstrip("\ufeff") for t in texts]
            if id_column not in header:
                raise VinculoError(f"{file}: no column {id_column!r}.", code="linkage.missing_id_column",
                                  issues=[Issue("linkage.missing_id_column", f"no column {id_column!r}.",
                                                Location(file=file, row=row))],
                                  fix="Name the record id column with --id.")
            continue
        values = dict(zip(header, texts, strict=False))
        persons.append(normalise_person(values, source=source_name, record_id=values[id_column], row=row))
    return Source(name=source_name, persons=tuple(persons), file=file)
