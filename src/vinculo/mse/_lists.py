"""Capture histories from one list of case identifiers per agency (no record is kept)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from vinculo.errors import Issue, Location, VinculoError
from vinculo.mse._histories import CaptureHistories, histories_from_records

__all__ = ["histories_from_lists"]


def _key(identifier: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", identifier).casefold().split())


def histories_from_lists(
    ids_by_list: Mapping[str, Iterable[str]], *, source: str = "<lists>"
) -> CaptureHistories:
    """Count capture histories from the identifiers each list holds.

    A case is on every list whose identifiers contain its identifier; identifiers match exactly,
    ignoring case, Unicode form and surrounding or repeated spaces. Matching records that carry
    different identifiers (record linkage) must be done before. Only the counts are returned.

    Parameters
    ----------
    ids_by_list : mapping of list name to identifiers
        In the order the lists should appear. Blank identifiers are skipped; an identifier given
        twice in one list counts once.

    Examples
    --------
    >>> h = histories_from_lists({"Police": ["a1", "b2", "c3"], "NGO": ["B2", "d4"]})
    >>> h.lists, h.rows()
    (('Police', 'NGO'), [((1, 0), 2), ((0, 1), 1), ((1, 1), 1)])
    """
    names = list(ids_by_list)
    memberships: dict[str, set[str]] = {}
    issues: list[Issue] = []
    for name in names:
        seen = 0
        for identifier in ids_by_list[name]:
            key = _key(str(identifier))
            if key:
                memberships.setdefault(key, set()).add(name)
                seen += 1
        if seen == 0:
            issues.append(
                Issue(
                    "mse.empty_list",
                    f'list "{name}" has no case identifier.',
                    Location(file=source, column=name),
                    fix="Give each list the identifiers of the cases it holds, or leave the list out.",
                )
            )
    if issues:
        raise VinculoError(
            f"{source}: {len(issues)} list(s) cannot be used.", code="mse.empty_list", issues=issues
        )
    return histories_from_records(memberships.values(), names, source=source)
