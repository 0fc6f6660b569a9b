"""Filtering and counting case records for browsing, with small-cell protection."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.cache import cache as django_cache
from django.db.models import Count, Max, Model, Q, QuerySet
from django.utils.translation import gettext as _

from vinculo.charts import SUPPRESSED, ChartValue, Suppressed
from vinculo.htcds import field_catalogue
from vinculo.web.accounts import access
from vinculo.web.core.countries import iso2_names, sorted_by_name
from vinculo.web.core.models import Country

from .models import CaseFacts, CaseRecord
from .protection import AGE_GROUPS, DIMENSIONS, MULTI_SEP

SMALL_CELL = 5


def dimension_titles() -> dict[str, str]:
    return {
        "country": _("Country of exploitation"),
        "citizenship": _("Citizenship"),
        "year": _("Year"),
        "sex": _("Sex"),
        "age_group": _("Age group"),
        "exploitation": _("Form of exploitation"),
        "control": _("Means of control"),
        "recruitment": _("Recruitment"),
        "industry": _("Industry"),
    }


@cache
def _picklist_labels(field_name: str) -> dict[str, str]:
    spec = field_catalogue()[field_name]
    labels = spec.value_labels or spec.values
    return dict(zip(spec.values, labels, strict=False))


@cache
def _country_codes_iso2() -> tuple[tuple[str, str], ...]:
    return tuple(Country.objects.values_list("iso2", "iso3"))


def _country_names() -> dict[str, str]:
    """ISO2 -> the UN name in the active language (``vinculo.web.core.countries``)."""
    return iso2_names(_country_codes_iso2())


def _country_codes() -> dict[str, str]:
    """ISO3 and ISO2 (upper case) -> ISO2."""
    codes: dict[str, str] = {}
    for iso2, iso3 in Country.objects.values_list("iso2", "iso3"):
        codes[iso2.upper()] = iso2
        codes[iso3.upper()] = iso2
    return codes


def choices(dimension: str) -> list[tuple[str, str]]:
    """The values one may filter a dimension by, as (code, label)."""
    if dimension in ("country", "citizenship"):
        return sorted_by_name(_country_names().items(), lambda item: item[1])
    if dimension == "year":
        return []
    if dimension == "age_group":
        return [(label, label) for _low, _high, label in AGE_GROUPS]
    return list(_picklist_labels(DIMENSIONS[dimension][1]).items())


def label(dimension: str, code: str) -> str:
    if code in ("", None):
        return _("Not recorded")
    if dimension in ("country", "citizenship"):
        return _country_names().get(code, code)
    if dimension in ("year", "age_group"):
        return str(code)
    return _picklist_labels(DIMENSIONS[dimension][1]).get(code, code)


@dataclass
class CaseFilter:
    """Chosen filters, by dimension; the errors say which parameters were not understood."""

    values: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> CaseFilter:
        chosen: dict[str, str] = {}
        errors: list[str] = []
        for dim in DIMENSIONS:
            raw = params.get(dim)
            if raw in (None, ""):
                continue
            text = str(raw).strip()
            if dim in ("country", "citizenship"):
                code = _country_codes().get(text.upper())
                if code is None:
                    errors.append(f"{dim}: not an ISO 3166-1 country code. Use an alpha-2 or alpha-3 code.")
                    continue
                chosen[dim] = code
            elif dim == "year":
                if not text.isdigit() or not 1900 <= int(text) <= 2100:
                    errors.append("year: not a year. Use four digits, e.g. 2021.")
                    continue
                chosen[dim] = text
            else:
                allowed = {c for c, _l in choices(dim)}
                if text not in allowed:
                    errors.append(
                        f"{dim}: not one of the allowed values. Use one of: {', '.join(sorted(allowed))}."
                    )
                    continue
                chosen[dim] = text
        return cls(chosen, errors)

    def apply[M: Model](self, queryset: QuerySet[M]) -> QuerySet[M]:
        """Filter case records or their facts (:class:`CaseFacts` has the same browsing columns)."""
        for dim, value in self.values.items():
            column, _field, multi = DIMENSIONS[dim]
            if multi:
                queryset = queryset.filter(**{f"{column}__contains": f"{MULTI_SEP}{value}{MULTI_SEP}"})
            elif dim == "year":
                queryset = queryset.filter(year=int(value))
            else:
                queryset = queryset.filter(**{column: value})
        return queryset

    def query_string(self) -> str:
        from urllib.parse import urlencode

        return urlencode(self.values)


def visible_cases(user: Any, case_filter: CaseFilter | None = None) -> QuerySet[CaseRecord]:
    """The cases ``user`` may see as rows (lists, pages, exports), filtered."""
    queryset = access.access_visible_cases(user, CaseRecord.objects.all())
    return case_filter.apply(queryset) if case_filter else queryset


def counted_cases(user: Any, case_filter: CaseFilter | None = None) -> QuerySet[CaseRecord]:
    """The cases counted in aggregates shown to ``user`` (never to be listed), filtered."""
    queryset = access.access_counted_cases(user, CaseRecord.objects.all())
    return case_filter.apply(queryset) if case_filter else queryset


def counted_facts(user: Any, case_filter: CaseFilter | None = None) -> QuerySet[CaseFacts]:
    """The facts of the cases counted for ``user`` (as :func:`counted_cases`), for aggregates only."""
    queryset = CaseFacts.objects.filter(access.access_counted_cases_filter(user))
    return case_filter.apply(queryset) if case_filter else queryset


def visible_facts(user: Any, case_filter: CaseFilter | None = None) -> QuerySet[CaseFacts]:
    """The facts of the cases ``user`` may see as rows (as :func:`visible_cases`), for their total."""
    queryset = CaseFacts.objects.filter(access.access_cases_filter(user))
    return case_filter.apply(queryset) if case_filter else queryset


def _exact_for(user: Any) -> int | None:
    """The organisation whose cases ``user`` may count exactly, or None when no count is exact."""
    org_id = getattr(user, "organisation_id", None)
    if org_id is None or not access.access_sees_exact_counts(user, [org_id]):
        return None
    return int(org_id)


def exact_counts(user: Any, queryset: QuerySet[Any]) -> bool:
    """Counts are exact only when all counted cases belong to the user's organisation.

    Asks whether one counted case belongs to another organisation (stops at the first found).
    """
    org_id = _exact_for(user)
    if org_id is None:
        return False
    return not queryset.order_by().exclude(owner_id=org_id).exists()


def total_and_exact(user: Any, facts: QuerySet[CaseFacts]) -> tuple[int, bool]:
    """The number of cases in ``facts`` and whether it may be shown exactly, in one pass."""
    org_id = _exact_for(user)
    if org_id is None:
        return facts.order_by().count(), False
    row = facts.order_by().aggregate(n=Count("id"), others=Count("id", filter=~Q(owner_id=org_id)))
    return int(row["n"]), row["others"] == 0


def protect(n: int, exact: bool) -> ChartValue:
    if not exact and 0 < n < SMALL_CELL:
        return SUPPRESSED
    return n


#: The marker of a cell withheld by complementary suppression (it may be 5 or more); the same in
#: every language, as statistical offices print it.
WITHHELD_MARK = "x"


def withheld() -> Suppressed:
    """A cell withheld so that a suppressed cell cannot be derived from the total and the others."""
    return Suppressed(text=WITHHELD_MARK)


def shown(value: ChartValue) -> str:
    if isinstance(value, Suppressed):
        return value.text if value.text is not None else f"<{SMALL_CELL}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def dimension_counts(queryset: QuerySet[CaseRecord], dimension: str) -> list[tuple[str, int]]:
    """(code, number of cases) for one dimension, most frequent first; multi-valued cases count once per value."""
    return _dimension_counts(queryset, dimension)[0]


def _dimension_counts(
    queryset: QuerySet[Any], dimension: str, others_than: int | None = None
) -> tuple[list[tuple[str, int]], int, int]:
    """The counts of one dimension, the number of cases (each case is in one stored group), and the
    number of cases not owned by organisation ``others_than`` (0 when it is None)."""
    column, _field, multi = DIMENSIONS[dimension]
    rows = queryset.order_by().values_list(column)
    if others_than is None:
        counted = [(value, n, 0) for value, n in rows.annotate(n=Count("id"))]
    else:
        counted = list(rows.annotate(n=Count("id"), others=Count("id", filter=~Q(owner_id=others_than))))
    totals: Counter[str] = Counter()
    cases = 0
    others = 0
    for value, n, not_own in counted:
        cases += n
        others += not_own
        if multi:
            parts = [p for p in (value or "").split(MULTI_SEP) if p]
            for part in parts or [""]:
                totals[part] += n
        else:
            totals["" if value is None else str(value)] += n
    if dimension in ("year", "age_group"):
        order = [label for _l, _h, label in AGE_GROUPS] if dimension == "age_group" else None
        keys = sorted(totals, key=lambda k: (k == "", order.index(k) if order and k in order else k))
        return [(k, totals[k]) for k in keys], cases, others
    return sorted(totals.items(), key=lambda item: (item[0] == "", -item[1], item[0])), cases, others


def _complementary_suppression(items: list[tuple[str, int]], shown: list[ChartValue]) -> None:
    """When one cell of a breakdown is suppressed, also suppress the smallest other non-zero cell.

    Otherwise the total minus the published cells would give the suppressed count back exactly.
    """
    hidden = [i for i, value in enumerate(shown) if isinstance(value, Suppressed)]
    if len(hidden) != 1:
        return
    others = [i for i, (_code, n) in enumerate(items) if i not in hidden and n > 0]
    if others:
        shown[min(others, key=lambda i: items[i][1])] = withheld()


COUNTS_CACHE_SECONDS = 600


def counts_generation() -> str:
    """A mark that changes whenever case data or its access may have changed.

    Every import (the only way cases, their sensitivity, consent or sharing change) stamps its
    submission's ``committed_at`` and the records it writes; both maxima are index look-ups.
    """
    from .models import Submission

    stamp = Submission.objects.aggregate(at=Max("committed_at"), n=Max("id"))  # one row per file: small
    # Two look-ups, one per index (SQLite answers a lone MAX from an index, two MAXes by a scan).
    last_change = CaseRecord.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    last_id = CaseRecord.objects.order_by("-id").values_list("id", flat=True).first()
    return f"{stamp['at']}|{stamp['n']}|{last_change}|{last_id}"


def _raw_counts(
    queryset: QuerySet[CaseFacts], dimensions: list[str], exact_for: int | None
) -> dict[str, Any]:
    """Counts by each dimension, the total, and whether every counted case is ``exact_for``'s own.

    The first dimension's query also counts the cases of other organisations, so exactness costs
    no query of its own.
    """
    total: int | None = None
    others = 0
    result: dict[str, Any] = {"dimensions": {}}
    for dim in dimensions:
        items, cases, not_own = _dimension_counts(queryset, dim, exact_for if total is None else None)
        if total is None:
            total, others = cases, not_own
        result["dimensions"][dim] = items
    if total is None:
        if exact_for is None:
            total = queryset.order_by().count()
        else:
            row = queryset.order_by().aggregate(
                n=Count("id"), others=Count("id", filter=~Q(owner_id=exact_for))
            )
            total, others = int(row["n"]), int(row["others"])
    result["total"] = total
    result["exact"] = exact_for is not None and others == 0
    return result


def _cached_counts(user: Any, case_filter: CaseFilter, dimensions: list[str]) -> dict[str, Any]:
    """Exact counts and whether they may be shown exactly, cached per access scope and data state."""
    scope = access.access_case_counts_scope(user)
    exact_for = _exact_for(user)
    key_text = json.dumps(
        [counts_generation(), scope, exact_for, sorted(case_filter.values.items()), dimensions], default=str
    )
    key = "vinculo:cases:counts:" + hashlib.sha256(key_text.encode("utf-8")).hexdigest()
    found = django_cache.get(key)
    if isinstance(found, dict):
        return found
    result = _raw_counts(counted_facts(user, case_filter), dimensions, exact_for)
    django_cache.set(key, result, COUNTS_CACHE_SECONDS)
    return result


def count_summary(user: Any, case_filter: CaseFilter, dimensions: list[str]) -> dict[str, Any]:
    """Total and per-dimension counts of the cases counted for ``user``, small cells protected.

    Other organisations' internal cases are counted here but never listed (``counted_cases``).
    """
    raw = _cached_counts(user, case_filter, dimensions)
    exact = bool(raw["exact"])
    result: dict[str, Any] = {"exact": exact, "dimensions": {}}
    for dim in dimensions:
        items = [(str(code), int(n)) for code, n in raw["dimensions"][dim]]
        shown = [protect(n, exact) for _code, n in items]
        _complementary_suppression(items, shown)
        result["dimensions"][dim] = [
            (code, label(dim, code), value) for (code, _n), value in zip(items, shown, strict=True)
        ]
    result["total"] = protect(int(raw["total"]), exact)
    return result
