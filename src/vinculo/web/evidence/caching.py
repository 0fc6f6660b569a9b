"""Cached public Global Report pages.

The evidence pages are public and the same for every visitor who is not signed in, and building one
(a country profile's charts and tables) costs far more than serving it. ``cache_public_page`` keeps
the rendered answer in Django's cache (Redis when several web processes share it):

- only for a ``GET`` by a visitor who is **not signed in**, with no message waiting to be shown: a
  signed-in page (which names its user and may offer more) is never stored nor served from the cache;
- only a ``200`` answer, never one that is streamed, and at most ``MAX_BYTES``;
- keyed by the active language, the current release and the requested release (their ids, versions
  and checksums), the path and query string, and a generation that ``invalidate`` (called whenever a
  release is saved or deleted) changes, so a newly stored release is never hidden behind an old page;
- the CSRF token of the page's forms (the language switch) is not shared: it is taken out before the
  page is stored and each visitor's own token is put back when it is served.

``VINCULO_PUBLIC_PAGE_CACHE_SECONDS`` (default 600) is how long a page is kept; 0 turns caching off.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from .models import GlotipRelease
from .services import release_by_version

View = Callable[..., HttpResponse]

MAX_BYTES = 5 * 1024 * 1024
GENERATION_KEY = "evidence-page:generation"
CSRF_PLACEHOLDER = b"__vinculo_csrf_token__"
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def cache_seconds() -> int:
    return int(getattr(settings, "VINCULO_PUBLIC_PAGE_CACHE_SECONDS", 600))


def invalidate() -> None:
    """Forget every cached public page (a new generation: old entries are never read again and expire)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


@receiver(post_save, sender=GlotipRelease, dispatch_uid="vinculo-evidence-page-cache-save")
@receiver(post_delete, sender=GlotipRelease, dispatch_uid="vinculo-evidence-page-cache-delete")
def _release_changed(**kwargs: Any) -> None:
    invalidate()


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        # Another process may have set one meanwhile: keep theirs.
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY, generation)
    return str(generation)


def _identity(release: GlotipRelease | None) -> str:
    return "-" if release is None else f"{release.pk}.{release.version}.{release.checksum}"


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method != "GET" or cache_seconds() <= 0:
        return False
    if request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0


def page_key(request: HttpRequest) -> str:
    """The cache key of the page ``request`` asks for (see the module's docstring)."""
    raw = request.GET.get("release", "")
    requested = release_by_version(int(raw)) if raw.isdigit() else None
    parts = [
        _generation(),
        get_language() or "",
        _identity(release_by_version(None)),
        _identity(requested),
        request.get_full_path(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"evidence-page:{digest}"


def _store(key: str, response: HttpResponse) -> None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return
    content = bytes(response.content)
    if len(content) > MAX_BYTES:
        return
    if response.get("Content-Type", "").startswith("text/html"):
        content = _CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", content)
    headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
    cache.set(key, {"content": content, "headers": headers}, cache_seconds())


def _serve(request: HttpRequest, stored: dict[str, Any]) -> HttpResponse:
    content: bytes = stored["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in stored["headers"].items():
        response[name] = value
    return response


def cache_public_page(view: View) -> View:
    """Serve ``view``'s answer to visitors who are not signed in from the cache (see the module's docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        stored = cache.get(key)
        if stored is not None:
            return _serve(request, stored)
        response = view(request, *args, **kwargs)
        _store(key, response)
        return response

    return wrapper
