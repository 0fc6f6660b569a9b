"""One shape for PPRL input errors: the file (and row), what is wrong, and what to do."""

from __future__ import annotations

from vinculo.errors import Issue, Location, VinculoError


def input_error(file: str, code: str, message: str, fix: str, *, row: int | None = None) -> VinculoError:
    """A :class:`VinculoError` naming ``file`` (and ``row``) whose one issue carries the fix too.

    Messages never hold a person's value: only files, rows, counts and codes.
    """
    where = f"{file}, row {row}" if row is not None else file
    return VinculoError(
        f"{where}: {message}",
        code=code,
        issues=[Issue(code, message, Location(file=file, row=row), fix=fix)],
        fix=fix,
    )
