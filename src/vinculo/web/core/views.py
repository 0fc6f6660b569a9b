"""The platform shell: home page and error pages (never a stack trace)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from vinculo.web.core import areas, limits


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"areas": areas.visible_areas(request)})


def _error(request: HttpRequest, status: int, heading: str, explanation: str) -> HttpResponse:
    return render(request, "core/error.html", {"heading": heading, "explanation": explanation}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400, or 413 for a body over the limits; API paths get the API error shape.

    Django calls this for every ``SuspiciousOperation``, which may be raised before the middleware that
    sets ``request.user`` has run: then a page that needs no middleware state is rendered.
    """
    if isinstance(exception, RequestDataTooBig):
        return limits.too_large(request, limits.max_body_bytes(request.META.get("CONTENT_TYPE", "")))
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return limits.refusal(
            request,
            413,
            "too_large",
            _("The request has too many fields or files."),
            _("Send fewer fields or files at once."),
        )
    heading = _("Bad request")
    explanation = _("The request could not be understood. Check what you sent.")
    if limits.is_api(request) or not hasattr(request, "user"):
        return limits.refusal(request, 400, "bad_request", heading, explanation)
    return _error(request, 400, heading, explanation)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("Not allowed"), _("Your role does not allow this action."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Page not found"),
        _("There is nothing here, or you do not have access to it. Check the address or sign in."),
    )


@requires_csrf_token
def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    # A minimal template with no database access: the error may be the database itself.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def form_status(request: HttpRequest, *, invalid: bool) -> int:
    """HTTP status of a page that shows a form: 400 when a submitted form is re-shown with errors."""
    return 400 if request.method == "POST" and invalid else 200
