"""Field-level rules applied: the response model a role gets for a record."""

from app.domain.access import Role, victim_view
from app.domain.access import VictimView as View
from app.models import Victim
from app.schemas.victims import VictimExchangeRead, VictimRead


def present_victim(victim: Victim, role: Role) -> VictimRead | VictimExchangeRead:
    if victim_view(role) is View.FULL:
        return VictimRead.model_validate(victim)
    return VictimExchangeRead.model_validate(victim)
