"""Base models and field types shared by every resource."""

import os
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app.domain.countries import ISO_3166_ALPHA2

T = TypeVar("T")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class RequestModel(BaseModel):
    """Bodies accept only the fields they declare: no mass assignment (unknown field → 422)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul_characters(cls, data: Any) -> Any:
        # PostgreSQL cannot store NUL in text; no legitimate input holds one
        if _has_nul(data):
            raise ValueError("text must not contain NUL characters")
        return data


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    """A page of a list, newest first; pass ``next_cursor`` back as ``cursor`` for the next."""

    items: list[T]
    next_cursor: str | None = None

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        """``AgreementPage``, ``VictimPage``: names a generated client can use as class names."""
        return f"{_resource_name(params[0])}Page"


def _resource_name(item: Any) -> str:
    """The resource a page lists: its read model's name without ``Read``; for a union of views
    (``VictimRead | VictimExchangeRead``), the part of the names they share."""
    if get_origin(item) is Annotated:
        item = get_args(item)[0]
    members = get_args(item) or (item,)
    names = [m.__name__.removesuffix("Read") for m in members]
    prefix = os.path.commonprefix(names)  # noqa: RUF071 - names, not paths
    shared = prefix or os.path.commonprefix([n[::-1] for n in names])[::-1]  # noqa: RUF071
    return shared or "Or".join(names)


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


# soms with at most two decimals, as a decimal string ("2000.00"), never a float
def _no_float(value: object) -> object:
    if isinstance(value, float):
        raise ValueError('money is written as a decimal string, such as "499.99"')
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_no_float),
    Field(ge=0, max_digits=12, decimal_places=2, examples=["50.00"]),
    AfterValidator(lambda amount: amount.quantize(Decimal("0.01"))),
]


# a text of up to 2,000 characters: reasons, justifications, answers, exit information
Note = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
ExitText = Note


def exit_information_field() -> Any:
    """MAN-EXIT: what the person was given on leaving. Sent as a field that the rule checks, so
    that leaving it out is refused with the rule's id."""
    return Field(
        None,
        description="Required (MAN-EXIT): the information given to the person on leaving "
        "(leaflets, contacts), so that they can seek help again.",
    )
