"""Cases in the Human Trafficking Case Data Standard 2.0 (issue 20): a record is a row of the
toolkit's spreadsheet, its members named as the standard names its fields (app/domain/htcds.py
says where each one comes from)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from app.domain import htcds


def _member(column: str) -> tuple[Any, Any]:
    if column in htcds.MULTISELECT:
        return list[str] | None, Field(default=None, title=htcds.COLUMNS[column])
    kind = bool if column == "con_Consent" else str
    return kind | None, Field(default=None, title=htcds.COLUMNS[column])


HtcdsCase = create_model(  # type: ignore[call-overload]
    "HtcdsCase",
    __config__=ConfigDict(extra="forbid"),
    __doc__="One case as a row of the HTCDS 2.0 toolkit's spreadsheet: a field this system "
    "does not hold, or never exports, is null (see docs/integrations.md).",
    **{column: _member(column) for column in htcds.COLUMNS},
)


class HtcdsPage(BaseModel):
    """A page of the cases whose persons consented to the processing of their data."""

    standard: str = f"HTCDS {htcds.VERSION}"
    items: list[HtcdsCase]
    next_cursor: str | None = None
