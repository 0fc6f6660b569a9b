"""The areas listed on the home page. Each app registers its own; areas not built are simply absent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Area:
    url_name: str
    title: str | Promise
    text: str | Promise
    order: int = 100
    visible: Callable[[Any], bool] = lambda user: True


_AREAS: list[Area] = []


def register(area: Area) -> None:
    if all(a.url_name != area.url_name for a in _AREAS):
        _AREAS.append(area)


def visible_areas(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"url": reverse(a.url_name), "title": a.title, "text": a.text}
        for a in sorted(_AREAS, key=lambda a: a.order)
        if a.visible(request.user)
    ]
