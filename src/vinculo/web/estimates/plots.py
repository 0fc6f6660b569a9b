"""SVG plots of a stored MSE result (drawn from the stored numbers; no raw records involved).

Each plot comes with the table of its data. Numbers in the tables are formatted for the page's
language; list names are shown in full (as the uploaded table's header gives them).
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from vinculo import charts
from vinculo.charts._axes import CHAR_WIDTH
from vinculo.web.core.templatetags.locale_format import number

from .reading import pattern_label

Plot = dict[str, Any]


def _finite(value: Any) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else None


def summed_cells(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The result's cells; for a result by stratum, the observed counts summed over the strata."""
    if result.get("cells"):
        return list(result["cells"])
    totals: dict[tuple[int, ...], int] = {}
    for stratum in (result.get("strata") or {}).values():
        for cell in stratum.get("cells") or []:
            key = tuple(cell["pattern"])
            totals[key] = totals.get(key, 0) + int(cell["observed"])
    return [{"pattern": list(k), "observed": v, "fitted": None} for k, v in totals.items()]


def overlap_plot(result: dict[str, Any], lists: list[str]) -> Plot | None:
    """UpSet chart of the cases on each combination of lists."""
    cells = summed_cells(result)
    if not cells or not lists:
        return None
    histories = [dict(zip(lists, c["pattern"], strict=False)) | {"count": c["observed"]} for c in cells]
    title = _("How the lists overlap")
    return {
        "title": title,
        "svg": charts.upset_chart(
            lists,
            histories,
            title=title,
            description=_(
                "Cases on exactly each combination of lists, largest first; the dots under each bar "
                "mark the lists of the combination."
            ),
            missing=_("no data"),
        ),
        "table": charts.overlap_table(lists, histories, lists_header=_("Lists"), count_header=_("Cases")),
    }


def fitted_plot(result: dict[str, Any], lists: list[str]) -> Plot | None:
    """Observed against fitted count of each capture pattern under the chosen model."""
    cells = [c for c in result.get("cells") or [] if _finite(c.get("fitted")) is not None]
    if not cells:
        return None
    cells.sort(key=lambda c: (-int(c["observed"]), sum(c["pattern"])))
    labels = [pattern_label(c["pattern"], lists) for c in cells]
    title = _("Observed and fitted cases per combination of lists")
    observed, fitted = _("observed"), _("fitted by the model")
    svg = charts.stacked_bar_chart(
        labels,
        {observed: [int(c["observed"]) for c in cells], fitted: [float(c["fitted"]) for c in cells]},
        title=title,
        description=_(
            "For each combination of lists, the cases observed on exactly those lists and the number the "
            "chosen model expects; close pairs mean the model fits the overlaps."
        ),
        mode="grouped",
        horizontal=True,
        missing=_("no data"),
        # Wide enough for the longest combination in full (the label column is at most 40 % of it).
        width=max(640, math.ceil((CHAR_WIDTH * max(len(label) for label in labels) + 12) / 0.4)),
    )
    table = [[_("Lists"), _("Observed"), _("Fitted"), _("Difference")]] + [
        [
            label,
            number(c["observed"], 0),
            number(c["fitted"], 1),
            number(float(c["observed"]) - c["fitted"], 1),
        ]
        for label, c in zip(labels, cells, strict=True)
    ]
    return {"title": title, "svg": svg, "table": table}


def candidates_chart(rows: list[dict[str, Any]]) -> str:
    """Estimate and interval of each candidate model (``reading.candidate_rows``), the chosen one marked.

    The page shows the candidates table next to it: that table is the chart's data.
    """
    if not rows:
        return ""
    chosen = next((i for i, r in enumerate(rows) if r["chosen"]), None)
    return charts.interval_chart(
        [r["terms"] for r in rows],
        [r["estimate"] for r in rows],
        [r["lower"] for r in rows],
        [r["upper"] for r in rows],
        title=_("Candidate models compared"),
        description=_(
            "Estimated total population under each candidate model with the model's own interval, best "
            "(lowest) BIC first; the chosen model is marked."
        ),
        highlight=chosen,
        highlight_label=_("chosen"),
        x_label=_("estimated total population"),
        missing=_("no data"),
    )


def result_plots(result: dict[str, Any], lists: list[str] | None = None) -> list[Plot]:
    """Each plot as ``{"title", "svg", "table"}`` (table: header row then rows), in reading order."""
    names = list(lists or result.get("lists") or [])
    plots: list[Plot] = [
        p for p in (overlap_plot(result, names), fitted_plot(result, names)) if p is not None
    ]
    interval = result.get("interval") or {}
    estimate = result.get("estimate")
    markers = {
        name: value
        for name, value in (
            (_("estimate"), estimate),
            (_("lower bound"), interval.get("lower")),
            (_("upper bound"), interval.get("upper")),
        )
        if isinstance(value, int | float)
    }
    boot = result.get("bootstrap") or {}
    replicates = [r for r in boot.get("replicates", []) if isinstance(r, int | float)]
    if replicates:
        title = _("Bootstrap distribution of the estimate")
        svg = charts.histogram(
            replicates,
            bins=30,
            title=title,
            description=_(
                "%(n)d bootstrap replicates of the total population, with the estimate and the interval."
            )
            % {"n": len(replicates)},
            marker_lines=markers,
            x_label=_("estimated total population"),
        )
        table = charts.histogram_table(replicates, bins=30)
        table[0] = [pgettext("histogram bin", "From"), pgettext("histogram bin", "To"), _("Count")]
        plots.append({"title": title, "svg": svg, "table": table})
    profile = [p for p in result.get("profile", []) if None not in p]
    if profile:
        title = _("Profile likelihood")
        svg = charts.line_chart(
            [p[0] for p in profile],
            {_("deviance increase"): [p[1] for p in profile]},
            title=title,
            description=_("Increase in deviance as the total population moves away from the estimate."),
            x_label=_("total population"),
            y_label=_("deviance increase"),
            include_zero=True,
            marker_lines=markers,
            show_markers=False,
        )
        table = [[_("total population"), _("deviance increase")]] + [
            [number(p[0], 1), number(p[1], 3)] for p in profile
        ]
        plots.append({"title": title, "svg": svg, "table": table})
    return plots
