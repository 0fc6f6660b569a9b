"""The period of a programme: a start date and an optional end date that is not before it."""

from __future__ import annotations

from datetime import date

from vinculo.errors import Issue, Location

__all__ = ["check_period", "overlaps"]


def check_period(start: date | None, end: date | None) -> list[Issue]:
    """Issues when ``end`` is before ``start`` (an open end or an unknown start is allowed).

    Examples
    --------
    >>> check_period(date(2024, 1, 1), date(2023, 12, 31))[0].code
    'registry.period_order'
    """
    if start is not None and end is not None and end < start:
        return [
            Issue(
                "registry.period_order",
                f"The programme ends ({end.isoformat()}) before it starts ({start.isoformat()}).",
                Location(field="end_date"),
                value=end.isoformat(),
                expected=f"{start.isoformat()} or later",
                fix="Check the two dates; swap them if they were entered the wrong way round.",
            )
        ]
    return []


def overlaps(start: date | None, end: date | None, first_year: int | None, last_year: int | None) -> bool:
    """Whether a programme running from ``start`` to ``end`` (open when ``None``) touches the years.

    The same rule the database filter applies: it starts no later than the end of ``last_year`` and
    ends (or is still running) no earlier than the start of ``first_year``.
    """
    if last_year is not None and start is not None and start > date(last_year, 12, 31):
        return False
    return not (first_year is not None and end is not None and end < date(first_year, 1, 1))
