"""Plain-Python logic of the coordination registry (resolution 74/176): treaty seed data, the Trust Fund
ledger arithmetic, iCalendar output, the Global Plan of Action pillars and upload checks. No Django here."""

from vinculo.coordination._files import check_pdf
from vinculo.coordination._ical import CalendarEvent, escape_text, fold_line, render_calendar
from vinculo.coordination._money import Balance, LedgerLine, balances, check_currency, parse_amount, reconcile
from vinculo.coordination._plan import (
    PILLARS,
    PROGRESS_STATUSES,
    ActionPoint,
    Pillar,
    ProgressCount,
    action_points,
    count_progress,
    pool_small_groups,
)
from vinculo.coordination._regions import region_of
from vinculo.coordination._treaties import (
    ILAB_2022,
    INSTRUMENTS,
    KELLEY_SIMMONS,
    UNTC_URLS,
    SeedEntry,
    seed_treaty_entries,
)

__all__ = [
    "ILAB_2022",
    "INSTRUMENTS",
    "KELLEY_SIMMONS",
    "PILLARS",
    "PROGRESS_STATUSES",
    "UNTC_URLS",
    "ActionPoint",
    "Balance",
    "CalendarEvent",
    "LedgerLine",
    "Pillar",
    "ProgressCount",
    "SeedEntry",
    "action_points",
    "balances",
    "check_currency",
    "check_pdf",
    "count_progress",
    "escape_text",
    "fold_line",
    "parse_amount",
    "pool_small_groups",
    "reconcile",
    "region_of",
    "render_calendar",
    "seed_treaty_entries",
]
