from typing import Annotated

from fastapi import Query

from app.deps import ClockDep, PageDep, RulebookDep, SessionDep, require
from app.domain.access import Action
from app.presenters import present_rulebook
from app.routers.common import resource_router
from app.schemas.common import Page
from app.schemas.reminders import ReminderSettings, ReminderSettingsRead
from app.schemas.worklist import RulebookRead, WorkItemRead
from app.security import Principal
from app.services import reminders, worklist

router = resource_router("", "worklist")
Worker = Annotated[Principal, require(Action.WORKLIST_READ)]
Anyone = Annotated[Principal, require(Action.RULEBOOK_READ)]


@router.get("/worklist", summary="The caller's due and overdue items, soonest first")
async def get_worklist(
    principal: Worker,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    page: PageDep,
    mine: Annotated[
        bool,
        Query(
            description="Only the items of the cases the caller holds (CASELOAD-TRANSFER): "
            "they follow the case when it moves to another worker."
        ),
    ] = False,
) -> Page[WorkItemRead]:
    today = clock.today()
    items, cursor = await worklist.page_for(session, principal, today, rulebook, page, mine)
    shown = [WorkItemRead.model_validate(i, from_attributes=True) for i in items]
    return Page(items=shown, next_cursor=cursor)


@router.get("/rulebook", summary="The rulebook in force: every limit the procedures set")
async def get_rulebook(_: Anyone, rulebook: RulebookDep) -> RulebookRead:
    return present_rulebook(rulebook)


@router.get("/worklist/reminders", summary="The caller's own reminder settings (daily digest)")
async def get_reminder_settings(principal: Worker, session: SessionDep) -> ReminderSettingsRead:
    user = await reminders.settings_of(session, principal)
    return ReminderSettingsRead.model_validate(user)


@router.put(
    "/worklist/reminders",
    summary="Ask for the daily digest of the worklist by email, or stop it",
)
async def set_reminder_settings(
    principal: Worker, body: ReminderSettings, session: SessionDep
) -> ReminderSettingsRead:
    user = await reminders.change(session, principal, body)
    return ReminderSettingsRead.model_validate(user)
