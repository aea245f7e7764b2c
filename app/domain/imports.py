"""Bringing an existing caseload in from a spreadsheet (issue 17): the template's columns, once.

The template the API serves, the parser that reads a file and the README read this one list.
One row is one person, with their consents and optionally one referral, one shelter stay and
one assessment, each with the date it really happened. Values in, values out: a row's cells
become the fields of the request bodies the services take (validated there, as any request).

Every cell is text. A cell that begins with ``=``, ``+``, ``-`` or ``@`` is that text, never a
formula: nothing here evaluates a cell, and the template writes its cells as strings.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum

from app.domain.casework import AssessmentKind, Service
from app.domain.consent import ConsentPurpose
from app.domain.shelter import StaySource
from app.domain.vocabulary import ExploitationType, Funding, Sex

LIST_SEPARATOR = ";"  # exploitation_types: "labour;sexual"
FORMULA_PREFIXES = ("=", "+", "-", "@")  # taken as text, never evaluated


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class ImportStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # nothing of the file was kept


class Part(StrEnum):
    """The record a column belongs to: a part is made when any of its cells is filled."""

    PERSON = "person"
    CONSENT = "consent"
    REFERRAL = "referral"
    STAY = "stay"
    ASSESSMENT = "assessment"


@dataclass(frozen=True)
class Column:
    name: str
    part: Part
    field: str  # the field of the part's request body
    required: bool = False  # within its part, when the part is there
    choices: type[StrEnum] | None = None
    many: bool = False  # several values, separated by LIST_SEPARATOR
    purpose: ConsentPurpose | None = None  # a consent column: the purpose it records
    description: str = ""


def _consent(purpose: ConsentPurpose, description: str) -> Column:
    return Column(
        f"consent_{purpose.value}_given_on",
        Part.CONSENT,
        "given_on",
        purpose=purpose,
        description=description,
    )


COLUMNS: tuple[Column, ...] = (
    Column("given_name", Part.PERSON, "given_name", required=True),
    Column("family_name", Part.PERSON, "family_name", required=True),
    Column("birth_date", Part.PERSON, "birth_date", required=True, description="YYYY-MM-DD"),
    Column("sex", Part.PERSON, "sex", required=True, choices=Sex),
    Column("nationality", Part.PERSON, "nationality", description="ISO 3166-1 alpha-2, e.g. KG"),
    Column(
        "exploitation_types",
        Part.PERSON,
        "exploitation_types",
        choices=ExploitationType,
        many=True,
        description=f"several separated by '{LIST_SEPARATOR}'",
    ),
    Column("country_of_exploitation", Part.PERSON, "country_of_exploitation"),
    Column("home_region", Part.PERSON, "home_region", description="ISO 3166-2, e.g. KG-C"),
    Column("identified_on", Part.PERSON, "identified_on", description="YYYY-MM-DD"),
    Column("returned_on", Part.PERSON, "returned_on", description="YYYY-MM-DD"),
    Column("registered_address", Part.PERSON, "registered_address"),
    Column("contact_phone", Part.PERSON, "contact_phone"),
    _consent(ConsentPurpose.DATA_PROCESSING, "the date on the signed form"),
    _consent(
        ConsentPurpose.SHARE_WITH_ORGANISATION,
        "consent to share with the referral's receiving organisation",
    ),
    _consent(ConsentPurpose.FAMILY_INVOLVEMENT, "the date on the signed form"),
    _consent(ConsentPurpose.LAW_ENFORCEMENT_COOPERATION, "the date on the signed form"),
    _consent(ConsentPurpose.SCME_JOB_REFERRAL, "the date on the signed form"),
    Column(
        "referral_to_organisation",
        Part.REFERRAL,
        "to_organisation_id",
        required=True,
        description="the receiving organisation: its id, or its registered name",
    ),
    Column("referral_service", Part.REFERRAL, "service", required=True, choices=Service),
    Column("referral_funding", Part.REFERRAL, "funding", required=True, choices=Funding),
    Column("referral_referred_on", Part.REFERRAL, "referred_on", description="YYYY-MM-DD"),
    Column("stay_shelter_id", Part.STAY, "shelter_id", required=True, description="the id"),
    Column("stay_source", Part.STAY, "source", required=True, choices=StaySource),
    Column("stay_proposed_on", Part.STAY, "proposed_on", description="YYYY-MM-DD"),
    Column(
        "stay_pocket_money_per_day",
        Part.STAY,
        "pocket_money_per_day",
        required=True,
        description="e.g. 50.00",
    ),
    Column(
        "stay_admitted_on",
        Part.STAY,
        "admitted_on",
        description="YYYY-MM-DD: the stay admitted on that day (the coordinator's)",
    ),
    Column("assessment_kind", Part.ASSESSMENT, "kind", required=True, choices=AssessmentKind),
    Column("assessment_performed_on", Part.ASSESSMENT, "performed_on", description="YYYY-MM-DD"),
)
BY_NAME: Mapping[str, Column] = {column.name: column for column in COLUMNS}
HEADER: tuple[str, ...] = tuple(column.name for column in COLUMNS)
REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.part is Part.PERSON and c.required)
# the enumerations a column takes its values from, by name, for the template's second sheet
ENUMERATIONS: Mapping[str, tuple[str, ...]] = {
    column.name: tuple(choice.value for choice in column.choices)
    for column in COLUMNS
    if column.choices is not None
}
HEADER_ROW = 1  # a row's number is the spreadsheet's: the first row of data is row 2


@dataclass(frozen=True)
class HeaderCheck:
    """The columns of a header row in order (None where a cell is blank), and what is wrong:
    names that are no template column, columns given twice, required columns missing."""

    columns: tuple[str | None, ...]
    unknown: tuple[str, ...]
    repeated: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return not (self.unknown or self.repeated or self.missing)


def check_header(cells: Sequence[str]) -> HeaderCheck:
    """A header fits the template when it names template columns only (in any order, letter
    case and surrounding blanks aside), each at most once, and every required one. Columns a
    caseload does not use may be left out."""
    names = [cell.strip().lower() for cell in cells]
    while names and not names[-1]:
        names.pop()
    columns = tuple(name or None for name in names)
    seen: set[str] = set()
    unknown, repeated = [], []
    for name in names:
        if not name:
            continue
        if name not in BY_NAME:
            unknown.append(name)
        elif name in seen:
            repeated.append(name)
        seen.add(name)
    missing = tuple(name for name in REQUIRED if name not in seen)
    return HeaderCheck(columns, tuple(unknown), tuple(repeated), missing)


def cell_text(value: object) -> str:
    """A cell as text: a date as ISO (a date-time at midnight as its date), a whole number
    without a decimal point, text as it is but for surrounding blanks (a leading ``=`` stays)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    return str(value).strip()


def is_formula_like(text: str) -> bool:
    """Text that a spreadsheet would take for a formula (kept as text here: CWE-1236)."""
    return text.startswith(FORMULA_PREFIXES)


@dataclass(frozen=True)
class RowValues:
    """One row's filled cells, as the fields of each part's request body."""

    person: dict[str, object]
    consents: dict[ConsentPurpose, str]
    referral: dict[str, object] | None
    stay: dict[str, object] | None
    assessment: dict[str, object] | None

    @property
    def blank(self) -> bool:
        return not (self.person or self.consents or self.referral or self.stay or self.assessment)


def row_values(columns: Sequence[str | None], cells: Iterable[str]) -> RowValues:
    """The row's filled cells by part and field. A cell under no column (beyond the header's
    last, or under a blank header cell) is left out; a list column is split."""
    parts: dict[Part, dict[str, object]] = {part: {} for part in Part}
    consents: dict[ConsentPurpose, str] = {}
    for name, text in zip(columns, cells, strict=False):
        if name is None or not text:
            continue
        column = BY_NAME[name]
        if column.purpose is not None:
            consents[column.purpose] = text
        elif column.many:
            parts[column.part][column.field] = [
                item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()
            ]
        else:
            parts[column.part][column.field] = text
    return RowValues(
        person=parts[Part.PERSON],
        consents=consents,
        referral=parts[Part.REFERRAL] or None,
        stay=parts[Part.STAY] or None,
        assessment=parts[Part.ASSESSMENT] or None,
    )


def column_of(part: Part, field: str, purpose: ConsentPurpose | None = None) -> str | None:
    """The template column that holds a part's field (None for a field no column holds)."""
    if part is Part.CONSENT:
        return consent_column(purpose) if purpose is not None else None
    for column in COLUMNS:
        if column.part is part and column.field == field:
            return column.name
    return None


def consent_column(purpose: ConsentPurpose) -> str | None:
    return next((c.name for c in COLUMNS if c.purpose is purpose), None)


# the column a refusal of a part points at when the refusal names no field of its own
LEAD_COLUMN: Mapping[Part, str | None] = {
    Part.PERSON: None,
    Part.REFERRAL: "referral_to_organisation",
    Part.STAY: "stay_shelter_id",
    Part.ASSESSMENT: "assessment_kind",
}
