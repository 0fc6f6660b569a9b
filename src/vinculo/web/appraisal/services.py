"""Aggregates of submitted questionnaires for the dashboard (counts only, never one organisation's answers).

An aggregate is shown only when at least ``VINCULO_APPRAISAL_MIN_ORGANISATIONS`` organisations (default 3)
submitted the questionnaires it counts: a cycle with fewer shows no progress at all, a region with fewer
is pooled with others (:func:`vinculo.coordination.pool_small_groups`), and the comparison of cycles
leaves out the cycles with fewer. The dashboard, the API and the reports all use these functions.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from vinculo import charts
from vinculo.coordination import PROGRESS_STATUSES, count_progress, pool_small_groups, region_of

from .models import Answer, Cycle, Pillar, Progress, Questionnaire, QuestionnaireStatus

DEFAULT_MIN_ORGANISATIONS = 3


def min_organisations() -> int:
    """How many organisations must have submitted before an aggregate of their answers is shown (>= 2)."""
    value = getattr(settings, "VINCULO_APPRAISAL_MIN_ORGANISATIONS", DEFAULT_MIN_ORGANISATIONS)
    return max(2, int(value))


def responding_organisations(cycle: Cycle | None) -> int:
    """How many organisations submitted their questionnaire for ``cycle``."""
    if cycle is None:
        return 0
    return (
        Questionnaire.objects.filter(cycle=cycle, status=QuestionnaireStatus.SUBMITTED)
        .values("organisation_id")
        .distinct()
        .count()
    )


def cycles_shown() -> set[int]:
    """The years of the cycles with enough responding organisations for their aggregates to be shown."""
    counts: dict[int, set[int]] = defaultdict(set)
    for year, org in Questionnaire.objects.filter(status=QuestionnaireStatus.SUBMITTED).values_list(
        "cycle__year", "organisation_id"
    ):
        counts[year].add(org)
    return {year for year, orgs in counts.items() if len(orgs) >= min_organisations()}


NO_REGION = "none"
POOLED = "pooled"


def region_groups(cycle: Cycle) -> dict[int, str]:
    """Questionnaire id -> the key of the region its answers are shown under (see :func:`region_label`).

    Regions with fewer than :func:`min_organisations` responding organisations are pooled (``POOLED``).
    """
    by_region: dict[str, set[int]] = defaultdict(set)
    region_of_q: dict[int, str] = {}
    submitted = Questionnaire.objects.filter(cycle=cycle, status=QuestionnaireStatus.SUBMITTED)
    for pk, iso3 in submitted.values_list("pk", "country__iso3"):
        region = region_of(iso3 or "") or NO_REGION
        by_region[region].add(pk)
        region_of_q[pk] = region
    shown = pool_small_groups(by_region, min_organisations(), POOLED)
    return {pk: shown[region] for pk, region in region_of_q.items()}


def region_label(key: str) -> str:
    if key == NO_REGION:
        return str(_("No region"))
    if key == POOLED:
        return str(_("Other regions (pooled)"))
    return key


def withheld_note(cycle: Cycle | None) -> str:
    """Why a cycle's aggregates are not shown, or "" when they are."""
    count, minimum = responding_organisations(cycle), min_organisations()
    if cycle is None or count >= minimum:
        return ""
    return _(
        "Progress is shown once at least %(minimum)s organisations have submitted their questionnaire for "
        "this cycle, so that no organisation's answers can be read from the totals; so far %(count)s have."
    ) % {"minimum": minimum, "count": count}


def _labels() -> dict[str, str]:
    return {value: str(label) for value, label in Progress.choices}


def dashboard_data(cycle: Cycle | None) -> dict[str, Any]:
    answers = Answer.objects.filter(questionnaire__status=QuestionnaireStatus.SUBMITTED).exclude(status="")
    pillars = list(Pillar.objects.all())
    labels = _labels()
    plots = []
    tables: dict[str, list[list[str]]] = {}
    note = withheld_note(cycle)
    scoped = answers.filter(questionnaire__cycle=cycle) if cycle and not note else answers.none()
    regions = region_groups(cycle) if cycle and not note else {}
    rows = list(scoped.values_list("action_point__pillar__title", "questionnaire_id", "status"))
    groups = {
        "pillar": (
            _("Progress by pillar"),
            _(
                "Answers by progress status for each pillar of the Global Plan of Action, submitted questionnaires of the cycle."
            ),
            count_progress([(p, s) for p, _q, s in rows], [p.title for p in pillars]),
        ),
        "region": (
            _("Progress by region"),
            _("Answers by progress status for each region, submitted questionnaires of the cycle."),
            count_progress([(region_label(regions[q]), s) for _p, q, s in rows]),
        ),
    }
    shown_years = cycles_shown()
    all_rows = list(
        answers.filter(questionnaire__cycle__year__in=shown_years).values_list(
            "questionnaire__cycle__year", "status"
        )
    )
    years = [str(c.year) for c in Cycle.objects.order_by("year") if c.year in shown_years]
    groups["cycle"] = (
        _("Progress by cycle"),
        _(
            "Answers by progress status in each appraisal cycle, all submitted questionnaires; cycles with "
            "fewer than %(minimum)s responding organisations are left out."
        )
        % {"minimum": min_organisations()},
        count_progress([(str(y), s) for y, s in all_rows], years),
    )
    if note:
        del groups["pillar"], groups["region"]
    for key, (title, description, counts) in groups.items():
        categories = [c.group for c in counts]
        series = {labels[s]: [c.counts[s] for c in counts] for s in PROGRESS_STATUSES}
        svg = (
            charts.stacked_bar_chart(
                categories, series, title=title, description=description, horizontal=True
            )
            if categories
            else ""
        )
        table = charts.data_table(categories, series, category_header=title)
        tables[key] = table
        plots.append(
            {
                "key": key,
                "title": title,
                "svg": svg,
                "table": table,
                "csv_url": f"?cycle={cycle.year if cycle else ''}&format=csv&table={key}",
            }
        )
    return {
        "plots": plots,
        "tables": tables,
        "submitted": responding_organisations(cycle),
        "minimum_organisations": min_organisations(),
        "withheld": note,
    }
