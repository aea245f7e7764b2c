from datetime import date, datetime
from uuid import UUID

from pydantic import Field, computed_field

from app.domain.consent import ConsentPurpose
from app.schemas.common import RequestModel, ResponseModel


class ConsentCreate(RequestModel):
    """Records a consent the person gave: on the day of the signed form (``given_on``, by default
    today); the server stamps when it was recorded (``given_at``)."""

    purpose: ConsentPurpose
    recipient_organisation_id: UUID | None = Field(
        None, description="Required for `share_with_organisation`, absent otherwise."
    )
    given_on: date | None = Field(
        None,
        description="The date on the signed form: by default today; may lie in the past, "
        "never in the future or before the person's identification.",
    )


class ConsentRead(ResponseModel):
    id: UUID
    victim_id: UUID
    purpose: ConsentPurpose
    recipient_organisation_id: UUID | None
    given_on: date = Field(description="The date on the signed form.")
    given_at: datetime = Field(description="When the consent was recorded here.")
    withdrawn_at: datetime | None
    version: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recorded_at(self) -> datetime:
        """When the consent was recorded here (``given_at``, by the name API.md gives it)."""
        return self.given_at

    @computed_field  # type: ignore[prop-decorator]
    @property
    def active(self) -> bool:
        """Whether the consent holds now (it was not withdrawn)."""
        return self.withdrawn_at is None
