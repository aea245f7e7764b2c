"""Reintegration grants: drafted and submitted by the NGO's staff, approved or rejected by a
coordinator outside the author's organisation, disbursed by the coordinator. Every step is
audited; approved and disbursed grants are never edited."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import CaseScope, Role, case_scope, keeps_record
from app.domain.dates import check_in_order, check_not_future
from app.domain.errors import InvalidValue
from app.domain.grants import (
    COUNTED_GRANT_STATES,
    GRANT_STEPS,
    CheckedGrant,
    CountedGrant,
    GrantStatus,
    Line,
    PaidFor,
    TrainingTerm,
    agreement_number,
    check_four_eyes,
    check_grant,
    check_pays_something,
    check_period_ahead,
    check_person_ceilings,
    check_pink_at_shelter,
    check_what_lines_pay_for,
    next_instalment,
)
from app.domain.reintegration import TrainingStatus
from app.domain.rulebook import GrantForm, Rulebook
from app.domain.shelter import StayStatus
from app.domain.states import advance
from app.domain.vocabulary import OrganisationKind
from app.errors import Forbidden
from app.models import (
    GrantInstalment,
    GrantLine,
    IdentityDocument,
    Organisation,
    ReintegrationGrant,
    ShelterStay,
    Training,
    User,
    Victim,
)
from app.models.base import utcnow
from app.schemas.reintegration_grants import (
    GrantCreate,
    GrantDisbursement,
    GrantLineIn,
    GrantUpdate,
)
from app.security import Principal
from app.services import facts, micro_enterprises, records
from app.services.audit import AuditAction
from app.services.common import ensure_version, locked
from app.services.organisations import get_referenced
from app.services.pagination import PageParams


@dataclass(frozen=True)
class GrantFile:
    grant: ReintegrationGrant
    lines: Sequence[GrantLine]
    instalments: Sequence[GrantInstalment]


async def file_of(session: AsyncSession, grant: ReintegrationGrant) -> GrantFile:
    return (await files_of(session, [grant]))[0]


async def files_of(session: AsyncSession, grants: Sequence[ReintegrationGrant]) -> list[GrantFile]:
    """Grants with their lines and instalments, in two queries."""
    lines = await lines_by_grant(session, grants)
    paid: dict[UUID, list[GrantInstalment]] = {grant.id: [] for grant in grants}
    query = (
        select(GrantInstalment)
        .where(col(GrantInstalment.grant_id).in_(list(paid)))
        .order_by(col(GrantInstalment.id))
    )
    for instalment in (await session.exec(query)).all():
        paid[instalment.grant_id].append(instalment)
    return [GrantFile(g, lines[g.id], paid[g.id]) for g in grants]


async def lines_of(session: AsyncSession, grant: ReintegrationGrant) -> Sequence[GrantLine]:
    return (await lines_by_grant(session, [grant]))[grant.id]


async def lines_by_grant(
    session: AsyncSession, grants: Sequence[ReintegrationGrant]
) -> dict[UUID, list[GrantLine]]:
    """The lines of several grants in one query."""
    found: dict[UUID, list[GrantLine]] = {grant.id: [] for grant in grants}
    query = (
        select(GrantLine)
        .where(col(GrantLine.grant_id).in_(list(found)))
        .order_by(col(GrantLine.grant_id), col(GrantLine.position))
    )
    for line in (await session.exec(query)).all():
        found[line.grant_id].append(line)
    return found


async def list_visible(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    status: GrantStatus | None,
    victim_id: UUID | None,
) -> tuple[Sequence[ReintegrationGrant], str | None]:
    filters = []
    if status is not None:
        filters.append(col(ReintegrationGrant.status) == status)
    if victim_id is not None:
        filters.append(col(ReintegrationGrant.victim_id) == victim_id)
    return await records.page_visible(session, principal, ReintegrationGrant, page, *filters)


async def create(
    session: AsyncSession,
    principal: Principal,
    data: GrantCreate,
    rulebook: Rulebook,
    today: date,
) -> ReintegrationGrant:
    """Drafted by the NGO's own staff, or by a coordinator together with the NGO's shelter
    manager, for a person whose case they see; numbered per NGO and year."""
    victim = await facts.visible_victim(session, principal, data.victim_id)
    ngo = await get_referenced(session, data.ngo_organisation_id, "ngo_organisation_id")
    if ngo.kind is not OrganisationKind.NGO:
        raise InvalidValue("ngo_organisation_id", "A financial agreement is made with an NGO.")
    co_author = await _co_author(session, principal, ngo.id, data.drafted_with_user_id)
    check_period_ahead(data.period_end, today)
    checked = await _checked_for_person(
        session, None, victim.id, data.form, (data.period_start, data.period_end), data.lines,
        rulebook,
    )  # fmt: skip
    grant = ReintegrationGrant(
        victim_id=victim.id,
        form=data.form,
        ngo_organisation_id=ngo.id,
        period_start=data.period_start,
        period_end=data.period_end,
        total=checked.total,
        author_id=principal.actor_id,
        author_organisation_id=ngo.id if co_author else principal.organisation,
        co_author_id=co_author,
        mou_reference=data.mou_reference,
        representatives=data.representatives.model_dump() if data.representatives else None,
        rulebook_version=rulebook.version,
    )
    await _number(session, grant, ngo, today)
    session.add(grant)
    await session.flush()
    _add_lines(session, grant, checked)
    await session.flush()
    records.audit_change(session, principal, grant, AuditAction.CREATE)
    return grant


async def _co_author(
    session: AsyncSession, principal: Principal, ngo_id: UUID, drafted_with: UUID | None
) -> UUID | None:
    """The NGO's own staff draft alone; a coordinator drafts with the NGO's shelter manager."""
    if case_scope(principal.role) is not CaseScope.ALL:
        if not keeps_record(principal.organisation_id, ngo_id):
            raise Forbidden("The NGO's own staff draft its financial agreements.")
        if drafted_with is not None:
            raise InvalidValue("drafted_with_user_id", "Only a coordinator drafts with another.")
        return None
    manager = await session.get(User, drafted_with) if drafted_with else None
    if (
        manager is None
        or not manager.active
        or manager.role is not Role.SHELTER_MANAGER
        or manager.organisation_id != ngo_id
        or manager.confidentiality_signed_on is None  # MAN-STAFF-CONFIDENTIALITY
    ):
        raise InvalidValue(
            "drafted_with_user_id",
            "A coordinator drafts with a shelter manager of the NGO who signed the staff "
            "confidentiality agreement.",
        )
    return manager.id


async def _number(
    session: AsyncSession, grant: ReintegrationGrant, ngo: Organisation, today: date
) -> None:
    """The next number of the NGO's year; the NGO's row is locked while it is taken."""
    await locked(session, Organisation, ngo.id)
    last = select(func.max(ReintegrationGrant.number_seq)).where(
        col(ReintegrationGrant.ngo_organisation_id) == ngo.id,
        col(ReintegrationGrant.number_year) == today.year,
    )
    seq = ((await session.exec(last)).one() or 0) + 1
    grant.number_year, grant.number_seq = today.year, seq
    grant.number = agreement_number(grant.form, ngo.name, ngo.id, today.year, seq)


async def update(
    session: AsyncSession,
    principal: Principal,
    grant: ReintegrationGrant,
    changes: GrantUpdate,
    expected_version: int | None,
    rulebook: Rulebook,
) -> ReintegrationGrant:
    """A draft changes; approved and disbursed grants do not (GRANT_STEPS has no such edit)."""
    _drafters_only(principal, grant)
    # the person's row before the grant's, in the order a submission takes them (no deadlock)
    await facts.ensure_in_work(session, grant.victim_id, "edit a grant")
    grant = await _locked(session, grant)
    advance(GRANT_STEPS, "grant", grant.status, "edit")
    ensure_version(grant, expected_version)
    start = changes.period_start or grant.period_start
    end = changes.period_end or grant.period_end
    lines = changes.lines if changes.lines is not None else _inputs(await lines_of(session, grant))
    checked = await _checked_for_person(
        session, grant.id, grant.victim_id, grant.form, (start, end), lines, rulebook
    )
    await session.exec(delete(GrantLine).where(col(GrantLine.grant_id) == grant.id))
    grant.period_start, grant.period_end, grant.total = start, end, checked.total
    grant.rulebook_version = rulebook.version
    if changes.mou_reference is not None:
        grant.mou_reference = changes.mou_reference
    if changes.representatives is not None:
        grant.representatives = changes.representatives.model_dump()
    _add_lines(session, grant, checked)
    return await _save(session, principal, grant, grant.status, AuditAction.UPDATE)


async def submit(
    session: AsyncSession,
    principal: Principal,
    grant: ReintegrationGrant,
    now: datetime,
    rulebook: Rulebook,
) -> ReintegrationGrant:
    """Submitted as checked against the rulebook in force now and against the person's other
    grants. The person's row is locked first: two grants of one person submitted at once take
    their turn, and the later one counts the earlier (GRANT-CEILING)."""
    _drafters_only(principal, grant)
    await locked(session, Victim, grant.victim_id)
    grant = await _locked(session, grant)
    status = advance(GRANT_STEPS, "grant", grant.status, "submit")
    await facts.ensure_in_work(session, grant.victim_id, "submit a grant")
    lines = _inputs(await lines_of(session, grant))
    period = (grant.period_start, grant.period_end)
    checked = await _checked_for_person(
        session, grant.id, grant.victim_id, grant.form, period, lines, rulebook
    )
    check_pays_something(checked.total)
    check_period_ahead(grant.period_end, now.date())
    grant.submitted_at, grant.rulebook_version = now, rulebook.version
    return await _save(session, principal, grant, status, AuditAction.SUBMIT)


async def decide(
    session: AsyncSession,
    principal: Principal,
    grant: ReintegrationGrant,
    action: str,
    reason: str | None,
    now: datetime,
) -> ReintegrationGrant:
    """``approve`` or ``reject``: a coordinator who is not the author, from another
    organisation than the author's (GRANT-FOUR-EYES)."""
    grant = await _locked(session, grant)
    status = advance(GRANT_STEPS, "grant", grant.status, action)
    authors = {grant.author_id} | ({grant.co_author_id} if grant.co_author_id else set())
    check_four_eyes(
        principal.actor_id, authors, principal.organisation_id, grant.author_organisation_id
    )
    if action == "approve":  # what the lines pay for still holds: a training dropped meanwhile
        lines = [_as_line(line) for line in await lines_of(session, grant)]
        paid_for = await _paid_for(session, grant.victim_id)
        check_what_lines_pay_for(grant.period_start, grant.period_end, lines, paid_for)
    grant.decided_at, grant.decided_by, grant.decision_reason = now, principal.actor_id, reason
    audit_action = AuditAction.APPROVE if action == "approve" else AuditAction.REJECT
    return await _save(session, principal, grant, status, audit_action)


async def disburse(
    session: AsyncSession,
    principal: Principal,
    grant: ReintegrationGrant,
    data: GrantDisbursement,
    today: date,
    zone: ZoneInfo,
) -> ReintegrationGrant:
    """One instalment: on or after the approval and the instalment before, never over what is
    left of the total; the grant is ``disbursed`` once paid in full. Each one is audited."""
    grant = await _locked(session, grant)
    advance(GRANT_STEPS, "grant", grant.status, "disburse")
    check_not_future("disbursed_on", data.disbursed_on, today)
    approved_on = grant.decided_at.astimezone(zone).date() if grant.decided_at else None
    check_in_order(
        "disbursed_on", data.disbursed_on, approved_on, "A grant is disbursed after its approval."
    )
    paid = (await file_of(session, grant)).instalments
    last = max((i.disbursed_on for i in paid), default=None)
    check_in_order("disbursed_on", data.disbursed_on, last, "Instalments are paid in order.")
    so_far = sum((i.amount for i in paid), Decimal("0"))
    amount, in_full = next_instalment(grant.total, so_far, data.amount)
    session.add(
        GrantInstalment(
            grant_id=grant.id,
            amount=amount,
            disbursed_on=data.disbursed_on,
            recorded_by=principal.actor_id,
        )
    )
    status = GrantStatus.DISBURSED if in_full else grant.status
    grant.disbursed_on = data.disbursed_on if in_full else None
    return await _save(session, principal, grant, status, AuditAction.DISBURSE)


async def _locked(session: AsyncSession, grant: ReintegrationGrant) -> ReintegrationGrant:
    """The grant as it is now, locked: concurrent edits and decisions take their turn, and the
    later one sees the state the earlier one left (409, never a lost or mixed change)."""
    return await locked(session, ReintegrationGrant, grant.id)


async def _checked_for_person(
    session: AsyncSession,
    grant_id: UUID | None,
    victim_id: UUID,
    form: GrantForm,
    period: tuple[date, date],
    lines: Sequence[GrantLineIn],
    rulebook: Rulebook,
) -> CheckedGrant:
    """The grant's own rules, then the person's: a pink grant within a stay
    (GRANT-PINK-SHELTER), every ceiling counted with the person's other grants (GRANT-CEILING)."""
    start, end = period
    checked = _checked(form, start, end, lines, rulebook)
    check_pink_at_shelter(form, start, end, await _stays(session, victim_id))
    paid_for = await _paid_for(session, victim_id)
    check_what_lines_pay_for(start, end, [c.line for c in checked.lines], paid_for)
    others = await _counted(session, grant_id, victim_id, form)
    check_person_ceilings(form, start, end, [c.line for c in checked.lines], others, rulebook)
    return checked


_ATTENDED = frozenset({TrainingStatus.IN_PROGRESS, TrainingStatus.COMPLETED})
_COURSE = "vocational_training"


async def _paid_for(session: AsyncSession, victim_id: UUID) -> PaidFor:
    """The person's trainings, identity documents and micro-enterprises, which blue lines may
    pay for."""
    trainings = select(Training).where(col(Training.victim_id) == victim_id)
    documents = select(IdentityDocument.id).where(col(IdentityDocument.victim_id) == victim_id)
    terms = {
        t.id: TrainingTerm(t.status in _ATTENDED, t.starts_on, t.ends_on)
        for t in (await session.exec(trainings)).all()
    }
    return PaidFor(
        trainings=terms,
        documents=frozenset((await session.exec(documents)).all()),
        enterprises=await micro_enterprises.ready_for_equipment(session, victim_id),
    )


async def _stays(session: AsyncSession, victim_id: UUID) -> list[tuple[date, date | None]]:
    query = select(col(ShelterStay.admitted_on), col(ShelterStay.discharged_on)).where(
        col(ShelterStay.victim_id) == victim_id,
        col(ShelterStay.status).in_((StayStatus.ADMITTED, StayStatus.DISCHARGED)),
        col(ShelterStay.admitted_on).is_not(None),
    )
    return [
        (admitted, discharged) for admitted, discharged in await session.exec(query) if admitted
    ]


async def _counted(
    session: AsyncSession, grant_id: UUID | None, victim_id: UUID, form: GrantForm
) -> list[CountedGrant]:
    """The person's other grants of this form that count (submitted, approved, disbursed), with
    their lines' amounts: a person has a handful, and a course counts whenever it was paid."""
    query = select(ReintegrationGrant).where(
        col(ReintegrationGrant.victim_id) == victim_id,
        col(ReintegrationGrant.form) == form,
        col(ReintegrationGrant.status).in_(COUNTED_GRANT_STATES),
    )
    if grant_id is not None:
        query = query.where(col(ReintegrationGrant.id) != grant_id)
    grants = (await session.exec(query)).all()
    lines = await lines_by_grant(session, grants)
    return [counted_grant(g, lines[g.id]) for g in grants]


def counted_grant(grant: ReintegrationGrant, lines: Sequence[GrantLine]) -> CountedGrant:
    courses = {
        ln.training_id: ln.amount for ln in lines if ln.training_id and ln.category == _COURSE
    }
    return CountedGrant(
        grant.id,
        grant.period_start,
        grant.period_end,
        {ln.category: ln.amount for ln in lines},
        courses,
    )


def _checked(
    form: GrantForm,
    start: date,
    end: date,
    lines: Sequence[GrantLineIn],
    rulebook: Rulebook,
) -> CheckedGrant:
    return check_grant(form, start, end, [_as_line(line) for line in lines], rulebook)


def _as_line(line: GrantLineIn | GrantLine) -> Line:
    return Line(
        category=line.category,
        amount=line.amount,
        days=line.days,
        months=line.months,
        purpose=str(line.purpose) if line.purpose else None,
        justification=line.justification,
        training_id=line.training_id,
        identity_document_id=line.identity_document_id,
        micro_enterprise_id=line.micro_enterprise_id,
    )


def _inputs(stored: Sequence[GrantLine]) -> list[GrantLineIn]:
    return [
        GrantLineIn.model_validate(
            line.model_dump(exclude={"id", "grant_id", "position", "ceiling"})
        )
        for line in stored
    ]


def _add_lines(session: AsyncSession, grant: ReintegrationGrant, checked: CheckedGrant) -> None:
    session.add_all(
        GrantLine(
            grant_id=grant.id,
            position=position,
            category=item.line.category,
            amount=item.line.amount,
            ceiling=item.ceiling,
            days=item.line.days,
            months=item.line.months,
            purpose=item.line.purpose,
            justification=item.line.justification,
            training_id=item.line.training_id,
            identity_document_id=item.line.identity_document_id,
            micro_enterprise_id=item.line.micro_enterprise_id,
        )
        for position, item in enumerate(checked.lines)
    )


def _drafters_only(principal: Principal, grant: ReintegrationGrant) -> None:
    """The NGO's own staff, or the coordinator who drafted it with them."""
    if not keeps_record(principal.organisation_id, grant.ngo_organisation_id) and (
        principal.actor_id != grant.author_id
    ):
        raise Forbidden("The NGO's own staff draft and submit its financial agreements.")


async def _save(
    session: AsyncSession,
    principal: Principal,
    grant: ReintegrationGrant,
    status: GrantStatus,
    action: AuditAction,
) -> ReintegrationGrant:
    grant.updated_at = utcnow()  # every step is a new version, also when only lines changed
    return await records.save_step(session, principal, grant, status, action)
