"""Per-field translations: the reader's UI language when translated, else the original with a note."""

from __future__ import annotations

import json

from vinculo.web.programmes.models import ProgrammeTranslation

from ..conftest import World
from .conftest import make_programme


def test_a_translation_is_saved_per_field_and_shown_to_readers_of_that_language(world: World) -> None:
    programme = make_programme(world, title="Safe shelters", objectives="Open two shelters.")
    client = world.client_for("owner_author")
    response = client.post(
        f"/programmes/{programme.pk}/translate/fr/",
        {"version": programme.version, "title": "Refuges sûrs", "objectives": ""},
    )
    assert response.status_code == 302
    assert ProgrammeTranslation.objects.get(programme=programme, language="fr").title == "Refuges sûrs"
    programme.refresh_from_db()
    assert programme.version == 2
    page = client.get(f"/programmes/{programme.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    text = page.content.decode()
    assert '<h1 lang="fr">Refuges sûrs</h1>' in text
    assert '<div class="prose" lang="en"><p>Open two shelters.</p></div>' in text  # not translated: original
    english = client.get(f"/programmes/{programme.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<h1 lang="en">Safe shelters</h1>' in english


def test_the_original_is_shown_with_a_note_when_there_is_no_translation(world: World) -> None:
    programme = make_programme(world, status="published", title="حماية الضحايا", original_language="ar")
    text = world.client_for("anonymous").get(f"/programmes/{programme.pk}/").content.decode()
    assert '<h1 lang="ar">حماية الضحايا</h1>' in text
    assert "Shown in the original language (العربية); no translation into your language yet." in text


def test_translations_are_found_by_search(world: World) -> None:
    programme = make_programme(world, status="draft", title="Safe shelters")
    response = world.client_for("owner_author").put(
        f"/api/programmes/{programme.pk}/translations/es",
        data=json.dumps({"version": 1, "title": "Albergues seguros"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["translations"] == {"es": {"title": "Albergues seguros"}}
    found = world.client_for("owner_author").get("/api/programmes", {"q": "albergues"}).json()
    assert [r["id"] for r in found["results"]] == [programme.pk]


def test_translating_into_the_original_language_or_from_an_old_version_is_refused(world: World) -> None:
    programme = make_programme(world, title="Safe shelters")
    client = world.client_for("owner_author")
    same = client.put(
        f"/api/programmes/{programme.pk}/translations/en",
        data=json.dumps({"version": 1, "title": "x"}),
        content_type="application/json",
    )
    assert same.status_code == 400 and same.json()["code"] == "programmes.translation_of_original"
    assert client.get(f"/programmes/{programme.pk}/translate/en/").status_code == 404
    client.post(f"/programmes/{programme.pk}/translate/fr/", {"version": 1, "title": "Refuges"})
    stale = client.post(f"/programmes/{programme.pk}/translate/ru/", {"version": 1, "title": "Приюты"})
    assert stale.status_code == 409
    assert "Your changes were not saved" in stale.content.decode()
    assert not ProgrammeTranslation.objects.filter(language="ru").exists()
