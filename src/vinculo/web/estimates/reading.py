"""An estimate in words a rapporteur can read: a headline, the interval, the model, the candidates.

The numbers come from the stored result (``vinculo.mse`` ``to_dict``); this module only chooses
how to say them. Figures in sentences are rounded to three significant digits, because an MSE
estimate is an order of magnitude with an interval, not a count; the tables keep the exact values.
"""

from __future__ import annotations

import math
from typing import Any

from babel.lists import format_list
from babel.numbers import format_percent
from django.utils.translation import gettext as _

from vinculo.web.core.templatetags.locale_format import babel_locale, number

_INTERVALS = {
    "wald_log": lambda: _(
        "The range comes from the model's standard error on the log scale (a Wald interval): quick, and "
        "trustworthy when the lists overlap well."
    ),
    "profile": lambda: _(
        "The range comes from the profile likelihood: every total inside it fits the lists' overlaps "
        "about as well as the estimate does."
    ),
    "bca": lambda: _(
        "The range comes from a bootstrap that redraws the lists and repeats the model choice each time "
        "(bias-corrected and accelerated, BCa), so it includes the uncertainty of choosing the model."
    ),
}


def significant(value: float, digits: int = 3) -> float:
    """``value`` rounded to ``digits`` significant digits (11,284 -> 11,300; 0 stays 0)."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _finite(value: Any) -> float | None:
    return float(value) if _is_number(value) else None


def headline(result: dict[str, Any]) -> dict[str, str] | None:
    """The parts of the headline sentence, formatted for the active language; None without an estimate."""
    estimate, observed = _finite(result.get("estimate")), _finite(result.get("n_observed"))
    if estimate is None or observed is None or estimate <= 0:
        return None
    interval = result.get("interval") or {}
    lower, upper = _finite(interval.get("lower")), _finite(interval.get("upper"))
    level = _finite(interval.get("level"))
    locale = babel_locale()
    unlisted = max(0.0, min(1.0, (estimate - observed) / estimate))
    out = {
        "estimate": number(significant(estimate), 0),
        "observed": number(observed, 0),
        "unlisted": format_percent(round(unlisted, 2), locale=locale),
    }
    if lower is not None and upper is not None and level is not None:
        out["lower"] = number(significant(lower), 0)
        out["upper"] = number(significant(upper), 0)
        # 0.999 must not read "100%": keep one decimal where the level has one.
        out["level"] = format_percent(level, format="#,##0.#%", locale=locale)
    return out


def interval_reading(result: dict[str, Any]) -> str:
    """What the interval means, in one or two sentences (empty without an interval)."""
    method = (result.get("interval") or {}).get("method")
    explain = _INTERVALS.get(str(method))
    if explain is None:
        return ""
    return " ".join(
        [
            explain(),
            _(
                "It holds only as far as the model's assumptions do (below): missed or false matches "
                "between lists move the whole range."
            ),
        ]
    )


def model_reading(terms: list[str], lists: list[str]) -> list[str]:
    """One sentence per list interaction of the chosen model, naming the lists in full."""
    if not terms:
        return [
            _(
                "The model treats the lists as independent: being on one list does not make a victim more "
                "or less likely to be on another."
            )
        ]
    known = set(lists)
    out = []
    for term in terms:
        parts = [p for p in str(term).split(":") if p]
        names = format_list(parts, locale=babel_locale()) if all(p in known for p in parts) else str(term)
        if len(parts) == 2:
            out.append(
                _(
                    "%(lists)s: a victim on one of these lists is more, or less, likely to be on the other "
                    "than chance alone would make it; the model allows for that."
                )
                % {"lists": names}
            )
        else:
            out.append(
                _("%(lists)s: these lists overlap in a way the model allows for as a group.")
                % {"lists": names}
            )
    return out


def term_label(term: str) -> str:
    """An interaction term in words a reader can follow: ``LA:NG`` -> ``LA × NG``."""
    return " × ".join(p for p in str(term).split(":") if p)


def model_label(terms: list[str]) -> str:
    """A model by its list interactions, or "main effects only"."""
    return ", ".join(term_label(t) for t in terms) or _("main effects only")


def pattern_label(pattern: list[int], lists: list[str]) -> str:
    """The lists of a capture pattern joined by " + " (``[1, 0, 1]`` -> ``A + C``)."""
    return " + ".join(name for name, bit in zip(lists, pattern, strict=False) if bit)


def candidate_rows(result: dict[str, Any], limit: int = 10) -> list[dict[str, Any]]:
    """The candidate models the search compared, best BIC first, with the chosen one marked.

    ``delta_bic``/``delta_aic``: each model's criterion minus the lowest among the candidates (0 for
    the best; by the usual reading, a difference above about 10 is strong evidence against a model).
    ``lower``/``upper``: the model's own interval, when the stored result has it.
    """
    chosen = list(result.get("model_terms") or [])
    rows = []
    for c in result.get("candidates") or []:
        terms = list(c.get("terms") or [])
        rows.append(
            {
                "terms": model_label(terms),
                "estimate": _finite(c.get("estimate")),
                "lower": _finite(c.get("lower")),
                "upper": _finite(c.get("upper")),
                "bic": _finite(c.get("bic")),
                "aic": _finite(c.get("aic")),
                "df": c.get("df"),
                "chosen": sorted(terms) == sorted(chosen),
            }
        )
    for key in ("bic", "aic"):
        best = min((r[key] for r in rows if r[key] is not None), default=None)
        for r in rows:
            r[f"delta_{key}"] = None if best is None or r[key] is None else r[key] - best
    rows.sort(key=lambda r: (r["bic"] is None, r["bic"] or 0.0))
    for r in rows:
        if r["lower"] is None or r["upper"] is None:
            r["lower"] = r["upper"] = None
    return rows[:limit]
