"""Personal data declared once (app/models/personal_data.py): every column of every table has a
class, and erasure removes every value of an erased class of the person from every table that
holds their data. A new column without a class, or a personal one erasure misses, fails here."""

import itertools
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi import FastAPI
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, select
from sqlmodel import SQLModel

from app.domain.access import Action, can
from app.domain.privacy import ERASED, READERS, DataClass
from app.domain.roles import Role
from app.models import Victim
from app.models.base import Money, UTCDateTime
from app.models.personal_data import (
    DELETED_ON_ERASURE,
    KEPT_ON_ERASURE,
    PERSON_LINKS,
    PERSONAL_DATA,
    data_class,
)
from app.presenters import WITHHELD_BY_VALUE
from app.security import SYSTEM
from app.services import erasure, possible_duplicates
from app.services.exports import SECTIONS, PersonFile


def unclassified(metadata: MetaData, registry: Mapping[str, Mapping[str, DataClass]]) -> set[str]:
    """``table.column`` of every column the registry does not classify, and every stale entry."""
    columns = {f"{t.name}.{c.name}" for t in metadata.sorted_tables for c in t.columns}
    declared = {f"{table}.{name}" for table, names in registry.items() for name in names}
    return columns ^ declared


def test_every_column_of_every_table_has_a_class() -> None:
    assert unclassified(SQLModel.metadata, PERSONAL_DATA) == set()


_HEALTH = DataClass.HEALTH


def test_a_column_without_a_class_is_found() -> None:
    metadata = MetaData()
    Table("t", metadata, Column("id", Integer, primary_key=True), Column("nickname", String))
    assert unclassified(metadata, {"t": {"id": DataClass.NOT_PERSONAL}}) == {"t.nickname"}


def restricted(registry: Mapping[str, Mapping[str, DataClass]]) -> set[tuple[str, str]]:
    """Columns of a class that only some roles read (HEALTH, HIV, PSYCHOLOGICAL)."""
    return {
        (table, column)
        for table, columns in registry.items()
        for column, cls in columns.items()
        if cls in READERS
    }


def withheld(registry: Mapping[str, Mapping[str, DataClass]]) -> set[tuple[str, str]]:
    """What the API withholds from other roles: the presenters' columns, and the health record's
    other columns, which only the roles that read health data reach (its route's permission)."""
    behind_the_route = {("health_records", c) for c in registry.get("health_records", {})}
    return set(WITHHELD_BY_VALUE) | behind_the_route


def test_every_column_only_some_roles_read_is_withheld_from_the_others() -> None:
    assert restricted(PERSONAL_DATA) <= withheld(PERSONAL_DATA)


def test_a_restricted_column_nobody_withholds_is_found() -> None:
    registry = {
        **PERSONAL_DATA,
        "care_plans": {**PERSONAL_DATA["care_plans"], "diagnosis": _HEALTH},
    }
    assert restricted(registry) - withheld(registry) == {("care_plans", "diagnosis")}


def test_the_health_record_is_reached_by_the_roles_that_read_health_data_only() -> None:
    reaching = {role for role in Role if can(role, Action.HEALTH_RECORD)}
    assert reaching == READERS[DataClass.HEALTH]


def test_every_table_with_personal_values_is_linked_to_its_person_or_kept_on_purpose() -> None:
    holding = {t for t, names in PERSONAL_DATA.items() if set(names.values()) & ERASED}
    staff_only = {"users", "login_failures", "shelters"}  # staff accounts, a shelter's address
    linked = set(PERSON_LINKS) | DELETED_ON_ERASURE | KEPT_ON_ERASURE
    assert holding - linked == staff_only


# --- every table seeded for one person, then erased --------------------------------------------

_count = itertools.count(1)


def _python_type(column: Column[Any]) -> type:
    kind = getattr(column.type, "impl", column.type)  # through TypeDecorators (SQLModel's str)
    return kind.python_type  # type: ignore[no-any-return]


def _plain(column: Column[Any]) -> Any:
    """A value for a column the seed does not care about."""
    kind = column.type
    enum_class = getattr(kind, "enum_class", None)
    if enum_class is not None:
        return next(iter(enum_class))
    if isinstance(kind, Money):
        return Decimal("1.00")
    if isinstance(kind, UTCDateTime):
        return datetime.now(UTC)
    if isinstance(kind, JSON):
        return []
    return {
        UUID: uuid4(),
        str: "x",
        int: 1,
        float: 0.5,
        bool: False,
        date: date(2026, 1, 2),
    }[_python_type(column)]


def _secret(column: Column[Any]) -> Any:
    """A value of the person's that erasure must take away, told apart from every other."""
    n = next(_count)
    kind = column.type
    enum_class = getattr(kind, "enum_class", None)
    if enum_class is not None:
        return list(enum_class)[-1]
    if isinstance(kind, JSON):
        return [f"SECRET-{n}"]
    return {
        str: f"SECRET-{n}",
        int: 7 + n,
        bool: True,
        date: date(1991, 7, 13),
    }[_python_type(column)]


def _seed_row(table: Table, ids: dict[str, Any], victim_id: UUID) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in table.columns:
        foreign = next(iter(column.foreign_keys), None)
        if foreign is not None and foreign.column.table is table:  # a successor: none yet
            row[column.name] = None
        elif foreign is not None:
            row[column.name] = ids[foreign.column.table.name]
        elif column.name == "id":
            row[column.name] = victim_id if table.name == "victims" else uuid4()
        elif data_class(table.name, column.name) in ERASED:
            row[column.name] = _secret(column)
        else:
            row[column.name] = _plain(column)
    if table.name == "idempotency_records":
        row["victim_ids"] = [str(victim_id)]
    return row


async def _seed(app: FastAPI, victim_id: UUID) -> dict[str, dict[str, Any]]:
    """One row in every table, all of them about the one person."""
    rows: dict[str, dict[str, Any]] = {}
    ids: dict[str, Any] = {}
    async with app.state.engine.begin() as connection:
        for table in SQLModel.metadata.sorted_tables:
            row = _seed_row(table, ids, victim_id)
            await connection.execute(table.insert().values(**row))
            rows[table.name] = row
            ids[table.name] = row.get("id")
    return rows


def _erased(table: str, seeded: Mapping[str, Any], found: Mapping[str, Any]) -> list[str]:
    """The person's values still there: each erased column must hold no seeded value."""
    return [
        f"{table}.{name}"
        for name, value in seeded.items()
        if data_class(table, name) in ERASED and found[name] == value
    ]


def _left(tables: Iterable[str], seeded: Mapping[str, Mapping[str, Any]], found: Any) -> list[str]:
    return [name for table in tables for name in _erased(table, seeded[table], found[table])]


@pytest.mark.commits  # the seed writes every table straight through the engine
async def test_erasure_leaves_no_personal_value_of_the_person_in_any_table(app: FastAPI) -> None:
    victim_id = uuid4()
    seeded = await _seed(app, victim_id)
    async with app.state.sessionmaker() as session:
        victim = await session.get_one(Victim, victim_id)
        await erasure.scrub(session, victim)
        await session.commit()

    found: dict[str, Mapping[str, Any]] = {}
    async with app.state.engine.connect() as connection:
        for name in (*PERSON_LINKS, *DELETED_ON_ERASURE):
            table = SQLModel.metadata.tables[name]
            rows = (await connection.execute(select(table))).mappings().all()
            if name in DELETED_ON_ERASURE:
                assert rows == [], f"{name} still holds the person's rows"
                continue
            (found[name],) = rows
    scrubbed = [t for t in PERSON_LINKS if t not in DELETED_ON_ERASURE]
    assert _left(scrubbed, seeded, found) == []
    # and what stays is what was done: the stay's dates, the consent's purpose
    assert found["shelter_stays"]["proposed_on"] == seeded["shelter_stays"]["proposed_on"]
    assert found["victims"]["birth_date"] == date(1991, 1, 1)  # the birth year, no more


@pytest.mark.parametrize("missed", ["referrals.exit_information", "victims.contact_phone"])
def test_the_check_finds_a_value_erasure_missed(missed: str) -> None:
    table, name = missed.split(".")
    seeded = {name: "SECRET-1"}
    assert _erased(table, seeded, {name: "SECRET-1"}) == [missed]
    assert _erased(table, seeded, {name: None}) == []


@pytest.mark.commits  # the seed writes every table straight through the engine
async def test_a_merge_leaves_no_row_of_any_table_naming_the_merged_person(app: FastAPI) -> None:
    """DATA-DUPLICATE: a row in every table, all about one person; merged into another record,
    no row names them any more (a new table that names a person is moved without a word)."""
    merged_id = uuid4()
    seeded = await _seed(app, merged_id)
    kept = Victim(**(seeded["victims"] | {"id": uuid4(), "registration_number": "VT-KEPT"}))
    async with app.state.sessionmaker() as session:
        session.add(kept)
        await session.commit()
        now = datetime.now(UTC)
        await possible_duplicates.merge(session, SYSTEM, merged_id, kept.id, now, now.date())
        await session.commit()
    async with app.state.engine.connect() as connection:
        for table, column in possible_duplicates.person_columns():
            left = select(table).where(table.c[column] == merged_id)
            assert (await connection.execute(left)).all() == [], f"{table.name}.{column}"
        for table, column in possible_duplicates.person_columns():
            if table.name not in ("victims",):
                moved = select(table).where(table.c[column] == kept.id)
                assert (await connection.execute(moved)).all(), f"{table.name}.{column}"


def test_the_export_shows_every_table_that_holds_the_persons_data() -> None:
    """ACCESS-OWN-RECORDS: a new table linked to a person is exported too, in a section the
    person's file has."""
    assert set(SECTIONS) == set(PERSON_LINKS)
    assert set(SECTIONS.values()) <= set(PersonFile.__dataclass_fields__)
