"""Reading the facts the domain's rules look at, so that each service asks them the same way."""

from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import Role
from app.domain.casework import AssessmentKind, AssessmentStatus
from app.domain.consent import ConsentFacts
from app.domain.errors import InvalidValue
from app.domain.pathway import AssessmentFacts
from app.domain.vocabulary import OrganisationKind, VictimStatus
from app.models import Assessment, Consent, Organisation, Victim
from app.security import Principal
from app.services.scope import visible_victims


async def consents_of(session: AsyncSession, victim_id: UUID) -> tuple[ConsentFacts, ...]:
    rows = (await session.exec(select(Consent).where(Consent.victim_id == victim_id))).all()
    return tuple(consent_facts(c) for c in rows)


def consent_facts(consent: Consent) -> ConsentFacts:
    return ConsentFacts(consent.purpose, consent.recipient_organisation_id, consent.withdrawn_at)


async def assessment_facts(session: AsyncSession, assessment: Assessment) -> AssessmentFacts:
    author_org = await session.get(Organisation, assessment.organisation_id)
    by_directorate = (
        assessment.author_role is Role.SOCIAL_WORKER
        and author_org is not None
        and author_org.kind is OrganisationKind.STATE_AGENCY
    )
    return AssessmentFacts(assessment.victim_id, assessment.kind, assessment.status, by_directorate)


async def has_completed(session: AsyncSession, victim_id: UUID, kind: AssessmentKind) -> bool:
    query = select(Assessment.id).where(
        Assessment.victim_id == victim_id,
        Assessment.kind == kind,
        Assessment.status == AssessmentStatus.COMPLETED,
    )
    return (await session.exec(query)).first() is not None


async def visible_victim(
    session: AsyncSession, principal: Principal, victim_id: UUID, field: str = "victim_id"
) -> Victim:
    """A person named in a request body: one the caller may not see is as unknown as one that
    does not exist (422 either way, and the same words)."""
    query = select(Victim).where(col(Victim.id) == victim_id, visible_victims(principal))
    victim = (await session.exec(query)).first()
    if victim is None or victim.status is VictimStatus.ERASED:
        raise InvalidValue(field, "No person with this id is known to you.")
    return victim
