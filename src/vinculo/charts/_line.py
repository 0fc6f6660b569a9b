"""Line charts (trends, profile-likelihood curves) and histograms (bootstrap distributions)."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from vinculo.charts._axes import DASHES, LinearScale, legend, legend_height, make_scale, marker, value_axis
from vinculo.charts._svg import (
    AXIS,
    PALETTE,
    TEXT,
    Anchor,
    ChartValue,
    chart_id,
    default_format,
    document,
    el,
    escape_text,
    group,
    no_data_chart,
    numeric,
    text,
    title_lines,
    truncate,
    value_text,
)
from vinculo.errors import VinculoError

__all__ = ["HistogramBin", "histogram", "histogram_bins", "line_chart"]


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def line_chart(
    x: Sequence[float | int | str],
    series: Mapping[str, Sequence[ChartValue]],
    *,
    title: str,
    description: str,
    x_label: str | None = None,
    y_label: str | None = None,
    value_format: Callable[[float], str] = default_format,
    x_format: Callable[[float], str] | None = None,
    unit: str | None = None,
    missing: str = "no data",
    include_zero: bool = True,
    reference_lines: Mapping[str, float] | None = None,
    marker_lines: Mapping[str, float] | None = None,
    width: int = 640,
    height: int = 320,
    colors: Sequence[str] = PALETTE,
    show_markers: bool = True,
    show_title: bool = True,
) -> str:
    """One or more lines over a shared x axis, as an accessible SVG string.

    Parameters
    ----------
    x : sequence of numbers or str
        Numbers (years, N values) are placed on a linear scale; strings are spaced evenly.
    series : mapping of str to sequence
        Series name to one y value per x. ``None`` (and :class:`Suppressed`) leave a gap in
        the line rather than joining across it.
    x_label, y_label : str, optional
        Axis titles.
    include_zero : bool
        Start the y axis at zero (default). Use False for a profile log-likelihood.
    reference_lines : mapping of str to float, optional
        Labelled horizontal lines (e.g. the chi-square cut-off of a profile likelihood).
    marker_lines : mapping of str to float, optional
        Labelled vertical lines at x positions (numeric x only), e.g. the estimate.
    show_markers : bool
        Draw a point marker at each value; each series has its own shape and dash pattern,
        so series are told apart without relying on colour.

    Examples
    --------
    >>> from vinculo.charts import line_chart
    >>> svg = line_chart([2019, 2020, 2021], {"Detected victims": [120, 130, 140]},
    ...                  title="Trend", description="Detected victims per year.")
    >>> "<path" in svg
    True
    """
    xs = list(x)
    names = list(series)
    for name in names:
        if len(series[name]) != len(xs):
            raise VinculoError(
                f"Chart {title!r}: series {name!r} has {len(series[name])} values but x has {len(xs)}.",
                code="charts.length_mismatch",
                fields={"series": name, "values": len(series[name]), "x": len(xs)},
                fix="Give one value per x position (use None for no data).",
            )
    ys = {n: [numeric(v) for v in series[n]] for n in names}
    finite_y = [v for n in names for v in ys[n] if v is not None]
    if not xs or not finite_y:
        return no_data_chart("line", title=title, description=description, width=width, height=height)
    numeric_x = all(_is_number(v) for v in xs)
    refs = dict(reference_lines or {})
    marks = dict(marker_lines or {}) if numeric_x else {}
    fmt_x: Callable[[float], str] = x_format or (
        (lambda v: str(int(v)) if float(v).is_integer() else default_format(v))
        if numeric_x
        else default_format
    )

    heading, title_h = title_lines(title, width) if show_title else ([], 10.0)
    height += int(max(title_h - 34.0, 0.0))  # room for a title wrapped onto more lines
    top = title_h + legend_height(names, width - 20)
    if marks:
        top += 16.0 * len(marks)
    bottom = height - (44.0 if x_label else 28.0)
    y_scale = make_scale(finite_y + list(refs.values()), bottom, top + 8, include_zero=include_zero)
    tick_w = 7.0 * max(len(value_format(t)) for t in y_scale.ticks) + 14
    left = max(48.0, tick_w) + (18.0 if y_label else 0.0)
    right = width - 16.0

    if numeric_x:
        xv = [float(v) for v in xs] + list(marks.values())
        x_scale = make_scale(xv, left, right, include_zero=False)
        # years and other integer x: keep the data extent exactly, ticks inside it
        lo, hi = min(xv), max(xv)
        if hi > lo:
            ticks = tuple(t for t in x_scale.ticks if lo <= t <= hi)
            x_scale = LinearScale(lo, hi, left + 8, right - 8, ticks)

        def px(i: int) -> float:
            return x_scale(float(xs[i]))
    else:
        step = (right - left) / len(xs)

        def px(i: int) -> float:
            return left + (i + 0.5) * step

    uid = chart_id(
        "line", title, description, width, [repr(v) for v in xs], names, [repr(ys[n]) for n in names]
    )
    body: list[str] = list(heading)
    body += legend(names, x=10, y=title_h + 8, width=width - 20, kind="line", colors=colors)
    body += value_axis(y_scale, horizontal=False, cross_from=left, cross_to=right, fmt=value_format)
    # x axis
    body.append('<g class="axis" aria-hidden="true">')
    body.append(el("line", x1=left, y1=bottom, x2=right, y2=bottom, stroke=AXIS))
    if numeric_x:
        for t in x_scale.ticks:
            body.append(text(x_scale(t), bottom + 16, fmt_x(t), anchor="middle", fill=AXIS, size=12))
    else:
        every = max(1, math.ceil(len(xs) * 7.0 * 8 / (right - left)))
        for i, v in enumerate(xs):
            if i % every == 0:
                body.append(
                    text(px(i), bottom + 16, truncate(str(v), 12), anchor="middle", fill=AXIS, size=12)
                )
    body.append("</g>")
    if x_label:
        body.append(text((left + right) / 2, height - 8, x_label, anchor="middle"))
    if y_label:
        body.append(text(14, (top + bottom) / 2, y_label, anchor="middle", rotate=-90))

    for label, value in refs.items():
        y = y_scale(value)
        body.append(
            el("line", x1=left, y1=y, x2=right, y2=y, stroke=TEXT, stroke_dasharray="5 4", stroke_width=1)
        )
        body.append(text(right - 4, y - 4, label, anchor="right", size=12))
    for k, (label, value) in enumerate(marks.items()):
        xm = x_scale(value)
        body.append(
            el(
                "line",
                x1=xm,
                y1=top - 16.0 * len(marks) + 4,
                x2=xm,
                y2=bottom,
                stroke=TEXT,
                stroke_dasharray="5 4",
            )
        )
        body.append(
            text(
                xm + 4, top - 16.0 * (len(marks) - k) + 12, f"{label}: {fmt_x(value)}", anchor="left", size=12
            )
        )

    for j, name in enumerate(names):
        color = colors[j % len(colors)]
        dash = DASHES[j % len(DASHES)]
        segments: list[list[tuple[float, float]]] = [[]]
        for i, yv in enumerate(ys[name]):
            if yv is None:
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append((px(i), y_scale(yv)))
        body.append('<g class="series">' + f"<title>{escape_text(name)}</title>")
        for seg in segments:
            if len(seg) >= 2:
                d = "M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in seg)
                body.append(
                    el(
                        "path",
                        d=d,
                        fill="none",
                        stroke=color,
                        stroke_width=2.5,
                        stroke_dasharray=dash,
                        stroke_linejoin="round",
                    )
                )
        for i, raw in enumerate(series[name]):
            point_y = ys[name][i]
            point_label = (
                f"{name + ', ' if name else ''}{xs[i]}: {value_text(raw, value_format, unit, missing)}"
            )
            if point_y is None:
                continue
            if show_markers or all(len(s) < 2 for s in segments):
                body.append(
                    f"<g><title>{escape_text(point_label)}</title>"
                    + marker(j, px(i), y_scale(point_y), color)
                    + "</g>"
                )
        body.append("</g>")
    return document(uid, width=width, height=height, title=title, description=description, body=body)


@dataclass(frozen=True, slots=True)
class HistogramBin:
    """One histogram bin ``[lower, upper)`` (the last bin includes its upper edge)."""

    lower: float
    upper: float
    count: int


def histogram_bins(values: Iterable[float], bins: int | Sequence[float] = 30) -> list[HistogramBin]:
    """Count finite ``values`` into ``bins`` equal-width bins, or between the given edges.

    NaN and infinite values are dropped. With no finite values the result is empty.

    Examples
    --------
    >>> from vinculo.charts import histogram_bins
    >>> [b.count for b in histogram_bins([1, 2, 2, 3], bins=2)]
    [1, 3]
    """
    data = sorted(float(v) for v in values if math.isfinite(float(v)))
    if isinstance(bins, int):
        if bins < 1:
            raise VinculoError(
                f"A histogram needs at least one bin; found bins={bins}.",
                code="charts.invalid_option",
                fix="Pass bins=30 or a list of bin edges.",
            )
        if not data:
            return []
        lo, hi = data[0], data[-1]
        if hi == lo:
            lo, hi = lo - 0.5, hi + 0.5
        edges = [lo + (hi - lo) * k / bins for k in range(bins + 1)]
    else:
        edges = sorted(float(e) for e in bins)
        if len(edges) < 2:
            raise VinculoError(
                f"A histogram needs at least two bin edges; found {len(edges)}.",
                code="charts.invalid_option",
                fix="Pass bins as an integer or as two or more increasing edges.",
            )
    counts = [0] * (len(edges) - 1)
    for v in data:
        if v < edges[0] or v > edges[-1]:
            continue
        k = min(bisect.bisect_right(edges, v) - 1, len(counts) - 1)
        counts[k] += 1
    return [HistogramBin(edges[k], edges[k + 1], counts[k]) for k in range(len(counts))]


def histogram(
    values: Iterable[float],
    *,
    bins: int | Sequence[float] = 30,
    title: str,
    description: str,
    marker_lines: Mapping[str, float] | None = None,
    x_label: str | None = None,
    value_format: Callable[[float], str] = default_format,
    width: int = 640,
    height: int = 300,
    color: str = PALETTE[0],
    show_title: bool = True,
) -> str:
    """A histogram (e.g. of bootstrap estimates) with labelled vertical marker lines.

    Parameters
    ----------
    values : iterable of float
        The sample; NaN and infinite values are ignored.
    bins : int or sequence of float
        Number of equal-width bins or explicit edges.
    marker_lines : mapping of str to float, optional
        Labelled vertical lines, e.g. ``{"estimate": 1184, "95% lower": 717, "95% upper": 1657}``.

    Examples
    --------
    >>> from vinculo.charts import histogram
    >>> svg = histogram([1.0, 2.0, 2.5, 3.0], bins=3, title="Bootstrap", description="1,000 resamples.",
    ...                 marker_lines={"estimate": 2.2})
    >>> "estimate" in svg
    True
    """
    table = histogram_bins(values, bins)
    marks = {k: float(v) for k, v in (marker_lines or {}).items() if math.isfinite(float(v))}
    if not table or sum(b.count for b in table) == 0:
        return no_data_chart("hist", title=title, description=description, width=width, height=height)
    heading, title_h = title_lines(title, width) if show_title else ([], 10.0)
    height += int(max(title_h - 34.0, 0.0))  # room for a title wrapped onto more lines
    top = title_h + 16.0 * len(marks)
    bottom = height - (44.0 if x_label else 28.0)
    y_scale = make_scale([float(b.count) for b in table], bottom, top + 8)
    left = max(48.0, 7.0 * max(len(default_format(t)) for t in y_scale.ticks) + 14)
    right = width - 16.0
    x_scale = make_scale([table[0].lower, table[-1].upper, *marks.values()], left, right, include_zero=False)

    uid = chart_id(
        "hist", title, description, width, [(b.lower, b.count) for b in table], sorted(marks.items())
    )
    body: list[str] = list(heading)
    body += value_axis(y_scale, horizontal=False, cross_from=left, cross_to=right, fmt=default_format)
    body.append('<g class="axis" aria-hidden="true">')
    for t in x_scale.ticks:
        body.append(text(x_scale(t), bottom + 16, value_format(t), anchor="middle", fill=AXIS, size=12))
    body.append("</g>")
    if x_label:
        body.append(text((left + right) / 2, height - 8, x_label, anchor="middle"))
    for b in table:
        x0, x1 = x_scale(b.lower), x_scale(b.upper)
        y = y_scale(float(b.count))
        tip = f"{value_format(b.lower)} to {value_format(b.upper)}: {group(b.count)}"
        body.append(
            f"<g><title>{escape_text(tip)}</title>"
            + el("rect", x=x0, y=y, width=max(x1 - x0 - 1, 0.5), height=max(bottom - y, 0.0), fill=color)
            + "</g>"
        )
    for k, (label, value) in enumerate(marks.items()):
        xm = x_scale(value)
        dash = ("5 4", "2 3", "8 3 2 3")[k % 3]
        body.append(
            el(
                "line",
                x1=xm,
                y1=top - 16.0 * (len(marks) - k) + 4,
                x2=xm,
                y2=bottom,
                stroke=TEXT,
                stroke_width=1.5,
                stroke_dasharray=dash,
            )
        )
        anchor: Anchor = "left" if xm < (left + right) / 2 else "right"
        body.append(
            text(
                xm + (4 if anchor == "left" else -4),
                top - 16.0 * (len(marks) - k) + 12,
                f"{label}: {value_format(value)}",
                anchor=anchor,
                size=12,
            )
        )
    return document(uid, width=width, height=height, title=title, description=description, body=body)
