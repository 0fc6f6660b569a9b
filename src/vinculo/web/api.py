"""The HTTP API: one NinjaAPI that mounts each app's router and renders every error in one shape.

Every error answers ``{"ok": false, "error": str, "errors": [...], "code": str, "status": int}``.
Scripts authenticate with ``Authorization: Bearer <token>``; a browser session works too, with CSRF
checks on unsafe methods. Anonymous callers see public data only. An unknown object and an object
the caller may not see answer the same 404.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from vinculo.errors import VinculoError

from .accounts.actions import authenticate_token
from .core.api_docs import PlatformSwagger

logger = logging.getLogger("vinculo.api")

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class PlatformAuth(HttpBearer):
    """Bearer token if one is sent; otherwise the session user, or an anonymous caller.

    Returns the user (possibly anonymous, which is truthy) so that routes apply the access functions
    themselves. A wrong or expired token is refused outright rather than falling back to anonymous.
    """

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, raw = header.partition(" ")
            if scheme.lower() != "bearer" or not raw.strip():
                raise AuthenticationError(401, "Send the token as 'Authorization: Bearer <token>'.")
            return self.authenticate(request, raw.strip())
        user = getattr(request, "user", None) or AnonymousUser()
        if user.is_authenticated and request.method not in SAFE_METHODS:
            if check_csrf(request) is not None:
                raise AuthorizationError(
                    403, "CSRF check failed: send the X-CSRFToken header, or use a token."
                )
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token)
        if user is None:
            raise AuthenticationError(401, "The token is unknown, expired or revoked.")
        request.user = user
        return user


def error_response(
    request: HttpRequest | None,
    status: int,
    code: str,
    message: str,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    return JsonResponse(
        {"ok": False, "error": message, "errors": errors or [], "code": code, "status": status}, status=status
    )


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """A pydantic location as a readable field path: ("body", "payload", "shared_with", 0) -> "shared_with[0]".

    The first item names where the value came from (body, query, path...); for a body, the second is the
    name of the view's parameter, which the caller never sees.
    """
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        source = parts.pop(0)
        if source in ("body", "form") and len(parts) > 1:
            parts.pop(0)
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "request"


api = NinjaAPI(
    title="vinculo API",
    version="1",
    description=(
        "Coordinated data against trafficking in persons. Authenticate scripts with an API token "
        "(My account → API tokens) sent as `Authorization: Bearer <token>`. Errors always have the shape "
        '`{"ok": false, "error", "errors", "code", "status"}`.'
    ),
    auth=PlatformAuth(),
    urls_namespace="api-1",
    docs_url="/docs",
    docs=PlatformSwagger(),
)


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for item in exc.errors:
        field = _field_path(tuple(item.get("loc", ())))
        errors.append(
            {"field": field, "message": item.get("msg", "Invalid value."), "code": item.get("type", "")}
        )
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "The request is not valid."
    return error_response(request, 422, "validation_error", f"Invalid input. {summary}", errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = str(exc.args[1]) if len(exc.args) > 1 else "Authentication required."
    return error_response(request, 401, "unauthenticated", message)


@api.exception_handler(AuthorizationError)
def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    message = str(exc.args[1]) if len(exc.args) > 1 else "Not allowed."
    return error_response(request, 403, "forbidden", message)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", "Not found, or you do not have access to it.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict", 413: "too_large"}
    return error_response(request, exc.status_code, code.get(exc.status_code, "error"), str(exc))


@api.exception_handler(VinculoError)
def _vinculo_error(request: HttpRequest, exc: VinculoError) -> HttpResponse:
    errors = [i.to_dict() for i in exc.issues]
    return error_response(request, 400, exc.code, str(exc), errors)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s %s", request.method, request.path)
    return error_response(
        request, 500, "server_error", "Something went wrong on the server. It has been logged."
    )


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(request, 404, "not_found", "There is no such API route. See /api/docs.")


def _mount() -> None:
    from .accounts.api import router as accounts_router
    from .audit.api import router as audit_router
    from .cases.api import router as cases_router
    from .core.api import router as core_router
    from .estimates.api import router as estimates_router
    from .evidence.api import router as evidence_router
    from .exchange.api import router as exchange_router
    from .programmes.api import router as programmes_router

    api.add_router("/", core_router)
    api.add_router("/", accounts_router)
    api.add_router("/notices", exchange_router)
    api.add_router("/audit", audit_router)
    api.add_router("/estimates", estimates_router)
    api.add_router("/cases", cases_router)
    api.add_router("/programmes", programmes_router)
    api.add_router("/evidence", evidence_router)
    from .appraisal.api import router as appraisal_router
    from .events.api import router as events_router
    from .network.api import router as network_router
    from .treaties.api import router as treaties_router
    from .trustfund.api import router as trustfund_router

    api.add_router("/treaties", treaties_router)
    api.add_router("/network", network_router)
    api.add_router("/appraisal", appraisal_router)
    api.add_router("/trustfund", trustfund_router)
    api.add_router("/events", events_router)


_mount()
