from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from .countries import country_name
from .models import Country

router = Router(tags=["reference"])


class CountryOut(Schema):
    iso3: str
    iso2: str
    name: str
    un_member: bool

    @staticmethod
    def resolve_name(obj: Country) -> str:
        return country_name(obj.iso3, obj.name)


@router.get(
    "/countries", response=list[CountryOut], summary="Countries and territories: ISO 3166-1 codes, UN names"
)
def list_countries(request: HttpRequest, un_member: bool | None = None) -> list[Country]:
    queryset = Country.objects.all()
    if un_member is not None:
        queryset = queryset.filter(un_member=un_member)
    return list(queryset)
