"""The appraisal report of the Global Plan of Action for one cycle (resolution 74/176, §3–§5).

Aggregates of submitted questionnaires only, as on the public dashboard: never one organisation's
answers or narratives.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext as _

from vinculo.coordination import PROGRESS_STATUSES
from vinculo.web.appraisal import services as appraisal_services
from vinculo.web.appraisal.models import (
    ActionPoint,
    Answer,
    Cycle,
    Progress,
    Questionnaire,
    QuestionnaireStatus,
)

from .blocks import caveat, counted, empty, stacked_figure, url
from .document import Block, Cell, Report, Section, Source, Table, paragraph
from .sections_coordination import progress_table, submitted_questionnaires


def _overview(cycle: Cycle) -> Section:
    page = url("appraisal:dashboard", query=f"cycle={cycle.year}")
    submitted = submitted_questionnaires(cycle)
    states = {
        pk for pk in Questionnaire.objects.filter(pk__in=submitted).values_list("country_id", flat=True) if pk
    }
    with_country = list(
        Questionnaire.objects.filter(pk__in=submitted, country__isnull=False).values_list("pk", flat=True)
    )
    provisional = list(ActionPoint.objects.filter(provisional=True).values_list("pk", flat=True))
    points = list(ActionPoint.objects.values_list("pk", flat=True))
    blocks: list[Block] = [
        paragraph(
            _(
                "The Global Plan of Action to Combat Trafficking in Persons (resolution 64/293) is appraised in "
                "cycles; organisations answer a questionnaire on the progress of each action point. This report "
                "sums up the questionnaires submitted for the cycle %(cycle)s (%(state)s)."
            ),
            {"cycle": cycle.title, "state": _("open for answers") if cycle.is_open else _("closed")},
        ),
        paragraph(
            _(
                "Questionnaires submitted: %(n)s, from %(with_country)s organisations acting for %(states)s States."
            ),
            {
                "n": counted(f"appraisal.{cycle.year}.submitted", submitted, "appraisal.Questionnaire", page),
                "with_country": counted(
                    f"appraisal.{cycle.year}.with_country", with_country, "appraisal.Questionnaire", page
                ),
                "states": counted(f"appraisal.{cycle.year}.states", states, "core.Country", page),
            },
        ),
    ]
    if provisional:
        blocks.append(
            caveat(
                _(
                    "%(provisional)s of the %(points)s action points have provisional wording (paraphrases) until "
                    "an administrator checks them against the Plan."
                ),
                {
                    "provisional": counted(
                        "appraisal.points_provisional",
                        provisional,
                        "appraisal.ActionPoint",
                        url("appraisal:plan"),
                    ),
                    "points": counted(
                        "appraisal.points", points, "appraisal.ActionPoint", url("appraisal:plan")
                    ),
                },
            )
        )
    blocks.append(
        paragraph(
            _(
                "Shares are of the answers that apply (“not applicable” left out). Answers of "
                "individual organisations and their narratives are not published."
            )
        )
    )
    return Section("overview", _("The appraisal cycle"), "§3–§5", tuple(blocks))


def _by(cycle: Cycle, by: str, title: str, description: str) -> Section:
    table = progress_table(cycle, by)
    blocks: list[Block] = [
        table,
        stacked_figure(
            table, title=title, description=description, columns=range(1, len(PROGRESS_STATUSES) + 1)
        ),
    ]
    return Section(f"by_{by}", title, "", tuple(blocks))


def _by_point(cycle: Cycle) -> Section:
    page = url("appraisal:dashboard", query=f"cycle={cycle.year}")
    labels = dict(Progress.choices)
    ids: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pk, code, status in (
        Answer.objects.filter(questionnaire__cycle=cycle, questionnaire__status=QuestionnaireStatus.SUBMITTED)
        .exclude(status="")
        .values_list("pk", "action_point__code", "status")
    ):
        ids[(code, status)].append(pk)
    points = list(ActionPoint.objects.select_related("pillar"))
    table = Table(
        f"appraisal.{cycle.year}.points",
        _("Answers by progress status and action point"),
        (_("Action point"), *(str(labels[s]) for s in PROGRESS_STATUSES)),
        tuple(
            (
                f"{p.code}: {p.text}" + (" *" if p.provisional else ""),
                *(
                    counted(
                        f"appraisal.{cycle.year}.point.{p.code}.{s}",
                        ids[(p.code, s)],
                        "appraisal.Answer",
                        page,
                    )
                    for s in PROGRESS_STATUSES
                ),
            )
            for p in points
        ),
        Source(url("appraisal:plan")),
    )
    return Section(
        "by_point",
        _("Progress by action point"),
        "",
        (table, paragraph(_("* Provisional wording of the action point."))),
    )


def _cycles() -> Section:
    rows: list[tuple[Cell, ...]] = []
    labels = dict(Progress.choices)
    shown = appraisal_services.cycles_shown()
    for c in Cycle.objects.order_by("year"):
        if c.year not in shown:
            continue
        page = url("appraisal:dashboard", query=f"cycle={c.year}")
        answers: dict[str, list[int]] = defaultdict(list)
        for pk, status in (
            Answer.objects.filter(questionnaire__cycle=c, questionnaire__status=QuestionnaireStatus.SUBMITTED)
            .exclude(status="")
            .values_list("pk", "status")
        ):
            answers[status].append(pk)
        rows.append(
            (
                c.title,
                counted(
                    f"appraisal.{c.year}.submitted",
                    submitted_questionnaires(c),
                    "appraisal.Questionnaire",
                    page,
                ),
                *(
                    counted(f"appraisal.cycles.{c.year}.{s}", answers[s], "appraisal.Answer", page)
                    for s in PROGRESS_STATUSES
                ),
            )
        )
    table = Table(
        "appraisal.cycles",
        _("Answers by progress status in each appraisal cycle"),
        (_("Cycle"), _("Questionnaires"), *(str(labels[s]) for s in PROGRESS_STATUSES)),
        tuple(rows),
        Source(url("appraisal:dashboard")),
    )
    note = paragraph(
        _("Cycles in which fewer than %(minimum)s organisations submitted their questionnaire are left out."),
        {"minimum": str(appraisal_services.min_organisations())},
    )
    return Section("cycles", _("Comparison with other cycles"), "", (table, note))


def build_appraisal_report(year: int, *, language: str, today: dt.date | None = None) -> Report | None:
    """The appraisal report of the cycle of ``year``, or None when there is no such cycle."""
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is None:
        return None
    sections: tuple[Section, ...]
    withheld = appraisal_services.withheld_note(cycle)
    if submitted_questionnaires(cycle) and withheld:
        sections = (
            _overview(cycle),
            Section("by_pillar", _("Progress by pillar"), "", (empty(withheld),)),
            _cycles(),
        )
    elif submitted_questionnaires(cycle):
        sections = (
            _overview(cycle),
            _by(
                cycle,
                "pillar",
                _("Progress by pillar"),
                _("Answers by progress status for each pillar of the Global Plan of Action."),
            ),
            _by(cycle, "region", _("Progress by region"), _("Answers by progress status for each region.")),
            _by_point(cycle),
            _cycles(),
        )
    else:
        sections = (
            _overview(cycle),
            Section(
                "by_pillar",
                _("Progress by pillar"),
                "",
                (empty(_("No questionnaire of this cycle has been submitted yet.")),),
            ),
            _cycles(),
        )
    return Report(
        kind="appraisal",
        year=year,
        title=_("Appraisal of the Global Plan of Action to Combat Trafficking in Persons"),
        subtitle=cycle.title,
        language=language,
        generated_on=today or dt.date.today(),
        sections=sections,
        notes=(
            _(
                "Generated automatically from the public data of the platform; not an official United Nations document."
            ),
        ),
    )
