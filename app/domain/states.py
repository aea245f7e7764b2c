"""State machines as transition tables: (state, action) → next state. Nothing else decides."""

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from app.domain.errors import InvalidTransition

S = TypeVar("S", bound=StrEnum)


def advance(table: Mapping[tuple[S, str], S], entity: str, state: S, action: str) -> S:
    """The state after ``action``, or InvalidTransition (409) if the table has no such step."""
    try:
        return table[(state, action)]
    except KeyError:
        raise InvalidTransition(entity, state.value, action) from None
