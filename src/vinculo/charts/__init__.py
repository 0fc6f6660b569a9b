"""Small, dependency-free, accessible SVG charts.

Every function is pure and returns an ``<svg role="img">`` string with ``<title>``, ``<desc>``
and ``aria-labelledby``; all labels are escaped. Values may be ``None`` (no data) or a
:class:`Suppressed` marker (drawn hatched and labelled "<5 suppressed", never as a number).
Use :func:`data_table` to show the same data as a table beside the chart. :func:`choropleth_map`
draws a world map from vendored Natural Earth outlines (see ``data/README.md``).
"""

from vinculo.charts._bar import bar_chart, stacked_bar_chart
from vinculo.charts._flow import (
    OTHER,
    FlowLink,
    SankeyLayout,
    SankeyLink,
    SankeyNode,
    sankey_chart,
    sankey_layout,
)
from vinculo.charts._interval import interval_chart
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
from vinculo.charts._upset import overlap_combinations, overlap_table, upset_chart

__all__ = [
    "MAP_NO_DATA",
    "MAP_OTHER",
    "MAP_PALETTE",
    "OTHER",
    "PALETTE",
    "SUPPRESSED",
    "UNCODED_UNITS",
    "ChartValue",
    "FlowLink",
    "HistogramBin",
    "MapClass",
    "MapShape",
    "SankeyLayout",
    "SankeyLink",
    "SankeyNode",
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
    "interval_chart",
    "line_chart",
    "map_classes",
    "number_format",
    "overlap_combinations",
    "overlap_table",
    "sankey_chart",
    "sankey_layout",
    "stacked_bar_chart",
    "upset_chart",
    "world_shapes",
]
