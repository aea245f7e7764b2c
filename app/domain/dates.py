"""Calendar rules shared by every procedure, SOP-MONTHS among them."""

import calendar
from datetime import date, timedelta

from app.domain.errors import InvalidValue


def check_not_future(field: str, day: date | None, today: date) -> None:
    """Dates of things that happened (contact, assessment, identification, birth) may lie in the
    past, never in the future (API.md, "Dates")."""
    if day is not None and day > today:
        raise InvalidValue(field, f"{field} cannot lie in the future.")


def check_event_date(field: str, day: date, today: date, identified_on: date | None) -> None:
    """A record of something that happened takes the day it happened: entered late is fine (a
    referral made by phone on Monday is entered on Wednesday), but never in the future and never
    before the person was identified."""
    check_not_future(field, day, today)
    if identified_on is not None and day < identified_on:
        raise InvalidValue(
            field, f"{field} cannot lie before the person's identification ({identified_on})."
        )


def check_in_order(field: str, later: date, earlier: date | None, why: str) -> None:
    """One step of a record comes on or after the one before it (a contact after the referral,
    a discharge after the admission); ``why`` says which order, in the refusal."""
    if earlier is not None and later < earlier:
        raise InvalidValue(field, why)


def add_months(day: date, months: int) -> date:
    """The same calendar day ``months`` later, clamped to the end of a shorter month
    (2026-08-31 + 6 months = 2027-02-28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_end(start: date, months: int) -> date:
    """SOP-MONTHS: a period of at most ``months`` that starts on ``start`` ends at the latest on
    the day before the same calendar day ``months`` later (2026-01-15, 12 → 2027-01-14;
    2026-01-31, 1 → 2026-02-27)."""
    return add_months(start, months) - timedelta(days=1)


def age_on(birth_date: date, day: date) -> int:
    """Completed years of age on ``day``."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)
