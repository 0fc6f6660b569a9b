"""Plain-Python rules of the coordination registry: the programmes and practices database.

Vocabularies, budget and period validation, evidence-rating rules, the curation workflow,
search-query parsing, document type checks and a generator of synthetic programmes. No Django.
"""

from vinculo.registry._budget import MAX_BUDGET_DIGITS, Budget, check_budget, is_currency
from vinculo.registry._documents import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    DOCUMENT_TYPES,
    DocumentError,
    DocumentType,
    check_document,
    safe_filename,
)
from vinculo.registry._evidence import (
    EvaluationFacts,
    EvidenceAssessment,
    IndicatorFacts,
    check_evidence_rating,
    suggest_evidence_rating,
)
from vinculo.registry._period import check_period, overlaps
from vinculo.registry._programme import MAX_TITLE_LENGTH, ProgrammeError, check_programme, raise_for_issues
from vinculo.registry._query import (
    MAX_QUERY_WORDS,
    ParsedQuery,
    normalise_text,
    parse_query,
    to_fts5_match,
    to_tsquery,
)
from vinculo.registry._synthetic import SYNTHETIC_LABEL, SYNTHETIC_NOTE, generate_programmes
from vinculo.registry._translations import (
    SEARCH_CONFIGS,
    TRANSLATED_FIELDS,
    DisplayedText,
    check_language,
    pick_text,
    search_config,
)
from vinculo.registry._vocabulary import (
    DAC_CRITERIA,
    EVALUATION_DESIGNS,
    EVALUATORS,
    EVIDENCE_RATINGS,
    FORMS_OF_EXPLOITATION,
    PILLARS,
    TARGET_GROUPS,
    UN_LANGUAGES,
    check_codes,
)
from vinculo.registry._workflow import (
    EDITABLE_STATUSES,
    STATUSES,
    TRANSITIONS,
    Transition,
    WorkflowError,
    allowed_transitions,
    apply_transition,
)

__all__ = [
    "DAC_CRITERIA",
    "DEFAULT_MAX_DOCUMENT_BYTES",
    "DOCUMENT_TYPES",
    "EDITABLE_STATUSES",
    "EVALUATION_DESIGNS",
    "EVALUATORS",
    "EVIDENCE_RATINGS",
    "FORMS_OF_EXPLOITATION",
    "MAX_BUDGET_DIGITS",
    "MAX_QUERY_WORDS",
    "MAX_TITLE_LENGTH",
    "PILLARS",
    "SEARCH_CONFIGS",
    "STATUSES",
    "SYNTHETIC_LABEL",
    "SYNTHETIC_NOTE",
    "TARGET_GROUPS",
    "TRANSITIONS",
    "TRANSLATED_FIELDS",
    "UN_LANGUAGES",
    "Budget",
    "DisplayedText",
    "DocumentError",
    "DocumentType",
    "EvaluationFacts",
    "EvidenceAssessment",
    "IndicatorFacts",
    "ParsedQuery",
    "ProgrammeError",
    "Transition",
    "WorkflowError",
    "allowed_transitions",
    "apply_transition",
    "check_budget",
    "check_codes",
    "check_document",
    "check_evidence_rating",
    "check_language",
    "check_period",
    "check_programme",
    "generate_programmes",
    "is_currency",
    "normalise_text",
    "overlaps",
    "parse_query",
    "pick_text",
    "raise_for_issues",
    "safe_filename",
    "search_config",
    "suggest_evidence_rating",
    "to_fts5_match",
    "to_tsquery",
]
