"""Assessments: who may record which kind, the 20-day clock of the individual needs
assessment, and completion (late work is recorded, never refused)."""

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import completes_assessment, may_author
from app.domain.casework import ASSESSMENT_STEPS, AssessmentKind
from app.domain.dates import check_not_future
from app.domain.errors import InvalidValue
from app.domain.pathway import check_ina_issuer, check_initial_contact_made, late_by_days
from app.domain.rulebook import Rulebook
from app.domain.states import advance
from app.errors import Conflict, Forbidden
from app.models import Assessment, Organisation, Referral, Victim
from app.schemas.assessments import AssessmentComplete, AssessmentCreate, findings_fit
from app.security import Principal
from app.services import alerts, facts, records
from app.services.audit import AuditAction
from app.services.pagination import PageParams


async def list_visible(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    victim_id: UUID | None,
    kind: AssessmentKind | None,
) -> tuple[Sequence[Assessment], str | None]:
    filters = []
    if victim_id is not None:
        filters.append(col(Assessment.victim_id) == victim_id)
    if kind is not None:
        filters.append(col(Assessment.kind) == kind)
    return await records.page_visible(session, principal, Assessment, page, *filters)


async def create(
    session: AsyncSession,
    principal: Principal,
    data: AssessmentCreate,
    today: date,
    rulebook: Rulebook,
) -> Assessment:
    victim = await facts.visible_victim(session, principal, data.victim_id)
    organisation = await session.get_one(Organisation, principal.organisation)
    check_author(principal, data.kind, organisation)  # a 403 before the referral is looked up
    due_on = await due_on_of(session, principal, data, victim.id)
    assessment = build(principal, victim, organisation, data, due_on, today, rulebook)
    session.add(assessment)
    await session.flush()
    records.audit_change(session, principal, assessment, AuditAction.CREATE)
    return assessment


async def complete(
    session: AsyncSession,
    principal: Principal,
    assessment: Assessment,
    data: AssessmentComplete,
    today: date,
    now: datetime,
) -> Assessment:
    """SOP-INDIVIDUAL-20D: a late assessment is completed all the same, with its days late."""
    allowed = completes_assessment(
        principal.role, assessment.kind, principal.organisation_id, assessment.organisation_id
    )
    if not allowed:
        raise Forbidden("The organisation and profession that made the assessment complete it.")
    next_status = advance(ASSESSMENT_STEPS, "assessment", assessment.status, "complete")
    await facts.ensure_in_work(session, assessment.victim_id, "complete an assessment")
    performed_on = data.performed_on or assessment.performed_on
    if performed_on is None:
        raise InvalidValue("performed_on", "Say when the assessment was done.")
    check_not_future("performed_on", performed_on, today)
    if not findings_fit(assessment.kind, data.findings):
        raise InvalidValue(
            "findings", f"These are not the findings of a {assessment.kind} assessment."
        )
    if data.findings is None and assessment.findings is None:
        raise InvalidValue("findings", "A completed assessment has its findings.")
    if data.findings is not None:
        assessment.findings = data.findings.model_dump(mode="json")
    assessment.performed_on = performed_on
    assessment.late_by_days = late_by_days(assessment.due_on, performed_on)
    assessment.completed_at = now
    await records.save_step(session, principal, assessment, next_status)
    await alerts.raise_if_needed(session, principal, assessment, today)
    return assessment


def build(
    principal: Principal,
    victim: Victim,
    organisation: Organisation,
    data: AssessmentCreate,
    due_on: date | None,
    today: date,
    rulebook: Rulebook,
) -> Assessment:
    """A new assessment by the caller of their ``organisation``, checked, not yet stored
    (``create``, and an import's rows)."""
    check_author(principal, data.kind, organisation)
    check_not_future("performed_on", data.performed_on, today)
    return Assessment(
        victim_id=victim.id,
        kind=data.kind,
        referral_id=data.referral_id,
        organisation_id=organisation.id,
        author_id=principal.actor_id,
        author_role=principal.role,
        performed_on=data.performed_on,
        due_on=due_on,
        findings=data.findings.model_dump(mode="json") if data.findings else None,
        rulebook_version=rulebook.version,
    )


def check_author(principal: Principal, kind: AssessmentKind, organisation: Organisation) -> None:
    """Who records which kind of assessment, at which kind of organisation."""
    if not may_author(principal.role, kind):
        raise Forbidden(f"A {principal.role} does not record {kind.value} assessments.")
    check_ina_issuer(kind, organisation.kind)


async def due_on_of(
    session: AsyncSession, principal: Principal, data: AssessmentCreate, victim_id: UUID
) -> date | None:
    """SOP-INDIVIDUAL-20D: the individual needs assessment's due day, from the referral it
    names; no other kind names one."""
    if data.kind is AssessmentKind.INDIVIDUAL_NEEDS:
        return await _individual_clock(session, principal, data.referral_id, victim_id)
    if data.referral_id is not None:
        raise InvalidValue("referral_id", "Only an individual needs assessment names a referral.")
    return None


async def _individual_clock(
    session: AsyncSession,
    principal: Principal,
    referral_id: UUID | None,
    victim_id: UUID,
) -> date:
    """SOP-INDIVIDUAL-20D: due 20 days after the initial contact at the service."""
    if referral_id is None:
        raise InvalidValue("referral_id", "An individual needs assessment names its referral.")
    referral = await session.get(Referral, referral_id)
    if (
        referral is None
        or referral.victim_id != victim_id
        or referral.to_organisation_id != principal.organisation_id
    ):
        raise InvalidValue("referral_id", "Not a referral of this person to your organisation.")
    due_on = check_initial_contact_made(referral.status, referral.individual_assessment_due_on)
    taken = select(Assessment.id).where(
        Assessment.referral_id == referral.id, Assessment.kind == AssessmentKind.INDIVIDUAL_NEEDS
    )
    if (await session.exec(taken)).first() is not None:
        raise Conflict("This referral has its individual needs assessment already.")
    return due_on
