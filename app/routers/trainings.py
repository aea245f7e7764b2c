from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import ClockDep, Idempotency, PageDep, SessionDep, VisibleTraining, require
from app.domain.access import Action
from app.domain.reintegration import TrainingStatus
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.trainings import TrainingCreate, TrainingRead, TrainingStep
from app.security import Principal
from app.services import records, trainings

router = resource_router("/trainings", "trainings")
Reader = Annotated[Principal, require(Action.TRAINING_READ)]
Writer = Annotated[Principal, require(Action.TRAINING_WRITE)]


@router.get("", summary="List vocational trainings of the persons the caller sees")
async def list_trainings(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    victim_id: UUID | None = None,
    status: TrainingStatus | None = None,
) -> Page[TrainingRead]:
    items, cursor = await trainings.list_visible(session, principal, page, victim_id, status)
    return Page(items=[TrainingRead.model_validate(t) for t in items], next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Arrange a training the person chose, on their reintegration assessment (MAN-TRAINING)",
)
async def record_training(
    principal: Writer,
    body: TrainingCreate,
    session: SessionDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> TrainingRead:
    training = await trainings.record(session, principal, body)
    created(request, response, "get_training", training.version, training_id=str(training.id))
    return TrainingRead.model_validate(training)


@router.get("/{training_id}", summary="Read a training")
async def get_training(
    principal: Reader, training: VisibleTraining, session: SessionDep, response: Response
) -> TrainingRead:
    records.audit_read(session, principal, training)
    set_etag(response, training.version)
    return TrainingRead.model_validate(training)


async def _step(
    action: str,
    principal: Principal,
    training: VisibleTraining,
    body: TrainingStep,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
) -> TrainingRead:
    training = await trainings.step(session, principal, training, action, body, clock.today())
    set_etag(response, training.version)
    return TrainingRead.model_validate(training)


@router.post("/{training_id}/start", summary="The training began")
async def start_training(
    principal: Writer,
    training: VisibleTraining,
    body: TrainingStep,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> TrainingRead:
    return await _step("start", principal, training, body, session, clock, response)


@router.post("/{training_id}/complete", summary="The person completed the training")
async def complete_training(
    principal: Writer,
    training: VisibleTraining,
    body: TrainingStep,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> TrainingRead:
    return await _step("complete", principal, training, body, session, clock, response)


@router.post("/{training_id}/drop", summary="The person dropped the training (with the reason)")
async def drop_training(
    principal: Writer,
    training: VisibleTraining,
    body: TrainingStep,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> TrainingRead:
    return await _step("drop", principal, training, body, session, clock, response)
