"""The data behind a chart as rows, so pages can show a table next to every chart."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from vinculo.charts._line import histogram_bins
from vinculo.charts._svg import ChartValue, default_format, group, value_text
from vinculo.errors import VinculoError

__all__ = ["data_table", "histogram_table"]


def data_table(
    categories: Sequence[object],
    values: Sequence[ChartValue] | Mapping[str, Sequence[ChartValue]],
    *,
    category_header: str = "Category",
    value_header: str = "Value",
    value_format: Callable[[float], str] = default_format,
    unit: str | None = None,
    missing: str = "no data",
) -> list[list[str]]:
    """Rows of text for the table shown beside a chart; the first row is the header.

    Takes the same inputs as :func:`bar_chart` (a sequence of values) or
    :func:`stacked_bar_chart` / :func:`line_chart` (a mapping of series). Values are
    formatted as on the chart: ``None`` becomes ``missing`` and a :class:`Suppressed`
    marker becomes "<5 suppressed". Cells are plain (unescaped) strings: let the template
    engine escape them.

    Examples
    --------
    >>> from vinculo.charts import data_table
    >>> data_table(["Female", "Male"], [12, None])
    [['Category', 'Value'], ['Female', '12'], ['Male', 'no data']]
    """
    columns: dict[str, Sequence[ChartValue]] = (
        dict(values) if isinstance(values, Mapping) else {value_header: list(values)}
    )
    for name, col in columns.items():
        if len(col) != len(categories):
            raise VinculoError(
                f"Table column {name!r} has {len(col)} values but there are {len(categories)} categories.",
                code="charts.length_mismatch",
                fix="Give exactly one value per category (use None for no data).",
            )
    rows = [[category_header, *columns]]
    for i, cat in enumerate(categories):
        rows.append(
            [str(cat), *(value_text(col[i], value_format, unit, missing) for col in columns.values())]
        )
    return rows


def histogram_table(
    values: Iterable[float],
    *,
    bins: int | Sequence[float] = 30,
    value_format: Callable[[float], str] = default_format,
) -> list[list[str]]:
    """Rows ``[from, to, count]`` for the bins of :func:`histogram`; the first row is the header."""
    rows = [["From", "To", "Count"]]
    for b in histogram_bins(values, bins):
        rows.append([value_format(b.lower), value_format(b.upper), group(b.count)])
    return rows
