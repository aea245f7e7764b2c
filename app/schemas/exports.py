from datetime import datetime

from pydantic import BaseModel, Field

from app.schemas.agreements import AgreementRead, FollowUpRead
from app.schemas.assessments import AssessmentRead
from app.schemas.care_plans import CarePlanRead, ReviewRead
from app.schemas.consents import ConsentRead
from app.schemas.exchange import JobReferralRead
from app.schemas.health import HealthRecordView
from app.schemas.referrals import ReferralRead
from app.schemas.shelters import MonitoringReportRead, StayRead
from app.schemas.victims import VictimRead


class VictimExport(BaseModel):
    """Everything held on one person (ACCESS-OWN-RECORDS), for the person to take away. The
    field-level rules hold here too: health findings only for the health professions."""

    exported_at: datetime
    victim: VictimRead
    consents: list[ConsentRead]
    referrals: list[ReferralRead]
    assessments: list[AssessmentRead]
    care_plans: list[CarePlanRead]
    care_plan_reviews: list[ReviewRead]
    service_agreements: list[AgreementRead]
    follow_up_contacts: list[FollowUpRead]
    shelter_stays: list[StayRead]
    monitoring_reports: list[MonitoringReportRead]
    job_referrals: list[JobReferralRead]
    health_record: HealthRecordView | None = Field(
        description="For the psychologist and the medical officer (HIV status: medical only)."
    )
    health_record_withheld: bool
