"""Safe release of case data: k-anonymised microdata, differentially private statistics and
differentially private synthetic microdata, with a privacy-budget ledger (issue 12).

No Django: the platform's release workflow (vinculo.web) and the ``vinculo release`` commands
call this package. Differentially private mechanisms come from OpenDP, never hand-written noise.

Input tables follow the case data's cell conventions: an empty cell means "no attribute", and a
multi-valued cell joins its values with ``;``.
"""

from __future__ import annotations

from vinculo.release._budget import BudgetEntry, BudgetLedger, compose
from vinculo.release._dp import (
    MAX_EPSILON,
    CountCell,
    CountsResult,
    DomainWarning,
    dp_counts,
    project_consistent,
)
from vinculo.release._generate import VP_COLUMNS, generate_vp, vp_domains, vp_marginals
from vinculo.release._hierarchies import KINDS, Hierarchy, build_hierarchy, detect_kind
from vinculo.release._kanon import KAnonReport, KAnonResult, KAnonSettings, anonymise, protected_columns
from vinculo.release._table import ReleaseTable, join_cell, read_release_table, split_cell, write_release_csv

__all__: list[str] = [
    "KINDS",
    "MAX_EPSILON",
    "VP_COLUMNS",
    "BudgetEntry",
    "BudgetLedger",
    "CountCell",
    "CountsResult",
    "DomainWarning",
    "Hierarchy",
    "KAnonReport",
    "KAnonResult",
    "KAnonSettings",
    "ReleaseTable",
    "anonymise",
    "build_hierarchy",
    "compose",
    "detect_kind",
    "dp_counts",
    "generate_vp",
    "join_cell",
    "project_consistent",
    "protected_columns",
    "read_release_table",
    "split_cell",
    "vp_domains",
    "vp_marginals",
    "write_release_csv",
]
