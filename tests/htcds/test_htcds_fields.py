"""The field catalogue is loaded from the standard's own files (src/vinculo/htcds/_fields.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pycountry

import vinculo.htcds as htcds
from vinculo.htcds import Entity, FieldType, field_catalogue


def test_catalogue_has_every_named_field_of_the_standards_field_list(htcds_dir: Path) -> None:
    with (htcds_dir / "HTCDS_Field_Standards_2.0__derived.csv").open(encoding="utf-8") as fh:
        names = {
            (r["Field Name including Prefix"] or "").strip()
            for r in csv.DictReader(fh)
            if (r["Field Name including Prefix"] or "").strip() not in ("", "N/A")
        }
    cat = field_catalogue()
    assert names <= {f.name for f in cat}
    assert "vic_TypeOfExploitation" in cat


def test_every_entity_named_in_the_issue_has_fields() -> None:
    cat = field_catalogue()
    for entity in Entity:
        assert cat.by_entity(entity), entity
    assert cat["cas_IncomingReferralDate"].entity is Entity.CASE
    assert cat["hte_Type"].entity is Entity.TRAFFICKING_EVENT
    assert cat["con_Consent"].entity is Entity.CONSENT


def test_types_follow_the_standards_field_type_column() -> None:
    cat = field_catalogue()
    assert cat["prs_Birthdate"].type is FieldType.DATE
    assert cat["prs_Gender"].type is FieldType.PICKLIST
    assert cat["vic_MethodsOfControl"].type is FieldType.MULTI_PICKLIST
    assert cat["prs_Citizenship"].type is FieldType.MULTI_COUNTRY
    assert cat["org_ShippingCountry"].type is FieldType.COUNTRY
    assert cat["con_Consent"].type is FieldType.BOOLEAN
    assert cat["prs_NumberOfChildren"].type is FieldType.NUMBER
    assert cat["prs_PrimaryLanguage"].type is FieldType.LANGUAGE
    assert cat["cco_CaseComment"].type is FieldType.LONG_TEXT


def test_picklist_values_equal_the_xlsform_choices_up_to_surrounding_spaces(htcds_dir: Path) -> None:
    wb = openpyxl.load_workbook(htcds_dir / "htcds_xlsform.xlsx", read_only=True)
    rows = list(wb["choices"].iter_rows(values_only=True))[1:]
    wb.close()
    methods = {str(r[1]).strip() for r in rows if r[0] == "methodsofcontrol"}
    assert set(field_catalogue()["vic_MethodsOfControl"].values) == methods
    assert "DebtBondage" in methods


def test_xlsform_country_list_is_iso_3166_alpha_2(htcds_dir: Path) -> None:
    wb = openpyxl.load_workbook(htcds_dir / "htcds_xlsform.xlsx", read_only=True)
    codes = {str(r[1]) for r in wb["choices"].iter_rows(values_only=True) if r[0] == "citizenship"}
    wb.close()
    assert codes == {c.alpha_2 for c in pycountry.countries}


def test_names_dates_of_birth_contacts_and_free_text_are_protected() -> None:
    cat = field_catalogue()
    for name in (
        "prs_FirstName",
        "prs_SecondName",
        "prs_Birthdate",
        "prs_IdentityNumber",
        "prs_Email",
        "prs_MobilePhone",
        "prs_MailingStreet",
        "cas_IncomingReferralDetails",
        "cco_CaseComment",
    ):
        assert cat[name].protected, name
    for name in ("prs_Gender", "vic_TypeOfExploitation", "prs_Citizenship", "cas_Status"):
        assert not cat[name].protected, name
    assert all(f.protected for f in cat if f.type is FieldType.LONG_TEXT)


def test_template_spellings_are_aliases_of_the_field_list_names() -> None:
    cat = field_catalogue()
    assert [a for a, _ in cat["prs_FirstName"].aliases] == ["prs_First_Name"]
    assert [a for a, _ in cat["prs_SecondName"].aliases] == ["prs_Second_Name"]
    assert [a for a, _ in cat["vic_MethodsOfControl"].aliases] == ["vic_Methods_of_Control"]
    assert "vic_TraffickinStatusDecisionMakingOrg" in dict(
        cat["vic_TraffickingStatusDecisionMakingOrg"].aliases
    )


def test_deprecated_fields_are_marked() -> None:
    cat = field_catalogue()
    assert cat["vic_Vulnerabilities"].deprecated
    assert not cat["vic_TypeOfExploitation"].deprecated


def test_package_ships_the_standard_with_its_attribution() -> None:
    data = Path(htcds.__file__).parent / "data"
    text = (data / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "IOM" in text and "Polaris" in text and "Liberty Shared" in text
    assert "logo" in text and "endorse" in text
    assert (data / "HTCDS_Field_Standards_2.0__derived.csv").is_file()
    assert (data / "htcds_xlsform.xlsx").is_file()


def test_public_names_are_all_exported() -> None:
    for name in htcds.__all__:
        assert hasattr(htcds, name), name
