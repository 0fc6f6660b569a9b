"""One family of errors and warnings for every core package.

Every problem a user can act on says what failed, where (file, row, column, field, list),
what was found versus what was expected, and how to fix it. Validators collect
:class:`Issue` objects and raise at most one :class:`VinculoError` carrying all of them.

Error codes are stable strings (``"mse.saturated_model"``, ``"htcds.invalid_value"``); the
web layer and the CLI translate and render by code, never by parsing messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

__all__ = [
    "ConvergenceWarning",
    "Issue",
    "Location",
    "SparseDataWarning",
    "VinculoError",
    "VinculoWarning",
    "format_issues",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is. Every part is optional; rows are 1-based as a spreadsheet shows them."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f'column "{self.column}"')
        if self.field and self.field != self.column:
            parts.append(f"field {self.field}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in the input.

    ``code`` is stable and machine-readable; ``message`` says what is wrong; ``fix`` says what
    to do about it; ``value`` is the offending value as found (never a protected identifier:
    callers pass ``value=None`` for encrypted fields).
    """

    code: str
    message: str
    location: Location = field(default_factory=Location)
    value: str | None = None
    expected: str | None = None
    fix: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.fix:
            text = f"{text} {self.fix}"
        return text

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["location"] = {k: v for k, v in asdict(self.location).items() if v is not None}
        return {k: v for k, v in data.items() if v is not None}


def format_issues(issues: Iterable[Issue]) -> str:
    """Render issues one per line in the ``file:row:column: code: message`` form used by the CLI."""
    lines = []
    for issue in issues:
        loc = issue.location
        head = ":".join(
            str(p) for p in (loc.file or "<input>", loc.row if loc.row is not None else "", loc.column or "")
        ).rstrip(":")
        text = issue.message + (f" {issue.fix}" if issue.fix else "")
        lines.append(f"{head}: {issue.severity} {issue.code}: {text}")
    return "\n".join(lines)


class VinculoError(Exception):
    """The one exception family. Carries a stable ``code``, structured ``fields`` and ``issues``."""

    code: str = "vinculo.error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        issues: Iterable[Issue] = (),
        fields: Mapping[str, Any] | None = None,
        fix: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.issues: tuple[Issue, ...] = tuple(issues)
        self.fields: dict[str, Any] = dict(fields or {})
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} {self.fix}" if self.fix else self.message

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "error": str(self),
            "errors": [i.to_dict() for i in self.issues],
            "fields": self.fields,
        }


class VinculoWarning(UserWarning):
    """Base class of vinculo's warnings; they also land in each result's ``warnings``."""


class ConvergenceWarning(VinculoWarning):
    """An iterative fit stopped before it converged, or converged to the boundary."""


class SparseDataWarning(VinculoWarning):
    """The data are too sparse for the requested analysis to be reliable."""
