"""Shelter stays: proposed by the shelter's staff, admitted by the coordinator within capacity,
discharged with a monitoring date, reported on six months later."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import keeps_record
from app.domain.care import check_exit_information
from app.domain.casework import AssessmentKind, FollowUpTrigger
from app.domain.dates import check_event_date, check_in_order, check_not_future
from app.domain.documents import DocumentKind
from app.domain.errors import InvalidValue
from app.domain.rulebook import Rulebook
from app.domain.shelter import (
    OPEN_STAY_STATES,
    STAY_STEPS,
    AlreadyInShelter,
    Resident,
    StayStatus,
    check_admission_documents,
    check_eligibility,
    check_file_kept,
    check_free_place,
    check_monitoring_due,
    check_one_stay,
    check_pocket_money,
    check_primary_interview,
    medical_exam_due,
    monitoring_due,
)
from app.domain.states import advance
from app.errors import Conflict, Forbidden
from app.models import MonitoringReport, Shelter, ShelterStay, Victim
from app.schemas.shelter_stays import (
    MonitoringReached,
    MonitoringUnreachable,
    StayCreate,
    StayDischarge,
    StayUpdate,
)
from app.security import Principal
from app.services import documents, facts, follow_up_contacts, records, shelters
from app.services.audit import AuditAction
from app.services.common import ensure_version, locked
from app.services.follow_up_contacts import Exit
from app.services.organisations import get_referenced
from app.services.pagination import PageParams


async def list_visible(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    shelter_id: UUID | None,
    status: StayStatus | None,
    victim_id: UUID | None,
) -> tuple[Sequence[ShelterStay], str | None]:
    filters = []
    if shelter_id is not None:
        filters.append(col(ShelterStay.shelter_id) == shelter_id)
    if status is not None:
        filters.append(col(ShelterStay.status) == status)
    if victim_id is not None:
        filters.append(col(ShelterStay.victim_id) == victim_id)
    return await records.page_visible(session, principal, ShelterStay, page, *filters)


async def propose(
    session: AsyncSession, principal: Principal, data: StayCreate, today: date, rulebook: Rulebook
) -> ShelterStay:
    victim = await facts.visible_victim(session, principal, data.victim_id)
    shelter = await referenced_shelter(session, data.shelter_id)
    stay = build(
        principal, victim, shelter, data, await _open_stays(session, victim.id), today, rulebook
    )
    try:
        async with session.begin_nested():  # the unique index settles a race (MAN-ONE-STAY)
            session.add(stay)
    except IntegrityError as exc:
        raise AlreadyInShelter("The person has an open shelter stay already.") from exc
    records.audit_change(session, principal, stay, AuditAction.CREATE)
    return stay


async def referenced_shelter(session: AsyncSession, shelter_id: UUID) -> Shelter:
    """The shelter a new stay names: unknown is a validation error, not a 404."""
    shelter = await session.get(Shelter, shelter_id)
    if shelter is None:
        raise InvalidValue("shelter_id", "No shelter has this id.")
    return shelter


def build(
    principal: Principal,
    victim: Victim,
    shelter: Shelter,
    data: StayCreate,
    open_stays: int,
    today: date,
    rulebook: Rulebook,
) -> ShelterStay:
    """A proposed stay, checked against the person's ``open_stays`` and the shelter's rules,
    not yet stored (``propose``, and an import's rows)."""
    _shelter_staff_only(principal, shelter)
    proposed_on = data.proposed_on or today
    check_event_date("proposed_on", proposed_on, today, victim.identified_on)
    _check_signatures(data.model_dump(), today)
    check_one_stay(open_stays)
    check_pocket_money(data.pocket_money_per_day, rulebook)
    resident = _resident(victim, data.exceptional_justification)
    check_eligibility(shelter.kind, resident, proposed_on, rulebook)
    return ShelterStay(
        **data.model_dump(exclude={"proposed_on"}),
        proposed_on=proposed_on,
        proposed_by=principal.actor_id,
        rulebook_version=rulebook.version,
    )


async def update(
    session: AsyncSession,
    principal: Principal,
    stay: ShelterStay,
    changes: StayUpdate,
    expected_version: int | None,
    today: date,
    rulebook: Rulebook,
) -> ShelterStay:
    """Signatures, justification and pocket money, before and during the stay."""
    await _staff_step(session, principal, stay, "update")
    ensure_version(stay, expected_version)
    sent = changes.model_dump(exclude_unset=True)
    check_file_kept(stay.status, {field for field, value in sent.items() if value is None})
    _check_signatures(sent, today)
    if changes.pocket_money_per_day is not None:
        check_pocket_money(changes.pocket_money_per_day, rulebook)
    for field, value in sent.items():
        setattr(stay, field, value)
    return await records.save_step(session, principal, stay, stay.status)


async def admit(
    session: AsyncSession,
    principal: Principal,
    stay: ShelterStay,
    admitted_on: date | None,
    today: date,
    rulebook: Rulebook,
) -> ShelterStay:
    """MAN-ADMISSION-AGREED: the coordinator admits, with the signed documents and after the
    shelter staff's primary interview, an eligible person, into a free place. The shelter's
    row is locked while the places are counted, so concurrent admissions take their turn and
    never overfill it (MAN-CAPACITY)."""
    shelter = await shelters.lock(session, stay.shelter_id)
    stay = await locked(session, ShelterStay, stay.id)  # as it is now that admissions here wait
    next_status = advance(STAY_STEPS, "shelter stay", stay.status, "admit")
    admitted_on = admitted_on or today
    check_not_future("admitted_on", admitted_on, today)
    check_in_order(
        "admitted_on", admitted_on, stay.proposed_on, "Admission comes after the proposal."
    )
    forms = await documents.admission_forms(session, stay.id)
    check_admission_documents(
        stay.rules_signed_on is not None or DocumentKind.SHELTER_RULES in forms,
        stay.rights_signed_on is not None or DocumentKind.RESIDENTS_RIGHTS in forms,
    )
    interviewed = await facts.has_completed(
        session,
        stay.victim_id,
        AssessmentKind.PRIMARY_INTERVIEW,
        by_organisation=shelter.organisation_id,
        by_day=admitted_on,
    )
    check_primary_interview(interviewed)
    victim = await session.get_one(Victim, stay.victim_id)
    resident = _resident(victim, stay.exceptional_justification)
    check_eligibility(shelter.kind, resident, admitted_on, rulebook)
    check_free_place(await _admitted(session, shelter.id), shelter.capacity)
    stay.admitted_on, stay.admitted_by = admitted_on, principal.actor_id
    stay.medical_exam_due_on = medical_exam_due(admitted_on, rulebook)
    return await records.save_step(session, principal, stay, next_status)


async def discharge(
    session: AsyncSession,
    principal: Principal,
    stay: ShelterStay,
    data: StayDischarge,
    today: date,
    rulebook: Rulebook,
) -> ShelterStay:
    """Discharge with date, reason, handover and the information given to the person
    (MAN-EXIT): the shelter follows up (SOP-FOLLOW-UP), monitoring falls due six months on."""
    next_status = await _staff_step(session, principal, stay, "discharge")
    check_not_future("discharged_on", data.discharged_on, today)
    check_in_order(
        "discharged_on", data.discharged_on, stay.admitted_on, "Discharge comes after admission."
    )
    check_exit_information(data.exit_information)
    if data.handover_organisation_id is not None:
        await get_referenced(session, data.handover_organisation_id, "handover_organisation_id")
    stay.discharged_on, stay.discharge_reason = data.discharged_on, data.reason
    stay.handover_organisation_id = data.handover_organisation_id
    stay.exit_information = data.exit_information
    stay.monitoring_due_on = monitoring_due(data.discharged_on, rulebook)
    shelter = await session.get_one(Shelter, stay.shelter_id)
    trigger = FollowUpTrigger.DISCHARGED
    left = Exit(
        stay.victim_id, shelter.organisation_id, data.discharged_on, trigger, stay_id=stay.id
    )
    await follow_up_contacts.schedule(session, principal, left, rulebook)
    return await records.save_step(session, principal, stay, next_status)


async def withdraw(session: AsyncSession, principal: Principal, stay: ShelterStay) -> ShelterStay:
    next_status = await _staff_step(session, principal, stay, "withdraw")
    return await records.save_step(session, principal, stay, next_status)


async def report_monitoring(
    session: AsyncSession,
    principal: Principal,
    stay: ShelterStay,
    data: MonitoringReached | MonitoringUnreachable,
    today: date,
) -> MonitoringReport:
    """MAN-MONITORING-6M: the Annex 7 report, once per stay, from six months after discharge;
    an unreachable person is recorded as such. A closed case takes it too: it is the case's
    follow-up (MAN-CASE-CLOSE)."""
    await _staff_step(session, principal, stay, "report")
    reported_on = data.reported_on or today
    check_not_future("reported_on", reported_on, today)
    if stay.monitoring_due_on is not None:
        check_monitoring_due(stay.monitoring_due_on, reported_on)
    if isinstance(data, MonitoringReached):
        check_not_future("last_meeting_on", data.last_meeting_on, today)
    taken = select(MonitoringReport.id).where(MonitoringReport.stay_id == stay.id)
    if (await session.exec(taken)).first() is not None:
        raise Conflict("This stay has its monitoring report already.")
    report = MonitoringReport(
        **data.model_dump(exclude={"reported_on"}),
        stay_id=stay.id,
        victim_id=stay.victim_id,
        reported_on=reported_on,
        author_id=principal.actor_id,
    )
    session.add(report)
    await session.flush()
    records.audit_change(session, principal, report, AuditAction.CREATE)
    return report


async def monitoring_report_of(
    session: AsyncSession, principal: Principal, stay: ShelterStay
) -> MonitoringReport | None:
    found = await session.exec(select(MonitoringReport).where(MonitoringReport.stay_id == stay.id))
    report = found.first()
    if report is not None:
        records.audit_read(session, principal, report)
    return report


def _check_signatures(values: dict[str, object], today: date) -> None:
    for field in ("rules_signed_on", "rights_signed_on"):
        day = values.get(field)
        check_not_future(field, day if isinstance(day, date) else None, today)


def _resident(victim: Victim, justification: str | None) -> Resident:
    return Resident(victim.sex, victim.birth_date, justification)


def _shelter_staff_only(principal: Principal, shelter: Shelter) -> None:
    if not keeps_record(principal.organisation_id, shelter.organisation_id):
        raise Forbidden("The staff of the organisation that runs the shelter do this.")


async def _staff_step(
    session: AsyncSession, principal: Principal, stay: ShelterStay, action: str
) -> StayStatus:
    shelter = await session.get_one(Shelter, stay.shelter_id)
    _shelter_staff_only(principal, shelter)
    return advance(STAY_STEPS, "shelter stay", stay.status, action)


async def _open_stays(session: AsyncSession, victim_id: UUID) -> int:
    query = select(func.count()).where(
        col(ShelterStay.victim_id) == victim_id, col(ShelterStay.status).in_(OPEN_STAY_STATES)
    )
    return int((await session.exec(query)).one())


async def _admitted(session: AsyncSession, shelter_id: UUID) -> int:
    query = select(func.count()).where(
        col(ShelterStay.shelter_id) == shelter_id, col(ShelterStay.status) == StayStatus.ADMITTED
    )
    return int((await session.exec(query)).one())
