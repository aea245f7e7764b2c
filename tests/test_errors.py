"""How database refusals become problems: a foreign key that names nothing is bad input (422),
a unique key already taken is a conflict (409) — on both databases' errors."""

import json
import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError

from app.errors import to_problem


class _PostgresError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("violates a constraint")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("orig", "status", "code"),
    [
        (sqlite3.IntegrityError("FOREIGN KEY constraint failed"), 422, "validation_error"),
        (_PostgresError("23503"), 422, "validation_error"),
        (sqlite3.IntegrityError("UNIQUE constraint failed: users.username"), 409, "duplicate"),
        (_PostgresError("23505"), 409, "duplicate"),
    ],
)
def test_integrity_errors_become_problems(orig: Exception, status: int, code: str) -> None:
    answer = to_problem(IntegrityError("INSERT ...", {}, orig))
    assert answer.status_code == status
    assert json.loads(answer.body)["code"] == code
