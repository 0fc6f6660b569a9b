"""Public Global Report pages are cached for visitors who are not signed in, and only for them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from vinculo.web.evidence import caching, views
from vinculo.web.evidence.models import GlotipRelease, ReleaseStatus

from ..conftest import World

PAGE = ("evidence:country", ["FRA"])


def page_url() -> str:
    return reverse(PAGE[0], args=PAGE[1])


def without_csrf(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", html)


def break_the_view(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, building the page fails: only a cached copy can answer."""

    def fail(*args: Any, **kwargs: Any) -> HttpResponse:
        raise RuntimeError("the page was built again")

    monkeypatch.setattr(views, "_profile_page", fail)


def test_a_public_page_is_kept_for_visitors_not_signed_in(
    release: GlotipRelease, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Client().get(page_url())
    assert first.status_code == 200
    break_the_view(monkeypatch)
    again = Client().get(page_url())
    assert again.status_code == 200
    assert without_csrf(again.content) == without_csrf(first.content)
    assert again["Content-Type"].startswith("text/html")


def test_a_signed_in_page_is_never_stored_nor_served_from_the_cache(
    release: GlotipRelease, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in = world.client_for("owner_analyst")
    assert b"Signed in as" in signed_in.get(page_url()).content
    anonymous = Client().get(page_url()).content
    assert b"Signed in as" not in anonymous  # not the signed-in copy
    break_the_view(monkeypatch)
    with pytest.raises(RuntimeError, match="built again"):
        signed_in.get(page_url())  # the anonymous copy is not served to a signed-in user


def test_each_language_has_its_own_copy(release: GlotipRelease, monkeypatch: pytest.MonkeyPatch) -> None:
    english = Client(headers={"accept-language": "en"}).get(page_url())
    break_the_view(monkeypatch)
    with pytest.raises(RuntimeError):
        Client(headers={"accept-language": "fr"}).get(page_url())
    assert Client(headers={"accept-language": "en"}).get(page_url()).status_code == english.status_code


def test_storing_a_release_invalidates_the_cached_pages(
    release: GlotipRelease, monkeypatch: pytest.MonkeyPatch
) -> None:
    Client().get(page_url())
    break_the_view(monkeypatch)
    assert Client().get(page_url()).status_code == 200
    release.save()
    with pytest.raises(RuntimeError):
        Client().get(page_url())


def test_a_new_current_release_changes_the_key_even_without_the_signal(release: GlotipRelease) -> None:
    request = RequestFactory().get(page_url())
    before = caching.page_key(request)
    newer = GlotipRelease.objects.create(
        version=release.version + 100,
        kind=release.kind,
        source_name=release.source_name,
        export_date=release.export_date,
        checksum="0" * 64,
        status=ReleaseStatus.CURRENT,
    )
    GlotipRelease.objects.filter(pk=release.pk).update(status=ReleaseStatus.SUPERSEDED)
    cache.set(caching.GENERATION_KEY, cache.get(caching.GENERATION_KEY))  # as if another process stored it
    assert caching.page_key(request) != before
    assert newer.pk != release.pk


def test_a_page_served_from_the_cache_carries_the_visitors_own_csrf_token(release: GlotipRelease) -> None:
    Client().get(page_url())  # stored
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(page_url())
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    assert token is not None and caching.CSRF_PLACEHOLDER not in page.content
    changed = visitor.post(
        reverse("set_language"),
        {"language": "fr", "next": page_url(), "csrfmiddlewaretoken": token.group(1).decode()},
    )
    assert changed.status_code == 302  # not 403: the token matches this visitor's cookie


def test_downloads_are_cached_with_their_file_name(release: GlotipRelease) -> None:
    url = reverse("evidence:flow_matrix", args=["csv"])
    first = Client().get(url)
    again = Client().get(url)
    assert again.status_code == 200 and again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"]


@override_settings(VINCULO_PUBLIC_PAGE_CACHE_SECONDS=0)
def test_caching_can_be_turned_off(release: GlotipRelease, monkeypatch: pytest.MonkeyPatch) -> None:
    Client().get(page_url())
    break_the_view(monkeypatch)
    with pytest.raises(RuntimeError):
        Client().get(page_url())
