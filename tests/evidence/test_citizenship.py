import csv
from importlib import resources

import pytest

from vinculo.errors import VinculoError
from vinculo.evidence import CitizenshipMapper, load_overrides, normalize_text
from vinculo.evidence._citizenship import _parse_overrides


@pytest.fixture(scope="module")
def mapper():
    return CitizenshipMapper()


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Nigerians", "NGA"),
        ("Romanian", "ROU"),
        ("Romania", "ROU"),
        ("RDC", "COD"),
        ("Viet Nam", "VNM"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d\u2019Ivoire", "CIV"),
        ("BRASIL", "BRA"),
        ("Kosovar", "XKX"),
        ("the Netherlands", "NLD"),
        ("C\ufffdte d\ufffdIvoire", "CIV"),
    ],
)
def test_spellings_map_to_iso3(mapper, text, iso3):
    m = mapper.match(text)
    assert (m.kind, m.iso3) == ("country", iso3)


def test_own_nationals_resolve_to_the_reporting_country(mapper):
    for text in ("Nationals", "Ciudadanos de su pa\ufffds", "own country"):
        m = mapper.match(text)
        assert m.kind == "nationals"
        assert m.resolve("ARG") == "ARG"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Unknown", "unknown"),
        ("", "unknown"),
        ("Africa", "aggregate"),
        ("Q6.1_10s_2019", "invalid"),
        ("145", "invalid"),
        ("Stateless", "stateless"),
        ("foreigners", "foreign"),
        ("Atlantis", "unmapped"),
    ],
)
def test_non_country_categories_are_not_guessed(mapper, text, kind):
    m = mapper.match(text)
    assert m.kind == kind
    assert m.resolve("NLD") is None


def test_override_table_has_a_reason_on_every_line():
    ref = resources.files("vinculo.evidence").joinpath("data", "citizenship_overrides.csv")
    with ref.open("r", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["comment"].strip() for r in rows)
    assert len(load_overrides()) == len(rows)


def test_a_broken_override_table_names_the_lines():
    rows = [
        {"text": "Narnian", "kind": "country", "iso3": "NRN", "comment": "x"},
        {"text": "Foo", "kind": "planet", "iso3": "", "comment": "x"},
        {"text": "Bar", "kind": "country", "iso3": "", "comment": ""},
    ]
    with pytest.raises(VinculoError) as err:
        _parse_overrides(rows, "o.csv")
    assert err.value.code == "evidence.bad_overrides"
    assert [i.location.row for i in err.value.issues] == [2, 3, 4]


def test_every_category_of_the_2025_export_is_mapped(dataset):
    texts = {
        r.category for r in dataset.records if r.dimension in ("by citizenship", "by country of repatriation")
    }
    unmapped = [t for t in texts if dataset.match_category(t).kind == "unmapped"]
    assert unmapped == []
    assert (
        len(
            {
                r.category
                for r in dataset.records
                if r.dimension == "by citizenship" and r.indicator == "Detected trafficking victims"
            }
        )
        == 579
    )


def test_normalization_ignores_case_accents_and_spacing():
    assert normalize_text("  RÉPUBLIQUE   tchèque ") == normalize_text("republique tcheque")
