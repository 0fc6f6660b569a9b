"""``vinculo encode`` (at an agency) and ``vinculo match`` (at the platform): privacy-preserving linkage.

``vinculo encode FILE --id COLUMN --secret-file KEY --out FILE.enc`` reads a case file (HTCDS
columns or ``--mapping``) and writes keyed Bloom-filter encodings: the record ids and nothing of any
person's value. ``vinculo match A.enc B.enc [...] --out clusters.csv [--histories H.csv]`` links the
encodings of two or more agencies and writes ``source,record_id,cluster_id`` for every record (and
the capture histories). Exit status 2 for an input that cannot be used (another schema or secret, a
damaged file, one source only, an empty file, a short secret); outputs are written to a temporary
file in the same folder and renamed, so nothing is ever half-written.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from vinculo.errors import VinculoError, format_issues

__all__ = ["encode", "match"]


class _InputError(click.ClickException):
    """An input that cannot be used: exit status 2, ``file: code: message fix``."""

    exit_code = 2

    def __init__(self, error: VinculoError) -> None:
        text = format_issues(error.issues) if error.issues else f"{error.code}: {error}"
        super().__init__(text)


class _Progress:
    """``progress(stage, fraction)`` as a progress bar on stderr (none with --quiet)."""

    def __init__(self, quiet: bool, label: str) -> None:
        self.quiet = quiet
        self.label = label
        self.bar: Any = None
        self.done = 0

    def __call__(self, stage: str, fraction: float) -> None:
        if self.quiet:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=1000, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        target = int(max(0.0, min(1.0, fraction)) * 1000)
        if target > self.done:
            self.bar.update(target - self.done)
            self.done = target

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _commit_all(outputs: Sequence[tuple[Path, bytes]]) -> None:
    """Write every output to a temporary file beside it, then rename them all (nothing half-written)."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in outputs:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
    except OSError as exc:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise click.ClickException(
            f"{exc.filename or 'output'}: cannot write ({exc.strerror or exc})."
        ) from None
    for tmp, path in staged:
        os.replace(tmp, path)


def _csv(rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _histories_rows(result: Any) -> list[dict[str, object]]:
    """One 0/1 column per source (input order) plus ``count``; the same contract as
    :func:`vinculo.linkage.histories.histories_rows`, used when that module is not installed."""
    try:
        from vinculo.linkage import histories  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        pass
    else:
        rows: list[dict[str, object]] = histories.histories_rows(result)
        return rows
    sources = list(result.sources)
    bit = {s: i for i, s in enumerate(sources)}
    masks: dict[int, int] = {}
    for (source, _record), cluster in result.clusters.items():
        masks[cluster] = masks.get(cluster, 0) | (1 << bit[source])
    counts: dict[int, int] = {}
    for mask in masks.values():
        counts[mask] = counts.get(mask, 0) + 1
    return [
        {**{s: (mask >> i) & 1 for i, s in enumerate(sources)}, "count": counts[mask]}
        for mask in sorted(counts)
    ]


@click.command("encode")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--id", "id_column", required=True, help="The column holding each record's id (unique in the file)."
)
@click.option(
    "--secret-file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File holding the secret shared by the agencies (at least 32 bytes; never give it to the platform).",
)
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .enc file."
)
@click.option(
    "--mapping",
    "mapping_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Mapping file: source column -> HTCDS field (as `vinculo validate` reads it).",
)
@click.option("--quiet", is_flag=True, help="No progress bar or summary on stderr.")
def encode(
    file: Path, id_column: str, secret_file: Path, out: Path, mapping_path: Path | None, quiet: bool
) -> None:
    """Encode FILE for privacy-preserving linkage: keyed Bloom filters, no person's value in any form."""
    from vinculo.linkage.pprl import encode_source, load_secret
    from vinculo.linkage.sources import read_source

    progress = _Progress(quiet, "Encoding")
    try:
        secret = load_secret(secret_file)
        source = read_source(file, id_column=id_column, mapping=mapping_path)
        data = encode_source(source, secret, progress=progress)
    except VinculoError as exc:
        raise _InputError(exc) from None
    finally:
        progress.close()
    _commit_all([(out, data)])
    if not quiet:
        click.echo(f"{out}: {len(source)} records of source {source.name!r} encoded.", err=True)


@click.command("match")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="clusters.csv to write.",
)
@click.option(
    "--histories",
    "histories_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the capture histories (one 0/1 column per source, plus count).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    help="Dice similarity at which records link (default: fitted from the scores).",
)
@click.option("--quiet", is_flag=True, help="No progress bar or summary on stderr.")
def match(
    files: tuple[Path, ...], out: Path, histories_path: Path | None, threshold: float | None, quiet: bool
) -> None:
    """Link the encodings of two or more agencies (A.enc B.enc ...) and write the clusters."""
    from vinculo.linkage.pprl import match_encodings, read_encodings

    progress = _Progress(quiet, "Matching")
    try:
        encoded = [read_encodings(path) for path in files]
        result = match_encodings(encoded, threshold=threshold, progress=progress)
    except VinculoError as exc:
        raise _InputError(exc) from None
    finally:
        progress.close()
    rows: list[list[object]] = [["source", "record_id", "cluster_id"]]
    rows.extend([s, r, c] for (s, r), c in result.clusters.items())
    outputs = [(out, _csv(rows))]
    if histories_path is not None:
        table = _histories_rows(result)
        header = [*result.sources, "count"]
        outputs.append((histories_path, _csv([header, *([row[h] for h in header] for row in table)])))
    _commit_all(outputs)
    if not quiet:
        click.echo(
            f"{out}: {len(result.clusters)} records of {len(result.sources)} sources in "
            f"{result.n_clusters} clusters ({_threshold_text(result)}).",
            err=True,
        )


def _threshold_text(result: Any) -> str:
    """What the records were linked at: a Dice score, or the fitted match probability."""
    if result.parameters.get("score") == "dice":
        return f"Dice threshold {result.threshold:.3f}"
    return f"match probability {result.threshold:g} from Dice and agreeing blocking keys"
