"""Calendar rules shared by every procedure."""

from datetime import date

from app.domain.errors import InvalidValue


def check_not_future(field: str, day: date | None, today: date) -> None:
    """Dates of things that happened (contact, assessment, identification, birth) may lie in the
    past, never in the future (API.md, "Dates")."""
    if day is not None and day > today:
        raise InvalidValue(field, f"{field} cannot lie in the future.")
