"""Legal consultations (MAN-LEGAL-ADVICE): held by the legal counsellor with the psychologist's
prior approval; the person's decision is theirs and may change, by a new consultation, so the
history stays. The legal data is read by the legal counsellor, the psychologist and the
coordinator only (presenters.present_legal_consultation)."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import Role
from app.domain.dates import check_event_date
from app.domain.protection import PsychologistApproval, approval_given, check_legal_consultation
from app.models import LegalConsultation, User, Victim
from app.schemas.legal_consultations import LegalConsultationCreate, PsychologistApprovalGiven
from app.security import Principal
from app.services import audit, facts, records
from app.services.audit import AuditAction
from app.services.pagination import PageParams
from app.services.scope import visible_victims

RECORD_TYPE = "legal_consultation"


async def record(
    session: AsyncSession, principal: Principal, data: LegalConsultationCreate, today: date
) -> LegalConsultation:
    victim = await facts.visible_victim(session, principal, data.victim_id)
    with audit.refusals_recorded(session, principal, RECORD_TYPE, victim.id):
        check_event_date("held_on", data.held_on, today, victim.identified_on)
        given = approval_given(data.psychologist_approval)
        approval = await _approval(session, given, victim)
        check_legal_consultation(approval, data.held_on, data.options_explained)
    consultation = LegalConsultation(
        **data.model_dump(exclude={"psychologist_approval", "options_explained"}),
        options_explained=sorted(data.options_explained),
        organisation_id=principal.organisation,
        counsellor_id=principal.actor_id,
        approved_by=given.by_user_id,
        approved_on=given.on,
    )
    session.add(consultation)
    await session.flush()
    records.audit_change(session, principal, consultation, AuditAction.CREATE)
    return consultation


async def _approval(
    session: AsyncSession, given: PsychologistApprovalGiven, victim: Victim
) -> PsychologistApproval:
    """The approval as the directory knows its author now: an active psychologist of an
    organisation that sees the person's case, whose confidentiality agreement is recorded."""
    approver = await session.get(User, given.by_user_id)
    psychologist = approver is not None and approver.active and approver.role is Role.PSYCHOLOGIST
    sees_case = False
    if approver is not None and psychologist:
        as_approver = Principal("user", approver.id, approver.role, approver.organisation_id, None)
        seen = select(Victim.id).where(col(Victim.id) == victim.id, visible_victims(as_approver))
        sees_case = (await session.exec(seen)).first() is not None
    signed = approver is not None and approver.confidentiality_signed_on is not None
    return PsychologistApproval(psychologist, sees_case, signed, given.on)


async def list_visible(
    session: AsyncSession, principal: Principal, page: PageParams, victim_id: UUID | None
) -> tuple[Sequence[LegalConsultation], str | None]:
    filters = [] if victim_id is None else [col(LegalConsultation.victim_id) == victim_id]
    return await records.page_visible(session, principal, LegalConsultation, page, *filters)
