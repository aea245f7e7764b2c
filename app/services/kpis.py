"""Key figures per month and organisation (issue 19), counted by the database: each figure is one
grouped statement over the months asked for (bed-nights and grant decisions one a month, as
their months are cut from intervals and timestamps); no person's row reaches Python.

Referrals count for the organisation that made them, in the month they were made; assessments,
plans and grants for the organisation that did them; stays and monitoring reports for the
shelter's organisation."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_
from sqlalchemy import select as core_select
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import CaseScope, case_scope
from app.domain.casework import AssessmentKind, AssessmentStatus
from app.domain.grants import GrantStatus
from app.domain.kpis import THRESHOLD, Month, suppressed
from app.domain.roles import Role
from app.domain.vocabulary import VictimStatus
from app.models import (
    Assessment,
    CarePlan,
    CaseAssignment,
    MonitoringReport,
    Referral,
    ReintegrationGrant,
    Shelter,
    ShelterStay,
    Victim,
)
from app.schemas.reports import Caseload, KpiReport, KpiRow
from app.security import Principal
from app.services.shelter_report import month_bounds, utc_window
from app.services.sql import as_date, days_between, greatest, least, year_month

_Key = tuple[str, UUID]  # (month, organisation)


async def report(
    session: AsyncSession,
    principal: Principal,
    months: Sequence[Month],
    organisation_id: UUID | None,
    zone: ZoneInfo,
) -> KpiReport:
    """The coordinator and the auditor see every organisation (the auditor without the small
    counts); a shelter manager their own."""
    scope = _scope(principal, organisation_id)
    first, last = months[0].first, month_bounds(months[-1].year, months[-1].month)[1]
    rows: dict[_Key, dict[str, Any]] = defaultdict(dict)
    for figures in (
        await _referrals(session, scope, first, last),
        await _assessments(session, scope, first, last),
        await _plans(session, scope, first, last),
        await _monitoring(session, scope, first, last),
        await _per_month(session, scope, months, zone),
    ):
        for key, values in figures.items():
            rows[key] |= values
    auditor = principal.role is Role.AUDITOR
    shown = [_row(month, org, values, auditor) for (month, org), values in sorted(rows.items())]
    return KpiReport(
        from_month=months[0].key,
        to_month=months[-1].key,
        threshold=THRESHOLD if auditor else None,
        rows=shown,
        caseloads=[] if auditor else await _caseloads(session, scope),
    )


def _scope(principal: Principal, organisation_id: UUID | None) -> UUID | None:
    """The one organisation reported on, or None for all."""
    if case_scope(principal.role) is CaseScope.ALL or principal.role is Role.AUDITOR:
        return organisation_id
    return principal.organisation


def _of(column: Any, scope: UUID | None) -> list[ColumnElement[bool]]:
    return [col(column) == scope] if scope is not None else []


def _row(month: str, organisation_id: UUID, values: dict[str, Any], auditor: bool) -> KpiRow:
    row = KpiRow(month=month, organisation_id=organisation_id, **values)
    if not auditor:
        return row
    hidden = suppressed(row.model_dump())
    return row.model_copy(update=dict.fromkeys(hidden) | {"suppressed": hidden})


async def _referrals(
    session: AsyncSession, scope: UUID | None, first: date, last: date
) -> dict[_Key, dict[str, Any]]:
    month, org = year_month(col(Referral.referred_on)), col(Referral.from_organisation_id)
    made = [col(Referral.referred_on).between(first, last), *_of(org, scope)]
    counted = await _rows(
        session,
        core_select(
            month,
            org,
            func.count(),
            func.count(col(Referral.accepted_on)),
            func.count(col(Referral.contact_on)),
        )
        .where(*made)
        .group_by(month, org),
    )
    figures: dict[_Key, dict[str, Any]] = {
        (m, o): {"referrals_made": n, "referrals_accepted": a, "referrals_contacted": c}
        for m, o, n, a, c in counted
    }
    medians = (
        ("median_days_to_accept", col(Referral.accepted_on)),
        ("median_days_to_first_contact", col(Referral.contact_on)),
    )
    for name, day in medians:
        waited = days_between(day, col(Referral.referred_on))
        for key, median in await _medians(session, month, org, waited, [*made, day.is_not(None)]):
            figures[key][name] = median
    return figures


async def _medians(
    session: AsyncSession, month: Any, org: Any, value: Any, conditions: list[Any]
) -> Iterable[tuple[_Key, Decimal]]:
    """The median of ``value`` per month and organisation, by the database on both: each
    group's values numbered in order, and the middle one (or the mean of the middle two)."""
    groups = (month, org)
    numbered = (
        core_select(
            month.label("month"),
            org.label("org"),
            value.label("value"),
            func.row_number().over(partition_by=groups, order_by=value).label("place"),
            func.count().over(partition_by=groups).label("size"),
        )
        .where(*conditions)
        .subquery()
    )
    middle = or_(
        numbered.c.place == (numbered.c.size + 1) // 2,
        numbered.c.place == (numbered.c.size + 2) // 2,
    )
    rows = (
        await session.exec(
            select(numbered.c.month, numbered.c.org, func.avg(numbered.c.value))
            .where(middle)
            .group_by(numbered.c.month, numbered.c.org)
        )
    ).all()
    return [((m, o), Decimal(str(median)).quantize(Decimal("0.1"))) for m, o, median in rows]


async def _rows(session: AsyncSession, query: Any) -> Sequence[Any]:
    """A Core statement of more columns than SQLModel's ``select`` types."""
    return (await (await session.connection()).execute(query)).all()


async def _assessments(
    session: AsyncSession, scope: UUID | None, first: date, last: date
) -> dict[_Key, dict[str, Any]]:
    """SOP-INDIVIDUAL-20D: completed individual needs assessments, on time or late."""
    month, org = year_month(col(Assessment.performed_on)), col(Assessment.organisation_id)
    late = col(Assessment.late_by_days) > 0
    rows = (
        await session.exec(
            select(month, org, func.count().filter(~late), func.count().filter(late))
            .where(
                col(Assessment.kind) == AssessmentKind.INDIVIDUAL_NEEDS,
                col(Assessment.status) == AssessmentStatus.COMPLETED,
                col(Assessment.performed_on).between(first, last),
                *_of(org, scope),
            )
            .group_by(month, org)
        )
    ).all()
    return {
        (m, o): {"individual_assessments_on_time": t, "individual_assessments_late": n}
        for m, o, t, n in rows
    }


async def _plans(
    session: AsyncSession, scope: UUID | None, first: date, last: date
) -> dict[_Key, dict[str, Any]]:
    month, org = year_month(col(CarePlan.activated_on)), col(CarePlan.organisation_id)
    rows = (
        await session.exec(
            select(month, org, func.count())
            .where(col(CarePlan.activated_on).between(first, last), *_of(org, scope))
            .group_by(month, org)
        )
    ).all()
    return {(m, o): {"plans_activated": n} for m, o, n in rows}


async def _monitoring(
    session: AsyncSession, scope: UUID | None, first: date, last: date
) -> dict[_Key, dict[str, Any]]:
    """MAN-MONITORING-6M: Annex 7 reports made, by the day the stay's report was due."""
    month, org = year_month(col(MonitoringReport.reported_on)), col(Shelter.organisation_id)
    late = col(MonitoringReport.reported_on) > col(ShelterStay.monitoring_due_on)
    rows = (
        await session.exec(
            select(month, org, func.count().filter(~late), func.count().filter(late))
            .join(ShelterStay, col(ShelterStay.id) == col(MonitoringReport.stay_id))
            .join(Shelter, col(Shelter.id) == col(ShelterStay.shelter_id))
            .where(col(MonitoringReport.reported_on).between(first, last), *_of(org, scope))
            .group_by(month, org)
        )
    ).all()
    return {
        (m, o): {"monitoring_reports_on_time": t, "monitoring_reports_late": n}
        for m, o, t, n in rows
    }


async def _per_month(
    session: AsyncSession, scope: UUID | None, months: Sequence[Month], zone: ZoneInfo
) -> dict[_Key, dict[str, Any]]:
    """Stays admitted and bed-nights (cut from each stay's interval), and grants approved (by
    the instant of the decision, in the organisation's day): a statement a month each."""
    figures: dict[_Key, dict[str, Any]] = defaultdict(dict)
    for month in months:
        first, last = month_bounds(month.year, month.month)
        for org, admitted, nights in await _stays(session, scope, first, last):
            figures[(month.key, org)] |= {"stays_admitted": admitted, "bed_nights": nights}
        for org, count, total in await _grants(session, scope, utc_window(first, last, zone)):
            figures[(month.key, org)] |= {"grants_approved": count, "grants_approved_total": total}
    return figures


async def _stays(
    session: AsyncSession, scope: UUID | None, first: date, last: date
) -> Sequence[tuple[UUID, int, int]]:
    """Bed-nights as the monthly shelter report counts them: from the day of admission to the
    day before discharge."""
    after = as_date(last + timedelta(days=1))
    admitted, discharged = col(ShelterStay.admitted_on), col(ShelterStay.discharged_on)
    nights = days_between(
        least(func.coalesce(discharged, after), after), greatest(admitted, as_date(first))
    )
    org = col(Shelter.organisation_id)
    return (
        await session.exec(
            select(
                org,
                func.count().filter(admitted.between(first, last)),
                func.coalesce(func.sum(nights), 0),
            )
            .join(Shelter, col(Shelter.id) == col(ShelterStay.shelter_id))
            .where(
                admitted <= last,
                or_(discharged.is_(None), discharged > first),
                *_of(org, scope),
            )
            .group_by(org)
        )
    ).all()


async def _grants(
    session: AsyncSession, scope: UUID | None, window: tuple[Any, Any]
) -> Sequence[tuple[UUID, int, Decimal]]:
    org = col(ReintegrationGrant.ngo_organisation_id)
    approved = col(ReintegrationGrant.status).in_([GrantStatus.APPROVED, GrantStatus.DISBURSED])
    return (
        await session.exec(
            select(org, func.count(), func.sum(col(ReintegrationGrant.total)))
            .where(
                approved,
                col(ReintegrationGrant.decided_at).between(*window),
                *_of(org, scope),
            )
            .group_by(org)
        )
    ).all()


async def _caseloads(session: AsyncSession, scope: UUID | None) -> list[Caseload]:
    """Open cases per worker, now (CASELOAD-TRANSFER): the cases in work each one holds."""
    org, user = col(CaseAssignment.organisation_id), col(CaseAssignment.user_id)
    rows = (
        await session.exec(
            select(org, user, func.count())
            .join(Victim, col(Victim.id) == col(CaseAssignment.victim_id))
            .where(and_(col(Victim.status) == VictimStatus.ACTIVE, *_of(org, scope)))
            .group_by(org, user)
            .order_by(org, user)
        )
    ).all()
    return [Caseload(organisation_id=o, user_id=u, open_cases=n) for o, u, n in rows]
