"""Numbers and amounts in the page's language (vinculo.web.core.templatetags.locale_format)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from vinculo.web.core.templatetags.locale_format import babel_locale, money, number

pytestmark = pytest.mark.backend_independent


def _render(text: str, language: str, **values: object) -> str:
    with translation.override(language):
        return Template("{% load locale_format %}" + text).render(Context(values))


def test_numbers_group_digits_and_round_as_the_language_does() -> None:
    assert _render("{{ x|number:0 }}", "en", x=11300.4) == "11,300"
    assert _render("{{ x|number:0 }}", "fr", x=11300.6) == "11\u202f301"
    assert _render("{{ x|number:2 }}", "ru", x=Decimal("1234.5")) == "1\xa0234,50"
    assert _render("{{ x|number:0 }}", "es", x=1234567) == "1.234.567"
    assert _render("{{ x|number }}", "zh-hans", x=0.125) == "0.125"


def test_empty_or_non_numbers_are_not_invented() -> None:
    assert number(None) == "" and money(None, "USD") == ""
    assert number("n/a", 0) == "n/a"
    assert number(True) == "True"


def test_money_uses_the_currency_and_falls_back_to_a_number_without_one() -> None:
    with translation.override("en"):
        assert money(Decimal("100000"), "eur") == "€100,000.00"
        assert money(Decimal("5"), "JPY") == "¥5"
        assert money(Decimal("1234.5"), "") == "1,234.50"
        assert money(Decimal("1234.5"), "not a code") == "1,234.50"


@pytest.mark.parametrize(
    ("django", "cldr"), [("zh-hans", "zh_Hans"), ("ar", "ar"), ("en", "en"), ("xx", "en")]
)
def test_django_language_codes_map_to_cldr_locales(django: str, cldr: str) -> None:
    assert str(babel_locale(django)) == cldr


def test_dates_and_moments_are_written_as_each_language_writes_them() -> None:
    import datetime

    from django.utils import translation

    from vinculo.web.core.templatetags.locale_format import local_date, local_datetime

    day = datetime.date(2026, 12, 8)
    moment = datetime.datetime(2026, 12, 8, 14, 5, 7, tzinfo=datetime.UTC)
    expected = {
        "en": ("8 Dec 2026", "8 Dec 2026 14:05"),
        "fr": ("8 déc. 2026", "8 déc. 2026 14:05"),
        "zh-hans": ("2026年12月8日", "2026年12月8日 14:05"),
    }
    for language, (d, m) in expected.items():
        with translation.override(language):
            assert (local_date(day), local_datetime(moment)) == (d, m)
            assert local_date(moment) == d  # a moment's day
    with translation.override("ru"):
        assert local_datetime(moment, "seconds").endswith("14:05:07") and "дек." in local_date(day)
    with translation.override("ar"):
        assert "2026" in local_date(day) and "Dec" not in local_date(day)
    assert local_date(None) == local_datetime("") == ""
    assert local_date("not a date") == "not a date"
