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
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from vinculo.errors import VinculoError

from .accounts.actions import authenticate_token
from .core.api_docs import PlatformSwagger
from .core.limits import max_body_bytes

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

    The first item names where the value came from (body, query, path...); for a JSON body, the second is
    the name of the view's parameter, which the caller never sees (form fields are named directly).
    """
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        source = parts.pop(0)
        if source == "body" and len(parts) > 1:
            parts.pop(0)
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "request"


ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "description": "Every error has this shape.",
    "required": ["ok", "error", "errors", "code", "status"],
    "properties": {
        "ok": {"type": "boolean", "enum": [False]},
        "error": {"type": "string", "description": "What went wrong and how to fix it."},
        "errors": {
            "type": "array",
            "description": "One entry per problem: field or location, code and message (never the value).",
            "items": {"type": "object"},
        },
        "code": {"type": "string", "description": "A stable machine-readable code."},
        "status": {"type": "integer", "description": "The HTTP status, repeated."},
    },
}

_ERRORS = {
    "400": "Bad request: the request or an uploaded file cannot be used (see code and errors).",
    "401": "The bearer token is malformed, unknown, expired or revoked.",
    "403": "Your role does not allow this, or a session request lacks its CSRF token.",
    "404": "Not found, or you do not have access to it (the two are never told apart).",
    "413": "The request body is over the size limit.",
    "422": "A parameter or a field of the body is missing or invalid (each is named in errors).",
}


class PlatformAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document says what the API really does.

    Every route accepts a bearer token, a browser session, or no credentials at all (then the caller sees
    public data only, and a route that needs a role answers 403 or 404), so security is optional on every
    operation. Every operation documents its error answers in the one error shape: 400, 401, 403 and 404
    everywhere, 422 where it takes parameters or a body, 413 where it takes a body.
    """

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        components.setdefault("securitySchemes", {})["SessionCookie"] = {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "A signed-in browser session; unsafe methods also need the X-CSRFToken header.",
        }
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                if operation.get("security"):
                    operation["security"] = [{"PlatformAuth": []}, {"SessionCookie": []}, {}]
                codes = ["400", "401", "403", "404"]
                if operation.get("parameters") or operation.get("requestBody"):
                    codes.append("422")
                if operation.get("requestBody") or method in ("post", "put", "patch"):
                    codes.append("413")
                for code in codes:
                    operation["responses"].setdefault(
                        code,
                        {
                            "description": _ERRORS[code],
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                            },
                        },
                    )
        return schema


api = PlatformAPI(
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


def _without_values(text: str, values: set[str]) -> str:
    """``text`` with every quoted occurrence of a submitted value replaced by a neutral word."""
    for value in sorted(values, key=len, reverse=True):
        for quoted in (repr(value), f'"{value}"', f"'{value}'", f"\u201c{value}\u201d"):
            text = text.replace(quoted, "this value")
    return text


def public_issues(exc: VinculoError) -> tuple[str, list[dict[str, Any]]]:
    """The message and issues of ``exc`` as the API shows them: code, message, fix, severity and where
    (file, sheet, row, column, field), never the submitted value (``Issue.value``) nor one quoted in a
    message, so an error cannot echo what was uploaded (a victim's name, say) back to the caller."""
    values = {i.value for i in exc.issues if i.value}
    errors = []
    for issue in exc.issues:
        data = issue.to_dict()
        data.pop("value", None)
        data["message"] = _without_values(issue.message, values)
        errors.append(data)
    return _without_values(str(exc), values), errors


@api.exception_handler(VinculoError)
def _vinculo_error(request: HttpRequest, exc: VinculoError) -> HttpResponse:
    message, errors = public_issues(exc)
    return error_response(request, 400, exc.code, message, errors)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """Bodies over the limits (413) and other requests Django refuses to parse (400); never a 500."""
    if isinstance(exc, RequestDataTooBig):
        limit = max_body_bytes(request.META.get("CONTENT_TYPE", ""))
        return error_response(
            request, 413, "too_large", f"The request body is too large: the limit is {limit:,} bytes."
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return error_response(request, 413, "too_large", "The request has too many fields or files.")
    return error_response(request, 400, "bad_request", "The request could not be understood.")


@api.exception_handler(UnreadablePostError)
def _unreadable(request: HttpRequest, exc: UnreadablePostError) -> HttpResponse:
    return error_response(request, 400, "bad_request", "The request body could not be read: send it again.")


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
    from .linkage.api import router as linkage_router

    api.add_router("/linkage", linkage_router)


_mount()
