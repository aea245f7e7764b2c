"""SOP-MONTHS: how "N months" is counted, month-end clamping, and age in completed years."""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.dates import add_months, age_on, latest_end


@pytest.mark.parametrize(
    ("start", "months", "latest"),
    [
        pytest.param(date(2026, 1, 15), 12, date(2027, 1, 14), id="rules-example-12-months"),
        pytest.param(date(2026, 1, 31), 1, date(2026, 2, 27), id="rules-example-month-end-clamps"),
        pytest.param(date(2026, 1, 15), 6, date(2026, 7, 14), id="six-months"),
        pytest.param(date(2026, 1, 15), 36, date(2029, 1, 14), id="thirty-six-months"),
        pytest.param(date(2026, 3, 1), 1, date(2026, 3, 31), id="first-of-month-ends-month-end"),
    ],
)
def test_latest_end(start: date, months: int, latest: date) -> None:
    assert latest_end(start, months) == latest


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(date(2026, 1, 15), 1, date(2026, 2, 15), id="same-calendar-day"),
        pytest.param(date(2026, 11, 30), 3, date(2027, 2, 28), id="crosses-year-and-clamps"),
        pytest.param(date(2026, 8, 31), 6, date(2027, 2, 28), id="monitoring-example-clamps"),
        pytest.param(date(2024, 2, 29), 12, date(2025, 2, 28), id="leap-day-to-common-year"),
        pytest.param(date(2023, 3, 31), 11, date(2024, 2, 29), id="clamps-to-leap-february"),
        pytest.param(date(2024, 2, 29), 48, date(2028, 2, 29), id="leap-day-to-leap-year"),
        pytest.param(date(2026, 1, 31), 3, date(2026, 4, 30), id="clamps-to-30-day-month"),
        pytest.param(date(2026, 12, 31), 1, date(2027, 1, 31), id="december-to-january"),
        pytest.param(date(2026, 5, 20), 0, date(2026, 5, 20), id="zero-months-is-same-day"),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        pytest.param(date(1990, 6, 15), date(2026, 6, 14), 35, id="day-before-birthday"),
        pytest.param(date(1990, 6, 15), date(2026, 6, 15), 36, id="on-the-birthday"),
        pytest.param(date(1990, 6, 15), date(2026, 6, 16), 36, id="day-after-birthday"),
        pytest.param(date(1990, 6, 15), date(2026, 12, 31), 36, id="later-that-year"),
        pytest.param(date(1990, 6, 15), date(2026, 1, 1), 35, id="earlier-that-year"),
        pytest.param(date(2008, 2, 29), date(2026, 3, 1), 18, id="leap-day-birth-on-march-first"),
        pytest.param(date(2026, 6, 15), date(2026, 6, 15), 0, id="day-of-birth"),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=1, max_value=120),
)
def test_latest_end_is_the_day_before_n_months_later(start: date, months: int) -> None:
    latest = latest_end(start, months)
    assert latest == add_months(start, months) - timedelta(days=1)
    assert latest < add_months(start, months)
    # every month has at least 28 days; a month-end start loses at most the clamped days, so the
    # shortest case is 2026-01-31 + 1 month -> ends by 2026-02-27, 27 days later (28 * 1 - 1)
    assert (latest - start).days >= 28 * months - 1
    assert (latest - start).days <= 31 * months - 1


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=0, max_value=120),
)
def test_add_months_keeps_the_day_or_clamps_to_month_end(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == min(day.day, calendar.monthrange(later.year, later.month)[1])
