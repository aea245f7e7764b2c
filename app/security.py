"""Secrets, tokens and the Principal: who is calling, in which role, for which organisation."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import anyio
import anyio.to_thread
from jose import jwt
from jose.exceptions import ExpiredSignatureError, JOSEError
from passlib.context import CryptContext

from app.config import Settings
from app.domain.access import Role
from app.errors import Forbidden, TokenExpired, TokenInvalid

JWT_ALGORITHM = "HS256"  # pinned: never taken from the token header

# argon2id with RFC 9106's second recommended profile (64 MiB, 3 passes, 4 lanes)
_hasher = CryptContext(
    schemes=["argon2"],
    argon2__type="ID",
    argon2__memory_cost=65536,
    argon2__rounds=3,
    argon2__parallelism=4,
)
# verified against when the account does not exist, so both answers take the same time
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

ActorType = Literal["user", "client", "system"]


# argon2 takes ~0.1 s of CPU and 64 MiB: off the event loop, a few at a time
_hashing = anyio.CapacityLimiter(4)


def hash_secret_blocking(secret: str) -> str:
    """For the command line and tests; request handlers use ``hash_secret``."""
    return _hasher.hash(secret)


def _verify_blocking(secret: str, hashed: str | None) -> bool:
    if hashed is None:
        _hasher.verify(secret, _DUMMY_HASH)
        return False
    return _hasher.verify(secret, hashed)


async def hash_secret(secret: str) -> str:
    return await anyio.to_thread.run_sync(_hasher.hash, secret, limiter=_hashing)


async def verify_secret(secret: str, hashed: str | None) -> bool:
    """Unknown accounts are verified against a dummy hash: both answers take the same time."""
    return await anyio.to_thread.run_sync(_verify_blocking, secret, hashed, limiter=_hashing)


def new_opaque_token() -> str:
    return secrets.token_urlsafe(32)


def fingerprint(token: str) -> str:
    """Refresh tokens are 256 random bits: a plain SHA-256 identifies them without storing them."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """The caller of one request, as the database knows it now (not as the token claims)."""

    actor_type: ActorType
    actor_id: UUID
    role: Role
    organisation_id: UUID | None
    client_address: str | None
    # MAN-STAFF-CONFIDENTIALITY: the account's signed Annex 4 is recorded (staff need it)
    confidentiality_signed: bool = False

    @property
    def caller_key(self) -> str:
        return f"{self.actor_type}:{self.actor_id}"

    @property
    def organisation(self) -> UUID:
        """The caller's organisation, for work done on its behalf. The routes of that work let
        in members only (domain.access.FOR_AN_ORGANISATION), so this always answers there."""
        if self.organisation_id is None:
            raise Forbidden("This is done for an organisation, and the caller belongs to none.")
        return self.organisation_id


# The command line (bootstrap, demo data) acts as this principal; the audit trail shows it.
SYSTEM = Principal("system", UUID(int=0), Role.ADMIN, None, "cli")
# ... and the outbox worker as this one, when it sends a person's data out
OUTBOX_WORKER = Principal("system", UUID(int=0), Role.ADMIN, None, "outbox-worker")


@dataclass(frozen=True)
class TokenClaims:
    actor_type: Literal["user", "client"]
    subject: UUID
    role: Role
    organisation_id: UUID | None
    # the account's token_version when the token was issued (claim ``ver``): once the account's
    # count moves on (a new password, deactivation, a new role or organisation), it is refused
    version: int = 0


def encode_access_token(claims: TokenClaims, settings: Settings, now: datetime) -> str:
    payload: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": str(claims.subject),
        "typ": claims.actor_type,
        "role": claims.role.value,
        "org": str(claims.organisation_id) if claims.organisation_id else None,
        "ver": claims.version,
        "iat": int(now.timestamp()),
        "exp": int((now + settings.access_token_ttl).timestamp()),
        "jti": secrets.token_hex(16),
    }
    return jwt.encode(payload, settings.jwt_secret.get_secret_value(), algorithm=JWT_ALGORITHM)


_REQUIRED = ("aud", "iss", "exp", "iat", "sub", "jti")


def decode_access_token(token: str, settings: Settings) -> TokenClaims:
    """Pinned algorithm, issuer and audience; every registered claim must be present."""
    try:
        payload = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[JWT_ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={f"require_{claim}": True for claim in _REQUIRED},
        )
    except ExpiredSignatureError as exc:
        raise TokenExpired("The access token has expired.") from exc
    except JOSEError as exc:
        raise TokenInvalid("The access token is not valid.") from exc
    try:
        org = payload.get("org")
        return TokenClaims(
            actor_type=_actor_type(payload["typ"]),
            subject=UUID(payload["sub"]),
            role=Role(payload["role"]),
            organisation_id=UUID(org) if org else None,
            version=_version(payload["ver"]),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise TokenInvalid("The access token is not valid.") from exc


def _version(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("the token version is a count")
    return value


def _actor_type(value: object) -> Literal["user", "client"]:
    if value == "user":
        return "user"
    if value == "client":
        return "client"
    raise ValueError("unknown actor type")
