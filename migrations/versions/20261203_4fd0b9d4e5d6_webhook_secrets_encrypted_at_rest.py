"""webhook secrets encrypted at rest

Each endpoint's signing secret, kept in plain text until now, becomes a Fernet token under the
first of APP_WEBHOOK_SECRET_KEYS (read through app.config; in development, when none is set, the
development key). The column stays as it is. Down again, every secret is decrypted with the keys
set then (any of them), back to plain text. Online only: each row is rewritten in Python.

Revision ID: 4fd0b9d4e5d6
Revises: c4a1e9d27b30
Create Date: 2026-12-03 06:30:00

"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import context, op
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.config import get_settings

revision: str = "4fd0b9d4e5d6"
down_revision: str | None = "c4a1e9d27b30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENDPOINTS = sa.table(
    "webhook_endpoints", sa.column("id", sa.Uuid()), sa.column("secret", sa.Text())
)


def _keys() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in get_settings().webhook_secret_key_list])


def _rewrite(change: Callable[[str], str]) -> None:
    if context.is_offline_mode():
        raise RuntimeError("this revision encrypts each secret in Python: run it online")
    connection = op.get_bind()
    rows = connection.execute(sa.select(ENDPOINTS.c.id, ENDPOINTS.c.secret)).all()
    for endpoint_id, secret in rows:
        connection.execute(
            ENDPOINTS.update().where(ENDPOINTS.c.id == endpoint_id).values(secret=change(secret))
        )


def upgrade() -> None:
    keys = _keys()
    _rewrite(lambda secret: keys.encrypt(secret.encode()).decode("ascii"))


def downgrade() -> None:
    keys = _keys()

    def decrypt(token: str) -> str:
        try:
            return keys.decrypt(token.encode("ascii")).decode()
        except InvalidToken:
            raise RuntimeError(
                "a webhook secret opens with none of APP_WEBHOOK_SECRET_KEYS: set the key it "
                "was encrypted with"
            ) from None

    _rewrite(decrypt)
