"""Persons assisted: their record, registration and health-insurance situation."""

import secrets
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.closure import check_in_work
from app.domain.dates import check_in_order, check_not_future
from app.domain.insurance import InsuranceFacts, InsuranceSituation, insurance_situation
from app.domain.registration import REGISTRATION_BITS, registration_number
from app.domain.rulebook import Rulebook
from app.domain.vocabulary import VictimStatus
from app.errors import Merged, NotFound
from app.models import Victim
from app.schemas.victims import VictimCreate, VictimUpdate
from app.security import Principal
from app.services import audit, caseload, possible_duplicates
from app.services.audit import AuditAction
from app.services.common import apply_changes, ensure_version
from app.services.pagination import PageParams, decode_cursor, fetch_page
from app.services.scope import on_visible_page, visible_victims

_DATED_FIELDS = ("birth_date", "identified_on", "returned_on", "departed_on")
_MATCHED_FIELDS = {"given_name", "family_name", "birth_date"}  # what the matching keys are of


async def get_visible(session: AsyncSession, principal: Principal, victim_id: UUID) -> Victim:
    """The person, if the caller sees them; a record merged into another of the same person
    answers with the other's id (DATA-DUPLICATE), to those who saw it."""
    query = select(Victim).where(Victim.id == victim_id, visible_victims(principal, merged=True))
    victim = (await session.exec(query)).first()
    if victim is None:
        raise NotFound("No such person.")
    if victim.status is VictimStatus.MERGED:
        kept = select(Victim.id).where(
            Victim.id == victim.merged_into_id, visible_victims(principal)
        )
        if (await session.exec(kept)).first() is None:
            raise NotFound("No such person.")  # nor is the record it went into the caller's
        raise Merged(victim.id, victim.merged_into_id)
    return victim


async def list_visible(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    status: VictimStatus | None,
    registration: str | None,
) -> tuple[Sequence[Victim], str | None]:
    conditions = []
    if status is not None:
        conditions.append(col(Victim.status) == status)
    if registration is not None:
        conditions.append(col(Victim.registration_number) == registration)
    before = decode_cursor(page.cursor) if page.cursor is not None else None
    on_page = on_visible_page(principal, conditions, before, page.limit + 1)
    query = select(Victim).where(on_page, *conditions)
    victims, cursor = await fetch_page(session, query, Victim.id, page)
    audit.record_reads(session, principal, "victim", [(v.id, v.id) for v in victims])
    return victims, cursor


def read(session: AsyncSession, principal: Principal, victim: Victim) -> Victim:
    audit.record(session, principal, AuditAction.READ, "victim", victim.id, victim_id=victim.id)
    return victim


async def create(
    session: AsyncSession, principal: Principal, data: VictimCreate, today: date
) -> Victim:
    """The case belongs to the caller's organisation; the registration number is the server's."""
    (number,) = await free_registration_numbers(session, 1)
    victim = build(principal, data, today, number)
    session.add(victim)
    await session.flush()
    caseload.hold_new_case(session, principal, victim, today)
    audit.record(session, principal, AuditAction.CREATE, "victim", victim.id, victim_id=victim.id)
    await possible_duplicates.find_for(session, victim, today, new=True)
    return victim


async def update(
    session: AsyncSession,
    principal: Principal,
    victim: Victim,
    changes: VictimUpdate,
    expected_version: int | None,
    today: date,
) -> Victim:
    check_in_work(victim.status, "update")
    ensure_version(victim, expected_version)
    _check_dates(changes.model_dump(exclude_unset=True), today, victim)
    changed = apply_changes(victim, changes)
    session.add(victim)
    await session.flush()
    audit.record(session, principal, AuditAction.UPDATE, "victim", victim.id, victim_id=victim.id)
    if changed.keys() & _MATCHED_FIELDS:
        await possible_duplicates.find_for(session, victim, today)
    return victim


def _check_dates(values: dict[str, Any], today: date, current: Victim | None = None) -> None:
    for field in _DATED_FIELDS:
        check_not_future(field, values.get(field), today)
    born = values.get("birth_date", current.birth_date if current else None)
    found = values.get("identified_on", current.identified_on if current else None)
    if found is not None:
        check_in_order("identified_on", found, born, "A person is identified after their birth.")


def build(
    principal: Principal, data: VictimCreate, today: date, registration_number: str
) -> Victim:
    """A new person's record, checked, not yet stored (``create``, and an import's rows)."""
    _check_dates(data.model_dump(), today)
    return Victim(
        **data.model_dump(),
        registration_number=registration_number,
        organisation_id=principal.organisation,
    )


async def free_registration_numbers(session: AsyncSession, count: int) -> list[str]:
    """``count`` numbers no person has, looked up together: 50 random bits rarely collide, and
    the unique constraint guards the rest."""
    numbers: set[str] = set()
    for _ in range(5):
        wanted = count - len(numbers)
        drawn = {registration_number(secrets.randbits(REGISTRATION_BITS)) for _ in range(wanted)}
        query = select(Victim.registration_number).where(col(Victim.registration_number).in_(drawn))
        numbers |= drawn - set((await session.exec(query)).all())
        if len(numbers) == count:
            return list(numbers)
    raise RuntimeError("could not draw free registration numbers")


def health_insurance(
    session: AsyncSession, principal: Principal, victim: Victim, rulebook: Rulebook
) -> InsuranceSituation:
    """SOP-INSURANCE from the facts held on the person."""
    audit.record(
        session, principal, AuditAction.READ, "health_insurance", victim.id, victim_id=victim.id
    )
    facts = InsuranceFacts(
        departed_on=victim.departed_on,
        returned_on=victim.returned_on,
        contributions_unpaid=victim.health_contributions_unpaid,
        insured_months_since_return=victim.insured_months_since_return,
        eligible_for_social_benefits=victim.eligible_for_social_benefits,
    )
    return insurance_situation(facts, rulebook)
