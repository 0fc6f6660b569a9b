"""SVG plots of a stored MSE result (drawn from the stored numbers; no raw records involved)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from vinculo import charts


def result_plots(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each plot as ``{"title", "svg", "table": {"header", "rows"}}``, in reading order."""
    plots: list[dict[str, Any]] = []
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
            [f"{p[0]:.1f}", f"{p[1]:.3f}"] for p in profile
        ]
        plots.append({"title": title, "svg": svg, "table": table})
    candidates = result.get("candidates") or []
    if candidates:
        title = _("Best models by BIC")
        labels = [" + ".join(c["terms"]) or _("main effects") for c in candidates]
        svg = charts.bar_chart(
            labels,
            [c["estimate"] for c in candidates],
            title=title,
            description=_("Estimated total population under each of the best models, best first."),
            horizontal=True,
        )
        table = [[_("model"), "BIC", "AIC", _("estimate")]] + [
            [label, f"{c['bic']:.2f}", f"{c['aic']:.2f}", f"{c['estimate']:.1f}"]
            for label, c in zip(labels, candidates, strict=True)
        ]
        plots.append({"title": title, "svg": svg, "table": table})
    return plots
