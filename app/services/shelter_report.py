"""The shelter manager's monthly progress report (MAN 2.1.10), counted by the database."""

import calendar
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, func, or_
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import oversees_or_keeps
from app.domain.casework import AssessmentStatus
from app.domain.grants import GrantStatus
from app.errors import Forbidden
from app.models import Assessment, GrantLine, ReintegrationGrant, Shelter, ShelterStay
from app.schemas.reports import GrantSums, MonthlyShelterReport
from app.security import Principal
from app.services.sql import as_date, days_between, greatest, least

ZERO = Decimal("0.00")


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


async def monthly(
    session: AsyncSession,
    principal: Principal,
    shelter: Shelter,
    year: int,
    month: int,
    zone: ZoneInfo,
) -> MonthlyShelterReport:
    if not oversees_or_keeps(principal.role, principal.organisation_id, shelter.organisation_id):
        raise Forbidden("The shelter's manager and the coordinator read its monthly report.")
    first, last = month_bounds(year, month)
    stays = await _stay_counts(session, shelter, first, last)
    days = (last - first).days + 1
    rate = (Decimal(stays["bed_nights"]) / Decimal(shelter.capacity * days)).quantize(
        Decimal("0.0001")
    )
    window = utc_window(first, last, zone)
    return MonthlyShelterReport(
        shelter_id=shelter.id,
        month=f"{year:04d}-{month:02d}",
        capacity=shelter.capacity,
        occupancy_rate=rate,
        services_delivered=await _services(session, shelter, first, last),
        grants_submitted=await _grants(
            session, shelter, _in(ReintegrationGrant.submitted_at, *window)
        ),
        grants_approved=await _grants(
            session,
            shelter,
            _in(ReintegrationGrant.decided_at, *window),
            col(ReintegrationGrant.status).in_([GrantStatus.APPROVED, GrantStatus.DISBURSED]),
        ),
        grants_disbursed=await _grants(
            session, shelter, _in(ReintegrationGrant.disbursed_on, first, last)
        ),
        **stays,
    )


def utc_window(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The month's business days as a UTC interval, for timestamps."""
    start = datetime.combine(first, time.min, zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, zone).astimezone(UTC)
    return start, end - timedelta(microseconds=1)


def _in(column: Any, first: Any, last: Any) -> ColumnElement[bool]:
    return col(column).between(first, last)


async def _stay_counts(
    session: AsyncSession, shelter: Shelter, first: date, last: date
) -> dict[str, int]:
    """Bed-nights (a night counts from the day of admission to the day before discharge),
    admissions, discharges and the residents on the month's last night."""
    after = as_date(last + timedelta(days=1))
    admitted, discharged = col(ShelterStay.admitted_on), col(ShelterStay.discharged_on)
    in_month = and_(admitted <= last, or_(discharged.is_(None), discharged > first))
    nights = days_between(
        least(func.coalesce(discharged, after), after), greatest(admitted, as_date(first))
    )
    query = select(
        func.coalesce(func.sum(nights).filter(in_month), 0),
        func.count().filter(admitted.between(first, last)),
        func.count().filter(discharged.between(first, last)),
        func.count().filter(admitted <= last, or_(discharged.is_(None), discharged > last)),
    ).where(col(ShelterStay.shelter_id) == shelter.id, admitted.is_not(None))
    bed_nights, admissions, discharges, residents = (await session.exec(query)).one()
    return {
        "bed_nights": int(bed_nights),
        "admissions": admissions,
        "discharges": discharges,
        "residents_at_month_end": residents,
    }


async def _services(
    session: AsyncSession, shelter: Shelter, first: date, last: date
) -> dict[str, int]:
    """Assessments completed in the month, on a day the person lived there. Read from the
    shelter's stays to their persons' assessments (a person counted once per assessment, also
    on the day one stay ended and the next began)."""
    query = (
        select(col(Assessment.kind), func.count(func.distinct(col(Assessment.id))))
        .select_from(ShelterStay)
        .join(Assessment, col(Assessment.victim_id) == col(ShelterStay.victim_id))
        .where(
            col(ShelterStay.shelter_id) == shelter.id,
            col(ShelterStay.admitted_on) <= col(Assessment.performed_on),
            or_(
                col(ShelterStay.discharged_on).is_(None),
                col(ShelterStay.discharged_on) >= col(Assessment.performed_on),
            ),
            col(Assessment.status) == AssessmentStatus.COMPLETED,
            col(Assessment.performed_on).between(first, last),
        )
        .group_by(col(Assessment.kind))
    )
    return {str(kind): count for kind, count in (await session.exec(query)).all()}


async def _grants(
    session: AsyncSession, shelter: Shelter, *conditions: ColumnElement[bool]
) -> GrantSums:
    """The NGO's grants for people who lived in this shelter during the grant's period,
    summed by line."""
    resident = exists().where(
        col(ShelterStay.shelter_id) == shelter.id,
        col(ShelterStay.victim_id) == col(ReintegrationGrant.victim_id),
        col(ShelterStay.admitted_on).is_not(None),
        col(ShelterStay.admitted_on) <= col(ReintegrationGrant.period_end),
        or_(
            col(ShelterStay.discharged_on).is_(None),
            col(ShelterStay.discharged_on) >= col(ReintegrationGrant.period_start),
        ),
    )
    grants = [
        col(ReintegrationGrant.ngo_organisation_id) == shelter.organisation_id,
        resident,
        *conditions,
    ]
    count = (await session.exec(select(func.count()).where(*grants))).one()
    by_line = (
        await session.exec(
            select(col(GrantLine.category), func.sum(col(GrantLine.amount)))
            .join(ReintegrationGrant, col(ReintegrationGrant.id) == col(GrantLine.grant_id))
            .where(*grants)
            .group_by(col(GrantLine.category))
        )
    ).all()
    sums = {category: total for category, total in by_line}
    return GrantSums(count=count, total=sum(sums.values(), ZERO), by_line=sums)
