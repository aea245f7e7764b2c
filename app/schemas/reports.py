"""Reports: the shelter manager's monthly report, the coordinator's compliance report, and the
donors' aggregate counts with small cells suppressed."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, Field

from app.domain.vocabulary import Sex


class GrantSums(BaseModel):
    count: int
    total: Decimal
    by_line: dict[str, Decimal] = Field(description="Sum of each budget line, in soms.")


class MonthlyShelterReport(BaseModel):
    """MAN 2.1.10: the shelter manager's monthly progress report to the NGO coordinator."""

    shelter_id: UUID
    month: str = Field(examples=["2026-10"])
    capacity: int
    bed_nights: int
    occupancy_rate: Decimal = Field(description="Bed-nights over capacity × days in the month.")
    admissions: int
    discharges: int
    residents_at_month_end: int
    services_delivered: dict[str, int] = Field(description="Assessments completed, by kind.")
    grants_submitted: GrantSums
    grants_approved: GrantSums
    grants_disbursed: GrantSums


class ComplianceCase(BaseModel):
    victim_id: UUID
    record_id: UUID = Field(description="The assessment, stay, referral or agreement at issue.")
    due_on: date
    days_late: int


class ComplianceSection(BaseModel):
    count: int
    cases: list[ComplianceCase] = Field(description="The cases behind the count, oldest first.")


class ComplianceReport(BaseModel):
    as_of: date
    late_individual_assessments: ComplianceSection = Field(
        description="SOP-INDIVIDUAL-20D: completed late, or still open past the due date."
    )
    missed_monitoring_reports: ComplianceSection = Field(description="MAN-MONITORING-6M")
    medical_examinations_not_done: ComplianceSection = Field(description="MAN-MEDICAL-EXAM")
    agreements_over_term: ComplianceSection = Field(
        description="Active agreements past their end date (SOP-TERM, SOP-VOT-MAX-1Y)."
    )


class Cell(BaseModel):
    key: str
    count: int | None = Field(description="None where the cell is suppressed.")
    suppressed: bool = Field(description="True for counts below the threshold (5).")


class AggregateReport(BaseModel):
    """Counts of persons for donors and evaluators: never a name, an id or a birth date, and no
    totals from which a suppressed cell could be worked out."""

    as_of: date
    threshold: int
    by_identification_month: list[Cell]
    by_exploitation_type: list[Cell]
    by_sex: list[Cell]
    by_age_band: list[Cell]
    by_service: list[Cell]


class KpiRow(BaseModel):
    """One organisation's month. Referrals count for the organisation that made them, in the
    month made; stays and monitoring reports for the shelter's organisation."""

    month: str = Field(examples=["2026-10"])
    organisation_id: UUID
    referrals_made: int | None = 0
    referrals_accepted: int | None = Field(0, description="Of those made, accepted since.")
    referrals_contacted: int | None = Field(
        0, description="Of those made, with the initial contact at the service since."
    )
    median_days_to_accept: Decimal | None = None
    median_days_to_first_contact: Decimal | None = None
    individual_assessments_on_time: int | None = Field(
        0, description="SOP-INDIVIDUAL-20D: completed within 20 days of the initial contact."
    )
    individual_assessments_late: int | None = 0
    plans_activated: int | None = 0
    stays_admitted: int | None = 0
    bed_nights: int | None = 0
    monitoring_reports_on_time: int | None = Field(
        0, description="MAN-MONITORING-6M: Annex 7 reports made by the day they were due."
    )
    monitoring_reports_late: int | None = 0
    grants_approved: int | None = Field(0, description="Decided in the month, approved.")
    grants_approved_total: Decimal | None = None
    suppressed: list[str] = Field(
        [],
        description="For the auditor: the figures hidden (null), counts below the threshold "
        "and the medians and totals resting on them.",
    )


class Caseload(BaseModel):
    """CASELOAD-TRANSFER: the cases in work one worker holds, now."""

    organisation_id: UUID
    user_id: UUID
    open_cases: int


class KpiReport(BaseModel):
    from_month: str
    to_month: str
    threshold: int | None = Field(description="The auditor's suppression threshold; else null.")
    rows: list[KpiRow] = Field(description="The months and organisations with anything to count.")
    caseloads: list[Caseload] = Field(description="Withheld from the auditor (empty).")


class DeidentifiedRecord(BaseModel):
    """One person, by their generalised quasi-identifiers only."""

    age_band: str = Field(description="The age at identification: 0-17, 18-24, 25-34, 35-44, 45+.")
    sex: Sex
    nationality: str = Field(description="ISO 3166 alpha-2, or `unknown`.")
    year_identified: int
    exploitation: str = Field(
        description="The group of the exploitation types: `sexual`; `labour` (forced labour, "
        "domestic servitude, forced begging, forced criminality); `other` (forced marriage, "
        "organ removal, other); `multiple` (more than one group); `unknown`."
    )
    region: str = Field(description="The home region, ISO 3166-2, or `unknown`.")


class DeidentifiedDataset(BaseModel):
    """DEID-K-ANONYMITY: every combination of the quasi-identifiers published is shared by at
    least ``k`` persons; the persons of the others are withheld, and counted."""

    k: int
    quasi_identifiers: list[str]
    first_year: int | None = Field(description="The first year of identification counted.")
    last_year: int | None = Field(description="The last year of identification counted.")
    registered_before: date = Field(
        description="Persons registered before this day count (this month's first day)."
    )
    persons: int = Field(description="The records published: one per person.")
    withheld: int = Field(description="The persons whose combination fewer than k share.")
    records: list[DeidentifiedRecord]
