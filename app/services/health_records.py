"""The health record: the psychologist and the medical officer of an organisation that sees
the case; HIV status for the medical officer only (MAN-HIV). Every read is audited."""

from datetime import date

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import check_hiv_recorder
from app.domain.closure import check_in_work
from app.domain.dates import check_not_future
from app.errors import NotFound
from app.models import HealthRecord, Victim
from app.models.personal_data import readable
from app.schemas.health_records import HealthRecordWrite
from app.security import Principal
from app.services import records
from app.services.audit import AuditAction
from app.services.common import ensure_version


async def _of(session: AsyncSession, victim: Victim) -> HealthRecord | None:
    query = select(HealthRecord).where(HealthRecord.victim_id == victim.id)
    return (await session.exec(query)).first()


async def read(session: AsyncSession, principal: Principal, victim: Victim) -> HealthRecord:
    record = await _of(session, victim)
    if record is None:
        raise NotFound("No health record has been kept for this person yet.")
    records.audit_read(session, principal, record)
    return record


async def write(
    session: AsyncSession,
    principal: Principal,
    victim: Victim,
    data: HealthRecordWrite,
    expected_version: int | None,
    today: date,
) -> HealthRecord:
    """Replace the record; HIV status only from the medical officer, kept as it was otherwise."""
    check_in_work(victim.status, "write the health record")
    check_hiv_recorder(principal.role, data.hiv_status is not None)
    check_not_future("last_examined_on", data.last_examined_on, today)
    record = await _of(session, victim)
    fields = data.model_dump(exclude={"hiv_status"})
    if record is None:
        record = HealthRecord(victim_id=victim.id, updated_by=principal.actor_id, **fields)
        action = AuditAction.CREATE
    else:
        ensure_version(record, expected_version)
        for name, value in fields.items():
            setattr(record, name, value)
        record.updated_by = principal.actor_id
        action = AuditAction.UPDATE
    if readable(principal.role, HealthRecord.__tablename__, "hiv_status"):
        record.hiv_status = data.hiv_status
    session.add(record)
    await session.flush()
    records.audit_change(session, principal, record, action)
    return record
