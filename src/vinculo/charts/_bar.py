"""Bar charts: simple, grouped and stacked, vertical or horizontal."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from vinculo.charts._axes import CHAR_WIDTH, legend, legend_height, make_scale, value_axis
from vinculo.charts._svg import (
    AXIS,
    PALETTE,
    TEXT,
    Anchor,
    ChartValue,
    Suppressed,
    chart_id,
    default_format,
    document,
    el,
    escape_text,
    hatch_pattern,
    no_data_chart,
    numeric,
    text,
    text_units,
    title_lines,
    truncate,
    value_text,
    with_unit,
)
from vinculo.errors import VinculoError

__all__ = ["bar_chart", "stacked_bar_chart"]

BarMode = Literal["stacked", "grouped"]


def bar_chart(
    categories: Sequence[str],
    values: Sequence[ChartValue],
    *,
    title: str,
    description: str,
    horizontal: bool = False,
    value_format: Callable[[float], str] = default_format,
    unit: str | None = None,
    missing: str = "no data",
    width: int = 640,
    height: int | None = None,
    color: str = PALETTE[0],
    show_title: bool = True,
) -> str:
    """A bar chart of one value per category, as an accessible SVG string.

    Parameters
    ----------
    categories : sequence of str
        Category labels (may be user data: they are escaped and long ones are shortened,
        with the full text in the bar's tooltip).
    values : sequence of float, None or Suppressed
        One value per category. ``None`` means no data and is labelled ``missing``;
        a :class:`Suppressed` marker is drawn as a hatched, outlined bar labelled
        "<5 suppressed" and never as a number.
    title, description : str
        Become the SVG ``<title>`` and ``<desc>`` (read by screen readers); the title is also
        drawn unless ``show_title=False``. Say in ``description`` what the chart shows.
    horizontal : bool
        Horizontal bars, better for long labels (forms of exploitation, countries, models).
    value_format : callable
        Formats numbers on bars and ticks.
    unit : str, optional
        Appended to value labels ("cases", "per 100,000").
    width, height : int
        Size in pixels; ``height`` defaults to a size that fits the categories.

    Returns
    -------
    str
        An ``<svg role="img">`` element.

    Examples
    --------
    >>> from vinculo.charts import SUPPRESSED, bar_chart
    >>> svg = bar_chart(["Female", "Male", "Unknown"], [120, 85, SUPPRESSED],
    ...                 title="Victims by sex", description="Detected victims by sex, 2022.")
    >>> svg.startswith("<svg")
    True
    """
    return _bars(
        categories,
        {"": list(values)},
        mode="grouped",
        title=title,
        description=description,
        horizontal=horizontal,
        value_format=value_format,
        unit=unit,
        missing=missing,
        width=width,
        height=height,
        colors=(color,),
        show_title=show_title,
        kind="bar",
    )


def stacked_bar_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[ChartValue]],
    *,
    title: str,
    description: str,
    mode: BarMode = "stacked",
    horizontal: bool = False,
    value_format: Callable[[float], str] = default_format,
    unit: str | None = None,
    missing: str = "no data",
    width: int = 640,
    height: int | None = None,
    colors: Sequence[str] = PALETTE,
    show_title: bool = True,
) -> str:
    """Several series per category, stacked or side by side (grouped), as an accessible SVG.

    Parameters
    ----------
    categories : sequence of str
        Category labels (e.g. years or countries).
    series : mapping of str to sequence
        Series name (e.g. "Female", "Male") to one value per category. Values may be
        ``None`` (no data) or :class:`Suppressed`.
    mode : {"stacked", "grouped"}
        In a stack, a suppressed segment adds nothing to the stack; the category is marked
        "+ <5 suppressed" instead (its size is unknown, so it is never drawn as a quantity).
    Other parameters are as in :func:`bar_chart`.

    Examples
    --------
    >>> from vinculo.charts import SUPPRESSED, stacked_bar_chart
    >>> svg = stacked_bar_chart(["2020", "2021"], {"Female": [10, 12], "Male": [8, SUPPRESSED]},
    ...                         title="Victims by sex", description="Detected victims by sex and year.")
    >>> "<title" in svg
    True
    """
    if mode not in ("stacked", "grouped"):
        raise VinculoError(
            f"Unknown bar mode {mode!r} for chart {title!r}.",
            code="charts.invalid_option",
            fix='Use mode="stacked" or mode="grouped".',
        )
    return _bars(
        categories,
        dict(series),
        mode=mode,
        title=title,
        description=description,
        horizontal=horizontal,
        value_format=value_format,
        unit=unit,
        missing=missing,
        width=width,
        height=height,
        colors=tuple(colors) or PALETTE,
        show_title=show_title,
        kind="stack" if mode == "stacked" else "group",
    )


def _check_lengths(categories: Sequence[str], series: Mapping[str, Sequence[ChartValue]], title: str) -> None:
    for name, vals in series.items():
        if len(vals) != len(categories):
            what = f"series {name!r}" if name else "values"
            raise VinculoError(
                f"Chart {title!r}: {what} has {len(vals)} values but there are {len(categories)} categories.",
                code="charts.length_mismatch",
                fields={"series": name, "values": len(vals), "categories": len(categories)},
                fix="Give exactly one value per category (use None for no data).",
            )


def _bars(
    categories: Sequence[str],
    series: Mapping[str, Sequence[ChartValue]],
    *,
    mode: BarMode,
    title: str,
    description: str,
    horizontal: bool,
    value_format: Callable[[float], str],
    unit: str | None,
    missing: str,
    width: int,
    height: int | None,
    colors: Sequence[str],
    show_title: bool,
    kind: str,
) -> str:
    cats = [str(c) for c in categories]
    _check_lengths(cats, series, title)
    names = list(series)
    columns = [list(series[n]) for n in names]
    if not cats or not names or all(v is None for col in columns for v in col):
        return no_data_chart(kind, title=title, description=description, width=width, height=height or 200)

    stacked = mode == "stacked" and len(names) > 1
    # Extent of the value axis.
    extent: list[float] = [0.0]
    for i in range(len(cats)):
        pos = neg = 0.0
        for col in columns:
            v = col[i]
            f = numeric(v)
            if isinstance(v, Suppressed):
                extent.append(float(v.threshold))
            elif f is not None:
                if stacked:
                    pos, neg = (pos + f, neg) if f >= 0 else (pos, neg + f)
                else:
                    extent.append(f)
        extent += [pos, neg]

    fmt = value_format
    labels_all = [value_text(v, fmt, unit, missing) for col in columns for v in col] + [
        with_unit(fmt(max(extent)), unit)
    ]
    longest_value = max(len(s) for s in labels_all)
    heading, top = title_lines(title, width) if show_title else ([], 10.0)
    lg_h = legend_height(names, width - 20)
    top += lg_h
    uid = chart_id(kind, title, description, width, cats, names, [[repr(v) for v in c] for c in columns])
    body: list[str] = list(heading)
    body += legend(names, x=10, y=top - lg_h + 8, width=width - 20, colors=colors)

    n_series_per_band = 1 if stacked else len(names)
    if horizontal:
        label_w = min(0.4 * width, CHAR_WIDTH * max(text_units(c) for c in cats) + 12)
        band = max(22.0, 8.0 + 18.0 * n_series_per_band)
        plot_h = band * len(cats)
        total_h = height or int(top + plot_h + 34)
        plot_h = total_h - top - 34
        band = plot_h / len(cats)
        x0 = label_w + 8
        x1 = width - min(0.35 * width, CHAR_WIDTH * (longest_value + (4 if stacked else 0)) + 12)
        scale = make_scale(extent, x0, x1)
        body += value_axis(scale, horizontal=True, cross_from=top, cross_to=top + plot_h, fmt=fmt)
        max_chars = (label_w - 4) / CHAR_WIDTH
        for i, cat in enumerate(cats):
            by = top + i * band
            body.append(text(label_w, by + band / 2 + 4, truncate(cat, max_chars), anchor="right", extra=""))
        height_px = total_h
    else:
        tick_w = CHAR_WIDTH * max(len(fmt(e)) for e in extent) + 14
        x0 = max(48.0, tick_w)
        x1 = width - 12.0
        band = (x1 - x0) / len(cats)
        rotate = band < 70 and max(text_units(c) for c in cats) * CHAR_WIDTH > band - 4
        longest = min(14.0, max(text_units(c) for c in cats))
        # labels rotated by 40 degrees are parallel lines band * sin(40) apart: keep every k-th one so
        # that they are at least a line (14 px) apart
        every = max(1, math.ceil(14.0 / (band * math.sin(math.radians(40))))) if rotate else 1
        # rotated labels (-40 degrees) need about sin(40) of their length below the axis
        bottom = 24.0 + 0.65 * CHAR_WIDTH * longest if rotate else 56.0
        total_h = height or int(300 + (bottom - 56.0))
        height_px = total_h
        y1 = top + 6
        plot_bottom = total_h - bottom
        scale = make_scale(extent, plot_bottom, y1 + 14)
        body += value_axis(scale, horizontal=False, cross_from=x0, cross_to=x1, fmt=fmt)
        max_chars = 14.0 if rotate else max(3.0, (band - 4) / CHAR_WIDTH)
        for i, cat in enumerate(cats):
            if i % every:
                continue
            cx = x0 + (i + 0.5) * band
            label = truncate(cat, max_chars)
            if rotate:
                body.append(text(cx + 4, plot_bottom + 14, label, anchor="right", rotate=-40))
            else:
                body.append(text(cx, plot_bottom + 18, label, anchor="middle"))

    # Value labels are drawn only when every one fits its bar's slot: across the slot for vertical bars,
    # a line high for horizontal ones. Otherwise none is (the tooltips and the data table keep them).
    slot_size = band * 0.7 / n_series_per_band
    if horizontal:
        show_values = slot_size >= 14.0
    else:
        widest = max(len(s) for s in labels_all[:-1]) + (len(" + suppressed") if stacked else 0)
        show_values = widest * CHAR_WIDTH <= slot_size + (band * 0.3 if n_series_per_band == 1 else 0.0)

    def rect(
        cat_from: float, cat_size: float, v_from: float, v_to: float
    ) -> tuple[float, float, float, float]:
        a, b = sorted((scale(v_from), scale(v_to)))
        cat_size = max(cat_size, 0.5)  # many bars in a narrow chart: a hairline, never a negative width
        if horizontal:
            return a, cat_from, max(b - a, 0.0), cat_size
        return cat_from, a, cat_size, max(b - a, 0.0)

    def end_label(cat_mid: float, v: float, label: str, fill: str = TEXT, italic: bool = False) -> str:
        if not show_values:
            return ""
        p = scale(v)
        extra = ' font-style="italic"' if italic else ""
        if horizontal:
            anchor: Anchor = "left" if v >= 0 else "right"
            return text(p + (5 if v >= 0 else -5), cat_mid + 4, label, anchor=anchor, fill=fill, extra=extra)
        return text(
            cat_mid, p - 5 if v >= 0 else p + 14, label, anchor="middle", fill=fill, size=12, extra=extra
        )

    needs_hatch = False
    for i, cat in enumerate(cats):
        band_start = (top if horizontal else x0) + i * band
        pad = band * 0.15
        inner = band - 2 * pad
        group = ['<g class="category">']
        tooltip = "; ".join(
            f"{n + ': ' if n else ''}{value_text(col[i], fmt, unit, missing)}"
            for n, col in zip(names, columns, strict=True)
        )
        group.append(f"<title>{escape_text(cat)}: {escape_text(tooltip)}</title>")
        if stacked:
            pos = neg = 0.0
            suppressed = False
            for j, col in enumerate(columns):
                v = col[i]
                f = numeric(v)
                if isinstance(v, Suppressed):
                    suppressed = True
                    continue
                if f is None or f == 0:
                    continue
                start = pos if f >= 0 else neg
                end = start + f
                if f >= 0:
                    pos = end
                else:
                    neg = end
                x, y, w, h = rect(band_start + pad, inner, start, end)
                color = colors[j % len(colors)]
                group.append(
                    el("rect", x=x, y=y, width=w, height=h, fill=color, stroke="#FFFFFF", stroke_width=1)
                )
            mid = band_start + band / 2
            if all(col[i] is None for col in columns):
                group.append(end_label(mid, 0.0, missing, fill=AXIS, italic=True))
            else:
                total = pos + neg
                label = with_unit(fmt(total), unit)
                if suppressed:
                    label += " + suppressed"
                    needs_hatch = True
                    x, y, w, h = rect(band_start + pad, inner, pos, pos)
                    # a small hatched tab beyond the stack, never sized by a value
                    if horizontal:
                        tab = (x, y, 8.0, h)
                    else:
                        tab = (x, y - 8.0, w, 8.0)
                    group.append(
                        el(
                            "rect",
                            x=tab[0],
                            y=tab[1],
                            width=tab[2],
                            height=tab[3],
                            fill=f"url(#{uid}-hatch)",
                            stroke=AXIS,
                            stroke_dasharray="3 2",
                        )
                    )
                shift = 8.0 if suppressed else 0.0
                if not show_values:
                    pass
                elif horizontal:
                    p = scale(pos) + 5 + shift
                    group.append(text(p, mid + 4, label, anchor="left"))
                else:
                    p = scale(pos) - 5 - shift
                    group.append(text(mid, p, label, anchor="middle", size=12))
        else:
            slot = inner / len(columns)
            for j, col in enumerate(columns):
                v = col[i]
                s0 = band_start + pad + j * slot
                mid = s0 + slot / 2
                color = colors[j % len(colors)]
                if isinstance(v, Suppressed):
                    needs_hatch = True
                    x, y, w, h = rect(s0 + 1, slot - 2, 0.0, float(v.threshold))
                    group.append(
                        el(
                            "rect",
                            x=x,
                            y=y,
                            width=w,
                            height=h,
                            fill=f"url(#{uid}-hatch)",
                            stroke=AXIS,
                            stroke_width=1.5,
                            stroke_dasharray="4 2",
                        )
                    )
                    group.append(end_label(mid, float(v.threshold), v.label, fill=TEXT))
                    continue
                f = numeric(v)
                if f is None:
                    group.append(end_label(mid, 0.0, missing, fill=AXIS, italic=True))
                    continue
                x, y, w, h = rect(s0 + 1, slot - 2, 0.0, f)
                group.append(el("rect", x=x, y=y, width=w, height=h, fill=color))
                group.append(end_label(mid, f, with_unit(fmt(f), unit)))
        group.append("</g>")
        body += group

    defs = [hatch_pattern(uid)] if needs_hatch else []
    return document(
        uid, width=width, height=int(height_px), title=title, description=description, body=body, defs=defs
    )
