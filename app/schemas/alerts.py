"""Psychiatric alerts (MAN-PSYCHIATRIC-ALERT)."""

from datetime import date, datetime
from uuid import UUID

from app.schemas.common import ResponseModel


class AlertRead(ResponseModel):
    id: UUID
    victim_id: UUID
    organisation_id: UUID
    assessment_id: UUID
    raised_on: date
    acknowledged_at: datetime | None
