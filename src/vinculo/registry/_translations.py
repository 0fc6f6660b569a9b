"""Per-field translations of a programme's free text into the six UN languages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from vinculo.errors import Issue, Location

from ._vocabulary import UN_LANGUAGES

__all__ = [
    "SEARCH_CONFIGS",
    "TRANSLATED_FIELDS",
    "DisplayedText",
    "check_language",
    "pick_text",
    "search_config",
]

#: The free-text fields that can be translated.
TRANSLATED_FIELDS = ("title", "problem_statement", "objectives", "activities", "lessons_learned")

#: PostgreSQL text-search configuration per UN language; Chinese has no stemmer ("simple").
SEARCH_CONFIGS: dict[str, str] = {
    "ar": "arabic",
    "zh-hans": "simple",
    "en": "english",
    "fr": "french",
    "ru": "russian",
    "es": "spanish",
}


@dataclass(frozen=True, slots=True)
class DisplayedText:
    """The text to show for one field, its language, and whether it is the original as a fallback."""

    text: str
    language: str
    is_original: bool
    is_fallback: bool


def search_config(language: str) -> str:
    """The PostgreSQL text-search configuration for ``language`` (``"simple"`` when unknown)."""
    return SEARCH_CONFIGS.get(language, "simple")


def check_language(field: str, language: str) -> list[Issue]:
    if language in UN_LANGUAGES:
        return []
    return [
        Issue(
            "registry.unknown_language",
            f"{language!r} is not one of the six UN languages.",
            Location(field=field),
            value=language,
            expected=", ".join(UN_LANGUAGES),
            fix=f"Use one of: {', '.join(UN_LANGUAGES)}.",
        )
    ]


def pick_text(
    field: str,
    wanted: str,
    original_language: str,
    original: Mapping[str, str],
    translations: Mapping[str, Mapping[str, str]],
) -> DisplayedText:
    """The text of ``field`` in language ``wanted`` when available, else the original.

    ``translations`` maps a language to its translated fields; an empty translation counts as
    missing. ``is_fallback`` is true when the original is shown although another language was wanted.

    Examples
    --------
    >>> pick_text("title", "fr", "en", {"title": "Shelter"}, {"fr": {"title": "Refuge"}}).text
    'Refuge'
    >>> pick_text("title", "ru", "en", {"title": "Shelter"}, {}).is_fallback
    True
    """
    base = wanted.lower()
    if base != original_language:
        text = (translations.get(base) or {}).get(field, "")
        if text.strip():
            return DisplayedText(text, base, False, False)
    return DisplayedText(original.get(field, ""), original_language, True, base != original_language)
