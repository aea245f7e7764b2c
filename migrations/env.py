"""Alembic environment: async engine, URL from the settings, metadata from the models."""

import asyncio
from logging.config import fileConfig
from typing import Any

import sqlalchemy as sa
from alembic import context
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import app.models  # noqa: F401 - registers every table on SQLModel.metadata
from app.config import get_settings
from app.db import create_engine
from app.models.base import Money, UTCDateTime
from app.services.audit_partitions import is_partition

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def database_url() -> str:
    url = config.attributes.get("database_url") or get_settings().database_url
    return str(url)


def render_item(type_: str, obj: Any, _autogen_context: Any) -> str | bool:
    """Migrations name plain SQLAlchemy types only, so they never import the app or sqlmodel."""
    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, Money):
        return "sa.BigInteger()"  # whole tyiyn (app/models/base.py::Money)
    if isinstance(obj, sa.Enum) and not obj.native_enum:
        return f"sa.String(length={obj.length})"  # enumerations are VARCHARs (models/base.py)
    if isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})"
    if isinstance(obj, sa.JSON):
        return 'sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")'
    return False


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    """The audit trail's monthly partitions are made by the app, not declared as models."""
    return not (type_ == "table" and name is not None and is_partition(name))


def configure(connection: Connection | None = None, **kwargs: Any) -> None:
    is_sqlite = (connection.dialect.name if connection else database_url()).startswith("sqlite")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=is_sqlite,  # SQLite cannot ALTER a column: rebuild the table
        render_item=render_item,
        compare_type=True,
        include_name=include_name,
        **kwargs,
    )


def run_migrations_offline() -> None:
    configure(url=database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    configure(connection)
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            _check_foreign_keys(connection)


def _sqlite_foreign_keys_off(engine: AsyncEngine) -> None:
    """SQLite alters a table by rebuilding it (batch mode): with foreign keys enforced, dropping
    the old table would refuse (or cascade to) the rows that point at it. They are off while
    migrating, and checked before the migration commits."""

    @event.listens_for(engine.sync_engine, "connect")
    def _off(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.close()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")


async def run_async_migrations() -> None:
    engine = create_engine(database_url())
    if engine.dialect.name == "sqlite":
        _sqlite_foreign_keys_off(engine)
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_async_migrations())
