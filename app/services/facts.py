"""Reading the facts the domain's rules look at, so that each service asks them the same way."""

from datetime import date, datetime
from uuid import UUID

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import Role
from app.domain.casework import AssessmentKind, AssessmentStatus
from app.domain.closure import check_in_work
from app.domain.consent import ConsentFacts
from app.domain.errors import InvalidValue
from app.domain.pathway import AssessmentFacts
from app.domain.shelter import StayStatus
from app.domain.vocabulary import OrganisationKind, VictimStatus
from app.models import Assessment, Consent, Organisation, ShelterStay, Victim
from app.security import Principal
from app.services.scope import visible_victims


async def consents_of(session: AsyncSession, victim_id: UUID) -> tuple[ConsentFacts, ...]:
    rows = (await session.exec(select(Consent).where(Consent.victim_id == victim_id))).all()
    return tuple(consent_facts(c) for c in rows)


def consent_facts(consent: Consent) -> ConsentFacts:
    return ConsentFacts(
        consent.purpose, consent.recipient_organisation_id, consent.withdrawn_at, consent.given_on
    )


async def assessment_facts(session: AsyncSession, assessment: Assessment) -> AssessmentFacts:
    author_org = await session.get(Organisation, assessment.organisation_id)
    by_directorate = (
        assessment.author_role is Role.SOCIAL_WORKER
        and author_org is not None
        and author_org.kind is OrganisationKind.STATE_AGENCY
    )
    return AssessmentFacts(
        assessment.victim_id,
        assessment.kind,
        assessment.status,
        by_directorate,
        assessment.organisation_id,
    )


async def has_completed(
    session: AsyncSession,
    victim_id: UUID,
    kind: AssessmentKind,
    *,
    by_organisation: UUID | None = None,
    by_day: date | None = None,
) -> bool:
    """A completed assessment of this kind (made by that organisation, done by that day)."""
    query = select(Assessment.id).where(
        Assessment.victim_id == victim_id,
        Assessment.kind == kind,
        Assessment.status == AssessmentStatus.COMPLETED,
    )
    if by_organisation is not None:
        query = query.where(Assessment.organisation_id == by_organisation)
    if by_day is not None:
        query = query.where(col(Assessment.performed_on) <= by_day)
    return (await session.exec(query)).first() is not None


async def ensure_in_work(session: AsyncSession, victim_id: UUID, action: str) -> None:
    """MAN-CASE-CLOSE: a closed case's records are not changed (409, until it is reopened). The
    person's row is share-locked, as for a new record, so that a closure running meanwhile
    either waits for this change or is seen by it."""
    query = (
        select(Victim.status).where(Victim.id == victim_id).with_for_update(read=True, of=Victim)
    )
    check_in_work(VictimStatus((await session.exec(query)).one()), action)


async def visible_victim(
    session: AsyncSession, principal: Principal, victim_id: UUID, field: str = "victim_id"
) -> Victim:
    """A person named in the body of a new record: one the caller may not see is as unknown as
    one that does not exist (422 either way, and the same words); a closed case takes no new
    records (MAN-CASE-CLOSE). The row is share-locked (PostgreSQL) so that a closure waits for
    this record, then sees it as open work."""
    query = (
        select(Victim)
        .where(col(Victim.id) == victim_id, visible_victims(principal))
        .with_for_update(read=True, of=Victim)
        .execution_options(populate_existing=True)
    )
    victim = (await session.exec(query)).first()
    if victim is None or victim.status is VictimStatus.ERASED:
        raise InvalidValue(field, "No person with this id is known to you.")
    check_in_work(victim.status, "add records")
    return victim


async def resident_on(
    session: AsyncSession,
    principal: Principal,
    shelter_id: UUID,
    victim_id: UUID,
    at: datetime,
    field: str = "victim_id",
) -> Victim:
    """A person the caller sees, who lived at this shelter on the day of ``at`` (a visit to
    them, an incident that concerns them)."""
    victim = await visible_victim(session, principal, victim_id, field)
    day = at.date()
    stayed = select(ShelterStay.id).where(
        col(ShelterStay.victim_id) == victim_id,
        col(ShelterStay.shelter_id) == shelter_id,
        col(ShelterStay.status).in_((StayStatus.ADMITTED, StayStatus.DISCHARGED)),
        col(ShelterStay.admitted_on) <= day,
        or_(col(ShelterStay.discharged_on).is_(None), col(ShelterStay.discharged_on) >= day),
    )
    if (await session.exec(stayed)).first() is None:
        raise InvalidValue(field, "This person did not live at this shelter on that day.")
    return victim
