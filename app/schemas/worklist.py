from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, Field

from app.domain.insurance import InsurancePath
from app.domain.worklist import WorkKind
from app.schemas.common import ResponseModel


class WorkItemRead(ResponseModel):
    kind: WorkKind
    due_on: date
    overdue: bool = Field(description="Past its due date (a late item).")
    rule: str = Field(description="The RULES.md id that makes it due.")
    victim_id: UUID | None = Field(description="None for an incident (it names no one person).")
    record_id: UUID = Field(
        description="The record to act on: the referral for an individual needs assessment, "
        "the follow-up contact, the service agreement, the shelter stay, the alert, the care "
        "plan due for its staff-meeting review, the incident or the complaint."
    )


class HealthInsuranceRead(ResponseModel):
    """SOP-INSURANCE: the person's situation and the way back to insured status."""

    rule: str = "SOP-INSURANCE"
    path: InsurancePath
    days_abroad: int | None
    status_lost: bool | None
    insured_months_needed: int | None
    lump_sum_contributions: int | None
    advice: str


class GrantLineRuleRead(BaseModel):
    basis: str
    rate: Decimal | None
    justification_required: bool
    purpose: str | None


class RulebookRead(BaseModel):
    """The rulebook in force: show limits before submit; records name the version checked."""

    version: str
    reflection_days: int
    individual_assessment_days: int
    term_months: dict[str, int]
    vot_max_months: int
    follow_up_days: int
    agreement_ending_notice_days: int
    insurance_abroad_days: int
    insurance_regain_months: int
    insurance_lump_sum_contributions: int
    rehab_plan_min_months: int
    rehab_plan_max_months: int
    plan_review_days: int
    referral_answer_days: int = Field(
        description="REFERRAL-ANSWER-14D: days a referral may wait for its answer before it is "
        "escalated."
    )
    referral_contact_days: int = Field(
        description="REFERRAL-CONTACT-14D: days from acceptance to the initial contact before "
        "the referral is escalated."
    )
    deidentified_k: int = Field(
        description="DEID-K-ANONYMITY: how many persons a published combination of the "
        "de-identified dataset's quasi-identifiers has at least, by default."
    )
    deidentified_k_floor: int = Field(description="DEID-K-ANONYMITY: the lowest k asked for.")
    shelter_capacity: dict[str, int]
    children_min_age: int
    children_max_age: int
    medical_exam_days: int
    monitoring_months: int
    retention_months: int
    pocket_money_min_per_day: Decimal
    complaint_meeting_days: int = Field(
        description="MAN-COMPLAINT: days from a complaint to the private meeting."
    )
    grant_lines: dict[str, dict[str, GrantLineRuleRead]]
    training_ending_notice_days: int = Field(
        description="MAN-TRAINING: days before a training's end it is on the worklist."
    )
    return_notice_days: int = Field(
        description="MAN-RETURN: days before a return's planned day it is on the worklist."
    )
    course_max_months: int
