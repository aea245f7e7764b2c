"""The person's reintegration in one read (MAN chapter III): the reintegration plan, trainings,
micro-enterprises with their steps, returns, identity documents, and the grants with what they
commit of each line against its ceiling. Each record shown is an audited read."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import Action, can
from app.domain.casework import CarePlanKind, CarePlanStatus
from app.domain.grants import COUNTED_GRANT_STATES, Commitment, CountedGrant, commitments
from app.domain.rulebook import GrantForm, Rulebook
from app.models import (
    CarePlan,
    IdentityDocument,
    MicroEnterprise,
    ReintegrationGrant,
    Return,
    Training,
    Victim,
)
from app.security import Principal
from app.services import audit, micro_enterprises, records, reintegration_grants
from app.services.micro_enterprises import EnterpriseFile
from app.services.reintegration_grants import GrantFile

M = TypeVar("M", bound=SQLModel)


@dataclass(frozen=True)
class ReintegrationFile:
    victim_id: UUID
    plan: CarePlan | None  # the active reintegration plan, else the latest
    trainings: Sequence[Training]
    micro_enterprises: Sequence[EnterpriseFile]
    returns: Sequence[Return]
    identity_documents: Sequence[IdentityDocument]
    grants: Sequence[GrantFile]
    committed: Sequence[Commitment]
    withheld: Sequence[str]


async def of_person(
    session: AsyncSession, principal: Principal, victim: Victim, rulebook: Rulebook
) -> ReintegrationFile:
    async def shown(model: type[M], *conditions: Any) -> Sequence[M]:
        query = select(model).where(col(getattr(model, "victim_id")) == victim.id, *conditions)  # noqa: B009
        found = (await session.exec(query.order_by(col(getattr(model, "created_at"))))).all()  # noqa: B009
        ids = [(getattr(r, "id"), victim.id) for r in found]  # noqa: B009
        audit.record_reads(session, principal, records.record_type(model), ids)
        return found

    plan = await _current_plan(session, victim.id)
    if plan is not None:
        records.audit_read(session, principal, plan)
    withheld = [] if can(principal.role, Action.GRANT_READ) else ["grants"]
    grants = [] if withheld else await shown(ReintegrationGrant)
    files = await reintegration_grants.files_of(session, grants)
    return ReintegrationFile(
        victim_id=victim.id,
        plan=plan,
        trainings=await shown(Training),
        micro_enterprises=await micro_enterprises.files_of(session, await shown(MicroEnterprise)),
        returns=await shown(Return),
        identity_documents=await shown(IdentityDocument),
        grants=files,
        committed=commitments([_counted(f) for f in files if _counts(f)], rulebook),
        withheld=withheld,
    )


async def _current_plan(session: AsyncSession, victim_id: UUID) -> CarePlan | None:
    """The active reintegration plan, else the latest one."""
    query = (
        select(CarePlan)
        .where(
            col(CarePlan.victim_id) == victim_id,
            col(CarePlan.kind) == CarePlanKind.REINTEGRATION,
        )
        .order_by(
            (col(CarePlan.status) == CarePlanStatus.ACTIVE).desc(), col(CarePlan.created_at).desc()
        )
        .limit(1)
    )
    return (await session.exec(query)).first()


def _counts(file: GrantFile) -> bool:
    return file.grant.status in COUNTED_GRANT_STATES


def _counted(file: GrantFile) -> tuple[GrantForm, CountedGrant]:
    return file.grant.form, reintegration_grants.counted_grant(file.grant, file.lines)
