from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from vinculo.web.accounts import access
from vinculo.web.accounts.models import Organisation, User
from vinculo.web.audit.models import AuditAction
from vinculo.web.audit.record import audit
from vinculo.web.core.bounds import ObjectId

from . import actions
from .models import CurrencyBalance, Grant, GrantCycle

router = Router(tags=["trust fund"])


class BalanceOut(Schema):
    currency: str
    contributed: Decimal
    disbursed: Decimal
    balance: Decimal


class DonorYearOut(Schema):
    year: int
    donor: str
    currency: str
    amount: Decimal


class SummaryOut(Schema):
    balances: list[BalanceOut]
    contributions: list[DonorYearOut]


class ContributionIn(Schema):
    donor_organisation: ObjectId | None = None
    donor_name: str = Field(default="", max_length=200)
    received_on: date
    amount: str = Field(description="Decimal as text, e.g. '25000.00'")
    currency: str = Field(min_length=1, max_length=8)
    earmarking: str = Field(default="", max_length=5000)


class ContributionOut(Schema):
    id: int
    donor: str
    received_on: date
    amount: Decimal
    currency: str


class CycleIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    year: int = Field(ge=2010, le=2100)
    opens_on: date
    closes_on: date


class FundCycleOut(Schema):
    id: int
    title: str
    year: int
    opens_on: date
    closes_on: date


class GrantIn(Schema):
    cycle: ObjectId
    grantee: ObjectId
    title: str = Field(min_length=1, max_length=200)
    amount: str
    currency: str = Field(min_length=1, max_length=8)
    starts_on: date
    ends_on: date
    services: str = Field(min_length=1, max_length=5000)


class DisbursementOut(Schema):
    id: int
    paid_on: date
    amount: Decimal
    currency: str
    note: str


class GrantOut(Schema):
    id: int
    cycle: int
    grantee: int
    title: str
    amount: Decimal
    currency: str
    starts_on: date
    ends_on: date
    services: str
    disbursements: list[DisbursementOut]

    @staticmethod
    def resolve_cycle(obj: Grant) -> int:
        return obj.cycle_id

    @staticmethod
    def resolve_grantee(obj: Grant) -> int:
        return obj.grantee_id

    @staticmethod
    def resolve_disbursements(obj: Grant) -> list[Any]:
        return list(obj.disbursements.all())


class DisbursementIn(Schema):
    paid_on: date
    amount: str
    note: str = Field(default="", max_length=300)


class ReconciliationOut(Schema):
    reconciled: bool
    problems: list[str]


@router.get(
    "/summary",
    response=SummaryOut,
    summary="Public summary: totals per currency, contributions by year and donor",
)
def get_summary(request: HttpRequest) -> dict[str, Any]:
    return {
        "balances": list(CurrencyBalance.objects.all()),
        "contributions": actions.summary_by_year_and_donor(),
    }


def _manager(request: HttpRequest) -> User:
    if not access.access_can_manage_trustfund(request.user):
        raise HttpError(403, "Only administrators record Trust Fund money and grants.")
    assert isinstance(request.user, User)
    return request.user


def _reader(request: HttpRequest) -> None:
    if not access.access_can_read_trustfund_detail(request.user):
        raise Http404


@router.post(
    "/contributions", response={201: ContributionOut}, summary="Record a contribution (administrators)"
)
def post_contribution(request: HttpRequest, payload: ContributionIn) -> Status[Any]:
    user = _manager(request)
    org = None
    if payload.donor_organisation is not None:
        org = Organisation.objects.filter(pk=payload.donor_organisation).first()
        if org is None:
            raise HttpError(
                400,
                "donor_organisation: no organisation has this id. Use GET /api/organisations.",
            )
    c = actions.record_contribution(
        actor=user,
        received_on=payload.received_on,
        amount=payload.amount,
        currency=payload.currency,
        donor_organisation=org,
        donor_name=payload.donor_name,
        earmarking=payload.earmarking,
        request=request,
    )
    return Status(
        201,
        {
            "id": c.pk,
            "donor": c.donor,
            "received_on": c.received_on,
            "amount": c.amount,
            "currency": c.currency,
        },
    )


@router.post("/cycles", response={201: FundCycleOut}, summary="Open a grant cycle (administrators)")
def post_cycle(request: HttpRequest, payload: CycleIn) -> Status[Any]:
    user = _manager(request)
    return Status(201, actions.create_cycle(actor=user, request=request, **payload.dict()))


@router.get(
    "/grants", response=list[GrantOut], summary="Grants with their disbursements (reviewers, administrators)"
)
def list_grants(request: HttpRequest) -> list[Any]:
    _reader(request)
    grants = list(Grant.objects.prefetch_related("disbursements"))
    audit(
        AuditAction.VIEW,
        request=request,
        object_type="trustfund.grant",
        details={"ids": [g.pk for g in grants]},
    )
    return grants


@router.get("/grants/{grant_id}", response=GrantOut, summary="One grant (reviewers, administrators)")
def get_grant(request: HttpRequest, grant_id: ObjectId) -> Any:
    _reader(request)
    grant = Grant.objects.filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    audit(AuditAction.VIEW, request=request, obj=grant)
    return grant


@router.post("/grants", response={201: GrantOut}, summary="Award a grant (administrators)")
def post_grant(request: HttpRequest, payload: GrantIn) -> Status[Any]:
    user = _manager(request)
    data = payload.dict()
    cycle = GrantCycle.objects.filter(pk=data.pop("cycle")).first()
    grantee = Organisation.objects.filter(pk=data.pop("grantee")).first()
    if cycle is None or grantee is None:
        raise HttpError(400, "cycle/grantee: unknown id. Create the cycle first; use GET /api/organisations.")
    return Status(
        201, actions.create_grant(actor=user, cycle=cycle, grantee=grantee, request=request, **data)
    )


@router.post(
    "/grants/{grant_id}/disbursements",
    response={201: DisbursementOut},
    summary="Pay part of a grant (administrators)",
)
def post_disbursement(request: HttpRequest, grant_id: ObjectId, payload: DisbursementIn) -> Status[Any]:
    user = _manager(request)
    if not Grant.objects.filter(pk=grant_id).exists():
        raise Http404
    return Status(
        201, actions.record_disbursement(actor=user, grant_id=grant_id, request=request, **payload.dict())
    )


@router.get(
    "/reconciliation",
    response=ReconciliationOut,
    summary="Whether the summaries equal the ledger (reviewers, administrators)",
)
def get_reconciliation(request: HttpRequest) -> dict[str, Any]:
    _reader(request)
    problems = actions.check_reconciliation()
    audit(AuditAction.VIEW, request=request, object_type="trustfund.ledger", object_repr="reconciliation")
    return {"reconciled": not problems, "problems": [str(p) for p in problems]}
