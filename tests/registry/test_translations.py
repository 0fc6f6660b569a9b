from __future__ import annotations

from vinculo.registry import SEARCH_CONFIGS, UN_LANGUAGES, check_language, pick_text, search_config


def test_the_wanted_language_is_shown_when_translated() -> None:
    shown = pick_text("title", "fr", "en", {"title": "Shelter"}, {"fr": {"title": "Refuge"}})
    assert (shown.text, shown.language, shown.is_original, shown.is_fallback) == (
        "Refuge",
        "fr",
        False,
        False,
    )


def test_the_original_is_shown_with_a_fallback_flag_when_not_translated() -> None:
    shown = pick_text(
        "objectives", "fr", "es", {"objectives": "Proteger"}, {"fr": {"title": "Refuge", "objectives": " "}}
    )
    assert (shown.text, shown.language, shown.is_fallback) == ("Proteger", "es", True)


def test_readers_of_the_original_language_see_no_fallback_note() -> None:
    shown = pick_text("title", "ar", "ar", {"title": "حماية"}, {})
    assert shown.is_original and not shown.is_fallback


def test_every_un_language_has_a_search_configuration() -> None:
    assert set(SEARCH_CONFIGS) == set(UN_LANGUAGES)
    assert search_config("zh-hans") == "simple" and search_config("fr") == "french"
    assert search_config("xx") == "simple"


def test_unknown_languages_are_reported() -> None:
    assert check_language("original_language", "en") == []
    assert check_language("original_language", "de")[0].code == "registry.unknown_language"
