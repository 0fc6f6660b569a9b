"""The linkage area's glue to ``vinculo.linkage``: sources from cases, encodings, clusters, histories.

No function here writes to the database except :func:`store_clusters` (called from the job and from
the review action, inside their transactions). Identifiers are decrypted only by
:func:`sources_from_cases`, which only the background job calls; nothing decrypted is returned,
logged or stored: the persons go to the linker and are dropped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db.models import F

from vinculo.errors import Issue, Location, VinculoError
from vinculo.linkage.model import LinkResult, Person, ScoredPair, Source

from .models import Decision, Exercise, LinkedRecord, LinkPair, Participant

#: Bound of an uploaded encodings file.
MAX_ENCODINGS_BYTES = 200 * 1024 * 1024
ENCODINGS_DEFAULT_THRESHOLD = 0.8

# The non-person values passed with the identifiers: what the strata of the histories are made from.
STRATA_FIELDS = ("prs_Gender", "vic_TypeOfExploitation", "cas_IncomingReferralDate", "vic_AgeWhenTrafficked")
#: The strata keys the linker derives from them (:attr:`vinculo.linkage.model.Person.strata`), in the
#: order they are offered for a stratified estimate.
STRATA_KEYS = ("sex", "age_group", "exploitation", "year")


def _link() -> Callable[..., LinkResult]:
    """The trusted linker (a function, so the tests can put a fast stand-in for the engine)."""
    from vinculo.linkage.trusted import link  # splink and DuckDB load only when an exercise runs

    return link


def _cluster() -> Callable[..., dict[tuple[str, str], int]]:
    from vinculo.linkage.clusters import cluster

    return cluster


def _histories_rows() -> Callable[..., list[dict[str, Any]]]:
    from vinculo.linkage.histories import histories_rows

    return histories_rows


def _pprl() -> Any:
    from vinculo.linkage import pprl

    return pprl


def source_name_for(short_name: str, taken: Iterable[str]) -> str:
    """A capture-history column name for an organisation: letters, digits and ``_``, unique."""
    base = re.sub(r"[^a-z0-9]+", "_", short_name.casefold()).strip("_")[:30] or "list"
    if base == "count" or base[0].isdigit():
        base = f"list_{base}"[:30]
    used = set(taken)
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    return name


# --- trusted mode -----------------------------------------------------------------------------


def cases_in_scope(exercise: Exercise, organisation_id: int) -> tuple[list[int], int]:
    """(ids of the organisation's cases in scope whose consent allows sharing, number left out)."""
    from vinculo.web.cases.models import CaseRecord

    cases = CaseRecord.objects.filter(owner_id=organisation_id)
    if exercise.year_from is not None:
        cases = cases.filter(year__gte=exercise.year_from)
    if exercise.year_to is not None:
        cases = cases.filter(year__lte=exercise.year_to)
    shared = list(cases.filter(consent_to_share=True).order_by("pk").values_list("pk", flat=True))
    left_out = cases.filter(consent_to_share=False).count()
    return shared, left_out


def sources_from_cases(exercise: Exercise, participants: Sequence[Participant]) -> tuple[list[Source], int]:
    """The participants' contributed cases as linkage sources, decrypted here and nowhere else.

    A case is linked only if it still belongs to the participant and still has consent to share
    (consent may have been withdrawn since the contribution): the others are left out and counted.
    Record ids are the cases' platform ids. Returns (sources, cases left out now).
    """
    from vinculo.linkage.normalise import normalise_person
    from vinculo.web.cases.models import CaseRecord
    from vinculo.web.cases.protection import EXTRA_KEY, open_protected

    fields = set(exercise.fields)
    sources = []
    left_out = 0
    for participant in participants:
        wanted = set(participant.case_ids)
        rows = CaseRecord.objects.filter(
            owner_id=participant.organisation_id, pk__in=wanted, consent_to_share=True
        ).only("pk", "values", "protected")
        persons: list[Person] = []
        for case in rows.iterator(chunk_size=500):
            values: dict[str, Any] = {k: v for k, v in case.values.items() if k in STRATA_FIELDS}
            secret = open_protected(case.protected)
            secret.pop(EXTRA_KEY, None)
            values.update({k: v for k, v in secret.items() if k in fields})
            values.update({k: v for k, v in case.values.items() if k in fields})
            persons.append(
                normalise_person(
                    values, source=participant.source_name, record_id=str(case.pk), row=len(persons) + 1
                )
            )
        left_out += len(wanted) - len(persons)
        sources.append(Source(name=participant.source_name, persons=tuple(persons)))
    return sources, left_out


# --- PPRL mode --------------------------------------------------------------------------------


def check_encodings(data: bytes, file_name: str) -> Any:
    """Validate an encodings file made with ``vinculo encode`` (refuses anything else, clearly)."""
    if len(data) > MAX_ENCODINGS_BYTES:
        raise VinculoError(
            f"{file_name}: the file is {len(data):,} bytes; encodings files are at most {MAX_ENCODINGS_BYTES:,}.",
            code="linkage.file_too_large",
            issues=[Issue("linkage.file_too_large", "file too large", Location(file=file_name))],
            fix="Encode the cases in scope only (for example one year), or ask the coordinator to split the exercise.",
        )
    if not data:
        raise VinculoError(
            f"{file_name}: the file is empty.",
            code="linkage.empty",
            issues=[Issue("linkage.empty", "the file is empty", Location(file=file_name))],
            fix="Upload the .enc file that `vinculo encode` wrote.",
        )
    return _pprl().read_encodings(data, name=file_name)


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- clusters and histories from stored rows --------------------------------------------------


def sensitivity_thresholds(threshold: float, band_low: float) -> tuple[float, float]:
    """(stricter, looser): halfway to 1, and as far below, but not under the stored pairs' floor."""
    step = (1.0 - threshold) / 2
    return min(1.0, threshold + step), max(band_low, threshold - step)


def _keyed(records: Sequence[LinkedRecord], names: Mapping[int, str]) -> dict[int, tuple[str, str]]:
    return {r.pk: (names[r.participant_id], str(r.pk)) for r in records}


def _pairs(
    pairs: Iterable[LinkPair], keys: Mapping[int, tuple[str, str]]
) -> tuple[list[ScoredPair], list[tuple[tuple[str, str], tuple[str, str]]]]:
    """Stored pairs as scored pairs with the review decisions applied: a match scores 1; a non-match is
    dropped and returned as a cannot-link constraint."""
    out = []
    cannot = []
    for pair in pairs:
        left, right = keys[pair.left_id], keys[pair.right_id]
        if pair.decision == Decision.NON_MATCH:
            cannot.append((left, right))
            continue
        out.append(ScoredPair(left, right, 1.0 if pair.decision == Decision.MATCH else pair.probability))
    return out, cannot


def recluster(exercise: Exercise, threshold: float) -> dict[int, int]:
    """Cluster ids by LinkedRecord pk at ``threshold``, review decisions applied."""
    participants = list(exercise.participants.all())
    names = {p.pk: p.source_name for p in participants}
    records = list(LinkedRecord.objects.filter(exercise=exercise).only("pk", "participant_id").order_by("pk"))
    keys = _keyed(records, names)
    pairs, cannot = _pairs(
        LinkPair.objects.filter(exercise=exercise).only("left_id", "right_id", "probability", "decision"),
        keys,
    )
    order = [keys[r.pk] for r in records]
    cluster = _cluster()
    # A non-match keeps its two records apart even through a third record (``cannot_link``).
    clusters = (
        cluster(order, pairs, threshold, cannot_link=cannot) if cannot else cluster(order, pairs, threshold)
    )
    return {r.pk: clusters[keys[r.pk]] for r in records}


def store_clusters(exercise: Exercise, clusters: Mapping[int, int]) -> None:
    """Write cluster ids and, for each record, how many other lists share its cluster."""
    records = list(LinkedRecord.objects.filter(exercise=exercise).only("pk", "participant_id"))
    lists: dict[int, set[int]] = defaultdict(set)
    for record in records:
        lists[clusters[record.pk]].add(record.participant_id)
    for record in records:
        record.cluster_id = clusters[record.pk]
        record.n_other_sources = len(lists[record.cluster_id]) - 1
    LinkedRecord.objects.bulk_update(records, ["cluster_id", "n_other_sources"], batch_size=1000)


def histories_for(sources: Sequence[str], clusters: Mapping[tuple[str, str], int]) -> list[dict[str, Any]]:
    """Capture histories (one 0/1 column per list, in order, and ``count``) of a clustering."""
    rows = _histories_rows()(LinkResult(sources=tuple(sources), clusters=dict(clusters)))
    return [{name: int(row[name]) for name in (*sources, "count")} for row in rows]


def strata_histories(
    sources: Sequence[str],
    clusters: Mapping[tuple[str, str], int],
    strata: Mapping[tuple[str, str], Mapping[str, str]],
) -> dict[str, list[dict[str, Any]]]:
    """Capture histories per stratum, for each strata key that at least one record has a value of.

    Each row has the stratum (under the key's name), the 0/1 columns and ``count``; a person whose
    records carry no value of the key is in stratum ``unknown`` (:mod:`vinculo.linkage.histories`).
    """
    present = [k for k in STRATA_KEYS if any(values.get(k) for values in strata.values())]
    if not present:
        return {}
    result = LinkResult(sources=tuple(sources), clusters=dict(clusters), strata=dict(strata))
    out: dict[str, list[dict[str, Any]]] = {}
    for key in present:
        rows = _histories_rows()(result, by=key)
        out[key] = [{key: str(row[key]), **{n: int(row[n]) for n in (*sources, "count")}} for row in rows]
    return out


def summarise(exercise: Exercise) -> dict[str, Any]:
    """The counts the result page shows (no record, no identifier): sizes, histories, sensitivity."""
    participants = [p for p in exercise.participants.all() if p.records.exists()]
    sources = [p.source_name for p in participants]
    names = {p.pk: p.source_name for p in participants}
    records = list(
        LinkedRecord.objects.filter(exercise=exercise).only("pk", "participant_id", "cluster_id", "strata")
    )
    keys = _keyed(records, names)
    current = {keys[r.pk]: r.cluster_id for r in records}
    strata = {keys[r.pk]: r.strata for r in records if r.strata}
    threshold = exercise.threshold_used if exercise.threshold_used is not None else 0.0
    band_low = exercise.band_low if exercise.band_low is not None else threshold
    band_high = exercise.band_high if exercise.band_high is not None else threshold
    stricter, looser = sensitivity_thresholds(threshold, band_low)
    sensitivity = []
    for label, value in (("stricter", stricter), ("chosen", threshold), ("looser", looser)):
        if label == "chosen":
            clusters = current
        else:
            by_pk = recluster(exercise, value)
            clusters = {keys[pk]: cid for pk, cid in by_pk.items()}
        sensitivity.append(
            {
                "label": label,
                "threshold": round(value, 6),
                "n_clusters": len(set(clusters.values())),
                "histories": histories_for(sources, clusters),
            }
        )
    pairs = LinkPair.objects.filter(exercise=exercise, probability__gte=band_low, probability__lt=band_high)
    within = pairs.filter(left__participant_id=F("right__participant_id"))
    return {
        "sources": sources,
        "sizes": {p.source_name: p.records.count() for p in participants},
        "left_out": {p.source_name: p.n_left_out for p in participants},
        "n_records": len(records),
        "n_clusters": len(set(current.values())),
        "histories": sensitivity[1]["histories"],
        "strata": strata_histories(sources, current, strata),
        "sensitivity": sensitivity,
        "n_uncertain": pairs.count(),
        "n_uncertain_within": within.count(),
        "n_reviewed": LinkPair.objects.filter(exercise=exercise).exclude(decision=Decision.NONE).count(),
    }


def histories_csv(summary: Mapping[str, Any], by: str = "") -> str:
    """The capture-history table as the estimates area reads it (no all-zero row).

    With ``by`` (a key of ``summary["strata"]``), the first column holds the stratum.
    """
    sources = list(summary.get("sources") or [])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if by:
        writer.writerow([by, *sources, "count"])
        for row in (summary.get("strata") or {}).get(by) or []:
            writer.writerow([row[by]] + [row[s] for s in sources] + [row["count"]])
        return out.getvalue()
    writer.writerow([*sources, "count"])
    for row in summary.get("histories") or []:
        writer.writerow([row[s] for s in sources] + [row["count"]])
    return out.getvalue()
