"""UNODC Global Report on Trafficking in Persons (GLOTIP) evidence: import, indicators, flows, profiles.

Everything here is plain Python over an immutable in-memory :class:`GlotipDataset`, built by
:func:`read_glotip` from the published export (or :func:`load_glotip` for the packaged one) or
by :meth:`GlotipDataset.from_rows` from stored rows. Counts are :class:`Count` values that
keep "<5" suppression through every sum.
"""

from vinculo.evidence._areas import USER_ASSIGNED_CODES, Area, known_areas
from vinculo.evidence._bounds import (
    CellBounds,
    Identity,
    IdentityCheck,
    TableBounds,
    Tightened,
    identity_checks,
    table_bounds,
    tighten_table,
)
from vinculo.evidence._citizenship import CitizenshipMapper, CitizenshipMatch, load_overrides, normalize_text
from vinculo.evidence._count import SUPPRESSED_MAX, SUPPRESSED_MIN, SUPPRESSED_TEXT, Count, Share, sum_counts
from vinculo.evidence._dataset import CITATION, ROW_FIELDS, GlotipDataset, GlotipRecord
from vinculo.evidence._explore import (
    ComparisonRow,
    ExploreOptions,
    ExploreSelection,
    RegionComparison,
    SelectionProblem,
    compare_with_region,
    explore_options,
    flow_pairs,
    map_options,
    map_values,
    parse_map_selection,
    parse_selection,
    selected_series,
    selected_tightened,
)
from vinculo.evidence._flows import (
    FLOW_CSV_COLUMNS,
    Flow,
    FlowShares,
    citizenship_flows,
    flow_matrix_rows,
    flow_shares,
    main_flows,
    origin_countries,
    write_flow_csv,
)
from vinculo.evidence._importer import COLUMNS, ImportResult, parse_glotip_rows, read_glotip
from vinculo.evidence._indicators import (
    LEVELS,
    IndicatorSpec,
    IndicatorValue,
    area_members,
    indicator_breakdown,
    indicator_series,
    list_indicators,
)
from vinculo.evidence._packaged import PACKAGED_EXPORT, load_glotip, packaged_export_path
from vinculo.evidence._profiles import (
    PROFILE_SECTIONS,
    AreaProfile,
    CountryProfile,
    Rate,
    build_area_profile,
    build_country_profile,
)
from vinculo.evidence._render import render_profile

__all__ = [
    "CITATION",
    "COLUMNS",
    "FLOW_CSV_COLUMNS",
    "LEVELS",
    "PACKAGED_EXPORT",
    "PROFILE_SECTIONS",
    "ROW_FIELDS",
    "SUPPRESSED_MAX",
    "SUPPRESSED_MIN",
    "SUPPRESSED_TEXT",
    "USER_ASSIGNED_CODES",
    "Area",
    "AreaProfile",
    "CellBounds",
    "CitizenshipMapper",
    "CitizenshipMatch",
    "ComparisonRow",
    "Count",
    "CountryProfile",
    "ExploreOptions",
    "ExploreSelection",
    "Flow",
    "FlowShares",
    "GlotipDataset",
    "GlotipRecord",
    "Identity",
    "IdentityCheck",
    "ImportResult",
    "IndicatorSpec",
    "IndicatorValue",
    "Rate",
    "RegionComparison",
    "SelectionProblem",
    "Share",
    "TableBounds",
    "Tightened",
    "area_members",
    "build_area_profile",
    "build_country_profile",
    "citizenship_flows",
    "compare_with_region",
    "explore_options",
    "flow_matrix_rows",
    "flow_pairs",
    "flow_shares",
    "identity_checks",
    "indicator_breakdown",
    "indicator_series",
    "known_areas",
    "list_indicators",
    "load_glotip",
    "load_overrides",
    "main_flows",
    "map_options",
    "map_values",
    "normalize_text",
    "origin_countries",
    "packaged_export_path",
    "parse_glotip_rows",
    "parse_map_selection",
    "parse_selection",
    "read_glotip",
    "render_profile",
    "selected_series",
    "selected_tightened",
    "sum_counts",
    "table_bounds",
    "tighten_table",
    "write_flow_csv",
]
