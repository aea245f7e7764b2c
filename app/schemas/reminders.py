"""A staff member's reminder settings (issue 19)."""

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from app.schemas.common import RequestModel, ResponseModel

Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    Field(examples=["a.social.worker@ngo.example"]),
]


class ReminderSettings(RequestModel):
    daily_digest: bool = Field(
        description="A message each morning with how much of the worklist is due and overdue, "
        "by kind, with links into the frontend; it names no person and no case."
    )
    email: Email | None = Field(None, description="Where the digest goes; needed to turn it on.")

    @model_validator(mode="after")
    def _an_address_to_send_to(self) -> "ReminderSettings":
        if self.daily_digest and self.email is None:
            raise ValueError("the daily digest needs an email address")
        return self


class ReminderSettingsRead(ResponseModel):
    daily_digest: bool
    email: str | None = Field(validation_alias="reminder_email")
