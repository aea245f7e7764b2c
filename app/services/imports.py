"""Bringing an existing caseload in from a spreadsheet (issue 17).

A file is read whole before anything is written: its type decided from its content, a
workbook's archive checked before openpyxl opens it, its header matched to the template
(``domain/imports.py``). Then each row becomes the records a caseworker's requests would have
made — the person, their consents, a referral, a shelter stay, an assessment — built and checked
by the services' own ``build`` functions, so every procedure rule applies as it does one by one.
What those requests would look up is known without asking: the person was registered a moment
before and has no other records, and the organisations and shelters named are kept for the run.
Rows go in chunks (``CHUNK_ROWS``), each in a savepoint: a refused row's records are never
added, its problems noted, and the rest of the chunk stored at once — one statement per kind of
record, with the matching keys and possible duplicates of all its persons (``find_for_new``),
every audit event and webhook as the services make them. A refusal by the database names no
row, so that chunk is tried again a row at a time. One run reports every problem of the file.

- a dry run rolls everything back and answers with the report: nothing is written;
- a real run is a job (``imports`` table): it commits all rows, or none if any row has a
  problem; a second upload of a file (its SHA-256) that did not fail answers the same job.

Problems name the row, the column, the code and the rule, never a submitted value: the job
keeps them, and the ``imports`` table holds no personal data.
"""

import csv
import hashlib
import io
import logging
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.clock import Clock
from app.domain import imports as template
from app.domain.access import RESERVED_BY, Action, can
from app.domain.consent import ConsentFacts, ConsentPurpose
from app.domain.errors import DomainError, InvalidValue
from app.domain.exchange import WebhookEvent
from app.domain.imports import FileFormat, ImportStatus, Part, RowValues
from app.domain.rulebook import Rulebook
from app.errors import (
    AppError,
    BrokenFile,
    EmptyFile,
    FileTypeMismatch,
    HeaderMismatch,
    NotFound,
    NotUtf8,
    PayloadTooLarge,
    TooManyRows,
    UnsupportedFileType,
    ZipBomb,
)
from app.models import (
    Consent,
    ImportJob,
    Organisation,
    Referral,
    Shelter,
    ShelterStay,
    Victim,
    WebhookEndpoint,
)
from app.models.base import utcnow
from app.schemas.assessments import AssessmentCreate
from app.schemas.consents import ConsentCreate
from app.schemas.imports import ImportRead
from app.schemas.referrals import ReferralCreate
from app.schemas.shelter_stays import StayAdmit, StayCreate
from app.schemas.victims import VictimCreate
from app.security import Principal
from app.services import (
    assessments,
    audit,
    caseload,
    consents,
    possible_duplicates,
    records,
    referrals,
    shelter_stays,
    victims,
    webhook_endpoints,
)
from app.services.audit import AuditAction
from app.services.facts import consent_facts
from app.services.organisations import get_referenced, name_key
from app.services.pagination import PageParams, fetch_page

log = logging.getLogger(__name__)
RECORD_TYPE = "import"

# a workbook's archive, checked before openpyxl opens it (zipfile reads no member beyond the
# size its header declares, so the declared sizes bound what is decompressed)
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_MEMBERS = 1000
MAX_COLUMNS = 100  # read of a row at most; the template has fewer
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPES = ("text/csv", "application/csv", "text/plain")
# the beginnings of files that are certainly neither CSV text nor a workbook
_BINARY_MAGIC = (
    b"%PDF",
    b"\xd0\xcf\x11\xe0",  # an OLE file: .xls, .doc
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf",
    b"Rar!",
    b"BZh",
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# The progress of the jobs this process runs: rows done, by job. A run is one long write
# transaction, and on SQLite it holds the database's one write lock until it ends: progress
# written to the job's row mid-run would wait for that lock itself (and on PostgreSQL no other
# transaction would see it before the commit). So it is kept here, in memory, and
# ``GET /imports/{id}`` lays it over the row while the job runs.
_PROGRESS: dict[UUID, int] = {}
# A job "running" this long has no process behind it any more (20,000 rows take minutes).
ABANDONED_AFTER = timedelta(hours=1)


# --- reading the file --------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """A file read whole: its format, SHA-256, the header's columns and the rows of data (each
    with its number in the spreadsheet; blank rows are left out)."""

    file_format: FileFormat
    sha256: str
    columns: tuple[str | None, ...]
    rows: list[tuple[int, list[str]]]


def read_upload(
    content: bytes,
    filename: str | None,
    media_type: str | None,
    *,
    max_bytes: int,
    max_rows: int,
) -> Sheet:
    """The file's rows, or a refusal of the whole file (and nothing is written)."""
    if len(content) > max_bytes:
        raise PayloadTooLarge(f"The file is larger than {max_bytes} bytes.", max_bytes=max_bytes)
    if not content.strip():
        raise EmptyFile("The file is empty.")
    declared = _declared(filename, media_type)
    if content.startswith(b"PK"):
        if declared is FileFormat.CSV:
            raise FileTypeMismatch("The file is called CSV but is a zip archive.")
        file_format, rows = FileFormat.XLSX, _xlsx_rows(content, max_rows)
    else:
        if declared is FileFormat.XLSX:
            raise FileTypeMismatch("The file is called XLSX but is no workbook.")
        file_format, rows = FileFormat.CSV, _csv_rows(content, max_rows)
    if not rows:
        raise EmptyFile("The file has no header row.")
    (_, header), data = rows[0], rows[1:]
    check = template.check_header(header)
    if not check.fits:
        raise HeaderMismatch(
            "The header row is not the template's (GET /api/v1/imports/template.csv).",
            unknown_columns=[name[:100] for name in check.unknown[:50]],
            repeated_columns=list(check.repeated),
            missing_columns=list(check.missing),
        )
    if not data:
        raise EmptyFile("The file has a header row but no rows of data.")
    sha256 = hashlib.sha256(content).hexdigest()
    return Sheet(file_format, sha256, check.columns, data)


def _declared(filename: str | None, media_type: str | None) -> FileFormat | None:
    """What the upload says it is: by its name's extension, else its media type."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return FileFormat.XLSX
    if name.endswith(".csv"):
        return FileFormat.CSV
    kind = (media_type or "").split(";")[0].strip().lower()
    if kind == XLSX_MEDIA_TYPE:
        return FileFormat.XLSX
    if kind in CSV_MEDIA_TYPES:
        return FileFormat.CSV
    return None


def _csv_rows(content: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    if content.startswith(_UTF16_BOMS):
        raise NotUtf8("The file is UTF-16: save it as CSV UTF-8.")
    if content.startswith(_BINARY_MAGIC) or b"\x00" in content[:8192]:
        raise UnsupportedFileType("The file is neither CSV text nor an XLSX workbook.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotUtf8("The file is not UTF-8 text: save it as CSV UTF-8.") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            _take(rows, number, [template.cell_text(cell) for cell in cells], max_rows)
    except csv.Error:
        raise BrokenFile("The CSV file cannot be read through.") from None
    return rows


def _take(rows: list[tuple[int, list[str]]], number: int, cells: list[str], max_rows: int) -> None:
    """A row kept unless blank; refused past the limit (the header is no row of data)."""
    if not any(cells):
        return
    if len(rows) > max_rows:
        raise TooManyRows(f"The file has more than {max_rows} rows.", max_rows=max_rows)
    rows.append((number, cells))


def _check_archive(content: bytes) -> None:
    """A workbook is a zip archive with ``[Content_Types].xml``; its members' declared sizes
    stay within bounds, before anything is decompressed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise BrokenFile("The workbook is damaged or truncated.") from None
    with archive:
        members = archive.infolist()
        if "[Content_Types].xml" not in {member.filename for member in members}:
            raise UnsupportedFileType("The zip archive is no XLSX workbook.")
        expanded = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members)
        too_dense = any(
            member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
            and member.file_size > 1024 * 1024
            for member in members
        )
        if len(members) > MAX_MEMBERS or expanded > MAX_UNCOMPRESSED_BYTES or too_dense:
            raise ZipBomb(
                "The workbook would expand far beyond its size.",
                max_uncompressed_bytes=MAX_UNCOMPRESSED_BYTES,
                max_compression_ratio=MAX_COMPRESSION_RATIO,
            )
        if expanded > MAX_COMPRESSION_RATIO * max(packed, 1) and expanded > 1024 * 1024:
            raise ZipBomb("The workbook would expand far beyond its size.")


def _xlsx_rows(content: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    """The first sheet's rows, as text: read-only, formulas as their text (never evaluated),
    entity declarations refused (defusedxml)."""
    _check_archive(content)
    from openpyxl import load_workbook  # type: ignore[import-untyped] # slow to import: when needed

    rows: list[tuple[int, list[str]]] = []
    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=False, keep_links=False
        )
    except Exception as exc:  # a hostile file may fail anywhere in the parser: all are refused
        log.info("unreadable workbook: %s", type(exc).__name__)
        raise BrokenFile("The workbook cannot be read.") from None
    try:
        if not workbook.worksheets:
            raise EmptyFile("The workbook has no sheet.")
        sheet = workbook.worksheets[0]
        width = MAX_COLUMNS
        for number, values in enumerate(sheet.iter_rows(max_col=width, values_only=True), 1):
            cells = [template.cell_text(_formula_text(value)) for value in values]
            _take(rows, number, cells, max_rows)
    except AppError:
        raise
    except Exception as exc:
        log.info("unreadable workbook: %s", type(exc).__name__)
        raise BrokenFile("The workbook cannot be read.") from None
    finally:
        workbook.close()
    return rows


def _formula_text(value: object) -> object:
    """An array or data-table formula is an object in openpyxl: its text, as a string."""
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else value


# --- one row ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    code: str
    rule: str | None
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "rule": self.rule,
            "detail": self.detail,
        }


@dataclass
class Outcome:
    total_rows: int
    created: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Context:
    principal: Principal
    today: date
    clock: Clock
    rulebook: Rulebook
    organisations: dict[str, UUID | None] = field(default_factory=dict)  # by name
    # what the rows name, kept for the run (the session keeps what it loaded only as long
    # as something else holds it)
    known_organisations: dict[UUID, Organisation] = field(default_factory=dict)
    known_shelters: dict[UUID, Shelter] = field(default_factory=dict)
    endpoints: dict[UUID, list[WebhookEndpoint]] = field(default_factory=dict)  # webhooks


@dataclass
class _Bodies:
    person: VictimCreate
    consents: list[ConsentCreate]
    referral: ReferralCreate | None
    stay: StayCreate | None
    admit: StayAdmit | None
    assessment: AssessmentCreate | None


_NOBODY = UUID(int=0)  # the person's id before the person is made (validation only)


def _scrubbed(detail: str) -> str:
    """A refusal's words without the dates they may quote (a person's dates are personal)."""
    return _DATE.sub("(a date)", detail)


def _validation_problems(
    number: int, exc: ValidationError, part: Part, purpose: ConsentPurpose | None = None
) -> list[Problem]:
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        loc = error.get("loc", ())
        where = str(loc[0]) if loc else None
        column = template.column_of(part, where, purpose) if where else None
        if column is None and part is Part.CONSENT and purpose is not None:
            column = template.consent_column(purpose)
        message = str(error.get("msg", "not valid"))
        if error.get("type", "").endswith("_parsing"):  # its reason may quote the input
            message = message.split(",")[0]
        problems.append(
            Problem(
                number,
                column,
                "validation_error",
                None,
                _scrubbed(message.removeprefix("Value error, ")),
            )
        )
    return problems


def _validated(
    number: int,
    model: type[BaseModel],
    data: Mapping[str, object],
    part: Part,
    problems: list[Problem],
    purpose: ConsentPurpose | None = None,
) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_validation_problems(number, exc, part, purpose))
        return None


# what a row's parts need the caller's role to do, and the column a refusal points at
_NEEDS: tuple[tuple[str, Action, str | None], ...] = (
    ("consents", Action.CONSENT_RECORD, None),
    ("referral", Action.REFERRAL_CREATE, "referral_to_organisation"),
    ("stay", Action.STAY_PROPOSE, "stay_shelter_id"),
    ("admit", Action.STAY_ADMIT, "stay_admitted_on"),
    ("assessment", Action.ASSESSMENT_WRITE, "assessment_kind"),
)


def _permission_problems(number: int, values: RowValues, principal: Principal) -> list[Problem]:
    """The permission table applies to each record a row makes, as to each request."""
    wanted = {
        "consents": bool(values.consents),
        "referral": values.referral is not None,
        "stay": values.stay is not None,
        "admit": values.stay is not None and "admitted_on" in values.stay,
        "assessment": values.assessment is not None,
    }
    problems = []
    for part, action, column in (("person", Action.VICTIM_CREATE, None), *_NEEDS):
        if (part == "person" or wanted[part]) and not can(principal.role, action):
            if column is None and part == "consents":
                column = template.consent_column(next(iter(values.consents)))
            doing = action.value.replace(":", " ")
            detail = f"The role '{principal.role}' may not {doing}."
            problems.append(Problem(number, column, "forbidden", RESERVED_BY.get(action), detail))
    return problems


async def _organisation_id(session: AsyncSession, ctx: _Context, text: str) -> UUID | None:
    """The receiving organisation: by its id, or by its registered name (case aside)."""
    try:
        return UUID(text)
    except ValueError:
        pass
    key = name_key(text)
    if key not in ctx.organisations:
        query = select(Organisation.id).where(col(Organisation.name_key) == key)
        ctx.organisations[key] = (await session.exec(query)).first()
    return ctx.organisations[key]


async def _bodies(
    session: AsyncSession, ctx: _Context, number: int, values: RowValues
) -> tuple[_Bodies | None, list[Problem]]:
    """Each part's request body, validated as a request would be; every problem of the row."""
    problems = _permission_problems(number, values, ctx.principal)
    person = _validated(number, VictimCreate, values.person, Part.PERSON, problems)
    given: list[ConsentCreate] = []
    for purpose, given_on in values.consents.items():
        body = {"purpose": purpose, "given_on": given_on}
        consent = _validated(number, ConsentCreate, body, Part.CONSENT, problems, purpose)
        given.append(consent)
    referral = stay = admit = assessment = None
    if values.referral is not None:
        data = dict(values.referral, victim_id=_NOBODY)
        to = data.get("to_organisation_id")
        if isinstance(to, str):
            found = await _organisation_id(session, ctx, to)
            if found is None:
                detail = "No organisation has this id or registered name."
                problems.append(
                    Problem(number, "referral_to_organisation", "validation_error", None, detail)
                )
            data["to_organisation_id"] = found or _NOBODY
        referral = _validated(number, ReferralCreate, data, Part.REFERRAL, problems)
    if values.stay is not None:
        data = dict(values.stay, victim_id=_NOBODY)
        admitted_on = data.pop("admitted_on", None)
        stay = _validated(number, StayCreate, data, Part.STAY, problems)
        if admitted_on is not None:
            admitted = {"admitted_on": admitted_on}
            admit = _validated(number, StayAdmit, admitted, Part.STAY, problems)
    if values.assessment is not None:
        data = dict(values.assessment, victim_id=_NOBODY)
        assessment = _validated(number, AssessmentCreate, data, Part.ASSESSMENT, problems)
    if problems:
        return None, problems
    return _Bodies(person, given, referral, stay, admit, assessment), []


@dataclass
class _Built:
    """A row's records, built and checked in memory as its requests would be, not yet stored."""

    number: int
    bodies: _Bodies
    victim: Victim
    records: list[SQLModel]  # the consents, then the referral, the stay, the assessment


async def _build(
    session: AsyncSession,
    ctx: _Context,
    number: int,
    bodies: _Bodies,
    registration: str,
    at: list[Any],
) -> _Built:
    """The row's records, through the services' own checks; what they would look up is known
    of a person registered a moment before (no records of theirs yet), or kept by the run.
    ``at`` follows the part being made (for the column a refusal points at)."""
    principal, today, rulebook = ctx.principal, ctx.today, ctx.rulebook
    at[:] = [Part.PERSON, None]
    victim = victims.build(principal, bodies.person, today, registration)
    made: list[SQLModel] = []
    given: list[ConsentFacts] = []
    recipient = bodies.referral.to_organisation_id if bodies.referral is not None else None
    for consent in bodies.consents:
        at[:] = [Part.CONSENT, consent.purpose]
        if consent.purpose is ConsentPurpose.SHARE_WITH_ORGANISATION and recipient is not None:
            await _organisation(session, ctx, recipient, "recipient_organisation_id")
            consent = consent.model_copy(update={"recipient_organisation_id": recipient})
        record = consents.build(principal, victim, consent, given, ctx.clock.now(), today)
        given.append(consent_facts(record))
        made.append(record)
    if bodies.referral is not None:
        at[:] = [Part.REFERRAL, None]
        receiver = await _organisation(
            session, ctx, bodies.referral.to_organisation_id, "to_organisation_id"
        )
        referral = bodies.referral.model_copy(update={"victim_id": victim.id})
        if referral.ina_assessment_id is not None:  # a person registered a moment ago has none
            raise InvalidValue("ina_assessment_id", "No assessment of this person has this id.")
        made.append(
            referrals.build(
                principal, victim, receiver, referral, today, rulebook, consents=tuple(given)
            )
        )
    if bodies.stay is not None:
        at[:] = [Part.STAY, None]
        shelter = await _shelter(session, ctx, bodies.stay.shelter_id)
        proposal = bodies.stay.model_copy(update={"victim_id": victim.id})
        made.append(shelter_stays.build(principal, victim, shelter, proposal, 0, today, rulebook))
    if bodies.assessment is not None:
        at[:] = [Part.ASSESSMENT, None]
        own = await _organisation(session, ctx, principal.organisation, "organisation_id")
        data = bodies.assessment.model_copy(update={"victim_id": victim.id})
        due_on = await assessments.due_on_of(session, principal, data, victim.id)
        made.append(assessments.build(principal, victim, own, data, due_on, today, rulebook))
    return _Built(number, bodies, victim, made)


async def _organisation(
    session: AsyncSession, ctx: _Context, organisation_id: UUID, field: str
) -> Organisation:
    known = ctx.known_organisations
    if organisation_id not in known:
        known[organisation_id] = await get_referenced(session, organisation_id, field)
    return known[organisation_id]


async def _shelter(session: AsyncSession, ctx: _Context, shelter_id: UUID) -> Shelter:
    known = ctx.known_shelters
    if shelter_id not in known:
        known[shelter_id] = await shelter_stays.referenced_shelter(session, shelter_id)
    return known[shelter_id]


async def _store(session: AsyncSession, ctx: _Context, built: Sequence[_Built]) -> list[Problem]:
    """The rows' records, one statement per kind (their matching keys, and the pairs they
    make, too); audited and announced as the services do. A stay a row admits is admitted in
    a savepoint of its own, through the service (capacity counts the stays admitted before): a
    refusal is that row's problem, and the run keeps nothing (the row's other records stay
    until the run is rolled back)."""
    # the persons first: the unit of work orders no inserts by foreign keys alone
    session.add_all(row.victim for row in built)
    await session.flush()
    session.add_all(record for row in built for record in row.records)
    for row in built:
        caseload.hold_new_case(session, ctx.principal, row.victim, ctx.today)
    await possible_duplicates.find_for_new(session, [row.victim for row in built], ctx.today)
    problems = []
    for row in built:
        _announce(session, ctx, row)
        for record in row.records:
            await _tell(session, ctx, record)
        stay = next((r for r in row.records if isinstance(r, ShelterStay)), None)
        if stay is not None and row.bodies.admit is not None:
            problem = await _admit(session, ctx, row.number, stay, row.bodies.admit)
            problems += [problem] if problem is not None else []
    await session.flush()
    return problems


def _announce(session: AsyncSession, ctx: _Context, row: _Built) -> None:
    """The audit events of the row's records, in the order they were made."""
    victim_id = row.victim.id
    audit.record(
        session, ctx.principal, AuditAction.CREATE, "victim", victim_id, victim_id=victim_id
    )
    for record in row.records:
        records.audit_change(session, ctx.principal, record, AuditAction.CREATE)


async def _tell(session: AsyncSession, ctx: _Context, record: SQLModel) -> None:
    """The webhooks a new consent or referral sends, as their requests would."""
    now, known = ctx.clock.now(), ctx.endpoints
    if isinstance(record, Consent):
        event = WebhookEvent.CONSENT_GIVEN
        await webhook_endpoints.consent_changed(session, record, event, now, known=known)
    elif isinstance(record, Referral):
        event = WebhookEvent.REFERRAL_REQUESTED
        await webhook_endpoints.referral_changed(
            session, ctx.principal, record, event, now, known=known
        )


async def _admit(
    session: AsyncSession, ctx: _Context, number: int, stay: ShelterStay, admit: StayAdmit
) -> Problem | None:
    try:
        async with session.begin_nested():
            await shelter_stays.admit(
                session, ctx.principal, stay, admit.admitted_on, ctx.today, ctx.rulebook
            )
    except (DomainError, AppError) as exc:
        return _refusal(number, exc, [Part.STAY, "admit"])
    return None


def _made(built: _Built) -> Counter[str]:
    made = Counter(records.record_type(type(r)) + "s" for r in built.records)
    made["victims"] += 1
    if built.bodies.admit is not None:
        made["admissions"] += 1
    return made


def _refusal(number: int, exc: Exception, at: list[Any]) -> Problem:
    """A service's refusal of a row, at the column it names or the part's lead column."""
    part, detail = at[0], at[1]
    purpose = detail if isinstance(detail, ConsentPurpose) else None
    if part is Part.CONSENT:
        lead = template.consent_column(purpose) if purpose else None
    elif detail == "admit":
        lead = "stay_admitted_on"
    else:
        lead = template.LEAD_COLUMN.get(part)
    if isinstance(exc, InvalidValue):
        column = template.column_of(part, exc.field, purpose) if part is not Part.CONSENT else lead
        if part is Part.STAY and exc.field == "admitted_on":
            column = "stay_admitted_on"
        return Problem(number, column or lead, exc.code, None, _scrubbed(exc.message))
    if isinstance(exc, DomainError):
        return Problem(number, lead, exc.code, exc.rule, _scrubbed(exc.detail))
    if isinstance(exc, AppError):
        rule = exc.extra.get("rule")
        return Problem(number, lead, exc.code, rule if isinstance(rule, str) else None,
                       _scrubbed(exc.detail))  # fmt: skip
    if isinstance(exc, IntegrityError):
        return Problem(number, lead, "duplicate", None, "The row conflicts with a record.")
    return Problem(number, lead, "validation_error", None, "A value cannot be stored.")


# A chunk's audit events (and whatever else a service leaves in ``session.info``) are set aside
# while it is tried, and kept only if it is stored: a rolled-back chunk leaves no event behind.
def _set_aside(session: AsyncSession) -> dict[Any, Any]:
    kept = dict(session.info)
    session.info.clear()
    return kept


def _put_back(session: AsyncSession, kept: dict[Any, Any], row: dict[Any, Any] | None) -> None:
    for key, value in (row or {}).items():
        before = kept.get(key)
        if isinstance(before, list) and isinstance(value, list):
            before.extend(value)
        elif isinstance(before, set) and isinstance(value, set):
            before |= value
        elif isinstance(before, dict) and isinstance(value, dict):
            before.update(value)
        else:
            kept[key] = value
    session.info.clear()
    session.info.update(kept)


CHUNK_ROWS = 200  # rows stored together: each kind of record in one statement


async def _chunk(
    session: AsyncSession, ctx: _Context, rows: Sequence[tuple[int, RowValues]], outcome: Outcome
) -> None:
    """Rows tried together, in a savepoint: each row's records built and checked, then those of
    the rows without a problem stored at once. A refusal by the database (which names no row)
    is looked for row by row: each row is tried again on its own."""
    built, problems = await _prepare(session, ctx, rows)
    kept = _set_aside(session)
    savepoint = await session.begin_nested()
    try:
        problems += await _store(session, ctx, built) if built else []
    except (IntegrityError, DataError) as exc:
        await savepoint.rollback()
        _put_back(session, kept, None)
        if len(rows) > 1:
            for row in rows:
                await _chunk(session, ctx, [row], outcome)
        else:
            outcome.problems += [*problems, _refusal(rows[0][0], exc, [Part.PERSON, None])]
        return
    except BaseException:
        _put_back(session, kept, None)
        raise
    # the rows' events join the run's before the savepoint is released: they are written
    # together at the commit (a released savepoint would otherwise write them at once)
    stored = _set_aside(session)
    await savepoint.commit()
    _put_back(session, kept, stored)
    outcome.problems += sorted(problems, key=lambda problem: problem.row or 0)
    refused = {problem.row for problem in problems}
    for done in built:
        if done.number not in refused:
            outcome.created.update(_made(done))


async def _prepare(
    session: AsyncSession, ctx: _Context, rows: Sequence[tuple[int, RowValues]]
) -> tuple[list[_Built], list[Problem]]:
    """Each row's records built and checked, or its problems."""
    problems: list[Problem] = []
    ready: list[tuple[int, _Bodies]] = []
    for number, values in rows:
        bodies, refused = await _bodies(session, ctx, number, values)
        problems += refused
        if bodies is not None:
            ready.append((number, bodies))
    numbers = await victims.free_registration_numbers(session, len(ready)) if ready else []
    built = []
    for (number, bodies), registration in zip(ready, numbers, strict=True):
        at: list[Any] = [Part.PERSON, None]
        try:
            built.append(await _build(session, ctx, number, bodies, registration, at))
        except (DomainError, AppError) as exc:
            problems.append(_refusal(number, exc, at))
    return built, problems


async def _process(
    session: AsyncSession, ctx: _Context, sheet: Sheet, progress: Callable[[int], None]
) -> Outcome:
    await _plan_each_statement(session)
    outcome = Outcome(total_rows=len(sheet.rows))
    for start in range(0, len(sheet.rows), CHUNK_ROWS):
        rows = [
            (number, template.row_values(sheet.columns, cells))
            for number, cells in sheet.rows[start : start + CHUNK_ROWS]
        ]
        await _chunk(session, ctx, rows, outcome)
        progress(start + len(rows))
    return outcome


# --- the dry run and the job ---------------------------------------------------------------


async def dry_run(
    session: AsyncSession, principal: Principal, sheet: Sheet, clock: Clock, rulebook: Rulebook
) -> Outcome:
    """Every problem the file would meet, and what it would make; nothing is written (not even
    an audit event: the run is rolled back whole)."""
    kept = _set_aside(session)
    savepoint = await session.begin_nested()
    try:
        ctx = _Context(principal, clock.today(), clock, rulebook)
        return await _process(session, ctx, sheet, lambda _: None)
    finally:
        await savepoint.rollback()
        _put_back(session, kept, None)


async def start(
    session: AsyncSession, principal: Principal, sheet: Sheet
) -> tuple[ImportJob, bool]:
    """The job of this file: a new one (True), or the one of the same file that is running or
    succeeded in the caller's organisation (False: nothing new is made)."""
    existing = await _same_file(session, principal.organisation, sheet.sha256)
    if existing is not None and not _abandoned(existing):
        return existing, False
    if existing is not None:
        _give_up(existing, "The import stopped before it ended: nothing was kept.")
        session.add(existing)
        await session.flush()
    job = ImportJob(
        organisation_id=principal.organisation,
        created_by=principal.actor_id,
        file_sha256=sheet.sha256,
        file_format=sheet.file_format.value,
        status=ImportStatus.RUNNING.value,
        total_rows=len(sheet.rows),
    )
    try:
        async with session.begin_nested():  # the partial unique index settles a race
            session.add(job)
    except IntegrityError:
        raced = await _same_file(session, principal.organisation, sheet.sha256)
        if raced is None:
            raise
        return raced, False
    audit.record(session, principal, AuditAction.CREATE, RECORD_TYPE, job.id)
    _PROGRESS[job.id] = 0
    return job, True


def _abandoned(job: ImportJob) -> bool:
    """A job still "running" long after any import could take, and not by this process: the
    process that ran it stopped (a restart, a crash). It would block the file forever."""
    return (
        job.status == ImportStatus.RUNNING.value
        and job.id not in _PROGRESS
        and job.created_at < utcnow() - ABANDONED_AFTER
    )


async def _same_file(session: AsyncSession, organisation_id: UUID, sha256: str) -> ImportJob | None:
    query = select(ImportJob).where(
        col(ImportJob.organisation_id) == organisation_id,
        col(ImportJob.file_sha256) == sha256,
        col(ImportJob.status) != ImportStatus.FAILED.value,
    )
    return (await session.exec(query)).first()


async def run(
    sessionmaker: async_sessionmaker[AsyncSession],
    principal: Principal,
    job_id: UUID,
    sheet: Sheet,
    clock: Clock,
    rulebook: Rulebook,
) -> None:
    """The job, after the answer was sent, in a session of its own: all rows or none."""
    try:
        async with sessionmaker() as session:
            ctx = _Context(principal, clock.today(), clock, rulebook)

            def progress(done: int) -> None:
                _PROGRESS[job_id] = done

            outcome = await _process(session, ctx, sheet, progress)
            if outcome.problems:
                await session.rollback()
            job = await session.get_one(ImportJob, job_id, with_for_update=True)
            if job.status != ImportStatus.RUNNING.value:  # given up on: a newer job has the file
                await session.rollback()
                return
            _finish(job, outcome)
            session.add(job)
            await session.commit()
    except Exception as exc:  # the job must not stay "running": it failed, and says so
        log.error("import %s failed: %s", job_id, type(exc).__name__)
        await _fail(sessionmaker, job_id)
    finally:
        _PROGRESS.pop(job_id, None)


async def _plan_each_statement(session: AsyncSession) -> None:
    """PostgreSQL: an import (a dry run too) is one transaction that makes thousands of rows,
    which no ANALYZE sees before it commits. A prepared statement's generic plan, made while a
    table was small, would go on scanning it whole as it grows, comparing each row with every
    one of the thousands of keys a chunk looks up (10,000 rows took minutes so); a plan made
    for each execution sees the table as it is, and the keys as constants it can hash."""
    if session.get_bind().dialect.name == "postgresql":
        connection = await session.connection()
        await connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")


def _finish(job: ImportJob, outcome: Outcome) -> None:
    failed = bool(outcome.problems)
    job.status = (ImportStatus.FAILED if failed else ImportStatus.SUCCEEDED).value
    job.done_rows = outcome.total_rows
    job.created = {} if failed else dict(sorted(outcome.created.items()))
    job.problems = [problem.as_dict() for problem in outcome.problems]
    job.finished_at = utcnow()


def _give_up(job: ImportJob, detail: str) -> None:
    problem = Problem(None, None, "internal_error", None, detail)
    done = job.done_rows
    _finish(job, Outcome(total_rows=job.total_rows, problems=[problem]))
    job.done_rows = _PROGRESS.get(job.id, done)


async def _fail(sessionmaker: async_sessionmaker[AsyncSession], job_id: UUID) -> None:
    try:
        async with sessionmaker() as session, session.begin():
            job = await session.get_one(ImportJob, job_id)
            _give_up(job, "The import stopped: nothing was kept.")
            session.add(job)
    except Exception as exc:
        log.error("import %s could not be marked failed: %s", job_id, type(exc).__name__)


def done_rows(job: ImportJob) -> int:
    """The rows done so far of a job this process runs; the row's count once it ended."""
    if job.status == ImportStatus.RUNNING.value:
        return _PROGRESS.get(job.id, job.done_rows)
    return job.done_rows


def present(job: ImportJob) -> ImportRead:
    """The job as read now: with its progress while it runs."""
    read = ImportRead.model_validate(job)
    return read.model_copy(update={"done_rows": done_rows(job)})


async def get_own(session: AsyncSession, principal: Principal, import_id: UUID) -> ImportJob:
    """One of the caller's organisation's imports (any other is as unknown as none)."""
    job = await session.get(ImportJob, import_id)
    if job is None or job.organisation_id != principal.organisation_id:
        raise NotFound("No such import.")
    return job


async def list_own(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[Sequence[ImportJob], str | None]:
    query = select(ImportJob).where(col(ImportJob.organisation_id) == principal.organisation)
    return await fetch_page(session, query, ImportJob.id, page)


# --- the template ------------------------------------------------------------------------------

TEMPLATE_SHEET, ENUMERATIONS_SHEET = "persons", "enumerations"


def template_csv() -> bytes:
    """The header row, UTF-8 with a byte-order mark (so spreadsheets open it as UTF-8)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(template.HEADER)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The header row, each column typed as text and described in a note; a second sheet lists
    each enumeration's values, and the columns that take one value pick it from that list.
    Every cell is written as a string, never a formula."""
    # no type stubs are installed for openpyxl (types-openpyxl would be a new test dependency)
    from openpyxl import Workbook
    from openpyxl.comments import Comment  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

    workbook = Workbook()
    persons = workbook.active
    persons.title = TEMPLATE_SHEET
    choices = workbook.create_sheet(ENUMERATIONS_SHEET)
    lists: dict[str, str] = {}
    for index, (name, values) in enumerate(template.ENUMERATIONS.items(), 1):
        letter = get_column_letter(index)
        text_cell(choices.cell(row=1, column=index), name)
        for row, value in enumerate(values, 2):
            text_cell(choices.cell(row=row, column=index), value)
        lists[name] = f"{ENUMERATIONS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    last_row = 1 + 20_000
    for index, column in enumerate(template.COLUMNS, 1):
        letter = get_column_letter(index)
        cell = persons.cell(row=1, column=index)
        text_cell(cell, column.name)
        described = column.description or ("required" if column.required else "")
        if column.choices is not None:
            described = "; ".join(filter(None, [described, f"see the {ENUMERATIONS_SHEET} sheet"]))
        if described:
            cell.comment = Comment(described, "template")
        persons.column_dimensions[letter].width = max(14, len(column.name) + 2)
        persons.column_dimensions[letter].number_format = "@"  # typed values stay text
        if column.choices is not None and not column.many:
            validation = DataValidation(type="list", formula1=lists[column.name])
            validation.add(f"{letter}2:{letter}{last_row}")
            persons.add_data_validation(validation)
    persons.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def text_cell(cell: Any, value: str) -> None:
    """A string cell, whatever the text begins with (openpyxl would take ``=...`` for a
    formula)."""
    cell.value = value
    cell.data_type = "s"
