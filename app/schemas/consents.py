from datetime import datetime
from uuid import UUID

from pydantic import Field, computed_field

from app.domain.consent import ConsentPurpose
from app.schemas.common import RequestModel, ResponseModel


class ConsentCreate(RequestModel):
    """Records a consent the person has just given; the server stamps ``given_at``."""

    purpose: ConsentPurpose
    recipient_organisation_id: UUID | None = Field(
        None, description="Required for `share_with_organisation`, absent otherwise."
    )


class ConsentRead(ResponseModel):
    id: UUID
    victim_id: UUID
    purpose: ConsentPurpose
    recipient_organisation_id: UUID | None
    given_at: datetime
    withdrawn_at: datetime | None
    version: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def active(self) -> bool:
        """Whether the consent holds now (it was not withdrawn)."""
        return self.withdrawn_at is None
