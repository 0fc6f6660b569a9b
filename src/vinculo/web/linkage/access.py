"""Who may do what in a linkage exercise: every decision of this area, in one place.

Built on :mod:`vinculo.web.accounts.access` (the platform's one door) and following its rules:

* an exercise is seen by the members of its coordinating organisation (the owner) and of the
  organisations invited to it (unless they declined); nobody else, platform administrators
  included (they run the platform, they do not read restricted data);
* the coordinating organisation's data managers open it, invite, run it and open an estimate;
* each invited organisation's data managers accept or decline and contribute;
* each organisation sees its own records' cluster ids and how many other lists share them, never
  another organisation's records;
* a pair in the uncertain band is listed for clerical review only to the data managers of the
  organisation that owns both records (the only users who may read both records' identifiers).
  Pairs across two organisations are never shown to anyone: no one may read both sides.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from vinculo.web.accounts import access

from .models import Exercise, ExerciseStatus, LinkPair, Participant, ParticipantStatus

AnyUser = Any


def _org_id(user: AnyUser) -> int | None:
    """The organisation of an active account (None for anonymous, suspended or organisation-less)."""
    org_id = getattr(user, "organisation_id", None)
    if isinstance(org_id, int) and access.access_is_member_of(user, org_id):
        return org_id
    return None


def _is_manager(user: AnyUser) -> bool:
    """An active data manager of an active organisation (``access_is_data_manager`` checks both)."""
    return access.access_is_data_manager(user)


def access_linkage_filter(user: AnyUser) -> Q:
    org_id = _org_id(user)
    if org_id is None:
        return Q(pk__in=[])
    invited = Participant.objects.filter(organisation_id=org_id).exclude(status=ParticipantStatus.DECLINED)
    return Q(owner_id=org_id) | Q(pk__in=invited.values("exercise_id"))


def access_visible_exercises(user: AnyUser, queryset: QuerySet[Exercise]) -> QuerySet[Exercise]:
    return queryset.filter(access_linkage_filter(user))


def access_participant(user: AnyUser, exercise: Exercise) -> Participant | None:
    """The user's organisation's participation in ``exercise`` (None if not invited)."""
    org_id = _org_id(user)
    if org_id is None:
        return None
    return Participant.objects.filter(exercise=exercise, organisation_id=org_id).first()


def access_can_view_exercise(user: AnyUser, exercise: Exercise) -> bool:
    org_id = _org_id(user)
    if org_id is None:
        return False
    if exercise.owner_id == org_id:
        return True
    participant = access_participant(user, exercise)
    return participant is not None and participant.status != ParticipantStatus.DECLINED


def access_can_open_exercise(user: AnyUser) -> bool:
    """Data managers of an active organisation open exercises (their organisation coordinates)."""
    return _is_manager(user)


def access_can_manage_exercise(user: AnyUser, exercise: Exercise) -> bool:
    """Invite, run, open the estimate: the coordinating organisation's data managers."""
    return _is_manager(user) and exercise.owner_id == user.organisation_id


def access_can_answer_invitation(user: AnyUser, participant: Participant) -> bool:
    return (
        _is_manager(user)
        and participant.organisation_id == user.organisation_id
        and participant.exercise.status == ExerciseStatus.OPEN
        and participant.status in (ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED)
    )


def access_can_contribute(user: AnyUser, participant: Participant) -> bool:
    """Contribute (or replace a contribution): the participant's data managers, once accepted."""
    return (
        _is_manager(user)
        and participant.organisation_id == user.organisation_id
        and participant.exercise.status in (ExerciseStatus.OPEN, ExerciseStatus.DONE, ExerciseStatus.FAILED)
        and participant.status in (ParticipantStatus.ACCEPTED, ParticipantStatus.CONTRIBUTED)
    )


def access_reviewable_pairs(user: AnyUser, exercise: Exercise) -> QuerySet[LinkPair]:
    """Pairs in the uncertain band whose two records both belong to the user's organisation."""
    if not _is_manager(user):
        return LinkPair.objects.none()
    low, high = exercise.band_low, exercise.band_high
    if low is None or high is None:
        return LinkPair.objects.none()
    org_id = user.organisation_id
    return LinkPair.objects.filter(
        exercise=exercise,
        probability__gte=low,
        probability__lt=high,
        left__participant__organisation_id=org_id,
        right__participant__organisation_id=org_id,
    ).select_related("left__case", "right__case")


def access_can_review_pair(user: AnyUser, pair: LinkPair) -> bool:
    return access_reviewable_pairs(user, pair.exercise).filter(pk=pair.pk).exists()
