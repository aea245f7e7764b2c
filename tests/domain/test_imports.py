"""The import template's columns (issue 17): the header a file must have, cells as text, a row's
cells as the fields of each part's request body."""

from datetime import date, datetime

import pytest

from app.domain import imports as template
from app.domain.casework import AssessmentKind, Service
from app.domain.consent import ConsentPurpose
from app.domain.imports import Part, check_header, row_values
from app.domain.shelter import StaySource
from app.domain.vocabulary import ExploitationType, Funding, Sex


def test_the_header_is_one_list_of_distinct_names() -> None:
    assert len(set(template.HEADER)) == len(template.HEADER)
    assert template.HEADER[:4] == ("given_name", "family_name", "birth_date", "sex")
    assert template.REQUIRED == ("given_name", "family_name", "birth_date", "sex")


def test_the_enumerations_are_the_domains_own() -> None:
    assert {
        "sex": tuple(Sex),
        "exploitation_types": tuple(ExploitationType),
        "referral_service": tuple(Service),
        "referral_funding": tuple(Funding),
        "stay_source": tuple(StaySource),
        "assessment_kind": tuple(AssessmentKind),
    } == template.ENUMERATIONS


def test_every_consent_purpose_has_its_column() -> None:
    consent_columns = {c.purpose for c in template.COLUMNS if c.part is Part.CONSENT}
    assert consent_columns == set(ConsentPurpose)
    assert template.consent_column(ConsentPurpose.DATA_PROCESSING) == (
        "consent_data_processing_given_on"
    )


@pytest.mark.parametrize(
    ("cells", "unknown", "repeated", "missing"),
    [
        (list(template.HEADER), (), (), ()),
        (["Sex ", " GIVEN_NAME", "birth_date", "family_name"], (), (), ()),  # order, case
        (["given_name", "family_name", "birth_date", "sex", "", ""], (), (), ()),  # trailing
        (["given_name", "family_name", "birth_date"], (), (), ("sex",)),
        (["given_name", "family_name", "birth_date", "sex", "shoe_size"], ("shoe_size",), (), ()),
        (["given_name", "given_name", "family_name", "birth_date", "sex"], (), ("given_name",), ()),
        ([], (), (), template.REQUIRED),
    ],
)
def test_a_header_fits_with_template_columns_only_each_once_and_the_required_ones(
    cells: list[str], unknown: tuple[str, ...], repeated: tuple[str, ...], missing: tuple[str, ...]
) -> None:
    check = check_header(cells)
    assert (check.unknown, check.repeated, check.missing) == (unknown, repeated, missing)
    assert check.fits is not (unknown or repeated or missing)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  Aigul ", "Aigul"),
        ('=HYPERLINK("http://x")', '=HYPERLINK("http://x")'),  # a formula's text, as text
        ("+996 555 123 456", "+996 555 123 456"),
        (date(2020, 5, 1), "2020-05-01"),
        (datetime(2020, 5, 1), "2020-05-01"),
        (datetime(2020, 5, 1, 13, 30), "2020-05-01 13:30:00"),
        (50.0, "50"),
        (50.5, "50.5"),
        (996555123456, "996555123456"),
        (True, "true"),
    ],
)
def test_a_cell_is_text(value: object, text: str) -> None:
    assert template.cell_text(value) == text


FORMULA_LIKE = [("=1+1", True), ("+996", True), ("-3", True), ("@SUM(A1)", True), ("Aigul", False)]


@pytest.mark.parametrize(("text", "like"), [*FORMULA_LIKE, ("", False)])
def test_text_a_spreadsheet_would_take_for_a_formula(text: str, like: bool) -> None:
    assert template.is_formula_like(text) is like


def test_a_rows_cells_become_the_fields_of_its_parts() -> None:
    columns = (
        "given_name", None, "exploitation_types", "consent_data_processing_given_on",
        "referral_service", "stay_admitted_on", "assessment_kind",
    )  # fmt: skip
    cells = ["Aigul", "ignored", "labour; sexual;", "2024-01-02", "legal", "", "risk", "beyond"]
    values = row_values(columns, cells)
    assert values.person == {"given_name": "Aigul", "exploitation_types": ["labour", "sexual"]}
    assert values.consents == {ConsentPurpose.DATA_PROCESSING: "2024-01-02"}
    assert values.referral == {"service": "legal"}
    assert values.stay is None  # a part with no filled cell is not there
    assert values.assessment == {"kind": "risk"}
    assert not values.blank
    assert row_values(columns, [""] * 7).blank


def test_a_parts_field_has_its_column() -> None:
    assert template.column_of(Part.PERSON, "birth_date") == "birth_date"
    assert template.column_of(Part.REFERRAL, "to_organisation_id") == "referral_to_organisation"
    assert template.column_of(Part.STAY, "admitted_on") == "stay_admitted_on"
    assert template.column_of(Part.CONSENT, "given_on", ConsentPurpose.SCME_JOB_REFERRAL) == (
        "consent_scme_job_referral_given_on"
    )
    assert template.column_of(Part.STAY, "victim_id") is None
