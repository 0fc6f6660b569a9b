"""The six UN languages: switching, right-to-left Arabic, and complete catalogues for the shell."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])
OTHER_LANGUAGES = ["ar", "zh_Hans", "fr", "ru", "es"]


def test_the_six_official_languages_are_offered() -> None:
    assert [code for code, _ in settings.LANGUAGES] == ["ar", "zh-hans", "en", "fr", "ru", "es"]


@pytest.mark.django_db
def test_arabic_pages_render_right_to_left() -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="ar")
    text = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in text
    english = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en" dir="ltr">' in english


@pytest.mark.django_db
def test_switching_language_sets_the_cookie_and_translates_the_shell() -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.get("/").content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    with translation.override("fr"):
        assert translation.gettext("Sign in") != "Sign in"
        assert translation.gettext("Sign in") in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "zh-hans", "fr", "ru", "es"])
def test_the_shell_is_translated_in_each_language(language: str) -> None:
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    with translation.override(language):
        for msgid in ["Skip to main content", "Home", "Information exchange", "Sign in", "Language"]:
            translated = translation.gettext(msgid)
            assert translated != msgid, f"{msgid!r} is not translated into {language}"
            assert translated in page


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_message_of_the_catalogue_is_translated(language: str) -> None:
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    entries = po.split("\n\n")[1:]
    untranslated = []
    for entry in entries:
        if "#~" in entry or "msgid" not in entry:
            continue
        strings = [line for line in entry.splitlines() if line.startswith("msgstr")]
        # A msgstr is empty when its line is msgstr "" and no continuation line follows it.
        lines = entry.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("msgstr") and line.endswith('""'):
                following = lines[i + 1] if i + 1 < len(lines) else ""
                if not following.startswith('"'):
                    untranslated.append(entry.splitlines()[0])
        assert strings, entry
        assert "#, fuzzy" not in entry, f"fuzzy entry in {language}: {entry[:80]}"
    assert untranslated == []


@pytest.mark.django_db
def test_a_404_page_is_translated_and_never_a_stack_trace() -> None:
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Traceback" not in text
    with translation.override("es"):
        assert translation.gettext("Page not found") in text


@pytest.mark.django_db
def test_a_server_error_page_shows_no_stack_trace(monkeypatch: pytest.MonkeyPatch) -> None:
    from vinculo.web.core import views

    def boom(request: object) -> list[object]:
        raise RuntimeError("internal detail that must not leak")

    monkeypatch.setattr(views.areas, "visible_areas", boom)
    import logging

    logging.getLogger("django.request").disabled = True
    try:
        response = Client(raise_request_exception=False).get("/")
    finally:
        logging.getLogger("django.request").disabled = False
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong" in text
    assert "internal detail" not in text and "Traceback" not in text
