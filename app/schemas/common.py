"""Base models and field types shared by every resource."""

from datetime import date
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.domain.countries import ISO_3166_ALPHA2

T = TypeVar("T")


class RequestModel(BaseModel):
    """Bodies accept only the fields they declare: no mass assignment (unknown field → 422)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    """A page of a list, newest first; pass ``next_cursor`` back as ``cursor`` for the next."""

    items: list[T]
    next_cursor: str | None = None


def _iso_country(code: str) -> str:
    if code not in ISO_3166_ALPHA2:
        raise ValueError("must be an ISO 3166-1 alpha-2 country code, such as KG")
    return code


def _sensible_birth_date(day: date) -> date:
    if day.year < 1900:
        raise ValueError("must be after 1900")
    return day


CountryCode = Annotated[
    str,
    StringConstraints(min_length=2, max_length=2, to_upper=True),
    AfterValidator(_iso_country),
    Field(examples=["KG"]),
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
BirthDate = Annotated[date, AfterValidator(_sensible_birth_date)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ()-]{4,38}$")]
