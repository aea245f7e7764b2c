"""The coordinator's numbers (issue 19): per month and organisation, what the procedures are
measured by. The months asked for, and what an auditor may see of them: a count below the
threshold of the aggregate report, and a median or total resting on one, is hidden."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.domain.errors import InvalidValue

THRESHOLD = 5  # as the aggregate report's (services/aggregate.py)
MAX_MONTHS = 24

# the counts of a row, and the figures that rest on one of them (hidden with it)
COUNTS = (
    "referrals_made",
    "referrals_accepted",
    "referrals_contacted",
    "individual_assessments_on_time",
    "individual_assessments_late",
    "plans_activated",
    "stays_admitted",
    "bed_nights",
    "monitoring_reports_on_time",
    "monitoring_reports_late",
    "grants_approved",
)
RESTING_ON = {
    "median_days_to_accept": "referrals_accepted",
    "median_days_to_first_contact": "referrals_contacted",
    "grants_approved_total": "grants_approved",
}


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)


def month_of(text: str, field: str) -> Month:
    year, _, number = text.partition("-")
    if not (year.isdigit() and number.isdigit() and len(year) == 4 and len(number) == 2):
        raise InvalidValue(field, "A month is YYYY-MM.", source="query")
    if not 1 <= int(number) <= 12 or not 1900 <= int(year) <= 9998:
        raise InvalidValue(field, "A month is YYYY-MM, with MM from 01 to 12.", source="query")
    return Month(int(year), int(number))


def months_between(first: Month, last: Month) -> list[Month]:
    """From ``first`` to ``last``, both in; at most MAX_MONTHS of them."""
    if (last.year, last.month) < (first.year, first.month):
        raise InvalidValue("to", "The last month comes after the first.", source="query")
    months = list(_walk(first, last))
    if len(months) > MAX_MONTHS:
        raise InvalidValue("to", f"At most {MAX_MONTHS} months at once.", source="query")
    return months


def _walk(first: Month, last: Month) -> Iterator[Month]:
    month = first
    while (month.year, month.month) <= (last.year, last.month):
        yield month
        month = month.next()


def suppressed(row: Mapping[str, int | Decimal | None]) -> list[str]:
    """What an auditor does not see of a row: every count below the threshold (zero
    included), and what rests on it."""
    hidden = [name for name in COUNTS if (row.get(name) or 0) < THRESHOLD]
    return hidden + [name for name, count in RESTING_ON.items() if count in hidden]
