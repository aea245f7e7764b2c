"""An import of an existing caseload from a spreadsheet (issue 17): a job, all-or-nothing per
file and idempotent by the file's hash (one import of a file per organisation that did not fail)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from app.models.base import JSONType, UTCDateTime, id_field, timestamp_field

_NOT_FAILED = text("status != 'failed'")


class ImportJob(SQLModel, table=True):
    __tablename__ = "imports"
    __table_args__ = (
        Index(
            "uq_imports_organisation_id_file_sha256",
            "organisation_id",
            "file_sha256",
            unique=True,
            sqlite_where=_NOT_FAILED,
            postgresql_where=_NOT_FAILED,
        ),
    )

    id: UUID = id_field()
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)
    created_by: UUID
    file_sha256: str = Field(max_length=64)
    file_format: str = Field(max_length=8)  # csv, xlsx
    status: str = Field(default="running", max_length=16)  # running, succeeded, failed
    total_rows: int = 0
    done_rows: int = 0
    # what was made, by kind; the problems found ({row, column, code, rule, detail}), values
    # never echoed
    created: dict[str, int] = Field(default_factory=dict, sa_type=JSONType)
    problems: list[dict[str, object]] = Field(default_factory=list, sa_type=JSONType)
    created_at: datetime = timestamp_field()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
