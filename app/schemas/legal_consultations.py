"""Legal consultations (MAN-LEGAL-ADVICE)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.protection import CourtReadiness, LegalDecision, LegalOption
from app.schemas.common import RequestModel, ResponseModel


class PsychologistApprovalGiven(RequestModel):
    """MAN-LEGAL-ADVICE: the psychologist who approved the consultation, and when."""

    by_user_id: UUID
    on: date


class LegalConsultationCreate(RequestModel):
    victim_id: UUID
    held_on: date
    psychologist_approval: PsychologistApprovalGiven | None = Field(
        None,
        description="MAN-LEGAL-ADVICE: required; a psychologist of an organisation that sees "
        "the case, given on or before the day of the consultation.",
    )
    options_explained: list[LegalOption] = Field(
        max_length=len(LegalOption),
        description="MAN-LEGAL-ADVICE: every option is explained before the person decides.",
    )
    decision: LegalDecision = Field(
        description="The person's own decision; it may be `undecided` and may change at any "
        "time, by a new consultation."
    )
    court_readiness: CourtReadiness | None = Field(
        None, description="The psychologist's recommendation, where given."
    )
    notes: Annotated[str, StringConstraints(min_length=1, max_length=10000)] | None = None


class LegalConsultationRead(ResponseModel):
    """The legal data (options, decision, court readiness, notes) is shown to the legal
    counsellor, the psychologist and the coordinator; others see that a consultation took
    place (``legal_withheld``)."""

    id: UUID
    victim_id: UUID
    organisation_id: UUID
    counsellor_id: UUID
    held_on: date
    approved_by: UUID = Field(description="The psychologist who approved it.")
    approved_on: date
    options_explained: list[LegalOption] | None
    decision: LegalDecision | None
    court_readiness: CourtReadiness | None
    notes: str | None
    legal_withheld: bool = False
    created_at: datetime
