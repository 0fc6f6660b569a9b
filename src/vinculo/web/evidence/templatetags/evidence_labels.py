from __future__ import annotations

from typing import Any

from django import template

from vinculo.web.evidence.labels import area_name, country_name, data_label

register = template.Library()


@register.filter(name="data_label")
def data_label_filter(value: Any) -> str:
    return data_label(value)


@register.filter(name="area_name")
def area_name_filter(profile: Any) -> str:
    return area_name(profile)


@register.filter(name="country_name")
def country_name_filter(iso3: str, fallback: str = "") -> str:
    return country_name(iso3, fallback or iso3)
