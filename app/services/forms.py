"""The printed forms of a case (issue 18): what each form shows, gathered from its records, and
drawn by app/forms/pdf.py. A form shows a person's data as their record does: it is audited
as an export of that record."""

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import Role, records_confidentiality
from app.domain.rulebook import GrantForm
from app.domain.shelter import MonitoringOutcome
from app.errors import NotFound
from app.forms import pdf
from app.forms.texts import CHOICES, MONITORING_QUESTIONS, WORDS, Language
from app.models import Organisation, ReintegrationGrant, Shelter, ShelterStay, User, Victim
from app.security import Principal
from app.services import audit, reintegration_grants, shelter_stays
from app.services.audit import AuditAction


def _exported(session: AsyncSession, principal: Principal, kind: str, record: object) -> None:
    audit.record(
        session, principal, AuditAction.EXPORT, kind, getattr(record, "id"),  # noqa: B009
        victim_id=getattr(record, "victim_id", None),
    )  # fmt: skip


async def admission_papers(
    session: AsyncSession, principal: Principal, stay: ShelterStay, language: Language
) -> bytes:
    """Annexes 2 and 3 for the stay's resident to sign (MAN-ADMISSION-DOCS)."""
    victim = await session.get_one(Victim, stay.victim_id)
    shelter = await session.get_one(Shelter, stay.shelter_id)
    _exported(session, principal, "shelter_stay", stay)
    papers = pdf.AdmissionPapers(
        resident=f"{victim.given_name} {victim.family_name}",
        registration_number=victim.registration_number,
        shelter=shelter.name,
        proposed_on=stay.proposed_on,
        rules_signed_on=stay.rules_signed_on,
        rights_signed_on=stay.rights_signed_on,
    )
    return pdf.admission_papers(papers, language)


async def financial_agreement(
    session: AsyncSession, principal: Principal, grant: ReintegrationGrant, language: Language
) -> bytes:
    """Annex 5 (pink) or 6 (blue), filled in from the grant, for the NGO and the mission to
    sign."""
    lines = await reintegration_grants.lines_of(session, grant)
    ngo = await session.get_one(Organisation, grant.ngo_organisation_id)
    victim = await session.get_one(Victim, grant.victim_id)
    representatives = grant.representatives or {}
    _exported(session, principal, "reintegration_grant", grant)
    agreement = pdf.FinancialAgreement(
        blue=grant.form is GrantForm.BLUE,
        number=grant.number,
        ngo=ngo.name,
        ngo_representative=representatives.get("ngo"),
        mission_representative=representatives.get("mission"),
        mou_reference=grant.mou_reference,
        registration_number=victim.registration_number,
        period_start=grant.period_start,
        period_end=grant.period_end,
        lines=[pdf.AgreementLine(line.category, line.amount) for line in lines],
        total=grant.total,
        dated=grant.submitted_at.date() if grant.submitted_at else None,
    )
    return pdf.financial_agreement(agreement, language)


async def confidentiality_agreement(
    session: AsyncSession, principal: Principal, user: User, language: Language
) -> bytes:
    """Annex 4 for a staff member to sign, printed by whoever records it (the admin, or the
    shelter manager of the member's own organisation; anyone else is told of no such user)."""
    may = records_confidentiality(
        principal.role, principal.organisation_id, user.role, user.organisation_id
    )
    if not may and principal.role is not Role.ADMIN:
        raise NotFound("No such user.")
    home = await session.get(Organisation, user.organisation_id) if user.organisation_id else None
    audit.record(session, principal, AuditAction.EXPORT, "user", user.id)
    agreement = pdf.ConfidentialityAgreement(
        staff_member=user.username,
        organisation=home.name if home else "",
        signed_on=user.confidentiality_signed_on,
    )
    return pdf.confidentiality_agreement(agreement, language)


async def monitoring_form(
    session: AsyncSession, principal: Principal, stay: ShelterStay, language: Language
) -> bytes:
    """Annex 7 filled in from the stay's monitoring report, for the social worker to sign."""
    report = await shelter_stays.monitoring_report_of(session, principal, stay)
    if report is None:
        raise NotFound("No monitoring report has been recorded for this stay.")
    victim = await session.get_one(Victim, stay.victim_id)
    _exported(session, principal, "monitoring_report", report)
    answers = [
        (question, _answer(getattr(report, field), language))
        for field, question in MONITORING_QUESTIONS[language]
        if getattr(report, field) is not None
    ]
    form = pdf.MonitoringForm(
        given_name=victim.given_name,
        family_name=victim.family_name,
        birth_date=victim.birth_date,
        reported_on=report.reported_on,
        reached=report.outcome is MonitoringOutcome.REACHED,
        answers=answers,
    )
    return pdf.monitoring_form(form, language)


def _answer(value: object, language: Language) -> str:
    if isinstance(value, bool):
        return WORDS[language]["yes" if value else "no"]
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return CHOICES[language].get(str(value), str(value))
