"""SQLModel tables, one module per aggregate. Importing this package registers them all."""

from app.models.account import Client, User
from app.models.audit import AuditEvent
from app.models.auth import LoginFailure, RefreshToken
from app.models.idempotency import IdempotencyRecord
from app.models.organisation import Organisation
from app.models.victim import Consent, Victim

__all__ = [
    "AuditEvent",
    "Client",
    "Consent",
    "IdempotencyRecord",
    "LoginFailure",
    "Organisation",
    "RefreshToken",
    "User",
    "Victim",
]
