"""The generator's romanisation schemes, patronymics and surname forms give the spellings registers use."""

from __future__ import annotations

import random

import pytest

from vinculo.linkage._synthetic_text import (
    SCHEMES,
    feminine_surname,
    ru_patronymic,
    strip_diacritics,
    transliterate_cyrillic,
    typo,
    uk_patronymic,
)


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [("icao", "Shevchenko"), ("bgn", "Shevchenko"), ("german", "Schewtschenko"), ("french", "Chevtchenko")],
)
def test_one_surname_has_the_spelling_of_each_scheme(scheme: str, expected: str) -> None:
    assert transliterate_cyrillic("Шевченко", scheme, ukrainian=True) == expected


def test_russian_and_ukrainian_readings_differ() -> None:
    assert transliterate_cyrillic("Олександр", "icao", ukrainian=True) == "Oleksandr"
    assert transliterate_cyrillic("Григорий", "icao", ukrainian=False) == "Grigorii"
    assert transliterate_cyrillic("Григорій", "icao", ukrainian=True) == "Hryhorii"
    assert transliterate_cyrillic("Евгений", "bgn", ukrainian=False) == "Yevgeniy"
    assert transliterate_cyrillic("Евгений", "informal", ukrainian=False) == "Yevgeny"
    assert transliterate_cyrillic("Воробьёв", "german", ukrainian=False) == "Worobjow"


def test_every_scheme_gives_latin_letters_only() -> None:
    for scheme in SCHEMES:
        out = transliterate_cyrillic("Щербаков Юлия Ёлкина Аксёнов", scheme, ukrainian=False)
        assert out.replace(" ", "").isascii() and out.replace(" ", "").isalpha()


def test_patronymics_follow_the_father_name() -> None:
    assert ru_patronymic("Иван", female=False) == "Иванович"
    assert ru_patronymic("Сергей", female=True) == "Сергеевна"
    assert ru_patronymic("Юрий", female=True) == "Юрьевна"
    assert ru_patronymic("Дмитрий", female=False) == "Дмитриевич"
    assert ru_patronymic("Илья", female=True) == "Ильинична"
    assert ru_patronymic("Пётр", female=False) == "Петрович"
    assert uk_patronymic("Сергій", female=False) == "Сергійович"
    assert uk_patronymic("Сергій", female=True) == "Сергіївна"
    assert uk_patronymic("Микола", female=False) == "Миколайович"
    assert uk_patronymic("Василь", female=True) == "Василівна"
    assert uk_patronymic("Петро", female=False) == "Петрович"


def test_feminine_surnames_change_only_where_the_language_does() -> None:
    assert feminine_surname("Иванов", "ru") == "Иванова"
    assert feminine_surname("Воробьёв", "ru") == "Воробьёва"
    assert feminine_surname("Осадчий", "uk") == "Осадча"
    assert feminine_surname("Шевченко", "uk") == "Шевченко"
    assert feminine_surname("Popescu", "ro") == "Popescu"


def test_diacritics_are_dropped_as_on_a_plain_keyboard() -> None:
    assert strip_diacritics("Nguyễn Thị Đào") == "Nguyen Thi Dao"
    assert strip_diacritics("Ștefan Bălan") == "Stefan Balan"


def test_a_typo_changes_a_word_by_one_edit_and_keeps_the_first_letter() -> None:
    rng = random.Random(1)
    for _ in range(200):
        out = typo("Mohammed", rng)
        assert out[0] == "M" and out != "Mohammed"
        assert abs(len(out) - len("Mohammed")) <= 1
    assert typo("Li", rng) == "Li"
