"""Disclosures to law enforcement, a court or another body (MAN-LEGAL-ADVICE)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.protection import DisclosureRecipient
from app.schemas.common import RequestModel, ResponseModel


class DisclosureCreate(RequestModel):
    victim_id: UUID
    recipient: DisclosureRecipient
    recipient_name: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="The body, unit or office it was given to."
    )
    what: Annotated[str, StringConstraints(min_length=1, max_length=10000)] = Field(
        description="What was given."
    )
    disclosed_on: date


class DisclosureRead(ResponseModel):
    """What was given and to whom (``what``, ``recipient_name``) is legal data, shown to the
    legal counsellor, the psychologist and the coordinator; others see that a disclosure was
    made, to which kind of body, when and under which consent (``legal_withheld``)."""

    id: UUID
    victim_id: UUID
    organisation_id: UUID
    recipient: DisclosureRecipient
    recipient_name: str | None
    what: str | None
    disclosed_on: date
    consent_id: UUID = Field(
        description="The person's `law_enforcement_cooperation` consent it rested on."
    )
    recorded_by: UUID
    legal_withheld: bool = False
    created_at: datetime
