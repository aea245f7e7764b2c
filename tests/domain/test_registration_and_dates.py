import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.dates import check_not_future
from app.domain.errors import InvalidValue
from app.domain.registration import REGISTRATION_BITS, registration_number

FORMAT = r"^VT-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$"


@given(st.integers(min_value=0, max_value=(1 << REGISTRATION_BITS) - 1))
def test_registration_number_format(entropy: int) -> None:
    assert re.fullmatch(FORMAT, registration_number(entropy))


@given(st.integers(0, (1 << REGISTRATION_BITS) - 1), st.integers(0, (1 << REGISTRATION_BITS) - 1))
def test_different_entropy_gives_different_numbers(a: int, b: int) -> None:
    assert (registration_number(a) == registration_number(b)) == (a == b)


@pytest.mark.parametrize("entropy", [-1, 1 << REGISTRATION_BITS])
def test_entropy_out_of_range_is_refused(entropy: int) -> None:
    with pytest.raises(ValueError, match="50-bit"):
        registration_number(entropy)


def test_today_is_not_the_future_and_tomorrow_is() -> None:
    today = date(2026, 11, 23)
    check_not_future("performed_on", today, today)
    check_not_future("performed_on", None, today)
    with pytest.raises(InvalidValue) as refused:
        check_not_future("performed_on", date(2026, 11, 24), today)
    assert refused.value.field == "performed_on"
