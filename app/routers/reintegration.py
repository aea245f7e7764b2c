from typing import Annotated

from app.deps import RulebookDep, SessionDep, VisibleVictim, require
from app.domain.access import Action
from app.presenters import present_reintegration
from app.routers.common import resource_router
from app.schemas.reintegration import ReintegrationRead
from app.security import Principal
from app.services import reintegration

router = resource_router("/victims/{victim_id}/reintegration", "reintegration")
Reader = Annotated[Principal, require(Action.REINTEGRATION_READ)]


@router.get(
    "",
    summary="The person's reintegration in one read: plan, trainings, micro-enterprises, "
    "returns, documents, grants against their ceilings",
)
async def get_reintegration(
    principal: Reader, victim: VisibleVictim, session: SessionDep, rulebook: RulebookDep
) -> ReintegrationRead:
    file = await reintegration.of_person(session, principal, victim, rulebook)
    return present_reintegration(file)
