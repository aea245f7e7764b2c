from typing import Annotated

from app.deps import ClockDep, Idempotency, PageDep, SessionDep, VisibleAlert, require
from app.domain.access import Action
from app.routers.common import resource_router
from app.schemas.alerts import AlertRead
from app.schemas.common import Page
from app.security import Principal
from app.services import alerts

router = resource_router("/alerts", "alerts")
Acknowledger = Annotated[Principal, require(Action.ALERT_ACKNOWLEDGE)]


@router.get("", summary="Open psychiatric alerts for the caller (MAN-PSYCHIATRIC-ALERT)")
async def list_alerts(
    principal: Acknowledger, session: SessionDep, page: PageDep
) -> Page[AlertRead]:
    items, cursor = await alerts.list_open(session, principal, page)
    return Page(items=[AlertRead.model_validate(a) for a in items], next_cursor=cursor)


@router.post("/{alert_id}/acknowledge", summary="Acknowledge an alert: it leaves the worklist")
async def acknowledge_alert(
    principal: Acknowledger,
    alert: VisibleAlert,
    session: SessionDep,
    clock: ClockDep,
    _key: Idempotency,
) -> AlertRead:
    alert = await alerts.acknowledge(session, principal, alert, clock.now())
    return AlertRead.model_validate(alert)
