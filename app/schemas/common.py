"""Base models and field types shared by every resource."""

import os
import re
import unicodedata
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


# C0 and C1 control characters but tab and line breaks: no legitimate input holds one, and
# PostgreSQL cannot store NUL in text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_NESTING = 32  # no request body of this API nests deeper


def _refused_text(data: Any) -> str | None:
    """Why a body is refused before it is read field by field: a control character in any text
    (keys included), or nesting deeper than any body needs. Walked without recursion: a body
    nested hundreds deep must not exhaust the stack."""
    pending: list[tuple[Any, int]] = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if _CONTROL.search(value):
                return "text must not contain control characters (NUL, escape, bell ...)"
        elif isinstance(value, dict | list | tuple):
            if depth >= MAX_NESTING:
                return f"the body nests deeper than {MAX_NESTING} levels"
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)
    return None


class RequestModel(BaseModel):
    """Bodies accept only the fields they declare: no mass assignment (unknown field → 422)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data: Any) -> Any:
        refused = _refused_text(data)
        if refused is not None:
            raise ValueError(refused)
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


def _iso_region(code: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", code):
        raise ValueError("an ISO 3166-2 subdivision code, such as KG-C")
    return code


RegionCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, max_length=6),
    AfterValidator(_iso_region),
    Field(
        description="An ISO 3166-2 subdivision (a region, an oblast, a city of its own): KG-C "
        "for Chüy, KG-GB for Bishkek.",
        examples=["KG-C"],
    ),
]


def plain_name(name: str) -> str:
    """A name is one line of visible text: no line break, tab or invisible formatting character
    (a right-to-left override, a zero-width space), which would make one name look like
    another in a list, or forge a line in a form or a log."""
    if any(c in "\t\n\r" or unicodedata.category(c) == "Cf" for c in name):
        raise ValueError("a name is one line of visible characters")
    return name


Name = Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(plain_name)]
BirthDate = Annotated[date, AfterValidator(_sensible_birth_date)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ()-]{4,38}$")]


# soms with at most two decimals, as a decimal string ("2000.00"), never a float; in ASCII
# digits only (Python's Decimal would read "1_000" and full-width "２０００")
_DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _no_float(value: object) -> object:
    if isinstance(value, float):
        raise ValueError('money is written as a decimal string, such as "499.99"')
    if isinstance(value, str) and not _DECIMAL_TEXT.fullmatch(value.strip()):
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
