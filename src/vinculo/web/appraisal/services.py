"""Aggregates of submitted questionnaires for the dashboard (counts only, never one organisation's answers)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from vinculo import charts
from vinculo.coordination import PROGRESS_STATUSES, count_progress, region_of

from .models import Answer, Cycle, Pillar, Progress, QuestionnaireStatus


def _labels() -> dict[str, str]:
    return {value: str(label) for value, label in Progress.choices}


def dashboard_data(cycle: Cycle | None) -> dict[str, Any]:
    answers = Answer.objects.filter(questionnaire__status=QuestionnaireStatus.SUBMITTED).exclude(status="")
    pillars = list(Pillar.objects.all())
    labels = _labels()
    plots = []
    tables: dict[str, list[list[str]]] = {}
    scoped = answers.filter(questionnaire__cycle=cycle) if cycle else answers.none()
    rows = list(scoped.values_list("action_point__pillar__title", "questionnaire__country__iso3", "status"))
    groups = {
        "pillar": (
            _("Progress by pillar"),
            _(
                "Answers by progress status for each pillar of the Global Plan of Action, submitted questionnaires of the cycle."
            ),
            count_progress([(p, s) for p, _c, s in rows], [p.title for p in pillars]),
        ),
        "region": (
            _("Progress by region"),
            _("Answers by progress status for each region, submitted questionnaires of the cycle."),
            count_progress([(region_of(c or "") or _("No region"), s) for _p, c, s in rows]),
        ),
    }
    all_rows = list(answers.values_list("questionnaire__cycle__year", "status"))
    years = [str(c.year) for c in Cycle.objects.order_by("year")]
    groups["cycle"] = (
        _("Progress by cycle"),
        _("Answers by progress status in each appraisal cycle, all submitted questionnaires."),
        count_progress([(str(y), s) for y, s in all_rows], years),
    )
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
    return {"plots": plots, "tables": tables, "submitted": scoped.values("questionnaire").distinct().count()}
