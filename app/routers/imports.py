"""Bringing an existing caseload in: spreadsheet imports (issue 17)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, BackgroundTasks, File, Path, Request, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from app.deps import ClockDep, Idempotency, PageDep, RulebookDep, SessionDep, SettingsDep, require
from app.domain.access import Action
from app.routing import BodyFirst, problem_responses
from app.schemas.common import Page
from app.schemas.imports import ImportOutcome, ImportProblem, ImportRead, ImportReport
from app.security import Principal
from app.services import imports

router = APIRouter(prefix="/imports", tags=["imports"], route_class=BodyFirst)
Importer = Annotated[Principal, require(Action.IMPORT)]

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = imports.XLSX_MEDIA_TYPE


class ImportUpload(BaseModel):
    """The multipart form of an import. It holds the uploaded file (a framework type), so it
    is declared with its route."""

    model_config = ConfigDict(extra="forbid")

    file: UploadFile = Field(
        description="The filled template: CSV (UTF-8) or XLSX, at most APP_IMPORT_MAX_BYTES."
    )
    dry_run: bool = Field(
        False, description="Report every problem and what would be made, writing nothing."
    )


@router.get(
    "/template.csv",
    summary="The import template as CSV: its header row",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def get_import_template_csv(_: Importer) -> Response:
    disposition = {"Content-Disposition": 'attachment; filename="import-template.csv"'}
    return Response(imports.template_csv(), media_type=CSV_TYPE, headers=disposition)


@router.get(
    "/template.xlsx",
    summary="The import template as XLSX: its header row, and the enumerations' values",
    response_class=Response,
    responses={200: {"content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def get_import_template_xlsx(_: Importer) -> Response:
    disposition = {"Content-Disposition": 'attachment; filename="import-template.xlsx"'}
    return Response(imports.template_xlsx(), media_type=XLSX_TYPE, headers=disposition)


@router.get("", summary="List the caller's organisation's imports")
async def list_imports(principal: Importer, session: SessionDep, page: PageDep) -> Page[ImportRead]:
    jobs, cursor = await imports.list_own(session, principal, page)
    return Page(items=[imports.present(job) for job in jobs], next_cursor=cursor)


@router.post(
    "",
    status_code=202,
    summary="Import persons from a spreadsheet: a dry run, or a job all-or-nothing per file",
    responses={
        200: {
            "model": ImportOutcome,
            "description": "A dry run's report; or the job of the same file, uploaded before "
            "(running or succeeded): nothing new is made",
        },
        202: {"description": "The job, started: follow it at Location"},
        **problem_responses(415),
    },
)
async def run_import(
    principal: Importer,
    upload: Annotated[ImportUpload, File()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    request: Request,
    response: Response,
    background: BackgroundTasks,
    _key: Idempotency,
) -> ImportOutcome:
    limit = settings.import_max_bytes
    content = await upload.file.read(limit + 1)
    sheet = imports.read_upload(
        content,
        upload.file.filename,
        upload.file.content_type,
        max_bytes=limit,
        max_rows=settings.import_max_rows,
    )
    if upload.dry_run:
        outcome = await imports.dry_run(session, principal, sheet, clock, rulebook)
        response.status_code = 200
        return ImportReport(
            file_format=sheet.file_format,
            total_rows=outcome.total_rows,
            valid=not outcome.problems,
            created=dict(sorted(outcome.created.items())),
            problems=[ImportProblem.model_validate(p) for p in outcome.problems],
        )
    job, started = await imports.start(session, principal, sheet)
    response.headers["Location"] = request.app.url_path_for("get_import", import_id=str(job.id))
    if not started:
        response.status_code = 200
        return imports.present(job)
    sessionmaker = request.app.state.sessionmaker
    background.add_task(imports.run, sessionmaker, principal, job.id, sheet, clock, rulebook)
    return imports.present(job)


@router.get("/{import_id}", summary="Read an import: its status, progress and problems")
async def get_import(
    principal: Importer, session: SessionDep, import_id: Annotated[UUID, Path()]
) -> ImportRead:
    return imports.present(await imports.get_own(session, principal, import_id))
