"""The guides' pages: the list, one guide, and the screenshots the guides show."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import content


@require_safe
def guide_list(request: HttpRequest) -> HttpResponse:
    guides = [guide for guide in content.GUIDES if guide.path.is_file()]
    return render(request, "guides/list.html", {"guides": guides})


@require_safe
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = content.find(slug)
    if guide is None:
        raise Http404(slug)
    _, body = content.render(guide)
    others = [other for other in content.GUIDES if other.slug != slug and other.path.is_file()]
    return render(request, "guides/detail.html", {"guide": guide, "body": body, "others": others})


@require_safe
@cache_control(public=True, max_age=86400)
def screenshot(request: HttpRequest, name: str) -> FileResponse:
    path = content.screenshot_path(name)
    if path is None:
        raise Http404(name)
    return FileResponse(path.open("rb"), content_type="image/png")
