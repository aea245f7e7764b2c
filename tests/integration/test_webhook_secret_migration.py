"""The revision that encrypts the webhook secrets at rest: the plain secrets there were become
Fernet tokens under the first key, and go back to plain text on the way down. On SQLite and, with
TEST_DATABASE_URL, on PostgreSQL."""

import asyncio
from typing import Any

from alembic import command
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.engine import Connection

from app.config import get_settings
from app.db import create_engine
from tests.conftest import alembic_config
from tests.integration.test_migrations import _drift, _insert, _run, scratch_url

__all__ = ["scratch_url"]  # the fixture, from the migrations' tests

BEFORE = "c4a1e9d27b30"
SECRETS = ["partner-signing-secret-0123456789abcdef", "another-partner-secret-" * 2]


def _seed(connection: Connection) -> None:
    organisation = _insert(connection, "organisations", kind="ngo")
    for secret in SECRETS:
        _insert(
            connection,
            "webhook_endpoints",
            organisation_id=organisation,
            url="https://partner.example.org/events",
            secret=secret,
            active=True,
        )


def _stored(connection: Connection) -> list[Any]:
    found = connection.execute(text("SELECT secret FROM webhook_endpoints ORDER BY secret"))
    return [row[0] for row in found]


async def test_the_secrets_are_encrypted_going_up_and_decrypted_going_down(
    scratch_url: str,
) -> None:
    config = alembic_config(scratch_url)
    await asyncio.to_thread(command.upgrade, config, BEFORE)
    engine = create_engine(scratch_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_seed)
    finally:
        await engine.dispose()

    await asyncio.to_thread(command.upgrade, config, "head")
    tokens = await _run(scratch_url, _stored)
    key = Fernet(get_settings().webhook_secret_key_list[0])  # the development key here
    assert not set(tokens) & set(SECRETS)
    assert sorted(key.decrypt(token.encode()).decode() for token in tokens) == sorted(SECRETS)

    await asyncio.to_thread(command.downgrade, config, BEFORE)
    assert await _run(scratch_url, _stored) == sorted(SECRETS)
    await asyncio.to_thread(command.upgrade, config, "head")
    assert await _run(scratch_url, _drift) == []
    tokens = await _run(scratch_url, _stored)
    assert sorted(key.decrypt(token.encode()).decode() for token in tokens) == sorted(SECRETS)
