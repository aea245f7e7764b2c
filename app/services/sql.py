"""SQL the two databases spell differently, written once: date arithmetic, least, greatest."""

from typing import Any

from sqlalchemy import Integer, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement
from sqlalchemy.types import Date, String


class days_between(FunctionElement[int]):
    """Whole days from the second date to the first."""

    type = Integer()
    inherit_cache = True


class least(FunctionElement[Any]):
    type = Date()
    inherit_cache = True


class greatest(FunctionElement[Any]):
    type = Date()
    inherit_cache = True


@compiles(days_between)
def _days_between(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(({later}) - ({earlier}))"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(least)
def _least(element: least, compiler: Any, **kw: Any) -> str:
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(least, "sqlite")
def _least_sqlite(element: least, compiler: Any, **kw: Any) -> str:
    return f"MIN({compiler.process(element.clauses, **kw)})"


@compiles(greatest)
def _greatest(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"MAX({compiler.process(element.clauses, **kw)})"


def as_date(value: Any) -> ColumnElement[Any]:
    """A bound date parameter typed as a date (so both databases compare it as one)."""
    return bindparam(None, value, type_=Date())


class add_days(FunctionElement[Any]):
    """A date ``days`` later: ``add_days(column, 7)``."""

    type = Date()
    inherit_cache = True


@compiles(add_days)
def _add_days(element: add_days, compiler: Any, **kw: Any) -> str:
    day, days = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(({day}) + {days})"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element: add_days, compiler: Any, **kw: Any) -> str:
    day, days = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"date({day}, '+' || ({days}) || ' days')"


class year_month(FunctionElement[str]):
    """The month of a date as YYYY-MM: what a report groups by."""

    type = String()
    inherit_cache = True


@compiles(year_month)
def _year_month(element: year_month, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(year_month, "sqlite")
def _year_month_sqlite(element: year_month, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"
