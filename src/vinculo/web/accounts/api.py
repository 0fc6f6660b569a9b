from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from vinculo.web.core.bounds import ObjectId

from .models import Organisation, User

router = Router(tags=["organisations and accounts"])


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    country: str | None
    icat_role: str

    @staticmethod
    def resolve_country(obj: Organisation) -> str | None:
        return obj.country.iso3 if obj.country is not None else None


class MeOut(Schema):
    username: str
    role: str
    organisation: OrganisationOut | None


@router.get("/me", response=MeOut, summary="The caller's account, role and organisation")
def me(request: HttpRequest) -> User:
    user = request.user
    if not user.is_authenticated:
        raise Http404
    assert isinstance(user, User)
    return user


@router.get("/organisations", response=list[OrganisationOut], summary="The organisation directory")
def list_organisations(request: HttpRequest, kind: str | None = None) -> list[Organisation]:
    queryset = Organisation.objects.filter(is_active=True).select_related("country")
    if kind:
        queryset = queryset.filter(kind=kind)
    return list(queryset)


@router.get("/organisations/{org_id}", response=OrganisationOut, summary="One organisation")
def get_organisation(request: HttpRequest, org_id: ObjectId) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("country"), pk=org_id, is_active=True)
