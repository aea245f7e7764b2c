"""Persons assisted: their record, its export, health insurance and erasure."""

from typing import Annotated

from fastapi import BackgroundTasks, Query, Request, Response

from app.deps import (
    ClockDep,
    Idempotency,
    IfMatch,
    PageDep,
    RulebookDep,
    SessionDep,
    VisibleVictim,
    require,
)
from app.domain.access import Action
from app.domain.vocabulary import VictimStatus
from app.presenters import present_file, present_registration, present_victim
from app.routers.common import created, resource_router, set_etag
from app.schemas.caseload import CaseHolderRead, CaseHolderSet
from app.schemas.common import Page
from app.schemas.exports import VictimExport
from app.schemas.victims import VictimCreate, VictimRegistered, VictimUpdate, VictimView
from app.schemas.worklist import HealthInsuranceRead
from app.security import Principal
from app.services import caseload, documents, erasure, exports, possible_duplicates, victims

router = resource_router("/victims", "victims")


Reader = Annotated[Principal, require(Action.VICTIM_READ)]


Creator = Annotated[Principal, require(Action.VICTIM_CREATE)]


Editor = Annotated[Principal, require(Action.VICTIM_UPDATE)]


Exporter = Annotated[Principal, require(Action.VICTIM_EXPORT)]


InsuranceReader = Annotated[Principal, require(Action.INSURANCE_READ)]


Eraser = Annotated[Principal, require(Action.VICTIM_ERASE)]
# CASELOAD-TRANSFER: the shelter manager gives their organisation's cases; the coordinator any
Assigner = Annotated[Principal, require(Action.CASELOAD_TRANSFER)]


@router.get("", summary="List the persons whose cases the caller sees")
async def list_victims(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    status: VictimStatus | None = None,
    registration_number: Annotated[str | None, Query(max_length=20)] = None,
) -> Page[VictimView]:
    items, cursor = await victims.list_visible(
        session, principal, page, status, registration_number
    )
    return Page(items=[present_victim(v, principal.role) for v in items], next_cursor=cursor)


@router.post(
    "", status_code=201, summary="Register a person (the case of the caller's organisation)"
)
async def create_victim(
    principal: Creator,
    body: VictimCreate,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> VictimRegistered:
    victim = await victims.create(session, principal, body, clock.today())
    created(request, response, "get_victim", victim.version, victim_id=str(victim.id))
    hints = await possible_duplicates.hints_for(session, principal, victim)
    return present_registration(victim, principal.role, hints)


@router.get("/{victim_id}", summary="Read a person's record")
async def get_victim(
    principal: Reader, victim: VisibleVictim, session: SessionDep, response: Response
) -> VictimView:
    victims.read(session, principal, victim)
    set_etag(response, victim.version)
    return present_victim(victim, principal.role)


@router.patch("/{victim_id}", summary="Change a person's record (If-Match honoured)")
async def update_victim(
    principal: Editor,
    victim: VisibleVictim,
    body: VictimUpdate,
    if_match: IfMatch,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
) -> VictimView:
    victim = await victims.update(session, principal, victim, body, if_match, clock.today())
    set_etag(response, victim.version)
    return present_victim(victim, principal.role)


@router.get(
    "/{victim_id}/export", summary="Export everything held on a person (ACCESS-OWN-RECORDS)"
)
async def export_victim(
    principal: Exporter,
    victim: VisibleVictim,
    session: SessionDep,
    clock: ClockDep,
) -> VictimExport:
    file = await exports.export(session, principal, victim)
    return present_file(file, principal.role, clock.now())


@router.get(
    "/{victim_id}/health-insurance",
    summary="How the person regains health insurance (SOP-INSURANCE)",
)
async def get_health_insurance(
    principal: InsuranceReader, victim: VisibleVictim, session: SessionDep, rulebook: RulebookDep
) -> HealthInsuranceRead:
    situation = victims.health_insurance(session, principal, victim, rulebook)
    return HealthInsuranceRead.model_validate(situation, from_attributes=True)


@router.post(
    "/{victim_id}/erase",
    summary="Erase the person's data, six months after the last discharge (MAN-RETENTION-6M)",
)
async def erase_victim(
    principal: Eraser,
    victim: VisibleVictim,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    request: Request,
    background: BackgroundTasks,
    _key: Idempotency,
) -> VictimView:
    """The person's documents go too: their rows (and the keys that opened their files) with
    the rest, their sealed files once the erasure is committed."""
    files = await documents.stored_names(session, victim.id)
    victim = await erasure.erase(session, principal, victim, clock.now(), clock.today(), rulebook)
    background.add_task(documents.delete_files, request.app.state.file_store, files)
    return present_victim(victim, principal.role)


@router.get("/{victim_id}/holders", summary="Who holds the person's case, per organisation")
async def list_case_holders(
    principal: Reader, victim: VisibleVictim, session: SessionDep
) -> list[CaseHolderRead]:
    holders = await caseload.holders_of(session, principal, victim)
    return [CaseHolderRead.model_validate(h) for h in holders]


@router.put(
    "/{victim_id}/holder",
    summary="Give the person's case to a worker of an organisation that works on it",
)
async def set_case_holder(
    principal: Assigner,
    victim: VisibleVictim,
    body: CaseHolderSet,
    session: SessionDep,
    clock: ClockDep,
) -> CaseHolderRead:
    held = await caseload.assign(session, principal, victim, body.user_id, clock.today())
    return CaseHolderRead.model_validate(held)
