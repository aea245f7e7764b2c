"""Assessments, with structured findings per kind (API.md, "Bodies of the case-work resources")."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from app.domain.casework import (
    AssessmentKind,
    AssessmentStatus,
    RecoveryStage,
    RiskFactor,
    RiskLevel,
)
from app.domain.reintegration import CandidacyDecision
from app.schemas.common import RequestModel, ResponseModel

Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Need = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class NeedsFindings(RequestModel):
    """initial_needs, individual_needs, medical, reintegration."""

    summary: Text
    needs: list[Need] = Field(default_factory=list, max_length=50)


class PrimaryInterviewFindings(RequestModel):
    """MAN-PRIMARY-INTERVIEW (MAN 3.0.4, II 5.3): the problem, needs, expectations, safety."""

    summary: Text = Field(description="The problem, as the person tells it.")
    needs: list[Need] = Field(default_factory=list, max_length=50)
    expectations: Text
    safe: bool = Field(description="The person is assured of safety and confidentiality.")


class StatusIdentificationFindings(RequestModel):
    """The coordinator's status identification interview (MAN 3.0.6): the situation the person
    was found in, their key needs, and whether their status as a victim is confirmed."""

    summary: Text
    needs: list[Need] = Field(default_factory=list, max_length=50)
    status_confirmed: bool


class BusinessCandidacyFindings(RequestModel):
    """The expert group on a candidate for a micro-enterprise (MAN III 3.0.3), matched with the
    local labour market; ``approved`` opens the four steps (MAN-MICRO-ENTERPRISE)."""

    work_experience: Text
    education: Text
    skills: Text
    business_oriented: bool = Field(description="A business-oriented personality.")
    decision: CandidacyDecision


class PsychologicalPlan(RequestModel):
    """The psychologist's plan in three sections (MAN II 5.3)."""

    informational: Text
    content: Text
    organisational: Text


class PsychologicalFindings(RequestModel):
    summary: Text
    recovery_stage: RecoveryStage
    plan: PsychologicalPlan
    signs_of_mental_disorder: bool


class RiskEntry(RequestModel):
    factor: RiskFactor
    level: RiskLevel


def _one_entry_per_factor(entries: list[RiskEntry]) -> list[RiskEntry]:
    if len({e.factor for e in entries}) != len(entries):
        raise ValueError("each factor at most once")
    return entries


class RiskFindings(RequestModel):
    """SOP Step 2: the reintegration risks, each with a level."""

    factors: Annotated[list[RiskEntry], Field(min_length=1), AfterValidator(_one_entry_per_factor)]


class FamilyRiskFindings(RequestModel):
    """SOP Step 4: the questions before family or friends are involved."""

    family_involved_in_trafficking: bool
    other_violence: bool
    witnessed_violence: bool
    blame_or_rejection_risk: bool
    competent_to_support: bool
    minimum_financial_means: bool
    notes: Text | None = None


Findings = (
    NeedsFindings
    | PrimaryInterviewFindings
    | StatusIdentificationFindings
    | BusinessCandidacyFindings
    | PsychologicalFindings
    | RiskFindings
    | FamilyRiskFindings
)
FINDINGS_BY_KIND: Mapping[AssessmentKind, type[Findings]] = {
    AssessmentKind.INITIAL_NEEDS: NeedsFindings,
    AssessmentKind.INDIVIDUAL_NEEDS: NeedsFindings,
    AssessmentKind.MEDICAL: NeedsFindings,
    AssessmentKind.REINTEGRATION: NeedsFindings,
    AssessmentKind.PSYCHOLOGICAL: PsychologicalFindings,
    AssessmentKind.RISK: RiskFindings,
    AssessmentKind.FAMILY_RISK: FamilyRiskFindings,
    AssessmentKind.PRIMARY_INTERVIEW: PrimaryInterviewFindings,
    AssessmentKind.STATUS_IDENTIFICATION: StatusIdentificationFindings,
    AssessmentKind.BUSINESS_CANDIDACY: BusinessCandidacyFindings,
}


def findings_fit(kind: AssessmentKind, findings: Findings | None) -> bool:
    """The findings have the form their kind asks for (or are not given yet)."""
    return findings is None or isinstance(findings, FINDINGS_BY_KIND[kind])


class AssessmentCreate(RequestModel):
    victim_id: UUID
    kind: AssessmentKind
    referral_id: UUID | None = Field(
        None,
        description="For individual_needs: the referral whose initial contact started the clock.",
    )
    performed_on: date | None = None
    findings: Findings | None = None

    @model_validator(mode="after")
    def _findings_fit_kind(self) -> "AssessmentCreate":
        if not findings_fit(self.kind, self.findings):
            form = FINDINGS_BY_KIND[self.kind].__name__
            raise ValueError(f"findings of a {self.kind.value} assessment have the {form} form")
        return self


class AssessmentComplete(RequestModel):
    performed_on: date | None = Field(None, description="Defaults to the date given before.")
    findings: Findings | None = Field(None, description="Replaces the findings given before.")


class AssessmentRead(ResponseModel):
    id: UUID
    victim_id: UUID
    kind: AssessmentKind
    status: AssessmentStatus
    referral_id: UUID | None
    organisation_id: UUID
    author_id: UUID
    performed_on: date | None
    due_on: date | None = Field(description="individual_needs: initial contact + 20 days.")
    late_by_days: int | None = Field(description="SOP-INDIVIDUAL-20D: 0 when on time.")
    findings: Findings | None
    findings_withheld: bool = Field(
        False, description="True when the findings are health data the caller may not read."
    )
    completed_at: datetime | None
    rulebook_version: str
    version: int
    created_at: datetime
