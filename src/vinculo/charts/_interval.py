"""Point estimates with intervals, one row each (a dot-and-whisker chart), one row highlighted.

Used to compare the candidate models of a model search: each row is a model, its estimate a dot
and its interval a line; the highlighted row (the chosen model) is drawn in the accent colour with
a thicker line and a ring, and its label says so, so the mark does not rely on colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from vinculo.charts._axes import CHAR_WIDTH, make_scale, value_axis
from vinculo.charts._svg import (
    AXIS,
    PALETTE,
    chart_id,
    default_format,
    document,
    el,
    escape_text,
    no_data_chart,
    text,
)

__all__ = ["interval_chart"]

_ROW = 26


def _finite(value: float | None) -> float | None:
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def interval_chart(
    labels: Sequence[str],
    estimates: Sequence[float | None],
    lowers: Sequence[float | None],
    uppers: Sequence[float | None],
    *,
    title: str,
    description: str,
    highlight: int | None = None,
    highlight_label: str = "chosen",
    x_label: str = "",
    value_format: Callable[[float], str] = default_format,
    width: int = 640,
    missing: str = "no data",
) -> str:
    """An ``<svg role="img">`` with one row per label: the estimate as a dot, the interval as a line.

    Rows without a finite estimate are drawn as "no data"; rows without a finite interval show
    the dot alone. ``highlight`` is the index of the row to mark (its label gets
    ``highlight_label`` in parentheses).
    """
    n = len(labels)
    if not (len(estimates) == len(lowers) == len(uppers) == n):
        raise ValueError("interval_chart: labels, estimates, lowers and uppers must have the same length")
    points = [
        (_finite(e), _finite(lo), _finite(hi)) for e, lo, hi in zip(estimates, lowers, uppers, strict=True)
    ]
    values = [v for row in points for v in row if v is not None]
    if not n or not values:
        return no_data_chart(
            "interval", title=title, description=description, width=width, height=120, message=missing
        )
    shown = [
        f"{label} ({highlight_label})" if i == highlight else str(label) for i, label in enumerate(labels)
    ]
    # Labels are shown in full: a long one widens the chart (pages scale it down to fit) instead of
    # being cut or running off the left edge.
    label_width = round(12 + CHAR_WIDTH * max(len(s) for s in shown))
    width = max(width, label_width + 360)
    left, right, top = label_width + 8, width - 24, 12
    height = top + _ROW * n + 44
    scale = make_scale(values, left, right, include_zero=False)
    axis_y = top + _ROW * n + 4
    body = value_axis(scale, horizontal=True, cross_from=top, cross_to=axis_y, fmt=value_format)
    if x_label:
        body.append(text((left + right) / 2, axis_y + 32, x_label, anchor="middle", fill=AXIS))
    for i, (label, (est, lo, hi)) in enumerate(zip(shown, points, strict=True)):
        y = top + _ROW * i + _ROW / 2
        chosen = i == highlight
        colour = PALETTE[1] if chosen else PALETTE[0]
        body.append(text(label_width, y + 4, label, anchor="right", weight="bold" if chosen else None))
        if est is None:
            body.append(text(left + 4, y + 4, missing, fill=AXIS))
            continue
        tip = value_format(est) + (
            f" ({value_format(lo)} – {value_format(hi)})" if lo is not None and hi is not None else ""
        )
        if lo is not None and hi is not None:
            body.append(
                el(
                    "line",
                    x1=round(scale(lo), 1),
                    y1=y,
                    x2=round(scale(hi), 1),
                    y2=y,
                    stroke=colour,
                    stroke_width=4 if chosen else 2,
                )
            )
        cx = round(scale(est), 1)
        if chosen:
            body.append(el("circle", cx=cx, cy=y, r=8, fill="none", stroke=colour, stroke_width=2))
        body.append(
            f'<circle cx="{cx}" cy="{y}" r="5" fill="{colour}"><title>{escape_text(tip)}</title></circle>'
        )
    uid = chart_id("interval", tuple(shown), tuple(points), title)
    return document(uid, width=width, height=height, title=title, description=description, body=body)
