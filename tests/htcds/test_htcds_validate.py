"""validate_records() checks plain records and returns every problem (src/vinculo/htcds/_validate.py)."""

from __future__ import annotations

import datetime as dt

from vinculo.htcds import (
    SubmissionSettings,
    ValidationSettings,
    parse_date,
    read_submission,
    validate_records,
)

TODAY = dt.date(2024, 6, 30)
SETTINGS = ValidationSettings(today=TODAY)


def codes(issues: list) -> list[tuple[int | None, str | None, str]]:
    return [(i.location.row, i.location.field, i.code) for i in issues]


def test_valid_records_have_no_issues() -> None:
    records = [
        {
            "prs_Gender": "Feminine",
            "vic_TypeOfExploitation": "ForcedLabour SexualExploitation",
            "prs_Citizenship": "PH",
            "con_Consent": "TRUE",
            "cas_IncomingReferralDate": "2021-03-12",
        },
    ]
    assert validate_records(records, settings=SETTINGS) == []


def test_every_problem_is_reported_at_once_with_row_field_and_allowed_values() -> None:
    records = [
        {"prs_Gender": "F", "cas_Status": "Open"},
        {"prs_Gender": "Masculine", "cas_Status": "Closed"},
        {"prs_Gender": "X", "cas_Status": "Active"},
    ]
    issues = validate_records(records, settings=SETTINGS)
    assert codes(issues) == [
        (1, "prs_Gender", "htcds.invalid_value"),
        (1, "cas_Status", "htcds.invalid_value"),
        (3, "prs_Gender", "htcds.invalid_value"),
    ]
    assert issues[0].value == "F"
    assert "Feminine" in (issues[0].expected or "") and "Masculine" in (issues[0].fix or "")


def test_values_of_protected_fields_are_never_echoed() -> None:
    issues = validate_records(
        [{"prs_Birthdate": "31/31/1990", "prs_Email": "not-an-address", "prs_MobilePhone": "call me"}],
        settings=SETTINGS,
    )
    assert {i.location.field for i in issues} == {"prs_Birthdate", "prs_Email", "prs_MobilePhone"}
    for issue in issues:
        assert issue.value is None
        assert "31/31" not in issue.message and "not-an-address" not in issue.message
        assert "call me" not in issue.message


def test_labels_and_codes_in_any_case_are_accepted_and_normalised() -> None:
    records = [
        {"vic_TypeOfExploitation": "Forced labour; Sexual exploitation", "cas_Status": "follow up"},
        {
            "vic_ForcedLabourIndustry": "Agriculture, forestry and fishing",
            "vic_TypeOfExploitation": ["ForcedLabour"],
        },
        {"vic_MethodsOfControl": "Threatens children/family, Debt bondage"},
    ]
    assert validate_records(records, settings=SETTINGS) == []


def test_countries_accept_alpha_2_alpha_3_and_names() -> None:
    records = [
        {"prs_Citizenship": "PH THA"},
        {"prs_Citizenship": "Korea, Republic of; Viet Nam"},
        {"hte_Country": "Moldova"},
    ]
    assert validate_records(records, settings=SETTINGS) == []
    issues = validate_records([{"prs_Citizenship": "Atlantis"}], settings=SETTINGS)
    assert codes(issues) == [(1, "prs_Citizenship", "htcds.invalid_value")]


def test_future_dates_are_errors_except_for_planned_end_dates() -> None:
    issues = validate_records(
        [{"cas_IncomingReferralDate": "2025-01-01", "spl_PlannedEndDate": "2030-01-01"}], settings=SETTINGS
    )
    assert codes(issues) == [(1, "cas_IncomingReferralDate", "htcds.future_date")]
    assert "2024-06-30" in issues[0].message


def test_dates_in_several_formats_are_accepted() -> None:
    records = [
        {"cas_IncomingReferralDate": v}
        for v in (
            "2021-03-12",
            "12/03/2021",
            "12.03.2021",
            "2021/03/12",
            "12 March 2021",
            "March 12, 2021",
            "2021-03-12T10:00:00.000+01:00",
            "20210312",
        )
    ]
    dmy = ValidationSettings(today=TODAY, date_order="DMY")
    assert validate_records(records, settings=dmy) == []


def test_a_month_first_date_is_explained_when_day_first_is_configured() -> None:
    dmy = ValidationSettings(today=TODAY, date_order="DMY")
    issues = validate_records([{"cas_IncomingReferralDate": "03/25/2021"}], settings=dmy)
    assert codes(issues) == [(1, "cas_IncomingReferralDate", "htcds.date_order")]
    assert "MDY" in (issues[0].fix or "")
    mdy = ValidationSettings(today=TODAY, date_order="MDY")
    assert validate_records([{"cas_IncomingReferralDate": "03/25/2021"}], settings=mdy) == []


def test_numbers_and_booleans_are_range_and_type_checked() -> None:
    issues = validate_records(
        [
            {
                "vic_AgeWhenTrafficked": "150",
                "prs_NumberOfChildren": "2.5",
                "con_Consent": "perhaps",
                "hte_Latitude": "12.5",
            }
        ],
        settings=SETTINGS,
    )
    assert codes(issues) == [
        (1, "vic_AgeWhenTrafficked", "htcds.out_of_range"),
        (1, "prs_NumberOfChildren", "htcds.invalid_number"),
        (1, "con_Consent", "htcds.invalid_value"),
    ]


def test_template_spellings_are_accepted_with_a_warning_naming_the_canonical_field() -> None:
    issues = validate_records(
        [{"prs_First_Name": "SYNTHETIC-1", "vic_Methods_of_Control": "DebtBondage"}], settings=SETTINGS
    )
    assert [(i.code, i.severity, i.expected) for i in issues] == [
        ("htcds.alias_field_name", "warning", "prs_FirstName"),
        ("htcds.alias_field_name", "warning", "vic_MethodsOfControl"),
    ]


def test_unknown_keys_are_reported_once() -> None:
    issues = validate_records([{"Sex": "F"}, {"Sex": "M", "prs_Gender": "Feminine"}], settings=SETTINGS)
    assert [i.code for i in issues] == ["htcds.unknown_column", "htcds.no_known_columns"]


def test_fields_that_contradict_each_other_are_flagged() -> None:
    issues = validate_records(
        [
            {
                "vic_TypeOfExploitation": "SexualExploitation",
                "vic_ForcedLabourIndustry": "F_Construction",
                "cas_IncomingReferralDate": "2021-05-01",
                "cas_OutgoingReferralDate": "2021-04-01",
            }
        ],
        settings=SETTINGS,
    )
    assert [(i.code, i.location.field) for i in issues] == [
        ("htcds.inconsistent", "vic_ForcedLabourIndustry"),
        ("htcds.inconsistent", "cas_OutgoingReferralDate"),
    ]


def test_issue_list_is_capped_with_a_summary() -> None:
    issues = validate_records(
        [{"prs_Gender": "F"}] * 30, settings=ValidationSettings(today=TODAY, max_issues=5)
    )
    assert len(issues) == 6
    assert issues[-1].code == "htcds.too_many_issues"
    assert "25 more" in issues[-1].message


def test_a_date_valid_in_both_orders_is_an_error_naming_both_readings_when_no_order_was_chosen() -> None:
    issues = validate_records([{"cas_IncomingReferralDate": "12/05/1988"}], settings=SETTINGS)
    assert codes(issues) == [(1, "cas_IncomingReferralDate", "htcds.ambiguous_date")]
    assert issues[0].severity == "error"
    assert "12 May 1988 (day first)" in issues[0].message
    assert "5 December 1988 (month first)" in issues[0].message
    assert "YYYY-MM-DD" in (issues[0].fix or "") and "date order" in (issues[0].fix or "")


def test_without_a_chosen_order_a_date_valid_in_one_order_only_is_read_in_that_order() -> None:
    for text in ("13/05/1988", "05/13/1988", "05/05/1988"):
        assert validate_records([{"cas_IncomingReferralDate": text}], settings=SETTINGS) == [], text


def test_a_chosen_date_order_reads_ambiguous_dates_without_a_problem() -> None:
    for order, day in (("DMY", dt.date(1988, 5, 12)), ("MDY", dt.date(1988, 12, 5))):
        chosen = ValidationSettings(today=TODAY, date_order=order)  # type: ignore[arg-type]
        assert validate_records([{"cas_IncomingReferralDate": "12/05/1988"}], settings=chosen) == []
        assert parse_date("12/05/1988", order)[0] == day  # type: ignore[arg-type]


def test_an_ambiguous_protected_date_names_no_reading() -> None:
    issues = validate_records([{"prs_Birthdate": "12/05/1988"}], settings=SETTINGS)
    assert [i.code for i in issues] == ["htcds.ambiguous_date"]
    assert "1988" not in issues[0].message and "May" not in issues[0].message
    assert issues[0].value is None


def test_a_near_miss_coded_value_gets_a_did_you_mean_suggestion() -> None:
    issues = validate_records(
        [{"vic_TypeOfExploitation": "Forced labor"}, {"prs_Gender": "Feminin"}], settings=SETTINGS
    )
    assert codes(issues) == [
        (1, "vic_TypeOfExploitation", "htcds.invalid_value"),
        (2, "prs_Gender", "htcds.invalid_value"),
    ]
    assert "Did you mean ForcedLabour (Forced labour)?" in issues[0].message
    assert "Write ForcedLabour" not in (issues[0].fix or "")  # multi-select: the list fix
    assert "Did you mean Feminine" in issues[1].message
    assert "Write Feminine" in (issues[1].fix or "")


def test_a_value_far_from_every_code_gets_no_suggestion() -> None:
    issues = validate_records([{"vic_TypeOfExploitation": "Organ harvesting at sea"}], settings=SETTINGS)
    assert [i.code for i in issues] == ["htcds.invalid_value"]
    assert "Did you mean" not in issues[0].message


def test_country_values_are_normalised_and_invalid_codes_are_rejected() -> None:
    sub = read_submission(
        b"hte_Country,prs_Citizenship,vic_LocationOfExploitation\n"
        b"FRA,France,FR\nFrance,PHL TH,Philippines\nfr,PH,Lyon\nXX,PH,XX\n",
        name="c.csv",
        settings=SubmissionSettings(validation=SETTINGS),
    )
    rows = [r.values for r in sub.records]
    assert [r.get("hte_Country") for r in rows] == ["FR", "FR", "FR", None]
    assert [r["prs_Citizenship"] for r in rows] == [("FR",), ("PH", "TH"), ("PH",), ("PH",)]
    assert [r.get("vic_LocationOfExploitation") for r in rows] == ["FR", "PH", "Lyon", None]
    bad = [(i.location.row, i.location.field, i.code) for i in sub.errors]
    assert bad == [
        (5, "hte_Country", "htcds.invalid_value"),
        (5, "vic_LocationOfExploitation", "htcds.invalid_country"),
    ]
    assert all(i.fix for i in sub.errors)
    assert "XX" not in bad[1][2] and sub.errors[1].value is None  # a protected field: no echo
