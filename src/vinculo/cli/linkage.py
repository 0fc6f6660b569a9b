"""``vinculo link`` and ``vinculo dedupe``: find the same person across and within case files.

``vinculo link A.csv B.csv [C.csv ...] --id COLUMN --out clusters.csv [--histories H.csv]`` links
and deduplicates several files; ``vinculo dedupe FILE --id COLUMN --out clusters.csv`` one file.
``clusters.csv`` has the columns ``source`` (the input file's name without extension),
``record_id`` and ``cluster_id`` (global across sources), every input record exactly once in
input order. The histories table has one 0/1 column per source in input order and ``count``.
Outputs are written to a temporary file in the same folder and renamed, so a failed run leaves
nothing half-written.

Exit status: 0 when the outputs were written; 1 when the records cannot be linked as given
(duplicate record ids, a capture-history table that cannot be built); 2 when an input file or
option cannot be used at all (unreadable file, no id column, no person field, empty file, a
single file given to ``link``, two files with the same name).
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from vinculo.errors import VinculoError, format_issues
from vinculo.linkage.model import LinkResult, Source

__all__ = ["dedupe", "link"]

#: Error codes that mean an input file or option cannot be used at all (exit status 2).
UNUSABLE = frozenset(
    {
        "linkage.missing_id_column",
        "linkage.no_person_fields",
        "linkage.empty",
        "linkage.too_few_sources",
        "linkage.duplicate_source",
        "linkage.output_is_input",
        "linkage.bad_threshold",
        "linkage.spark_missing",
        "linkage.source_named_count",
    }
)


#: The stricter threshold reported beside the chosen one and the review band's lower end.
SENSITIVITY_STRICT = 0.99


class _Failed(click.ClickException):
    """Records that cannot be linked as given: exit status 1."""

    exit_code = 1

    def __init__(self, error: VinculoError) -> None:
        text = format_issues(error.issues) if error.issues else f"{error.code}: {error}"
        if error.issues and error.fix and not any(issue.fix for issue in error.issues):
            text += f"\n{error.fix}"  # what to do, said once for all the issues
        super().__init__(text)
        self.error = error


class _Unusable(_Failed):
    """An input file or option that cannot be used at all: exit status 2."""

    exit_code = 2


def _fail(error: VinculoError, status: int) -> _Failed:
    return _Unusable(error) if status == 2 else _Failed(error)


def _status(error: VinculoError) -> int:
    code = error.code
    return 2 if code in UNUSABLE or code.startswith(("readers.", "htcds.")) else 1


class _Progress:
    """``progress(stage, fraction)`` drawn as one click progress bar on stderr."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.done = 0

    def __call__(self, stage: str, fraction: float) -> None:
        if self.quiet:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=1000, label="Linking", file=sys.stderr, show_eta=False)
            self.bar.__enter__()
        self.bar.label = stage[:40].ljust(40)
        step = round(max(0.0, min(1.0, fraction)) * 1000)
        if step > self.done:
            self.bar.update(step - self.done)
            self.done = step
        else:
            self.bar.render_progress()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _check_outputs(inputs: Sequence[Path], outputs: Sequence[Path]) -> None:
    for out in outputs:
        for path in inputs:
            if _same_file(out, path):
                raise VinculoError(
                    f"{out}: the output would overwrite the input file {path.name}.",
                    code="linkage.output_is_input",
                    fix="Write the output to another file.",
                )
        if not out.parent.exists():
            raise VinculoError(
                f"{out}: the folder {out.parent} does not exist.",
                code="linkage.output_is_input",
                fix="Create the folder first or write the output elsewhere.",
            )
    if len(outputs) == 2 and _same_file(outputs[0], outputs[1]):
        raise VinculoError(
            "--out and --histories name the same file.",
            code="linkage.output_is_input",
            fix="Give the histories table its own file.",
        )


def _write_temp(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _write_outputs(result: LinkResult, out: Path, histories: Path | None) -> None:
    from vinculo.linkage.histories import histories_rows

    temps: list[tuple[Path, Path]] = []
    try:
        temps.append(
            (_write_temp(out, ("source", "record_id", "cluster_id"), result.records_in_order()), out)
        )
        if histories is not None:
            rows = histories_rows(result)
            header = [*result.sources, "count"]
            temps.append((_write_temp(histories, header, [[r[h] for h in header] for r in rows]), histories))
        for tmp, final in temps:
            os.replace(tmp, final)
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)


def _summary(result: LinkResult, out: Path, histories: Path | None, seconds: float) -> dict[str, Any]:
    per_source: dict[str, set[int]] = {s: set() for s in result.sources}
    records: dict[str, int] = dict.fromkeys(result.sources, 0)
    for (s, _r), c in result.clusters.items():
        per_source[s].add(c)
        records[s] += 1
    sources_of: dict[int, set[str]] = {}
    for (s, _r), c in result.clusters.items():
        sources_of.setdefault(c, set()).add(s)
    overlap = []
    names = list(result.sources)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            overlap.append({"sources": [a, b], "clusters": len(per_source[a] & per_source[b])})
    low, high = result.review_band
    from vinculo.linkage.histories import recluster

    sensitivity = [
        {"threshold": t, "clusters": len(set(recluster(result, t).values()))}
        for t in sorted({low, result.threshold, SENSITIVITY_STRICT})
        if t >= low
    ]
    return {
        "ok": True,
        "records": len(result.clusters),
        "clusters": result.n_clusters,
        "in_several_sources": sum(1 for v in sources_of.values() if len(v) > 1),
        "duplicates_within_sources": len(result.clusters) - sum(len(v) for v in per_source.values()),
        "review_pairs": sum(1 for p in result.pairs if low <= p.probability < high),
        "largest_cluster": max(Counter(result.clusters.values()).values(), default=0),
        "threshold": result.threshold,
        "review_band": [low, high],
        "sources": [
            {"name": s, "records": records[s], "clusters": len(per_source[s])} for s in result.sources
        ],
        "overlap": overlap,
        "threshold_sensitivity": sensitivity,
        "out": str(out),
        "histories": str(histories) if histories is not None else None,
        "seconds": round(seconds, 2),
        "notes": [str(n) for n in _as_list(result.parameters.get("blocking_tightened"))],
    }


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _print_summary(summary: dict[str, Any]) -> None:
    click.echo(
        f"{summary['records']:,} record(s) in {summary['clusters']:,} cluster(s) "
        f"(threshold {summary['threshold']:g}); {summary['in_several_sources']:,} on several sources, "
        f"{summary['duplicates_within_sources']:,} duplicate record(s) within sources; "
        f"{summary['review_pairs']:,} pair(s) in the review band "
        f"[{summary['review_band'][0]:g}, {summary['review_band'][1]:g}); largest cluster "
        f"{summary['largest_cluster']:,} record(s); {summary['seconds']:g} s."
    )
    width = max(len(s["name"]) for s in summary["sources"])
    for s in summary["sources"]:
        click.echo(f"  {s['name']:<{width}}  {s['records']:>9,} record(s)  {s['clusters']:>9,} person(s)")
    for o in summary["overlap"]:
        click.echo(f"  {o['sources'][0]} & {o['sources'][1]}: {o['clusters']:,} person(s) on both")
    for note in summary.get("notes", []):
        click.echo(f"Note: blocking rule {note}.")
    click.echo(
        f"Clusters written to {summary['out']}"
        + (f", histories to {summary['histories']}." if summary["histories"] else ".")
    )


def _run(
    files: Sequence[Path],
    *,
    id_column: str,
    mapping: Path | None,
    out: Path,
    histories: Path | None,
    threshold: float | None,
    output_format: str,
    quiet: bool,
    engine: str,
) -> None:
    from vinculo.linkage.sources import read_source
    from vinculo.linkage.trusted import link as run_link

    started = time.perf_counter()
    progress = _Progress(quiet or (output_format == "json" and not sys.stderr.isatty()))
    try:
        _check_outputs(files, [out] if histories is None else [out, histories])
        sources: list[Source] = []
        for path in files:
            progress(f"reading {path.name}", 0.0)
            sources.append(read_source(path, id_column=id_column, mapping=mapping))
        names = [s.name for s in sources]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise VinculoError(
                f"two input files are named {', '.join(repr(d) for d in dup)} (without extension); "
                "a source is named by its file name, so names must differ.",
                code="linkage.duplicate_source",
                fix="Rename one of the files.",
            )
        if histories is not None and "count" in names:
            raise VinculoError(
                'an input file is named "count", which is also the name of the histories table\'s '
                "count column.",
                code="linkage.source_named_count",
                fix="Rename the file (a source is named by its file name without extension).",
            )
        result = run_link(sources, threshold=threshold, engine=engine, progress=progress)
        _write_outputs(result, out, histories)
    except VinculoError as exc:
        progress.close()
        status = _status(exc)
        if output_format == "json":
            click.echo(json.dumps({"ok": False, "status": status, **exc.to_dict()}, indent=2, default=str))
            raise SystemExit(status) from None
        raise _fail(exc, status) from None
    progress.close()
    summary = _summary(result, out, histories, time.perf_counter() - started)
    if output_format == "json":
        click.echo(json.dumps(summary, indent=2))
    else:
        _print_summary(summary)


_id_option = click.option("--id", "id_column", required=True, help="The column that holds each record's id.")
_mapping_option = click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV or JSON mapping file: source column -> HTCDS field (as for vinculo validate).",
)
_out_option = click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="clusters.csv to write: source, record_id, cluster_id.",
)
_threshold_option = click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True),
    default=None,
    help="Match probability at which two records are linked (default 0.9).",
)
_format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="The summary printed on stdout.",
)
_quiet_option = click.option("--quiet", is_flag=True, help="No progress bar on stderr.")
_engine_option = click.option(
    "--engine",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="Where splink runs: DuckDB, or Spark (local mode; needs the spark extra and Java 17+).",
)
_files_argument = click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


@click.command("link")
@_files_argument
@_id_option
@_mapping_option
@_out_option
@click.option(
    "--histories",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Capture-history table to write: one 0/1 column per source and count.",
)
@_threshold_option
@_format_option
@_quiet_option
@_engine_option
def link(
    files: tuple[Path, ...],
    id_column: str,
    mapping: Path | None,
    out: Path,
    histories: Path | None,
    threshold: float | None,
    output_format: str,
    quiet: bool,
    engine: str,
) -> None:
    """Link the records of two or more FILES (CSV, XLSX, JSON, KoBo) and deduplicate within them.

    Each file is one source, named by its file name without extension. Writes every record
    with its cluster (one cluster per person) to --out and, with --histories, the
    capture-history table for vinculo estimate.
    """
    if len(files) < 2:
        error = VinculoError(
            f"{files[0].name}: link needs at least two files; one source was given.",
            code="linkage.too_few_sources",
            fix="Give two or more files, or use vinculo dedupe for one file.",
        )
        if output_format == "json":
            click.echo(json.dumps({"ok": False, "status": 2, **error.to_dict()}, indent=2))
            raise SystemExit(2)
        raise _Unusable(error)
    _run(
        files,
        id_column=id_column,
        mapping=mapping,
        out=out,
        histories=histories,
        threshold=threshold,
        output_format=output_format,
        quiet=quiet,
        engine=engine,
    )


@click.command("dedupe")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_id_option
@_mapping_option
@_out_option
@_threshold_option
@_format_option
@_quiet_option
@_engine_option
def dedupe(
    file: Path,
    id_column: str,
    mapping: Path | None,
    out: Path,
    threshold: float | None,
    output_format: str,
    quiet: bool,
    engine: str,
) -> None:
    """Find the records of FILE that are the same person; writes clusters.csv as vinculo link does."""
    _run(
        [file],
        id_column=id_column,
        mapping=mapping,
        out=out,
        histories=None,
        threshold=threshold,
        output_format=output_format,
        quiet=quiet,
        engine=engine,
    )
