"""Token grants, refresh rotation with reuse detection, login throttling, and the Principal."""

import re
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import literal, true, update
from sqlalchemy import select as core_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings
from app.domain.access import works_on_cases
from app.domain.errors import InvalidValue
from app.errors import TokenExpired, TokenInvalid
from app.models import Client, RefreshToken, User
from app.schemas.auth import MeRead, TokenRequest
from app.security import (
    Principal,
    TokenClaims,
    encode_access_token,
    fingerprint,
    new_opaque_token,
    verify_secret,
)
from app.services import login_throttle


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    expires_in: int
    refresh_token: str | None


async def resolve_principal(
    session: AsyncSession, claims: TokenClaims, address: str | None
) -> Principal:
    """The caller as the database knows them now: a deactivated account's tokens stop working,
    and a token issued before a change of password, role or organisation is refused, however
    soon after it the change came (the account's token_version moved on: ``end_sessions``)."""
    # read on every request: the few columns it needs, no ORM object (five: a Core select)
    if claims.actor_type == "user":
        query = core_select(
            col(User.active), col(User.role), col(User.organisation_id),
            col(User.token_version), col(User.confidentiality_signed_on).is_not(None),
        ).where(col(User.id) == claims.subject)  # fmt: skip
    else:  # machine clients change nothing but their state, and sign no confidentiality agreement
        query = core_select(
            col(Client.active), col(Client.role), col(Client.organisation_id), literal(0), true()
        ).where(col(Client.id) == claims.subject)
    connection = await session.connection()
    account = (await connection.execute(query)).first()
    if account is None or not account[0]:
        raise TokenInvalid("The account behind this token is not active.")
    _active, role, organisation_id, version, signed = account
    # the role and organisation are compared too: a change made in the database by hand, which
    # moves no token_version, still ends the tokens that claim the old ones
    if (version, role, organisation_id) != (claims.version, claims.role, claims.organisation_id):
        raise TokenInvalid("The account changed since this token was issued; sign in again.")
    return Principal(
        claims.actor_type, claims.subject, role, organisation_id, address, bool(signed)
    )


async def login_with_password(
    session: AsyncSession,
    settings: Settings,
    now: datetime,
    credentials: tuple[str, str],
    address: str,
) -> IssuedTokens:
    username, password = credentials[0].strip().lower(), credentials[1]
    await login_throttle.guard(session, settings, now, username, address)
    user = (await session.exec(select(User).where(User.username == username))).first()
    if not await verify_secret(password, user.password_hash if user else None) or not user:
        await login_throttle.refuse(session, now, username, address)
    if not user.active:
        await login_throttle.refuse(session, now, username, address)
    await login_throttle.forget(session, username, address)
    return _user_tokens(session, settings, now, user, family_id=uuid4())


async def login_with_client_credentials(
    session: AsyncSession,
    settings: Settings,
    now: datetime,
    credentials: tuple[str, str],
    address: str,
) -> IssuedTokens:
    """Machine clients get an access token only: they hold their secret and ask again. A client
    id is one client however the UUID is spelt; one that is no UUID names no client, and its
    failures still count against the address."""
    client_id, secret = credentials
    client_uuid = canonical_client_id(client_id)
    subject = f"client:{client_uuid or 'not-a-uuid'}"
    await login_throttle.guard(session, settings, now, subject, address)
    client = await session.get(Client, client_uuid) if client_uuid else None
    if not await verify_secret(secret, client.secret_hash if client else None) or not client:
        await login_throttle.refuse(session, now, subject, address)
    if not client.active:
        await login_throttle.refuse(session, now, subject, address)
    await login_throttle.forget(session, subject, address)
    claims = TokenClaims("client", client.id, client.role, client.organisation_id)
    return _tokens(claims, settings, now, None)


async def rotate_refresh_token(
    session: AsyncSession, settings: Settings, now: datetime, presented: str
) -> IssuedTokens:
    """Each refresh token works once. A second use means it was stolen or leaked: the whole
    family is revoked, so neither the thief nor the owner can go on without signing in."""
    token = (
        await session.exec(
            select(RefreshToken).where(RefreshToken.token_hash == fingerprint(presented))
        )
    ).first()
    if token is None:
        raise TokenInvalid("The refresh token is not valid.")
    if token.revoked_at is None and token.expires_at <= now:
        raise TokenExpired("The refresh token has expired; sign in again.")
    claimed = await session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.id) == token.id)
        .where(col(RefreshToken.used_at).is_(None))
        .where(col(RefreshToken.revoked_at).is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        await _revoke_family(session, token.family_id, now)
        await session.commit()  # the revocation must outlive the refused request
        raise TokenInvalid("The refresh token was already used; all its sessions are revoked.")
    user = await session.get(User, token.user_id)
    if user is None or not user.active:
        raise TokenInvalid("The account behind this token is not active.")
    if token.token_version != user.token_version:
        # issued before a change that ended the account's sessions: a refresh that raced the
        # change (and so escaped its revocation) is refused here
        raise TokenInvalid("The account changed since this token was issued; sign in again.")
    return _user_tokens(session, settings, now, user, family_id=token.family_id)


async def revoke(session: AsyncSession, now: datetime, presented: str) -> None:
    """Logout: the family of the presented refresh token ends. Unknown tokens are ignored
    (RFC 7009), so the answer says nothing about which tokens exist."""
    token = (
        await session.exec(
            select(RefreshToken).where(RefreshToken.token_hash == fingerprint(presented))
        )
    ).first()
    if token is not None:
        await _revoke_family(session, token.family_id, now)


async def end_sessions(session: AsyncSession, user: User, now: datetime) -> None:
    """A new password, a deactivation, a new role or organisation: in the change's transaction,
    the account's token_version moves on, so every access and refresh token issued before it
    is refused from the commit on (even one issued in the same second), and its refresh tokens
    are revoked."""
    user.token_version += 1
    session.add(user)
    await session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.user_id) == user.id)
        .where(col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )


async def _revoke_family(session: AsyncSession, family_id: UUID, now: datetime) -> None:
    await session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.family_id) == family_id)
        .where(col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )


def _user_tokens(
    session: AsyncSession, settings: Settings, now: datetime, user: User, family_id: UUID
) -> IssuedTokens:
    """An access token and a refresh token, both under the account's token_version now."""
    version = user.token_version
    claims = TokenClaims("user", user.id, user.role, user.organisation_id, version)
    refresh = new_opaque_token()
    session.add(
        RefreshToken(
            family_id=family_id,
            user_id=user.id,
            token_version=version,
            token_hash=fingerprint(refresh),
            created_at=now,
            expires_at=now + settings.refresh_token_ttl,
        )
    )
    return _tokens(claims, settings, now, refresh)


def _tokens(
    claims: TokenClaims, settings: Settings, now: datetime, refresh: str | None
) -> IssuedTokens:
    access = encode_access_token(claims, settings, now)
    return IssuedTokens(access, int(settings.access_token_ttl.total_seconds()), refresh)


# a UUID as RFC 9562 spells it: either case, all its hyphens or none, bare, braced or as a URN
_CLIENT_ID = re.compile(
    r"(?:urn:uuid:)?(?P<brace>\{)?"
    r"(?P<uuid>[0-9a-f]{8}(?P<h>-?)[0-9a-f]{4}(?P=h)[0-9a-f]{4}(?P=h)[0-9a-f]{4}(?P=h)[0-9a-f]{12})"
    r"(?(brace)\})",
    re.IGNORECASE,
)


def canonical_client_id(value: str) -> UUID | None:
    """The client a client id names, or None when it is no UUID (so names no client)."""
    match = _CLIENT_ID.fullmatch(value)
    return UUID(match["uuid"]) if match else None


async def grant(
    session: AsyncSession, settings: Settings, now: datetime, form: TokenRequest, address: str
) -> IssuedTokens:
    """Dispatch a token request by grant type; each grant names the fields it needs."""
    if form.grant_type == "password":
        username, password = _required(form, "username", "password")
        return await login_with_password(session, settings, now, (username, password), address)
    if form.grant_type == "client_credentials":
        client_id, secret = _required(form, "client_id", "client_secret")
        return await login_with_client_credentials(
            session, settings, now, (client_id, secret), address
        )
    (token,) = _required(form, "refresh_token")
    return await rotate_refresh_token(session, settings, now, token)


def _required(form: TokenRequest, *fields: str) -> tuple[str, ...]:
    values = tuple(getattr(form, f) for f in fields)
    for field, value in zip(fields, values, strict=True):
        if not value:
            raise InvalidValue(field, f"The {form.grant_type} grant needs {field}.")
    return values


async def describe(session: AsyncSession, principal: Principal) -> MeRead:
    account: User | Client | None
    if principal.actor_type == "system":
        raise TokenInvalid("The command-line principal has no token.")
    if principal.actor_type == "user":
        account = await session.get(User, principal.actor_id)
        name = account.username if account else ""
    else:
        account = await session.get(Client, principal.actor_id)
        name = account.name if account else ""
    return MeRead(
        actor_type=principal.actor_type,
        id=principal.actor_id,
        name=name,
        role=principal.role,
        organisation_id=principal.organisation_id,
        works_on_cases=works_on_cases(principal.role, principal.confidentiality_signed),
    )
