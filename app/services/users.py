"""Staff accounts: admin-only management, hashed passwords, deactivation."""

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import STAFF_ROLES, Role, records_confidentiality
from app.domain.dates import check_not_future
from app.domain.errors import InvalidValue
from app.domain.states import check_not_done
from app.errors import Conflict, Forbidden, NotFound
from app.models import User
from app.schemas.users import ConfidentialityAgreement, UserCreate, UserUpdate
from app.security import Principal, hash_secret
from app.services import audit, caseload
from app.services.audit import AuditAction
from app.services.auth import end_sessions
from app.services.common import ensure_version
from app.services.organisations import check_member
from app.services.pagination import PageParams, fetch_page


async def create_user(
    session: AsyncSession, principal: Principal, data: UserCreate, today: date
) -> User:
    taken = select(func.count()).select_from(User).where(User.username == data.username)
    if (await session.exec(taken)).one():
        raise Conflict("This username is taken.")
    await check_member(session, data.role, data.organisation_id)
    signed_on = data.confidentiality_signed_on
    if signed_on is not None:
        _check_agreement(data.role, "confidentiality_signed_on", signed_on, today)
    user = User(
        username=data.username,
        password_hash=await hash_secret(data.password),
        role=data.role,
        organisation_id=data.organisation_id,
        confidentiality_signed_on=signed_on,
        confidentiality_recorded_by=principal.actor_id if signed_on else None,
    )
    session.add(user)
    await session.flush()
    audit.record(session, principal, AuditAction.CREATE, "user", user.id)
    return user


async def get_user(session: AsyncSession, user_id: UUID) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


async def list_users(
    session: AsyncSession, page: PageParams, organisation_id: UUID | None, role: Role | None
) -> tuple[Sequence[User], str | None]:
    query = select(User)
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    if role is not None:
        query = query.where(User.role == role)
    return await fetch_page(session, query, User.id, page)


async def update_user(
    session: AsyncSession,
    principal: Principal,
    user: User,
    changes: UserUpdate,
    expected_version: int | None,
    now: datetime,
) -> User:
    """Any change ends the user's sessions: they sign in again with what is now true. A move to
    another organisation ends the recorded confidentiality agreement (MAN-STAFF-CONFIDENTIALITY)."""
    ensure_version(user, expected_version)
    sent = changes.model_fields_set
    role = changes.role or user.role
    organisation_id = changes.organisation_id if "organisation_id" in sent else user.organisation_id
    if user.id == principal.actor_id and (role, organisation_id) != (
        user.role,
        user.organisation_id,
    ):
        raise Forbidden("Administrators do not change their own role; another admin does.")
    await check_member(session, role, organisation_id)
    if organisation_id != user.organisation_id:
        # CASELOAD-TRANSFER: the open work stays with the organisation, moved to a colleague
        # first; MAN-STAFF-CONFIDENTIALITY: the agreement was signed with the organisation left
        # behind; the new one records its own before the account works on its cases
        await caseload.release_for_deactivation(session, principal, user, False, now.date())
        user.confidentiality_signed_on = user.confidentiality_recorded_by = None
    user.role, user.organisation_id = role, organisation_id
    if changes.password is not None:
        user.password_hash = await hash_secret(changes.password)
    if sent:
        await end_sessions(session, user, now)
    session.add(user)
    await session.flush()
    audit.record(session, principal, AuditAction.UPDATE, "user", user.id)
    return user


async def deactivate_user(
    session: AsyncSession,
    principal: Principal,
    user: User,
    now: datetime,
    today: date,
    move_open_work_to_manager: bool = False,
) -> User:
    """Its access and refresh tokens stop working at once (``end_sessions``). Nobody
    deactivates their own account, so there is always an administrator left; nor an account
    still holding open work, unless it moves to the manager (CASELOAD-TRANSFER)."""
    if user.id == principal.actor_id:
        raise Forbidden("Administrators do not deactivate their own account.")
    check_not_done("user", not user.active, "inactive", "deactivate")
    await caseload.release_for_deactivation(
        session, principal, user, move_open_work_to_manager, today
    )
    user.active, user.deactivated_at = False, now
    await end_sessions(session, user, now)
    session.add(user)
    await session.flush()
    audit.record(session, principal, AuditAction.DEACTIVATE, "user", user.id)
    return user


async def record_confidentiality_agreement(
    session: AsyncSession,
    principal: Principal,
    user: User,
    data: ConfidentialityAgreement,
    today: date,
) -> User:
    """MAN-STAFF-CONFIDENTIALITY: the admin, or the shelter manager of the member's own
    organisation, records the signed agreement once; from then on the account works on cases.
    A shelter manager is not told of accounts outside their organisation (404)."""
    may = records_confidentiality(
        principal.role, principal.organisation_id, user.role, user.organisation_id
    )
    if not may and principal.role is not Role.ADMIN:
        raise NotFound("No such user.")
    _check_agreement(user.role, "signed_on", data.signed_on, today)
    check_not_done(
        "confidentiality agreement", user.confidentiality_signed_on is not None, "signed", "sign"
    )
    user.confidentiality_signed_on = data.signed_on
    user.confidentiality_recorded_by = principal.actor_id
    session.add(user)
    await session.flush()
    audit.record(session, principal, AuditAction.UPDATE, "user", user.id)
    return user


def _check_agreement(role: Role, field: str, signed_on: date, today: date) -> None:
    if role not in STAFF_ROLES:
        raise InvalidValue(field, "Only the staff of an organisation sign Annex 4.")
    check_not_future(field, signed_on, today)
