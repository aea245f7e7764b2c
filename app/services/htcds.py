"""Cases out in the Human Trafficking Case Data Standard (issue 20): one case, or
the coordinator's pages of every case, as rows of the toolkit's columns (app/domain/htcds.py).

Only persons with an active ``data_processing`` consent leave; each one exported is audited. A
page is read in a fixed number of statements whatever its size: the persons, then their
closures, follow-ups, holders, referrals and the referrals' organisations, each by the page's
ids (no statement per person)."""

import csv
import io
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import ColumnElement, exists
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain import htcds
from app.domain.access import CaseScope, case_scope
from app.domain.casework import FollowUpStatus, ReferralStatus
from app.domain.consent import ConsentPurpose
from app.domain.imports import is_formula_like
from app.models import (
    CaseAssignment,
    CaseClosure,
    Consent,
    FollowUpContact,
    Organisation,
    Referral,
    Victim,
)
from app.security import Principal
from app.services import audit
from app.services.imports import text_cell
from app.services.pagination import PageParams, fetch_page
from app.services.scope import visible_referrals

_NOT_REFERRED = (ReferralStatus.DECLINED, ReferralStatus.CANCELLED)


def consented() -> ColumnElement[bool]:
    """The person has an active consent to the processing of their data."""
    return exists().where(
        col(Consent.victim_id) == Victim.id,
        col(Consent.purpose) == ConsentPurpose.DATA_PROCESSING,
        col(Consent.withdrawn_at).is_(None),
    )


async def case_row(
    session: AsyncSession, principal: Principal, victim: Victim
) -> dict[str, htcds.Value]:
    """One case the caller sees, if its person consented to the processing of their data; a
    refusal is on the audit trail."""
    query = select(Victim.id).where(Victim.id == victim.id, consented())
    consenting = (await session.exec(query)).first() is not None
    with audit.refusals_recorded(session, principal, "victim", victim.id):
        htcds.check_exportable(victim.status, consenting)
    (row,) = await rows_of(session, principal, [victim])
    audit.record_exports(session, principal, "victim", [(victim.id, victim.id)])
    return row


async def page(
    session: AsyncSession, principal: Principal, params: PageParams
) -> tuple[list[dict[str, htcds.Value]], str | None]:
    """A page of every case whose person consented, newest first."""
    query = select(Victim).where(col(Victim.status).in_(htcds.EXPORTABLE), consented())
    victims, cursor = await fetch_page(session, query, Victim.id, params)
    rows = await rows_of(session, principal, victims)
    audit.record_exports(session, principal, "victim", [(v.id, v.id) for v in victims])
    return rows, cursor


async def rows_of(
    session: AsyncSession, principal: Principal, victims: Sequence[Victim]
) -> list[dict[str, htcds.Value]]:
    """The rows of these cases, with only the referrals the caller sees (none for a medical,
    legal or psychological service) and a holder only to their own organisation's colleagues
    (or the coordinator)."""
    ids = [v.id for v in victims]
    if not ids:
        return []
    closures = await _last_closures(session, ids)
    following = await _follow_ups_due(session, ids)
    holders = await _holders(session, principal, ids)
    referrals = list(
        (
            await session.exec(
                select(Referral)
                .where(col(Referral.victim_id).in_(ids))
                .where(col(Referral.status).not_in(_NOT_REFERRED))
                .where(col(Referral.service).not_in(htcds.SENSITIVE_SERVICES))
                .where(visible_referrals(principal))
                .order_by(col(Referral.referred_on), col(Referral.created_at))
            )
        ).all()
    )
    names = await _organisation_names(session, referrals)
    by_person: dict[UUID, list[Referral]] = {}
    for referral in referrals:
        by_person.setdefault(referral.victim_id, []).append(referral)
    return [
        htcds.row(_facts(v, closures, following, holders, by_person.get(v.id, []), names))
        for v in victims
    ]


def _facts(
    victim: Victim,
    closures: dict[UUID, CaseClosure],
    following: set[UUID],
    holders: dict[tuple[UUID, UUID], UUID],
    referrals: Sequence[Referral],  # the person's, oldest first
    names: dict[UUID, str],
) -> htcds.CaseFacts:
    own, closure = victim.organisation_id, closures.get(victim.id)
    incoming = [r for r in referrals if r.to_organisation_id == own != r.from_organisation_id]
    outgoing = [r for r in referrals if r.from_organisation_id == own != r.to_organisation_id]
    return htcds.CaseFacts(
        given_name=victim.given_name,
        family_name=victim.family_name,
        birth_date=victim.birth_date,
        sex=victim.sex,
        nationality=victim.nationality,
        exploitation_types=victim.exploitation_types,
        country_of_exploitation=victim.country_of_exploitation,
        identified_on=victim.identified_on,
        status=victim.status,
        closure=closure.reason if closure else None,
        follow_up_due=victim.id in following,
        holder=holders.get((own, victim.id)),
        incoming=next(
            (
                htcds.ReferralFacts(names[r.from_organisation_id], r.referred_on, r.created_by)
                for r in reversed(incoming)
            ),
            None,
        ),
        outgoing=next(
            (
                htcds.ReferralFacts(names[r.to_organisation_id], r.referred_on)
                for r in reversed(outgoing)
            ),
            None,
        ),
    )


async def _last_closures(session: AsyncSession, ids: list[UUID]) -> dict[UUID, CaseClosure]:
    query = (
        select(CaseClosure)
        .where(col(CaseClosure.victim_id).in_(ids), col(CaseClosure.reopened_at).is_(None))
        .order_by(col(CaseClosure.closed_on), col(CaseClosure.created_at))
    )
    return {closure.victim_id: closure for closure in (await session.exec(query)).all()}


async def _follow_ups_due(session: AsyncSession, ids: list[UUID]) -> set[UUID]:
    query = select(FollowUpContact.victim_id).where(
        col(FollowUpContact.victim_id).in_(ids),
        col(FollowUpContact.status) == FollowUpStatus.DUE,
    )
    return set((await session.exec(query)).all())


async def _holders(
    session: AsyncSession, principal: Principal, ids: list[UUID]
) -> dict[tuple[UUID, UUID], UUID]:
    query = select(CaseAssignment).where(col(CaseAssignment.victim_id).in_(ids))
    if case_scope(principal.role) is not CaseScope.ALL:
        query = query.where(col(CaseAssignment.organisation_id) == principal.organisation_id)
    return {(a.organisation_id, a.victim_id): a.user_id for a in (await session.exec(query)).all()}


async def _organisation_names(
    session: AsyncSession, referrals: Sequence[Referral]
) -> dict[UUID, str]:
    ids = {r.from_organisation_id for r in referrals} | {r.to_organisation_id for r in referrals}
    if not ids:
        return {}
    query = select(Organisation.id, Organisation.name).where(col(Organisation.id).in_(ids))
    return {row[0]: row[1] for row in (await session.exec(query)).all()}


def as_csv(rows: Sequence[dict[str, htcds.Value]]) -> str:
    """The field names, then a row per case; a cell a spreadsheet would take for a formula is
    written with a leading apostrophe (CWE-1236)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(htcds.COLUMNS)
    for row in rows:
        cells = (htcds.flat(row[column]) for column in htcds.COLUMNS)
        writer.writerow(f"'{cell}" if is_formula_like(cell) else cell for cell in cells)
    return out.getvalue()


def as_xlsx(rows: Sequence[dict[str, htcds.Value]]) -> bytes:
    """The toolkit's spreadsheet: the field names in the first row, their labels in the
    second, a case per row from the third; every cell a string, never a formula."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Case Sheet"
    lines = [list(htcds.COLUMNS), list(htcds.COLUMNS.values())]
    lines += [[htcds.flat(row[column]) for column in htcds.COLUMNS] for row in rows]
    for number, line in enumerate(lines, 1):
        for column, value in enumerate(line, 1):
            if value:
                text_cell(sheet.cell(row=number, column=column), value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
