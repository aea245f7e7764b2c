"""State machines as transition tables: (state, action) → next state. Nothing else decides."""

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from app.domain.errors import InvalidTransition

S = TypeVar("S", bound=StrEnum)


def check_not_done(entity: str, done: bool, state: str, action: str) -> None:
    """A one-way step (deactivate, acknowledge) is taken once: again is InvalidTransition."""
    if done:
        raise InvalidTransition(entity, state, action)


def advance(table: Mapping[tuple[S, str], S], entity: str, state: S, action: str) -> S:
    """The state after ``action``, or InvalidTransition (409) if the table has no such step."""
    try:
        return table[(state, action)]
    except KeyError:
        raise InvalidTransition(entity, state.value, action) from None
