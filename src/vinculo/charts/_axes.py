"""Scales, axes and legends shared by the chart functions."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vinculo.charts._svg import AXIS, GRID, PALETTE, el, nice_ticks, text, text_units, truncate

__all__ = ["CHAR_WIDTH", "LinearScale", "legend", "legend_height", "make_scale", "value_axis"]

#: Width of one character at font-size 12 (0.6 em, a little wider than Latin digits and letters in
#: system sans-serif fonts), used to reserve room for labels and to keep them from overlapping.
CHAR_WIDTH = 7.2

#: Dash patterns paired with the palette so line series differ by more than colour.
DASHES: tuple[str | None, ...] = (None, "6 3", "2 3", "8 3 2 3", "4 4", "1 2")


@dataclass(frozen=True, slots=True)
class LinearScale:
    """Maps data values in ``[lo, hi]`` to pixels in ``[p0, p1]`` (p1 may be below p0)."""

    lo: float
    hi: float
    p0: float
    p1: float
    ticks: tuple[float, ...]

    def __call__(self, value: float) -> float:
        if self.hi == self.lo:
            return (self.p0 + self.p1) / 2
        return self.p0 + (value - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0)


def make_scale(values: Sequence[float], p0: float, p1: float, *, include_zero: bool = True) -> LinearScale:
    """A scale with round ticks covering ``values`` (and zero when ``include_zero``)."""
    finite = list(values)
    lo = min(finite) if finite else 0.0
    hi = max(finite) if finite else 1.0
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    ticks = nice_ticks(lo, hi)
    return LinearScale(ticks[0], ticks[-1], p0, p1, tuple(ticks))


def value_axis(
    scale: LinearScale,
    *,
    horizontal: bool,
    cross_from: float,
    cross_to: float,
    fmt: Callable[[float], str],
) -> list[str]:
    """Grid lines and tick labels for a value axis.

    For a vertical value axis (``horizontal=False``) ticks are rows spanning x in
    ``[cross_from, cross_to]`` with labels left of ``cross_from``; for a horizontal one they
    are columns spanning y with labels below ``cross_to``.
    """
    out: list[str] = ['<g class="axis" aria-hidden="true">']
    every = 1
    if horizontal and len(scale.ticks) > 1:
        # labels side by side: label every k-th tick so that neighbours keep 8 px between them
        step = abs(scale(scale.ticks[1]) - scale(scale.ticks[0]))
        widest = max(len(fmt(t)) for t in scale.ticks) * CHAR_WIDTH
        every = max(1, math.ceil((widest + 8) / step)) if step > 0 else len(scale.ticks)
    for k, t in enumerate(scale.ticks):
        p = scale(t)
        if horizontal:
            out.append(el("line", x1=p, y1=cross_from, x2=p, y2=cross_to, stroke=GRID))
            if k % every == 0:
                out.append(text(p, cross_to + 16, fmt(t), anchor="middle", fill=AXIS, size=12))
        else:
            out.append(el("line", x1=cross_from, y1=p, x2=cross_to, y2=p, stroke=GRID))
            out.append(text(cross_from - 6, p + 4, fmt(t), anchor="right", fill=AXIS, size=12))
    zero = scale(0.0) if scale.lo <= 0.0 <= scale.hi else None
    if zero is not None:
        if horizontal:
            out.append(el("line", x1=zero, y1=cross_from, x2=zero, y2=cross_to, stroke=AXIS))
        else:
            out.append(el("line", x1=cross_from, y1=zero, x2=cross_to, y2=zero, stroke=AXIS))
    out.append("</g>")
    return out


def _legend_rows(names: Sequence[str], width: float) -> list[list[tuple[int, str, float]]]:
    rows: list[list[tuple[int, str, float]]] = [[]]
    x = 0.0
    for i, name in enumerate(names):
        label = truncate(name, 40)
        w = 26 + CHAR_WIDTH * text_units(label) + 14
        if rows[-1] and x + w > width:
            rows.append([])
            x = 0.0
        rows[-1].append((i, label, w))
        x += w
    return rows


def legend_height(names: Sequence[str], width: float) -> float:
    """Vertical room the legend needs (0 for one series or none)."""
    if len(names) < 2:
        return 0.0
    return 20.0 * len(_legend_rows(names, width)) + 6


def legend(
    names: Sequence[str],
    *,
    x: float,
    y: float,
    width: float,
    kind: str = "box",
    colors: Sequence[str] = PALETTE,
) -> list[str]:
    """A legend: a swatch (box, or a dashed line with a marker) and the series name for each."""
    if len(names) < 2:
        return []
    out = ['<g class="legend">']
    for r, row in enumerate(_legend_rows(names, width)):
        cx = x
        cy = y + 20 * r
        for i, label, w in row:
            color = colors[i % len(colors)]
            if kind == "line":
                dash = DASHES[i % len(DASHES)]
                out.append(
                    el(
                        "line",
                        x1=cx,
                        y1=cy,
                        x2=cx + 20,
                        y2=cy,
                        stroke=color,
                        stroke_width=2.5,
                        stroke_dasharray=dash,
                    )
                )
                out.append(marker(i, cx + 10, cy, color))
            else:
                out.append(el("rect", x=cx + 4, y=cy - 6, width=12, height=12, fill=color))
            out.append(text(cx + 26, cy + 4, label, anchor="left"))
            cx += w
    out.append("</g>")
    return out


def marker(index: int, x: float, y: float, color: str) -> str:
    """A point marker whose shape depends on the series (circle, square, triangle, diamond)."""
    shape = index % 4
    if shape == 0:
        return el("circle", cx=x, cy=y, r=3.5, fill=color)
    if shape == 1:
        return el("rect", x=x - 3.5, y=y - 3.5, width=7, height=7, fill=color)
    if shape == 2:
        pts = f"{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f}"
        return el("polygon", points=pts, fill=color)
    pts = f"{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y:.1f} {x:.1f},{y + 4.5:.1f} {x - 4.5:.1f},{y:.1f}"
    return el("polygon", points=pts, fill=color)
