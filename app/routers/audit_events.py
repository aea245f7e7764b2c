from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime

from app.deps import PageDep, SessionDep, require
from app.domain.access import Action
from app.routers.common import resource_router
from app.schemas.audit_events import AuditEventRead
from app.schemas.common import Page
from app.security import Principal
from app.services import audit
from app.services.audit import AuditAction, AuditFilter

router = resource_router("/audit-events", "audit")
Auditor = Annotated[Principal, require(Action.AUDIT_READ)]


@router.get("", summary="Who read or changed which record, when and from where (append-only)")
async def list_audit_events(
    _: Auditor,
    session: SessionDep,
    page: PageDep,
    victim_id: UUID | None = None,
    actor_id: UUID | None = None,
    record_type: str | None = None,
    action: AuditAction | None = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
) -> Page[AuditEventRead]:
    filters = AuditFilter(victim_id, actor_id, record_type, action, since, until)
    items, cursor = await audit.list_events(session, filters, page)
    return Page(items=[AuditEventRead.model_validate(e) for e in items], next_cursor=cursor)
