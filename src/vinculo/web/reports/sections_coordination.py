"""Report sections on the coordination registry: treaties, network, appraisal, Trust Fund, events.

Each function returns one :class:`Section` for a year and reads only what the public may see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from vinculo.coordination import PROGRESS_STATUSES, Balance, LedgerLine, balances, region_of
from vinculo.web.appraisal import services as appraisal_services
from vinculo.web.appraisal.models import Answer, Cycle, Pillar, Progress, Questionnaire, QuestionnaireStatus
from vinculo.web.events.models import Event, EventKind
from vinculo.web.evidence.labels import data_label
from vinculo.web.network.models import Mechanism, MechanismKind, Meeting, PracticeNote
from vinculo.web.treaties import services as treaty_services
from vinculo.web.treaties.models import Instrument, Precision, TreatyStatusCode
from vinculo.web.treaties.models import Source as TreatySource
from vinculo.web.trustfund.actions import check_reconciliation
from vinculo.web.trustfund.models import EntryKind, LedgerEntry

from .blocks import bar_figure, caveat, counted, empty, local_date, number, refs, stacked_figure, url
from .document import Block, Cell, Heading, Section, Source, Table, paragraph

NO_REGION = "none"


def _region_key(region: str) -> str:
    return region or NO_REGION


# -- treaties (§1) -----------------------------------------------------------------------------------
def treaty_section(year: int) -> Section:
    title = _("Ratification of the Convention and the Protocol")
    rows = treaty_services.state_rows()
    page = url("treaties:world")
    entries = [e for r in rows for e in r.entries.values()]
    if not entries:
        return Section(
            "treaties", title, "§1", (empty(_("No treaty status is recorded on the platform yet.")),)
        )
    label = "treaties.TreatyEntry"
    by_region: dict[str, list[treaty_services.StateRow]] = defaultdict(list)
    for r in rows:
        by_region[r.region].append(r)

    def party_ids(states: list[treaty_services.StateRow], instrument: str) -> list[int]:
        return [
            e.pk
            for s in states
            if (e := s.entries.get(instrument)) is not None and e.status == TreatyStatusCode.PARTY
        ]

    def line(key: str, name: str, states: list[treaty_services.StateRow], query: str) -> tuple[Cell, ...]:
        where = url("treaties:world", query=query) if query else page
        return (
            name,
            number(f"{key}.states", len(states), Source(where, note=_("UN Member States"))),
            counted(f"{key}.untoc", party_ids(states, Instrument.UNTOC), label, where),
            counted(f"{key}.tip_protocol", party_ids(states, Instrument.TIP_PROTOCOL), label, where),
            counted(
                f"{key}.confirmed",
                [e.pk for s in states if s.confirmed for e in s.entries.values()],
                label,
                where,
                _("States whose entries are all confirmed against the UN Treaty Collection"),
            ),
        )

    header = (
        _("Region"),
        _("Member States"),
        _("UNTOC parties recorded"),
        _("Protocol parties recorded"),
        _("States confirmed against the UNTC"),
    )
    table = Table(
        "treaties.regions",
        _("Recorded parties by region (incomplete until confirmed against the UN Treaty Collection)"),
        header,
        tuple(
            line(
                f"treaties.region.{_region_key(region)}",
                data_label(region) if region else _("No region"),
                by_region[region],
                f"region={region}" if region else "",
            )
            for region in sorted(by_region)
        ),
        Source(url("treaties:regions"), refs(label, [e.pk for e in entries])),
        footer=(line("treaties.total", _("All regions"), rows, ""),),
    )
    confirmed = [e.pk for e in entries if e.confirmed]
    year_only = [
        e.pk
        for e in entries
        if e.status == TreatyStatusCode.PARTY and e.action_date and e.action_precision == Precision.YEAR
    ]
    by_source: dict[str, list[int]] = defaultdict(list)
    for e in entries:
        by_source[e.source].append(e.pk)
    labels = dict(TreatySource.choices)
    sources = Table(
        "treaties.sources",
        _("Where the recorded status comes from"),
        (_("Source"), _("Entries")),
        tuple(
            (str(labels.get(code, code)), counted(f"treaties.source.{code}", ids, label, page))
            for code, ids in sorted(by_source.items())
        ),
        Source(page),
    )
    new_parties: list[Block] = []
    for instrument, name in (
        (Instrument.UNTOC, _("the Convention")),
        (Instrument.TIP_PROTOCOL, _("the Protocol")),
    ):
        ids = [
            e.pk
            for e in entries
            if e.instrument == instrument
            and e.status == TreatyStatusCode.PARTY
            and e.action_date is not None
            and e.action_date.year == year
        ]
        new_parties.append(
            paragraph(
                _("States recorded as becoming parties to %(instrument)s in %(year)s: %(n)s."),
                {
                    "instrument": name,
                    "year": str(year),
                    "n": counted(f"treaties.new_parties.{instrument}", ids, label, page),
                },
            )
        )
    blocks: list[Block] = [
        caveat(
            _(
                "The treaty records are incomplete. They were seeded from research data sets (Kelley & Simmons "
                "2015, years only and up to about 2011; US DOL ILAB 2022, ratified or not) and are confirmed "
                "against the UN Treaty Collection one State at a time. %(confirmed)s of the %(entries)s entries "
                "of Member States are confirmed; %(year_only)s recorded parties have a year but no full date."
            ),
            {
                "confirmed": counted("treaties.entries_confirmed", confirmed, label, page),
                "entries": counted("treaties.entries", [e.pk for e in entries], label, page),
                "year_only": counted("treaties.year_only", year_only, label, page),
            },
        ),
        table,
        bar_figure(
            table,
            title=_("Recorded parties by region"),
            description=_(
                "Member States and recorded parties to the Convention and to the Protocol in each region."
            ),
            columns=(1, 2, 3),
        ),
        *new_parties,
        sources,
    ]
    return Section("treaties", title, "§1", tuple(blocks))


# -- national rapporteurs (§10, §11, §23) --------------------------------------------------------------
def network_section(year: int) -> Section:
    title = _("National rapporteurs and equivalent mechanisms")
    mechanisms = list(Mechanism.objects.select_related("country"))
    page = url("network:list")
    label = "network.Mechanism"
    blocks: list[Block] = []
    if mechanisms:
        kinds = dict(MechanismKind.choices)
        by_region: dict[str, list[int]] = defaultdict(list)
        for m in mechanisms:
            by_region[region_of(m.country.iso3)].append(m.pk)
        blocks.append(
            paragraph(
                _("%(n)s mechanisms are listed in the directory of the network."),
                {"n": counted("network.mechanisms", [m.pk for m in mechanisms], label, page)},
            )
        )
        table = Table(
            "network.regions",
            _("Mechanisms by region"),
            (_("Region"), _("Mechanisms")),
            tuple(
                (
                    data_label(region) if region else _("No region"),
                    counted(f"network.region.{_region_key(region)}", ids, label, page),
                )
                for region, ids in sorted(by_region.items())
            ),
            Source(page, refs(label, [m.pk for m in mechanisms])),
        )
        kind_table = Table(
            "network.kinds",
            _("Mechanisms by kind"),
            (_("Kind"), _("Mechanisms")),
            tuple(
                (
                    str(kinds[code]),
                    counted(
                        f"network.kind.{code}", [m.pk for m in mechanisms if m.kind == code], label, page
                    ),
                )
                for code in MechanismKind.values
            ),
            Source(page),
        )
        blocks += [table, kind_table]
    else:
        blocks.append(empty(_("No national rapporteur or equivalent mechanism is listed yet.")))
    meetings = list(Meeting.objects.filter(starts_on__year=year).values_list("pk", flat=True))
    notes = list(PracticeNote.objects.filter(created_at__year=year).values_list("pk", flat=True))
    blocks.append(
        paragraph(
            _(
                "In %(year)s the network held %(meetings)s consultative meetings (their documents are for "
                "members of the network) and published %(notes)s good-practice notes."
            ),
            {
                "year": str(year),
                "meetings": counted("network.meetings", meetings, "network.Meeting", url("network:meetings")),
                "notes": counted("network.notes", notes, "network.PracticeNote", url("network:notes")),
            },
        )
    )
    return Section("network", title, "§10, §11, §23", tuple(blocks))


# -- Global Plan of Action appraisal (§3–§5) ------------------------------------------------------------
def cycle_for(year: int) -> Cycle | None:
    """The appraisal cycle of ``year``, else the latest one before it."""
    return Cycle.objects.filter(year__lte=year).order_by("-year").first()


def progress_table(cycle: Cycle, by: str = "pillar") -> Table:
    """Answers of the cycle's submitted questionnaires by progress status, per pillar or per region."""
    answers = Answer.objects.filter(
        questionnaire__cycle=cycle, questionnaire__status=QuestionnaireStatus.SUBMITTED
    ).exclude(status="")
    labels = dict(Progress.choices)
    page = url("appraisal:dashboard", query=f"cycle={cycle.year}")
    groups: dict[str, dict[str, list[int]]] = {}
    names: dict[str, str] = {}
    if by == "pillar":
        for p in Pillar.objects.all():
            groups[p.code] = {s: [] for s in PROGRESS_STATUSES}
            names[p.code] = p.title
        rows: list[tuple[int, str, str]] = list(
            answers.values_list("pk", "action_point__pillar__code", "status")
        )
    else:
        # Regions with too few responding organisations are pooled, as on the dashboard.
        regions = appraisal_services.region_groups(cycle)
        rows = [
            (pk, regions[qid], status)
            for pk, qid, status in answers.values_list("pk", "questionnaire_id", "status")
        ]
    for pk, group, status in rows:
        groups.setdefault(group, {s: [] for s in PROGRESS_STATUSES})[status].append(pk)
        if group not in names:
            names[group] = appraisal_services.region_label(group)
    prefix = f"appraisal.{cycle.year}.{by}"
    header = (_("Pillar") if by == "pillar" else _("Region"), *(str(labels[s]) for s in PROGRESS_STATUSES))
    body: tuple[tuple[Cell, ...], ...] = tuple(
        (
            names[g],
            *(counted(f"{prefix}.{g}.{s}", ids, "appraisal.Answer", page) for s, ids in groups[g].items()),
        )
        for g in (list(groups) if by == "pillar" else sorted(groups))
    )
    caption = (
        _("Answers by progress status and pillar")
        if by == "pillar"
        else _("Answers by progress status and region")
    )
    return Table(f"{prefix}", caption, header, body, Source(page))


def submitted_questionnaires(cycle: Cycle) -> list[int]:
    return list(
        Questionnaire.objects.filter(cycle=cycle, status=QuestionnaireStatus.SUBMITTED).values_list(
            "pk", flat=True
        )
    )


def appraisal_summary_section(year: int) -> Section:
    title = _("Appraisal of the Global Plan of Action")
    cycle = cycle_for(year)
    if cycle is None:
        return Section("appraisal", title, "§3–§5", (empty(_("No appraisal cycle up to this year.")),))
    submitted = submitted_questionnaires(cycle)
    page = url("appraisal:dashboard", query=f"cycle={cycle.year}")
    blocks: list[Block] = [
        paragraph(
            _("Latest appraisal cycle: %(cycle)s. Questionnaires submitted: %(n)s."),
            {
                "cycle": cycle.title,
                "n": counted(f"appraisal.{cycle.year}.submitted", submitted, "appraisal.Questionnaire", page),
            },
        )
    ]
    withheld = appraisal_services.withheld_note(cycle)
    if submitted and withheld:
        blocks.append(empty(withheld))
    elif submitted:
        table = progress_table(cycle)
        blocks += [
            table,
            stacked_figure(
                table,
                title=_("Progress by pillar"),
                description=_(
                    "Answers by progress status for each pillar, submitted questionnaires of the cycle."
                ),
                columns=range(1, len(PROGRESS_STATUSES) + 1),
            ),
        ]
    else:
        blocks.append(empty(_("No questionnaire of this cycle has been submitted yet.")))
    return Section("appraisal", title, "§3–§5", tuple(blocks))


# -- Trust Fund (§8, §14, §24) -------------------------------------------------------------------------
def trustfund_section(year: int) -> Section:
    title = _("United Nations Voluntary Trust Fund for Victims of Trafficking in Persons")
    page = url("trustfund:summary")
    label = "trustfund.LedgerEntry"
    end = dt.date(year, 12, 31)
    ledger = list(LedgerEntry.objects.filter(booked_on__lte=end).order_by("booked_on", "id"))
    if not ledger:
        return Section(
            "trustfund",
            title,
            "§8, §14, §24",
            (empty(_("No contribution to the Trust Fund is recorded up to this year.")),),
        )
    in_year = [e for e in ledger if e.booked_on.year == year]
    by_donor: dict[tuple[str, str], list[LedgerEntry]] = defaultdict(list)
    for e in in_year:
        if e.kind == EntryKind.CONTRIBUTION:
            by_donor[(e.donor, e.currency)].append(e)
    blocks: list[Block] = []
    if by_donor:
        blocks.append(
            Table(
                "trustfund.contributions",
                _("Contributions received in the year, by donor"),
                (_("Donor"), _("Currency"), _("Amount")),
                tuple(
                    (
                        donor,
                        currency,
                        number(
                            f"trustfund.contribution.{donor}.{currency}",
                            sum((e.amount for e in items), Decimal(0)),
                            Source(page, refs(label, [e.pk for e in items])),
                            currency=currency,
                        ),
                    )
                    for (donor, currency), items in sorted(by_donor.items())
                ),
                Source(page),
            )
        )
    else:
        blocks.append(empty(_("No contribution was received in this year.")))
    up_to_end: dict[str, Balance] = balances(
        LedgerLine(
            "contribution" if e.kind == EntryKind.CONTRIBUTION else "disbursement", e.currency, e.amount
        )
        for e in ledger
    )
    rows = []
    for currency in sorted(up_to_end):

        def ids(kind: str, only_year: bool, currency: str = currency) -> list[int]:
            pool = in_year if only_year else ledger
            return [e.pk for e in pool if e.currency == currency and e.kind == kind]

        def total(kind: str, currency: str = currency) -> Decimal:
            return sum((e.amount for e in in_year if e.currency == currency and e.kind == kind), Decimal(0))

        rows.append(
            (
                currency,
                number(
                    f"trustfund.{currency}.contributed_in_year",
                    total(EntryKind.CONTRIBUTION),
                    Source(page, refs(label, ids(EntryKind.CONTRIBUTION, True))),
                    currency=currency,
                ),
                number(
                    f"trustfund.{currency}.disbursed_in_year",
                    total(EntryKind.DISBURSEMENT),
                    Source(page, refs(label, ids(EntryKind.DISBURSEMENT, True))),
                    currency=currency,
                ),
                number(
                    f"trustfund.{currency}.balance_end_of_year",
                    up_to_end[currency].balance,
                    Source(page, refs(label, [e.pk for e in ledger if e.currency == currency])),
                    currency=currency,
                ),
            )
        )
    blocks.append(
        Table(
            "trustfund.balances",
            _("Money in and out in the year, and balance at the end of the year (from the ledger)"),
            (
                _("Currency"),
                _("Contributed in the year"),
                _("Disbursed in the year"),
                _("Balance at 31 December"),
            ),
            tuple(rows),
            Source(page),
        )
    )
    issues = check_reconciliation()
    if issues:
        blocks.append(
            caveat(
                _(
                    "The derived summaries differ from the ledger in %(n)s places; the figures above come from the ledger."
                ),
                {"n": number("trustfund.reconciliation_issues", len(issues), Source(page))},
            )
        )
    else:
        blocks.append(paragraph(_("The public summaries agree with the append-only ledger (reconciled).")))
    blocks.append(paragraph(_("Amounts are in the currency received; they are not converted.")))
    return Section("trustfund", title, "§8, §14, §24", tuple(blocks))


# -- events (§6) ------------------------------------------------------------------------------------
def occurrence(event: Event, year: int) -> dt.date | None:
    """The date ``event`` starts in ``year`` (yearly events recur on the same day), or None."""
    if event.starts_on.year == year:
        return event.starts_on
    if event.yearly and event.starts_on.year < year:
        try:
            return event.starts_on.replace(year=year)
        except ValueError:  # 29 February
            return dt.date(year, 2, 28)
    return None


def events_section(year: int) -> Section:
    title = _("World Day against Trafficking in Persons and events")
    found = sorted(
        ((day, e) for e in Event.objects.all() if (day := occurrence(e, year)) is not None),
        key=lambda pair: (pair[0], pair[1].title),
    )
    page = url("events:list")
    if not found:
        return Section("events", title, "§6", (empty(_("No event is recorded for this year.")),))
    kinds = dict(EventKind.choices)
    blocks: list[Block] = []
    world_day = [(d, e) for d, e in found if e.kind == EventKind.WORLD_DAY]
    for day, _event in world_day[:1]:
        blocks.append(
            paragraph(
                _("The World Day against Trafficking in Persons was observed on %(day)s."),
                {"day": local_date(day)},
            )
        )
    blocks.append(
        paragraph(
            _("Events recorded in the calendar for the year: %(n)s."),
            {"n": counted("events.count", [e.pk for _d, e in found], "events.Event", page)},
        )
    )
    blocks.append(Heading(_("Calendar of the year")))
    blocks.append(
        Table(
            "events.list",
            _("Events of the year"),
            (_("Date"), _("Event"), _("Kind"), _("Location")),
            tuple(
                (local_date(d, "medium"), e.title, str(kinds.get(e.kind, e.kind)), e.location)
                for d, e in found
            ),
            Source(page, refs("events.Event", [e.pk for _d, e in found])),
        )
    )
    return Section("events", title, "§6", tuple(blocks))
