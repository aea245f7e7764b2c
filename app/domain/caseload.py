"""A worker's caseload: the cases they hold for their organisation and the drafts they left, and
how it moves to a colleague when they leave (CASELOAD-TRANSFER). Worklist items are not moved
by themselves: they follow the case they belong to."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from app.domain.access import Action, can, may_author
from app.domain.casework import AssessmentKind
from app.domain.errors import DomainError, RuleViolation
from app.domain.roles import Role

RULE = "CASELOAD-TRANSFER"
_T = TypeVar("_T")
# records moved by one call; what is left is moved by the next (bulk actions of comparable
# systems are capped the same way)
TRANSFER_LIMIT = 100


class WorkType(StrEnum):
    CASE = "case"  # the person's case, held for the organisation
    ASSESSMENT_DRAFT = "assessment_draft"
    CARE_PLAN_DRAFT = "care_plan_draft"


@dataclass(frozen=True)
class HeldWork:
    """One record of a worker's open work; ``kind`` is an assessment's kind."""

    type: WorkType
    id: UUID
    victim_id: UUID
    kind: AssessmentKind | None = None

    def listed(self) -> dict[str, str]:
        return {"type": self.type.value, "id": str(self.id), "victim_id": str(self.victim_id)}


def holds_cases(role: Role) -> bool:
    """Who holds a case for their organisation: the staff who plan its care."""
    return can(role, Action.CARE_PLAN_WRITE)


def may_hold(role: Role, work: HeldWork) -> bool:
    if work.type is WorkType.ASSESSMENT_DRAFT:
        return work.kind is not None and may_author(role, work.kind)
    return holds_cases(role)


class OpenWorkHeld(DomainError):
    """CASELOAD-TRANSFER: a user still holding open work is not deactivated; the refusal lists
    the work, the first hundred records, and how many there are (409 open_work)."""

    status, code, rule = 409, "open_work", RULE

    def __init__(self, work: Iterable[HeldWork], total: int) -> None:
        super().__init__(
            "The user still holds open work: move it to a colleague first, or ask for it to "
            "be moved to the organisation's shelter manager."
        )
        self.open_records = [w.listed() for w in work]  # the first hundred
        self.total = total

    def members(self) -> dict[str, object]:
        return {**super().members(), "open_records": self.open_records, "total": self.total}


@dataclass(frozen=True)
class Worker:
    """What decides whether a user may receive work."""

    organisation_id: UUID | None
    role: Role
    active: bool


def check_receiver(organisation_id: UUID, receiver: Worker, work: Iterable[HeldWork]) -> None:
    """CASELOAD-TRANSFER: the work stays in its organisation, with an active colleague whose
    role may hold every record of it; otherwise nothing moves."""
    if not receiver.active:
        raise RuleViolation(RULE, "The receiving user is deactivated.")
    if receiver.organisation_id != organisation_id:
        raise RuleViolation(RULE, "Work moves only to a colleague of the same organisation.")
    refused = [w.listed() for w in work if not may_hold(receiver.role, w)]
    if refused:
        raise RuleViolation(
            RULE, f"A {receiver.role} cannot hold some of this work.", refused_records=refused
        )


def check_held_for(organisation_id: UUID | None) -> UUID:
    """Work is held for an organisation: a user of none (the admin, the auditor) holds none."""
    if organisation_id is None:
        raise RuleViolation(RULE, "A user of no organisation holds no case work.")
    return organisation_id


def check_shared(seen_by_organisation: bool) -> None:
    """A case is held only where it is worked on: its own organisation, or one it is shared with."""
    if not seen_by_organisation:
        raise RuleViolation(RULE, "The case is not shared with the worker's organisation.")


def found_manager(manager: _T | None) -> _T:
    """The work of a user deactivated goes to their manager: there must be one."""
    if manager is None:
        raise RuleViolation(RULE, "The organisation has no other active shelter manager.")
    return manager
