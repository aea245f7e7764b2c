"""Imports of an existing caseload from a spreadsheet (issue 17): the job, and a dry run's
report. A problem names where (row, column) and why (code, rule), never a submitted value."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from app.domain.imports import FileFormat, ImportStatus
from app.schemas.common import ResponseModel


class ImportProblem(ResponseModel):
    row: int | None = Field(
        description="The row's number in the spreadsheet (the header is row 1); none for the "
        "whole file."
    )
    column: str | None = Field(description="The template column, where it can be told.")
    code: str = Field(description="The stable code, as in a problem body.")
    rule: str | None = Field(description="The procedure rule's id, for a rule's refusal.")
    detail: str


Created = dict[str, int]
CREATED_DESCRIPTION = (
    "Records made, by kind: victims, consents, referrals, shelter_stays, admissions, assessments."
)


class ImportRead(ResponseModel):
    """An import job: all of the file's rows are kept, or none (``failed``, with every
    problem found)."""

    dry_run: Literal[False] = False
    id: UUID
    status: ImportStatus
    file_format: FileFormat
    total_rows: int
    done_rows: int = Field(description="Rows tried so far (all of them once it has ended).")
    created: Created = Field(description=CREATED_DESCRIPTION)
    problems: list[ImportProblem]
    created_at: datetime
    finished_at: datetime | None


class ImportReport(ResponseModel):
    """A dry run: what the file would make, and every problem it meets; nothing was written."""

    dry_run: Literal[True] = True
    file_format: FileFormat
    total_rows: int
    valid: bool = Field(description="No problem: a real run of this file would succeed now.")
    created: Created = Field(description="What a real run would make, by kind.")
    problems: list[ImportProblem]


ImportOutcome = ImportRead | ImportReport
