"""The HTCDS mapping against the standard itself (issue 20): every field of HTCDS 2.0 is mapped
once — exported from somewhere, not held, or withheld with the reason — the columns are the
toolkit's, and every picklist value this system writes is one of the standard's for its field.
The standard's lists are test data kept with their source (tests/data/htcds/htcds-2.0.json)."""

import json
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from app.domain import htcds
from app.domain.closure import ClosureReason
from app.domain.vocabulary import ExploitationType, Sex, VictimStatus

STANDARD: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "data" / "htcds" / "htcds-2.0.json").read_text()
)
FIELDS = {field["name"]: field for field in STANDARD["fields"]}


def test_the_test_data_names_its_source() -> None:
    source = STANDARD["source"]
    assert source["repository"] == "https://github.com/UNMigration/HTCDS"
    assert len(source["commit"]) == 40 and source["fields"]["file"].endswith("2.0.ods")
    assert len(FIELDS) == len(STANDARD["fields"]) == 83


def test_every_field_of_the_standard_is_mapped_once() -> None:
    names = [mapping.name for mapping in htcds.MAPPING]
    assert len(names) == len(set(names))
    assert set(names) == set(FIELDS)
    assert all(mapping.source for mapping in htcds.MAPPING)


def test_the_columns_are_the_toolkits_spelled_as_the_field_list_spells_them() -> None:
    toolkit = [
        "vic_TraffickingStatusDecisionMakingOrg"
        if c == "vic_TraffickinStatusDecisionMakingOrg"
        else c
        for c in STANDARD["toolkit_columns"]
    ]
    toolkit.insert(toolkit.index("cas_OutgoingReferralDate"), "cas_ReasonForOutgoingReferral")
    assert list(htcds.COLUMNS) == toolkit
    assert {column: FIELDS[column]["label"] for column in htcds.COLUMNS} == dict(htcds.COLUMNS)
    multiselect = {c for c in htcds.COLUMNS if FIELDS[c]["type"] == "Multiselect Picklist"}
    assert multiselect == htcds.MULTISELECT


def test_every_value_written_is_one_of_the_standards_for_its_field() -> None:
    for field, values in htcds.PICKLIST_VALUES.items():
        assert values <= set(FIELDS[field]["values"]), field
    assert set(htcds.GENDER) == set(Sex)
    assert set(htcds.EXPLOITATION) == set(ExploitationType)


def facts(**changes: Any) -> htcds.CaseFacts:
    base: dict[str, Any] = {
        "given_name": "Given",
        "family_name": "Family",
        "birth_date": date(1995, 5, 17),
        "sex": Sex.FEMALE,
        "nationality": "KG",
        "exploitation_types": [ExploitationType.LABOUR, ExploitationType.FORCED_CRIMINALITY],
        "country_of_exploitation": "RU",
        "identified_on": date(2026, 3, 1),
        "status": VictimStatus.ACTIVE,
    }
    return htcds.CaseFacts(**(base | changes))


def test_a_case_as_a_row_writes_only_exported_fields_and_the_standards_values() -> None:
    row = htcds.row(facts(holder=uuid4()))
    assert list(row) == list(htcds.COLUMNS)
    for column, value in row.items():
        if htcds.HOLDING[column] is not htcds.Holding.EXPORTED:
            assert value is None, column
        if column in htcds.PICKLIST_VALUES and value is not None:
            written = set(value) if isinstance(value, list) else {value}
            assert written <= htcds.PICKLIST_VALUES[column], column
    assert row["prs_Gender"] == "Feminine"
    assert row["prs_Citizenship"] == ["KG"]
    assert row["vic_TypeOfExploitation"] == ["ForcedLabour", "Other"]
    assert row["vic_TraffickingStatus"] == "ActualVictimOfTrafficking"
    assert row["con_Consent"] is True
    assert htcds.row(facts(identified_on=None))["vic_TraffickingStatus"] == (
        "PossibleVictimOfTrafficking"
    )


@pytest.mark.parametrize(
    ("status", "closure", "follow_up_due", "expected"),
    [
        (VictimStatus.ACTIVE, None, True, "Active"),
        (VictimStatus.CLOSED, ClosureReason.REINTEGRATED, False, "Closed"),
        (VictimStatus.CLOSED, ClosureReason.REINTEGRATED, True, "FollowUp"),
        (VictimStatus.CLOSED, ClosureReason.TRANSFERRED, True, "ClosedReferred"),
    ],
)
def test_the_case_status(
    status: VictimStatus, closure: ClosureReason | None, follow_up_due: bool, expected: str
) -> None:
    assert htcds.case_status(
        facts(status=status, closure=closure, follow_up_due=follow_up_due)
    ) == (expected)


def test_a_cell_flattens_a_list_and_a_checkbox() -> None:
    assert htcds.flat(["ForcedLabour", "Other"]) == "ForcedLabour;Other"
    assert htcds.flat(True) == "TRUE"
    assert htcds.flat(None) == ""


def test_the_integrators_table_is_the_mapping() -> None:
    """docs/integrations.md renders MAPPING: a field moved or a reason changed shows there."""
    doc = (Path(__file__).parents[2] / "docs" / "integrations.md").read_text()
    rendered = [
        f"| `{m.name}`{' (column)' if m.name in htcds.COLUMNS else ''} | "
        f"{m.holding.value.replace('_', ' ')} | {m.source} |"
        for m in htcds.MAPPING
    ]
    shown = [line for line in doc.splitlines() if line.startswith("| `") and "_" in line[:8]]
    assert [line for line in shown if line.split("`")[1] in htcds.HOLDING] == rendered
