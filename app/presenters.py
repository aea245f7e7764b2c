"""What a caller gets to see of a record: the response models made from the records and the
services' files, field-level rules applied, computed fields added. Routers and the integrations
present through here; schemas know nothing of services or models."""

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from app.domain.access import (
    Role,
    handles_complaint,
    reads_as_scme,
    reads_findings,
    reads_health_record,
    shelter_address_visible,
    victim_view,
)
from app.domain.access import VictimView as View
from app.domain.casework import SessionKind
from app.domain.exchange import Topic, WebhookEvent
from app.domain.grants import Commitment
from app.domain.rulebook import Rulebook
from app.models import (
    Assessment,
    Complaint,
    Disclosure,
    HealthRecord,
    JobReferral,
    LegalConsultation,
    OutboxMessage,
    Referral,
    Shelter,
    Victim,
)
from app.models.personal_data import readable
from app.schemas.alerts import AlertRead
from app.schemas.assessments import AssessmentRead
from app.schemas.care_plans import CarePlanRead, ReviewRead
from app.schemas.case_closures import CaseClosureRead
from app.schemas.complaints import ComplaintRead, ComplaintReceipt
from app.schemas.consents import ConsentRead
from app.schemas.counselling_sessions import SessionRead
from app.schemas.disclosures import DisclosureRead
from app.schemas.documents import DocumentRead
from app.schemas.exports import DisclosureWithConsent, VictimExport
from app.schemas.follow_up_contacts import FollowUpRead
from app.schemas.health_records import HealthRecordRead, HealthRecordWithoutHiv
from app.schemas.identity_documents import IdentityDocumentRead
from app.schemas.incidents import IncidentRead
from app.schemas.job_referrals import (
    JobReferralEventRead,
    JobReferralRead,
    ScmeJobReferral,
    ScmeJobReferralRead,
)
from app.schemas.legal_consultations import LegalConsultationRead
from app.schemas.micro_enterprises import MicroEnterpriseRead, StepRead
from app.schemas.outbox import OutboxMessageRead
from app.schemas.possible_duplicates import PossibleDuplicateHint
from app.schemas.referrals import ReferralRead
from app.schemas.reintegration import CommitmentRead, ReintegrationRead
from app.schemas.reintegration_grants import GrantInstalmentRead, GrantLineRead, GrantRead
from app.schemas.reports import GrantSums, KpiReport, KpiRow, MonthlyShelterReport
from app.schemas.returns import ReturnRead
from app.schemas.service_agreements import AgreementRead
from app.schemas.shelter_stays import MonitoringReportRead, StayRead
from app.schemas.shelter_visits import VisitRead
from app.schemas.shelters import ShelterPublicRead, ShelterRead
from app.schemas.trainings import TrainingRead
from app.schemas.victims import (
    VictimExchangeRead,
    VictimRead,
    VictimRegisteredExchangeRead,
    VictimRegisteredRead,
)
from app.schemas.vocabulary import Enumeration, Label, Vocabulary
from app.schemas.worklist import GrantLineRuleRead, RulebookRead
from app.services.counselling_sessions import SessionFile
from app.services.exports import PersonFile
from app.services.incidents import IncidentFile
from app.services.job_referrals import JobReferralFile
from app.services.micro_enterprises import EnterpriseFile
from app.services.possible_duplicates import Hint
from app.services.reintegration import ReintegrationFile
from app.services.reintegration_grants import GrantFile
from app.translations import StaffLanguage, label

# the columns of a class only some roles read (app/models/personal_data.py) that these
# presenters withhold, value by value; the rest of the health record is behind its route's
# permission, findings are withheld by their kind (present_assessment)
HIV_STATUS = ("health_records", "hiv_status")
SESSION_NOTES = ("counselling_sessions", "notes")
LEGAL_DATA = tuple(
    ("legal_consultations", column)
    for column in ("options_explained", "decision", "court_readiness", "notes")
)
DISCLOSED_LEGAL_DATA = tuple(("disclosures", column) for column in ("recipient_name", "what"))
WITHHELD_BY_VALUE = frozenset({HIV_STATUS, SESSION_NOTES, *LEGAL_DATA, *DISCLOSED_LEGAL_DATA})


def present_victim(victim: Victim, role: Role) -> VictimRead | VictimExchangeRead:
    if victim_view(role) is View.FULL:
        return VictimRead.model_validate(victim)
    return VictimExchangeRead.model_validate(victim)


def present_registration(
    victim: Victim, role: Role, hints: list[Hint]
) -> VictimRegisteredRead | VictimRegisteredExchangeRead:
    """The new record, with its possible duplicates as the caller may know them."""
    shown = [present_hint(h) for h in hints]
    if victim_view(role) is View.FULL:
        return VictimRegisteredRead.model_validate(victim).model_copy(
            update={"possible_duplicates": shown}
        )
    return VictimRegisteredExchangeRead.model_validate(victim).model_copy(
        update={"possible_duplicates": shown}
    )


def present_hint(hint: Hint) -> PossibleDuplicateHint:
    """DATA-DUPLICATE: a case the caller does not see is named by its organisation only."""
    seen = hint.victim
    detail = (
        "A possible match among the cases you see."
        if seen is not None
        else f"A possible match exists at organisation {hint.organisation_name}."
    )
    return PossibleDuplicateHint(
        id=hint.pair_id,
        organisation_id=hint.organisation_id,
        organisation_name=hint.organisation_name,
        victim_id=seen.id if seen else None,
        registration_number=seen.registration_number if seen else None,
        score=hint.score,
        reasons=list(hint.reasons),
        detail=detail,
    )


def present_assessment(assessment: Assessment, role: Role) -> AssessmentRead:
    """Psychological and medical findings are health data: withheld from other professions."""
    shown = AssessmentRead.model_validate(assessment)
    if reads_findings(role, assessment.kind):
        return shown
    return shown.model_copy(update={"findings": None, "findings_withheld": True})


def present_session(file: SessionFile, role: Role, *, for_person: bool = False) -> SessionRead:
    """MAN-SESSIONS: notes are psychological data, and a group session's notes speak of every
    person in it: they are shown to the health professions when they see all of them, and never
    in one person's own file (``for_person``), which the person takes away."""
    row = file.record
    group_notes_withheld = file.others > 0 or (for_person and row.kind is SessionKind.GROUP)
    notes = row.notes if readable(role, *SESSION_NOTES) and not group_notes_withheld else None
    return SessionRead(
        **row.model_dump(exclude={"notes", "author_role"}),
        victim_ids=file.victim_ids,
        other_participants=file.others,
        notes=notes,
        notes_withheld=row.notes is not None and notes is None,
    )


def present_legal_consultation(
    consultation: LegalConsultation, role: Role
) -> LegalConsultationRead:
    """MAN-LEGAL-ADVICE: the legal data for the legal counsellor, the psychologist and the
    coordinator; others see that a consultation took place."""
    shown = LegalConsultationRead.model_validate(consultation)
    if all(readable(role, *column) for column in LEGAL_DATA):
        return shown
    hidden = dict.fromkeys(column for _table, column in LEGAL_DATA)
    return shown.model_copy(update=hidden | {"legal_withheld": True})


def present_disclosure(disclosure: Disclosure, role: Role) -> DisclosureRead:
    """MAN-LEGAL-ADVICE: what was disclosed and to whom, for the roles that read legal data;
    others see that a disclosure was made, when, and the consent it rested on."""
    shown = DisclosureRead.model_validate(disclosure)
    if all(readable(role, *column) for column in DISCLOSED_LEGAL_DATA):
        return shown
    hidden = dict.fromkeys(column for _table, column in DISCLOSED_LEGAL_DATA)
    return shown.model_copy(update=hidden | {"legal_withheld": True})


def present_incident(file: IncidentFile) -> IncidentRead:
    """Residents by id, those the caller sees; the shelter by id, never its address."""
    return IncidentRead(
        **file.record.model_dump(), victim_ids=file.victim_ids, other_residents=file.others
    )


def present_complaint(
    complaint: Complaint, role: Role, caller_id: UUID, caller_organisation: UUID | None
) -> ComplaintRead | ComplaintReceipt:
    """MAN-COMPLAINT: all of it for those who handle it; a receipt for the one who recorded it."""
    if handles_complaint(
        role, caller_id, caller_organisation, complaint.organisation_id, complaint.about_user_id
    ):
        return ComplaintRead.model_validate(complaint)
    return ComplaintReceipt.model_validate(complaint)


def present_shelter(
    shelter: Shelter, role: Role, caller_organisation: UUID | None
) -> ShelterRead | ShelterPublicRead:
    """MAN-CONFIDENTIAL-LOCATION: the address for the coordinator and the running staff only."""
    if shelter_address_visible(role, caller_organisation, shelter.organisation_id):
        return ShelterRead.model_validate(shelter)
    return ShelterPublicRead.model_validate(shelter)


def present_health_record(
    record: HealthRecord, role: Role
) -> HealthRecordRead | HealthRecordWithoutHiv:
    """MAN-HIV: the HIV status for the medical officer only."""
    if readable(role, *HIV_STATUS):
        return HealthRecordRead.model_validate(record)
    return HealthRecordWithoutHiv.model_validate(record)


def present_referral(referral: Referral) -> ReferralRead:
    return ReferralRead.model_validate(referral)


def present_vocabulary(
    enumerations: Mapping[str, Iterable[str]], language: StaffLanguage
) -> Vocabulary:
    return Vocabulary(
        language=language,
        enumerations=[
            Enumeration(name=name, values=[_labelled(language, name, v) for v in values])
            for name, values in enumerations.items()
        ],
    )


def _labelled(language: StaffLanguage, enumeration: str, value: str) -> Label:
    text, found_in = label(language, enumeration, value)
    return Label(value=value, label=text, language=found_in)


def present_rulebook(rulebook: Rulebook) -> RulebookRead:
    return RulebookRead(
        version=rulebook.version,
        reflection_days=rulebook.reflection_days,
        individual_assessment_days=rulebook.individual_assessment_days,
        term_months={term.value: months for term, months in rulebook.term_months.items()},
        vot_max_months=rulebook.vot_max_months,
        follow_up_days=rulebook.follow_up_days,
        agreement_ending_notice_days=rulebook.agreement_ending_notice_days,
        insurance_abroad_days=rulebook.insurance_abroad_days,
        insurance_regain_months=rulebook.insurance_regain_months,
        insurance_lump_sum_contributions=rulebook.insurance_lump_sum_contributions,
        rehab_plan_min_months=rulebook.rehab_plan_min_months,
        rehab_plan_max_months=rulebook.rehab_plan_max_months,
        plan_review_days=rulebook.plan_review_days,
        referral_answer_days=rulebook.referral_answer_days,
        referral_contact_days=rulebook.referral_contact_days,
        deidentified_k=rulebook.deidentified_k,
        deidentified_k_floor=rulebook.deidentified_k_floor,
        shelter_capacity={kind.value: n for kind, n in rulebook.shelter_capacity.items()},
        children_min_age=rulebook.children_min_age,
        children_max_age=rulebook.children_max_age,
        medical_exam_days=rulebook.medical_exam_days,
        monitoring_months=rulebook.monitoring_months,
        retention_months=rulebook.retention_months,
        pocket_money_min_per_day=rulebook.pocket_money_min_per_day,
        complaint_meeting_days=rulebook.complaint_meeting_days,
        grant_lines={
            form.value: {
                category: GrantLineRuleRead(
                    basis=line.basis.value,
                    rate=line.rate,
                    justification_required=line.justification_required,
                    purpose=line.purpose,
                )
                for category, line in lines.items()
            }
            for form, lines in rulebook.grant_lines.items()
        },
        course_max_months=rulebook.course_max_months,
        training_ending_notice_days=rulebook.training_ending_notice_days,
        return_notice_days=rulebook.return_notice_days,
    )


def present_file(file: PersonFile, role: Role, exported_at: datetime) -> VictimExport:
    health = None
    if file.health_record is not None and reads_health_record(role):
        health = present_health_record(file.health_record, role)
    return VictimExport(
        exported_at=exported_at,
        victim=VictimRead.model_validate(file.victim),
        consents=[ConsentRead.model_validate(c) for c in file.consents],
        referrals=[present_referral(r) for r in file.referrals],
        assessments=[present_assessment(a, role) for a in file.assessments],
        care_plans=[CarePlanRead.model_validate(p) for p in file.care_plans],
        care_plan_reviews=[ReviewRead.model_validate(r) for r in file.care_plan_reviews],
        sessions=[present_session(s, role, for_person=True) for s in file.sessions],
        service_agreements=[AgreementRead.model_validate(a) for a in file.service_agreements],
        follow_up_contacts=[FollowUpRead.model_validate(f) for f in file.follow_up_contacts],
        shelter_stays=[StayRead.model_validate(s) for s in file.shelter_stays],
        monitoring_reports=[
            MonitoringReportRead.model_validate(m) for m in file.monitoring_reports
        ],
        job_referrals=[present_to_case_workers(j) for j in file.job_referrals],
        grants=[present_grant(grant) for grant in file.grants],
        alerts=[AlertRead.model_validate(a) for a in file.alerts],
        visits=[VisitRead.model_validate(v) for v in file.visits],
        closures=[CaseClosureRead.model_validate(c) for c in file.closures],
        legal_consultations=[present_legal_consultation(c, role) for c in file.legal_consultations],
        disclosures=[
            DisclosureWithConsent(
                disclosure=present_disclosure(d, role), consent=ConsentRead.model_validate(c)
            )
            for d, c in file.disclosures
        ],
        incidents=[present_incident(i) for i in file.incidents],
        complaints=[ComplaintRead.model_validate(c) for c in file.complaints],
        trainings=[TrainingRead.model_validate(t) for t in file.trainings],
        identity_documents=[
            IdentityDocumentRead.model_validate(d) for d in file.identity_documents
        ],
        documents=[DocumentRead.model_validate(d) for d in file.documents],
        micro_enterprises=[present_enterprise(e) for e in file.micro_enterprises],
        returns=[ReturnRead.model_validate(r) for r in file.returns],
        withheld=list(file.withheld),
        health_record=health,
        health_record_withheld=file.health_record is not None and health is None,
    )


def present_enterprise(file: EnterpriseFile) -> MicroEnterpriseRead:
    steps = [StepRead.model_validate(s) for s in file.steps]
    return MicroEnterpriseRead.model_validate(
        file.record.model_dump() | {"steps": steps, "next_step": file.next_step}
    )


def present_reintegration(file: ReintegrationFile) -> ReintegrationRead:
    return ReintegrationRead(
        victim_id=file.victim_id,
        plan=CarePlanRead.model_validate(file.plan) if file.plan else None,
        trainings=[TrainingRead.model_validate(t) for t in file.trainings],
        micro_enterprises=[present_enterprise(e) for e in file.micro_enterprises],
        returns=[ReturnRead.model_validate(r) for r in file.returns],
        identity_documents=[
            IdentityDocumentRead.model_validate(d) for d in file.identity_documents
        ],
        grants=[present_grant(g) for g in file.grants],
        committed=[_present_commitment(c) for c in file.committed],
        withheld=list(file.withheld),
    )


def _present_commitment(c: Commitment) -> CommitmentRead:
    left = None if c.ceiling is None else max(c.ceiling - c.committed, Decimal(0))
    return CommitmentRead(
        form=c.form,
        category=c.category,
        start=c.start,
        end=c.end,
        committed=c.committed,
        ceiling=c.ceiling,
        left=left,
        grant_ids=list(c.grant_ids),
    )


def present_grant(file: GrantFile) -> GrantRead:
    lines = [GrantLineRead.model_validate(line) for line in file.lines]
    paid = [GrantInstalmentRead.model_validate(i) for i in file.instalments]
    return GrantRead.model_validate(
        file.grant.model_dump()
        | {"lines": lines, "instalments": paid, "paid": sum((i.amount for i in paid), Decimal(0))}
    )


def kpi_csv(report: KpiReport) -> str:
    """The key figures as CSV, a row per month and organisation; a hidden figure is empty."""
    out = io.StringIO()
    names = [n for n in KpiRow.model_fields if n != "suppressed"]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in report.rows:
        writer.writerow(["" if (v := getattr(row, n)) is None else v for n in names])
    return out.getvalue()


def report_csv(report: MonthlyShelterReport) -> str:
    """The monthly report as CSV rows of section, item, value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "item", "value"])
    for name in ("capacity", "bed_nights", "occupancy_rate", "admissions", "discharges"):
        writer.writerow(["shelter", name, getattr(report, name)])
    writer.writerow(["shelter", "residents_at_month_end", report.residents_at_month_end])
    for kind, count in sorted(report.services_delivered.items()):
        writer.writerow(["services_delivered", kind, count])
    for section in ("grants_submitted", "grants_approved", "grants_disbursed"):
        sums: GrantSums = getattr(report, section)
        writer.writerow([section, "count", sums.count])
        writer.writerow([section, "total", sums.total])
        for line, total in sorted(sums.by_line.items()):
            writer.writerow([section, line, total])
    return out.getvalue()


def job_referral_message(referral: JobReferral, person: Victim) -> ScmeJobReferral:
    """MAN-SCME-PRIORITY: the minimum a job search needs, and nothing else."""
    return ScmeJobReferral(
        job_referral_id=referral.id,
        registration_number=person.registration_number,
        given_name=person.given_name,
        family_name=person.family_name,
        contact_phone=person.contact_phone,
        region=referral.region,
        profession=referral.profession,
        skills=referral.skills,
        education=referral.education,
    )


def present_job_referral(
    file: JobReferralFile, role: Role
) -> JobReferralRead | ScmeJobReferralRead:
    """MAN-SCME-PRIORITY: SCME sees what a job search needs; case workers the whole record."""
    if reads_as_scme(role):
        return present_to_scme(file)
    return present_to_case_workers(file)


def present_to_case_workers(file: JobReferralFile) -> JobReferralRead:
    events = [JobReferralEventRead.model_validate(e) for e in file.events]
    return JobReferralRead.model_validate(file.referral.model_dump() | {"events": events})


def present_to_scme(file: JobReferralFile) -> ScmeJobReferralRead:
    referral, person = file.referral, file.person
    if person is None:
        raise ValueError("SCME's view is made from the person's identity")
    message = job_referral_message(referral, person)
    return ScmeJobReferralRead(
        **message.model_dump(), status=referral.status, version=referral.version
    )


def present_outbox_message(message: OutboxMessage) -> OutboxMessageRead:
    shown = OutboxMessageRead.model_validate(message)
    if message.topic is Topic.WEBHOOK:
        shown.event = WebhookEvent(message.payload["type"])
    return shown
