"""Personal data declared once: the class of every column of every table, and how each table's
rows belong to a person. Erasure, the person's export, the role-based reading of health, HIV and
psychological values and log redaction read it here; a test fails when a column has no class.

A new column is classified here in the same change (tests/test_personal_data.py says which)."""

from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.access import Role
from app.domain.privacy import ERASED, DataClass, reads_class

_I, _C, _L, _S = DataClass.IDENTIFYING, DataClass.CONTACT, DataClass.LOCATION, DataClass.SOCIAL
_H, _HIV, _P = DataClass.HEALTH, DataClass.HIV, DataClass.PSYCHOLOGICAL
_T, _N, _LEGAL = DataClass.FREE_TEXT, DataClass.COUNTED, DataClass.LEGAL


def _table(not_personal: str, **personal: DataClass) -> Mapping[str, DataClass]:
    return {**dict.fromkeys(not_personal.split(), DataClass.NOT_PERSONAL), **personal}


_STAMPS = "version id created_at updated_at"

PERSONAL_DATA: Mapping[str, Mapping[str, DataClass]] = {
    # --- the person ------------------------------------------------------------------------------
    "victims": _table(
        f"{_STAMPS} organisation_id status merged_into_id identified_on",
        registration_number=_I,
        given_name=_I,
        family_name=_I,
        birth_date=_I,  # kept as the birth year only
        registered_address=_L,
        contact_phone=_C,
        departed_on=_I,
        returned_on=_I,
        health_contributions_unpaid=_S,
        insured_months_since_return=_S,
        eligible_for_social_benefits=_S,
        sex=_N,
        nationality=_N,
        exploitation_types=_N,
        country_of_exploitation=_N,
        home_region=_N,
    ),
    "consents": _table(
        "version id victim_id purpose recipient_organisation_id given_on given_at recorded_by "
        "withdrawn_at withdrawn_by"
    ),
    "health_records": _table(
        f"{_STAMPS} victim_id updated_by",
        conditions=_H,
        allergies=_H,
        medications=_H,
        notes=_H,
        last_examined_on=_H,
        hiv_status=_HIV,
    ),
    # keyed hashes of the names and birth date (matching): deleted with the person
    "person_match_keys": _table("victim_id kind", key=_I),
    "possible_duplicates": _table(
        "id victim_id candidate_id score reasons resolution resolved_by resolved_at found_on"
    ),
    "imports": _table(
        "id organisation_id created_by file_sha256 file_format status total_rows done_rows "
        "created problems created_at finished_at"
    ),
    "alerts": _table(
        "id victim_id organisation_id assessment_id raised_on acknowledged_at acknowledged_by "
        "created_at"
    ),
    "case_closures": _table(
        "id victim_id reason closed_on closed_by reopened_at reopened_by created_at",
        exit_information=_T,
        reopen_reason=_T,
    ),
    # --- case work -------------------------------------------------------------------------------
    "referrals": _table(
        f"{_STAMPS} victim_id from_organisation_id to_organisation_id service funding "
        "ina_assessment_id status referred_on accepted_on contact_on individual_assessment_due_on "
        "completed_on created_by rulebook_version",
        reason=_T,
        exit_information=_T,
    ),
    "assessments": _table(
        f"{_STAMPS} victim_id kind status referral_id organisation_id author_id author_role "
        "performed_on due_on late_by_days completed_at rulebook_version",
        findings=_T,  # psychological and medical findings: read by kind (access.reads_findings)
    ),
    "care_plans": _table(
        f"{_STAMPS} victim_id assessment_id organisation_id kind planned_months status "
        "activated_on ended_on created_by rulebook_version",
        goals=_T,
        recovery_stage=_N,
    ),
    "care_plan_reviews": _table(
        "id care_plan_id held_on author_id created_at", notes=_T, recovery_stage=_N
    ),
    "counselling_sessions": _table(
        "version id organisation_id kind method held_on duration_minutes care_plan_id author_id "
        "author_role created_at",
        notes=_P,
    ),
    "session_participants": _table("session_id victim_id"),
    "service_agreements": _table(
        f"{_STAMPS} victim_id care_plan_id provider_organisation_id organisation_id term "
        "starts_on ends_on consent_given status ended_on created_by rulebook_version",
        end_reason=_T,
        exit_information=_T,
    ),
    "follow_up_contacts": _table(
        f"{_STAMPS} victim_id trigger agreement_id referral_id stay_id closure_id return_id "
        "organisation_id due_on rulebook_version status channel done_on",
        outcome=_T,
    ),
    # --- protection (MAN-LEGAL-ADVICE, MAN-INCIDENT, MAN-COMPLAINT) ----------------------------
    "legal_consultations": _table(
        "id victim_id organisation_id counsellor_id held_on approved_by approved_on created_at",
        options_explained=_LEGAL,
        decision=_LEGAL,
        court_readiness=_LEGAL,
        notes=_LEGAL,
    ),
    "disclosures": _table(
        "id victim_id organisation_id recipient disclosed_on consent_id recorded_by created_at",
        # MAN-LEGAL-ADVICE: what was given and to whom is legal data, as in the consultation;
        # the others see that something was disclosed, when and under which consent
        recipient_name=_LEGAL,
        what=_LEGAL,
    ),
    "incidents": _table(
        "id shelter_id organisation_id kind occurred_at police_called recorded_by reported_on "
        "acknowledged_at acknowledged_by created_at",
        summary=_T,
    ),
    "incident_residents": _table("incident_id victim_id"),
    "complaints": _table(
        f"{_STAMPS} victim_id organisation_id kind about_user_id received_on meeting_due_on "
        "status meeting_held_on resolved_on recorded_by rulebook_version",
        summary=_T,
        meeting_notes=_T,
        resolution=_T,
    ),
    # --- the shelter -----------------------------------------------------------------------------
    "shelters": _table(f"{_STAMPS} name organisation_id kind capacity", address=_L),
    "shelter_stays": _table(
        f"{_STAMPS} victim_id shelter_id status source rules_signed_on rights_signed_on "
        "pocket_money_per_day proposed_on proposed_by admitted_on admitted_by "
        "medical_exam_due_on discharged_on handover_organisation_id monitoring_due_on "
        "rulebook_version",
        exceptional_justification=_T,
        discharge_reason=_T,
        exit_information=_T,
    ),
    "monitoring_reports": _table(
        "id stay_id victim_id outcome reported_on last_meeting_on author_id created_at",
        contact_attempts=_T,
        marital_status=_S,
        children=_S,
        contact_duration=_T,
        problems_after_return=_T,
        turned_to=_T,
        plans=_T,
        employed=_N,
        pay=_N,
        threats_from_recruiters=_N,
        law_enforcement_contact=_N,
        willing_to_cooperate=_N,
    ),
    "shelter_visits": _table(
        "id shelter_id visitor_kind visitor_organisation_id victim_id approved_by approved_on "
        "arrived_at left_at recorded_by created_at",
        visitor_name=_I,  # of the visitor: for a visit to a resident, it says who she is
        visitor_organisation=_I,
        justification=_T,
    ),
    # --- reintegration ---------------------------------------------------------------------------
    "reintegration_grants": _table(
        f"{_STAMPS} victim_id form ngo_organisation_id period_start period_end status total "
        "author_id author_organisation_id co_author_id number number_year number_seq "
        "mou_reference submitted_at decided_at decided_by disbursed_on rulebook_version",
        decision_reason=_T,
        representatives=_I,  # the names of who signed it, with the person's agreement
    ),
    "grant_instalments": _table("id grant_id amount disbursed_on recorded_by created_at"),
    "identity_documents": _table(
        f"{_STAMPS} victim_id organisation_id kind status applied_on obtained_on recorded_by"
    ),
    # a paper's description; the paper itself is a sealed file, deleted with the row
    "documents": _table(
        "id victim_id organisation_id kind media_type size_bytes stay_id consent_id grant_id "
        "monitoring_report_id identity_document_id key_id wrapped_key uploaded_by created_at",
        filename=_I,
    ),
    "trainings": _table(
        f"{_STAMPS} victim_id organisation_id provider_organisation_id starts_on ends_on "
        "chosen_by_person assessment_id care_plan_id status started_on completed_on dropped_on "
        "created_by",
        course=_S,
        drop_reason=_T,
    ),
    "micro_enterprises": _table(
        f"{_STAMPS} victim_id organisation_id candidacy_assessment_id status created_by",
        business=_S,
    ),
    "micro_enterprise_steps": _table(
        "id micro_enterprise_id step done_on recorded_by created_at", notes=_T
    ),
    "returns": _table(
        f"{_STAMPS} victim_id organisation_id kind decided_by_person travel_documents escort "
        "meeting_at_arrival planned_on status departed_on arrived_on cancelled_on created_by",
        destination=_L,  # where the person lives from now on
        cancel_reason=_T,
    ),
    "grant_lines": _table(
        "id grant_id position category amount ceiling days months purpose training_id "
        "identity_document_id micro_enterprise_id",
        justification=_T,
    ),
    "job_referrals": _table(
        f"{_STAMPS} victim_id organisation_id profession region status sent_at placed_on "
        "created_by",
        skills=_T,
        education=_T,
        employer=_I,
    ),
    "job_referral_events": _table(
        "id job_referral_id scme_event_id kind occurred_on created_at", employer=_I
    ),
    # --- the system ------------------------------------------------------------------------------
    "organisations": _table(f"{_STAMPS} name name_key kind funding licences"),
    # staff accounts: the username identifies a member of staff; credentials are only hashes
    "users": _table(
        f"{_STAMPS} password_hash role organisation_id active deactivated_at "
        "token_version confidentiality_signed_on confidentiality_recorded_by daily_digest "
        "digest_queued_on",
        username=_I,
        reminder_email=_C,
    ),
    "clients": _table(f"{_STAMPS} name secret_hash role organisation_id active deactivated_at"),
    "refresh_tokens": _table(
        "id family_id user_id token_version token_hash created_at expires_at used_at revoked_at"
    ),
    "login_failures": _table("id at", username=_I, address=_I),
    # the trail of who read and changed what: ids and the caller's address, never a value
    "audit_events": _table(
        "id at actor_type actor_id role organisation_id action record_type record_id victim_id "
        "chain chain_seq prev_hash hash",
        client_address=_I,
    ),
    "audit_chains": _table("chain seq hash"),
    # a stored answer may show anything of a person: deleted with the person (victim_ids)
    "idempotency_records": _table(
        "id caller key fingerprint status_code headers victim_ids created_at", body=_T
    ),
    # what leaves the system carries ids and states only (the receiver reads the record)
    "outbox_messages": _table(
        f"{_STAMPS} topic organisation_id endpoint_id record_id payload status attempts "
        "next_attempt_at leased_until lease_token last_error last_status_code sent_at"
    ),
    # who holds a case: names no value of the person
    "case_assignments": _table(
        "organisation_id victim_id user_id assigned_on assigned_by updated_at"
    ),
    "webhook_endpoints": _table(f"{_STAMPS} organisation_id url secret active"),
}


@dataclass(frozen=True)
class PersonLink:
    """How a table's rows belong to one person: by a column naming the person, or through the
    person's rows of another table (``column`` here matches ``via_column`` there)."""

    column: str = "victim_id"
    via: str | None = None  # a table linked to the person directly
    via_column: str = "id"


# the tables that hold a person's data, and how: erasure scrubs them, the export shows them
PERSON_LINKS: Mapping[str, PersonLink] = {
    "victims": PersonLink("id"),
    **{
        table: PersonLink()
        for table in (
            "consents",
            "health_records",
            "alerts",
            "case_closures",
            "referrals",
            "assessments",
            "care_plans",
            "service_agreements",
            "follow_up_contacts",
            "shelter_stays",
            "monitoring_reports",
            "shelter_visits",
            "reintegration_grants",
            "job_referrals",
            "session_participants",
            "legal_consultations",
            "disclosures",
            "incident_residents",
            "complaints",
            "trainings",
            "identity_documents",
            "documents",
            "micro_enterprises",
            "returns",
        )
    },
    "care_plan_reviews": PersonLink("care_plan_id", via="care_plans"),
    "grant_lines": PersonLink("grant_id", via="reintegration_grants"),
    "grant_instalments": PersonLink("grant_id", via="reintegration_grants"),
    "micro_enterprise_steps": PersonLink("micro_enterprise_id", via="micro_enterprises"),
    "job_referral_events": PersonLink("job_referral_id", via="job_referrals"),
    # a session belongs to each person in it
    "counselling_sessions": PersonLink("id", via="session_participants", via_column="session_id"),
    # an incident belongs to each resident it names
    "incidents": PersonLink("id", via="incident_residents", via_column="incident_id"),
}
# rows that go whole with the person (the health record; answers stored for retries; the
# matching keys, which are the names' and the birth date's hashes)
DELETED_ON_ERASURE = frozenset(
    {"health_records", "idempotency_records", "person_match_keys", "documents"}
)
# kept whole: the trail of what was done, which holds no value of the person
KEPT_ON_ERASURE = frozenset({"audit_events"})


def data_class(table: str, column: str) -> DataClass:
    return PERSONAL_DATA[table][column]


def erased_columns(table: str) -> list[str]:
    """The columns of ``table`` whose values erasure removes."""
    return [name for name, cls in PERSONAL_DATA[table].items() if cls in ERASED]


def readable(role: Role, table: str, column: str) -> bool:
    """Whether ``role`` reads this column's values (HIV status, session notes, ...)."""
    return reads_class(role, data_class(table, column))


def personal_names() -> frozenset[str]:
    """Every column name that holds erased personal data somewhere: what log redaction hides."""
    return frozenset(name for table in PERSONAL_DATA for name in erased_columns(table))
