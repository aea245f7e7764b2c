from typing import Annotated

from app.deps import ClockDep, PageDep, RulebookDep, SessionDep, require
from app.domain.access import Action
from app.presenters import present_rulebook
from app.routers.common import resource_router
from app.schemas.common import Page
from app.schemas.worklist import RulebookRead, WorkItemRead
from app.security import Principal
from app.services import worklist

router = resource_router("", "worklist")
Worker = Annotated[Principal, require(Action.WORKLIST_READ)]
Anyone = Annotated[Principal, require(Action.RULEBOOK_READ)]


@router.get("/worklist", summary="The caller's due and overdue items, soonest first")
async def get_worklist(
    principal: Worker, session: SessionDep, clock: ClockDep, rulebook: RulebookDep, page: PageDep
) -> Page[WorkItemRead]:
    items, cursor = await worklist.page_for(session, principal, clock.today(), rulebook, page)
    shown = [WorkItemRead.model_validate(i, from_attributes=True) for i in items]
    return Page(items=shown, next_cursor=cursor)


@router.get("/rulebook", summary="The rulebook in force: every limit the procedures set")
async def get_rulebook(_: Anyone, rulebook: RulebookDep) -> RulebookRead:
    return present_rulebook(rulebook)
