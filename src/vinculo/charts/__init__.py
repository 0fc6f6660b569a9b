"""Small, dependency-free, accessible SVG charts.

Every function is pure and returns an ``<svg role="img">`` string with ``<title>``, ``<desc>``
and ``aria-labelledby``; all labels are escaped. Values may be ``None`` (no data) or a
:class:`Suppressed` marker (drawn hatched and labelled "<5 suppressed", never as a number).
Use :func:`data_table` to show the same data as a table beside the chart. :func:`choropleth_map`
draws a world map from vendored Natural Earth outlines (see ``data/README.md``).
"""

from vinculo.charts._bar import bar_chart, stacked_bar_chart
from vinculo.charts._line import HistogramBin, histogram, histogram_bins, line_chart
from vinculo.charts._map import (
    MAP_NO_DATA,
    MAP_OTHER,
    MAP_PALETTE,
    UNCODED_UNITS,
    MapClass,
    MapShape,
    choropleth_map,
    class_of,
    equal_earth,
    map_classes,
    world_shapes,
)
from vinculo.charts._svg import (
    PALETTE,
    SUPPRESSED,
    ChartValue,
    Suppressed,
    default_format,
    escape_text,
    number_format,
)
from vinculo.charts._table import data_table, histogram_table

__all__ = [
    "MAP_NO_DATA",
    "MAP_OTHER",
    "MAP_PALETTE",
    "PALETTE",
    "SUPPRESSED",
    "UNCODED_UNITS",
    "ChartValue",
    "HistogramBin",
    "MapClass",
    "MapShape",
    "Suppressed",
    "bar_chart",
    "choropleth_map",
    "class_of",
    "data_table",
    "default_format",
    "equal_earth",
    "escape_text",
    "histogram",
    "histogram_bins",
    "histogram_table",
    "line_chart",
    "map_classes",
    "number_format",
    "stacked_bar_chart",
    "world_shapes",
]
