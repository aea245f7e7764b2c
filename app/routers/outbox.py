from typing import Annotated

from fastapi import Response

from app.deps import ClockDep, Idempotency, PageDep, SessionDep, VisibleOutboxMessage, require
from app.domain.access import Action
from app.domain.exchange import OutboxStatus, Topic
from app.presenters import present_outbox_message
from app.routers.common import resource_router, set_etag
from app.schemas.common import Page
from app.schemas.outbox import OutboxMessageRead
from app.security import Principal
from app.services import outbox

router = resource_router("/outbox-messages", "outbox")
Reader = Annotated[Principal, require(Action.OUTBOX_READ)]
Retrier = Annotated[Principal, require(Action.OUTBOX_RETRY)]


@router.get(
    "",
    summary="List outgoing messages and their delivery: the coordinator all, an organisation "
    "its webhook deliveries",
)
async def list_outbox_messages(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    status: OutboxStatus | None = None,
    topic: Topic | None = None,
) -> Page[OutboxMessageRead]:
    messages, cursor = await outbox.list_visible(session, principal, page, status, topic)
    return Page(items=[present_outbox_message(m) for m in messages], next_cursor=cursor)


@router.get("/{message_id}", summary="Read an outgoing message's delivery state")
async def get_outbox_message(
    _: Reader, message: VisibleOutboxMessage, response: Response
) -> OutboxMessageRead:
    set_etag(response, message.version)
    return present_outbox_message(message)


@router.post(
    "/{message_id}/retry",
    summary="Send a dead message again, with a fresh round of attempts",
)
async def retry_outbox_message(
    principal: Retrier,
    message: VisibleOutboxMessage,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> OutboxMessageRead:
    message = await outbox.retry(session, principal, message, clock.now())
    set_etag(response, message.version)
    return present_outbox_message(message)
