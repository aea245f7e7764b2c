"""The shelter (MAN chapter I, and the medical parts of chapter II): stays from proposal to
discharge, capacity, eligibility, visits, monitoring, retention and the HIV rule.

Every rule function names its RULES.md id; facts in, values or domain errors out.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from app.domain.dates import add_months, age_on
from app.domain.errors import Conflict, RuleViolation
from app.domain.rulebook import Rulebook, ShelterKind
from app.domain.vocabulary import OrganisationKind, Sex


class StayStatus(StrEnum):
    PROPOSED = "proposed"
    ADMITTED = "admitted"
    DISCHARGED = "discharged"
    WITHDRAWN = "withdrawn"


_S = StayStatus
STAY_STEPS: Mapping[tuple[StayStatus, str], StayStatus] = {
    (_S.PROPOSED, "admit"): _S.ADMITTED,
    (_S.PROPOSED, "withdraw"): _S.WITHDRAWN,
    (_S.PROPOSED, "update"): _S.PROPOSED,  # signatures and pocket money, before admission
    (_S.ADMITTED, "update"): _S.ADMITTED,
    (_S.ADMITTED, "discharge"): _S.DISCHARGED,
    (_S.DISCHARGED, "report"): _S.DISCHARGED,  # the monitoring report comes after discharge
}
OPEN_STAY_STATES = frozenset({_S.PROPOSED, _S.ADMITTED})


class StaySource(StrEnum):
    """MAN 3.0.1: who told the shelter about the person."""

    NGO_COORDINATOR = "ngo_coordinator"
    LAW_ENFORCEMENT = "law_enforcement"
    SCME = "scme"
    PARTNER_NGO = "partner_ngo"
    SELF = "self"
    OTHER = "other"


class VisitorKind(StrEnum):
    """MAN-VISITORS: who comes to the shelter (MAN 2.1.9, 4.0.6)."""

    INTERNATIONAL_ORGANISATION = "international_organisation"
    SERVICE_PROVIDER = "service_provider"
    OFFICIAL = "official"  # state bodies, media, donors: only with the coordinator's approval
    FAMILY = "family"
    OTHER = "other"


class MonitoringOutcome(StrEnum):
    """MAN-MONITORING-6M: the person was reached (the Annex 7 answers), or could not be."""

    REACHED = "reached"
    UNREACHABLE = "unreachable"


class MaritalStatus(StrEnum):
    """Annex 7, general data."""

    SINGLE = "single"
    MARRIED = "married"
    COHABITING = "cohabiting"
    DIVORCED = "divorced"
    WIDOWED = "widowed"
    OTHER = "other"


class HivStatus(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    UNKNOWN = "unknown"
    NOT_TESTED = "not_tested"


class Pay(StrEnum):
    """Annex 7, question 5: if employed, was the job paid?"""

    REGULAR = "regular"
    PARTIAL = "partial"
    UNPAID = "unpaid"


class ShelterFull(Conflict):
    """MAN-CAPACITY: no free place left (409 shelter_full)."""

    code, rule = "shelter_full", "MAN-CAPACITY"


class AlreadyInShelter(Conflict):
    """MAN-ONE-STAY: the person has an open stay already (409 already_in_shelter)."""

    code, rule = "already_in_shelter", "MAN-ONE-STAY"


def check_capacity_setting(kind: ShelterKind, capacity: int, rulebook: Rulebook) -> None:
    """MAN-CAPACITY: a shelter is set up for at most the manual's number of residents (adult
    shelter 10, children's centre 16)."""
    most = rulebook.shelter_capacity[kind]
    if not 1 <= capacity <= most:
        raise RuleViolation(
            "MAN-CAPACITY",
            f"A {kind.value} shelter holds 1 to {most} residents.",
            capacity=capacity,
            max_capacity=most,
        )


def check_capacity_change(capacity: int, admitted: int) -> None:
    """MAN-CAPACITY: a shelter's capacity is not set below the residents living there."""
    if capacity < admitted:
        raise RuleViolation(
            "MAN-CAPACITY",
            f"{admitted} residents live there now: the capacity cannot be lower.",
            admitted=admitted,
        )


def check_free_place(admitted: int, capacity: int) -> None:
    """MAN-CAPACITY: never more admitted residents than places, also under concurrent
    admissions (the caller counts under a lock on the shelter)."""
    if admitted >= capacity:
        raise ShelterFull(f"The shelter's {capacity} places are all taken.")


def check_one_stay(open_stays: int) -> None:
    """MAN-ONE-STAY: a person has at most one open (proposed or admitted) stay."""
    if open_stays > 0:
        raise AlreadyInShelter("The person has an open shelter stay already.")


@dataclass(frozen=True)
class Resident:
    sex: Sex
    birth_date: date
    exceptional_justification: str | None


def check_eligibility(kind: ShelterKind, resident: Resident, on: date, rulebook: Rulebook) -> None:
    """MAN-ELIGIBILITY: an adult shelter takes female victims, a minor only in an exceptional
    case with a written justification; a children's centre takes children aged 3 to 18 (in
    completed years on the day, both ends included)."""
    age = age_on(resident.birth_date, on)
    if kind is ShelterKind.CHILDREN:
        low, high = rulebook.children_min_age, rulebook.children_max_age
        if not low <= age <= high:
            raise RuleViolation(
                "MAN-ELIGIBILITY",
                f"A children's centre takes children aged {low} to {high}.",
                age=age,
                min_age=low,
                max_age=high,
            )
        return
    if age < 18:
        if not (resident.exceptional_justification or "").strip():
            raise RuleViolation(
                "MAN-ELIGIBILITY",
                "An adult shelter takes a minor only in an exceptional case, with a written "
                "justification.",
                age=age,
            )
        return
    if resident.sex is not Sex.FEMALE:
        raise RuleViolation("MAN-ELIGIBILITY", "The adult shelter is for female victims.")


def check_admission_documents(rules_signed: bool, rights_signed: bool) -> None:
    """MAN-ADMISSION-DOCS: the resident's file has the signed General Shelter Rules and the
    signed Rights of Shelter Residents before admission (their signature dates recorded, or the
    signed forms uploaded for the stay)."""
    missing = [
        name
        for name, signed in (("rules_signed_on", rules_signed), ("rights_signed_on", rights_signed))
        if not signed
    ]
    if missing:
        raise RuleViolation(
            "MAN-ADMISSION-DOCS",
            "Admission needs the signed shelter rules and the signed rights of residents.",
            missing=", ".join(missing),
        )


def check_file_kept(status: StayStatus, cleared: set[str]) -> None:
    """MAN-ADMISSION-DOCS and MAN-ELIGIBILITY hold for the whole stay: once admitted, the signed
    documents and the justification the admission rested on are not taken off the file."""
    if status is StayStatus.PROPOSED:
        return
    if cleared & {"rules_signed_on", "rights_signed_on"}:
        raise RuleViolation(
            "MAN-ADMISSION-DOCS", "The signed documents stay on an admitted resident's file."
        )
    if "exceptional_justification" in cleared:
        raise RuleViolation(
            "MAN-ELIGIBILITY", "The justification of an exceptional admission stays on the file."
        )


def check_pocket_money(per_day: Decimal, rulebook: Rulebook) -> None:
    """MAN-POCKET-MONEY: at least 50 soms a day."""
    floor = rulebook.pocket_money_min_per_day
    if per_day < floor:
        raise RuleViolation(
            "MAN-POCKET-MONEY",
            f"Pocket money is at least {floor} soms a day.",
            minimum=floor,
            amount=per_day,
        )


def check_primary_interview(interviewed: bool) -> None:
    """MAN-PRIMARY-INTERVIEW: before admission the shelter's staff on duty (social worker or
    psychologist of the running organisation) carry out the primary interview."""
    if not interviewed:
        raise RuleViolation(
            "MAN-PRIMARY-INTERVIEW",
            "Admission follows a completed primary interview of the person by the shelter's "
            "own staff, on or before the day of admission.",
        )


def medical_exam_due(admitted_on: date, rulebook: Rulebook) -> date:
    """MAN-MEDICAL-EXAM: a complete medical examination follows admission."""
    return admitted_on + timedelta(days=rulebook.medical_exam_days)


def monitoring_due(discharged_on: date, rulebook: Rulebook) -> date:
    """MAN-MONITORING-6M: the Annex 7 report is due on the same calendar day six months after
    discharge (clamped to the month's end: 2026-08-31 → 2027-02-28)."""
    return add_months(discharged_on, rulebook.monitoring_months)


@dataclass(frozen=True)
class OwedReport:
    """A discharged stay whose Annex 7 monitoring report has not been filed."""

    stay_id: UUID
    due_on: date


def check_monitoring_due(due_on: date, reported_on: date) -> None:
    """MAN-MONITORING-6M: monitoring is carried out "after six months of discharge": the
    report is not accepted before its due day."""
    if reported_on < due_on:
        raise RuleViolation(
            "MAN-MONITORING-6M",
            f"The monitoring report is made six months after discharge, from {due_on}.",
            due_on=due_on.isoformat(),
        )


def check_erasable(
    open_stays: int,
    last_discharged_on: date | None,
    owed: Sequence[OwedReport],
    today: date,
    rulebook: Rulebook,
) -> None:
    """MAN-RETENTION-6M: the personal file is kept at least six months after discharge and
    until every discharged stay's monitoring report is filed; the refusal lists what is owed."""
    if open_stays:
        raise RuleViolation(
            "MAN-RETENTION-6M", "The person is in a shelter (or proposed for one) now."
        )
    facts: dict[str, str | list[dict[str, str]]] = {}
    if last_discharged_on is not None:
        kept_until = add_months(last_discharged_on, rulebook.retention_months)
        if today < kept_until:
            facts["kept_until"] = kept_until.isoformat()
    if owed:
        facts["outstanding"] = [
            {"type": "monitoring_report", "stay_id": str(r.stay_id), "due_on": r.due_on.isoformat()}
            for r in owed
        ]
    if facts:
        raise RuleViolation(
            "MAN-RETENTION-6M",
            "The file is kept six months after discharge and until every monitoring report "
            "is filed.",
            **facts,
        )


@dataclass(frozen=True)
class VisitFacts:
    kind: VisitorKind
    organisation_kind: OrganisationKind | None  # the visitor's organisation in the directory
    justification: str | None
    coordinator_approved: bool


# the visitor's directory organisation a kind names (and that exempts it from a justification)
_NAMED_KIND = {
    VisitorKind.INTERNATIONAL_ORGANISATION: OrganisationKind.INTERNATIONAL,
    VisitorKind.SERVICE_PROVIDER: OrganisationKind.SERVICE_PROVIDER,
}


def check_visit(visit: VisitFacts) -> None:
    """MAN-VISITORS: every visit is recorded with a justification, except visits of the
    international organisation's representatives and of contracted service providers (as the
    directory has them); an official visit needs the coordinator's approval."""
    named = _NAMED_KIND.get(visit.kind)
    if named is not None and visit.organisation_kind is not named:
        raise RuleViolation(
            "MAN-VISITORS",
            f"A visitor of kind {visit.kind.value} names their organisation of kind "
            f"{named.value} in the directory.",
        )
    if named is None and not (visit.justification or "").strip():
        raise RuleViolation("MAN-VISITORS", "A visit is recorded with its justification.")
    if visit.kind is VisitorKind.OFFICIAL and not visit.coordinator_approved:
        raise RuleViolation(
            "MAN-VISITORS", "An official visit is admitted only with the coordinator's approval."
        )


def psychiatric_alert_needed(kind_is_psychological: bool, signs_of_mental_disorder: bool) -> bool:
    """MAN-PSYCHIATRIC-ALERT: a psychologist's finding of signs of mental disorder notifies the
    shelter manager and the coordinator at once."""
    return kind_is_psychological and signs_of_mental_disorder
