"""Follow-up contacts (SOP-FOLLOW-UP, MAN-EXIT): arranged when the person leaves a service, the
shelter or the case, recorded when they happen."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import keeps_record
from app.domain.casework import FOLLOW_UP_STEPS, FollowUpStatus, FollowUpTrigger
from app.domain.dates import check_not_future
from app.domain.pathway import follow_up_due
from app.domain.rulebook import Rulebook
from app.domain.states import advance
from app.errors import Forbidden
from app.models import FollowUpContact
from app.schemas.follow_up_contacts import FollowUpRecord
from app.security import Principal
from app.services import records
from app.services.audit import AuditAction
from app.services.pagination import PageParams


@dataclass(frozen=True)
class Exit:
    """MAN-EXIT: the person left something on ``left_on``; ``keeper`` follows up."""

    victim_id: UUID
    keeper: UUID
    left_on: date
    trigger: FollowUpTrigger
    agreement_id: UUID | None = None
    referral_id: UUID | None = None
    stay_id: UUID | None = None
    closure_id: UUID | None = None
    return_id: UUID | None = None


async def schedule(
    session: AsyncSession, principal: Principal, left: Exit, rulebook: Rulebook
) -> FollowUpContact:
    """SOP-FOLLOW-UP: the follow-up contact falls due the set period after the exit."""
    follow_up = FollowUpContact(
        victim_id=left.victim_id,
        organisation_id=left.keeper,
        trigger=left.trigger,
        agreement_id=left.agreement_id,
        referral_id=left.referral_id,
        stay_id=left.stay_id,
        closure_id=left.closure_id,
        return_id=left.return_id,
        due_on=follow_up_due(left.left_on, rulebook),
        rulebook_version=rulebook.version,
    )
    session.add(follow_up)
    await session.flush()
    records.audit_change(session, principal, follow_up, AuditAction.CREATE)
    return follow_up


async def record(
    session: AsyncSession,
    principal: Principal,
    follow_up: FollowUpContact,
    data: FollowUpRecord,
    today: date,
) -> FollowUpContact:
    if not keeps_record(principal.organisation_id, follow_up.organisation_id):
        raise Forbidden("The organisation that arranged the follow-up contact records it.")
    next_status = advance(FOLLOW_UP_STEPS, "follow-up contact", follow_up.status, "record")
    check_not_future("done_on", data.done_on, today)
    follow_up.done_on, follow_up.channel, follow_up.outcome = (
        data.done_on,
        data.channel,
        data.outcome,
    )
    return await records.save_step(session, principal, follow_up, next_status)


async def list_visible(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    victim_id: UUID | None,
    status: FollowUpStatus | None,
) -> tuple[Sequence[FollowUpContact], str | None]:
    filters = []
    if victim_id is not None:
        filters.append(col(FollowUpContact.victim_id) == victim_id)
    if status is not None:
        filters.append(col(FollowUpContact.status) == status)
    return await records.page_visible(session, principal, FollowUpContact, page, *filters)
