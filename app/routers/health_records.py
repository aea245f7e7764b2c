"""The person's health record (psychologist, medical officer; HIV status: medical only)."""

from typing import Annotated

from fastapi import Response

from app.deps import ClockDep, IfMatch, SessionDep, VisibleVictim, require
from app.domain.access import Action
from app.presenters import present_health_record
from app.routers.common import resource_router, set_etag
from app.schemas.health_records import HealthRecordView, HealthRecordWrite
from app.security import Principal
from app.services import health_records

router = resource_router("/victims", "health records")


HealthStaff = Annotated[Principal, require(Action.HEALTH_RECORD)]


@router.get(
    "/{victim_id}/health-record",
    summary="Read the health record (psychologist, medical officer; HIV status: medical only)",
)
async def get_health_record(
    principal: HealthStaff, victim: VisibleVictim, session: SessionDep, response: Response
) -> HealthRecordView:
    record = await health_records.read(session, principal, victim)
    set_etag(response, record.version)
    return present_health_record(record, principal.role)


@router.put(
    "/{victim_id}/health-record",
    summary="Write the health record (MAN-HIV: HIV status by the medical officer only)",
)
async def put_health_record(
    principal: HealthStaff,
    victim: VisibleVictim,
    body: HealthRecordWrite,
    if_match: IfMatch,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
) -> HealthRecordView:
    record = await health_records.write(session, principal, victim, body, if_match, clock.today())
    set_etag(response, record.version)
    return present_health_record(record, principal.role)
