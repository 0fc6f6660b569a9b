"""What the pages and the API show of an exercise: result context, own records, pairs for review."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from vinculo.charts import overlap_table, upset_chart

from .models import Exercise, LinkedRecord, LinkPair, Mode
from .services import STRATA_KEYS

#: The identifiers shown side by side in clerical review (to the data managers owning both records).
REVIEW_FIELDS = (
    "prs_FirstName",
    "prs_MiddleName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_MailingCity",
)


def _threshold_label(key: str) -> str:
    """The stored key of a sensitivity row ("stricter", "chosen", "looser") as shown to the user."""
    labels = {
        "stricter": pgettext("linkage threshold", "stricter"),
        "chosen": pgettext("linkage threshold", "chosen"),
        "looser": pgettext("linkage threshold", "looser"),
    }
    return labels.get(key, key)


def strata_label(key: str) -> str:
    """A strata key of the summary as shown to the user."""
    labels = {
        "sex": _("Sex"),
        "age_group": _("Age group (under 18, 18 and over)"),
        "exploitation": _("Form of exploitation"),
        "year": _("Year of identification"),
    }
    return labels.get(key, key)


def result_context(exercise: Exercise) -> dict[str, Any]:
    summary = exercise.summary or {}
    sources = list(summary.get("sources") or [])
    histories = list(summary.get("histories") or [])
    if not sources:
        return {}
    title = _("Overlap of the lists")
    return {
        "summary": summary,
        "sources": sources,
        "sizes": [(s, summary["sizes"].get(s, 0), summary.get("left_out", {}).get(s, 0)) for s in sources],
        "histories": [[row[s] for s in sources] + [row["count"]] for row in histories],
        "strata": [
            {
                "key": key,
                "label": strata_label(key),
                "rows": [[row[key]] + [row[s] for s in sources] + [row["count"]] for row in rows],
            }
            for key in STRATA_KEYS
            if (rows := (summary.get("strata") or {}).get(key))
        ],
        "sensitivity": [
            {
                "label": _threshold_label(str(item["label"])),
                "threshold": item["threshold"],
                "n_clusters": item["n_clusters"],
                "rows": [[row[s] for s in sources] + [row["count"]] for row in item["histories"]],
            }
            for item in summary.get("sensitivity", [])
        ],
        "upset": {
            "title": title,
            "svg": upset_chart(
                sources,
                histories,
                title=title,
                description=_("Persons found on each combination of lists, largest first."),
            ),
            "table": overlap_table(sources, histories, lists_header=_("Lists"), count_header=_("Persons")),
        },
    }


def record_reference(record: LinkedRecord) -> str:
    """The reference an organisation resolves for its own record: the case id, or its file's record id."""
    if record.case_id is not None:
        return f"case {record.case_id}"
    if record.record_token:
        from vinculo.web.cases.protection import keyring

        return keyring().decrypt(record.record_token)
    return ""


def _identifiers(record: LinkedRecord) -> dict[str, Any]:
    from vinculo.web.cases.protection import open_protected

    case = record.case
    if case is None:
        return {}
    values = {**case.values, **open_protected(case.protected)}
    return {k: values.get(k, "") for k in REVIEW_FIELDS}


def review_rows(exercise: Exercise, pairs: list[LinkPair]) -> list[dict[str, Any]]:
    """Both records of each pair with their identifiers (trusted) or record ids (PPRL)."""
    rows = []
    for pair in pairs:
        left, right = (
            (_identifiers(pair.left), _identifiers(pair.right)) if exercise.mode == Mode.TRUSTED else ({}, {})
        )
        rows.append(
            {
                "pair": pair,
                "left": record_reference(pair.left),
                "right": record_reference(pair.right),
                "fields": [(f, left.get(f, ""), right.get(f, "")) for f in REVIEW_FIELDS]
                if left or right
                else [],
            }
        )
    return rows
