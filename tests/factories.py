"""Synthetic records and callers for tests: one way to make each, straight into the database."""

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.clock import Clock
from app.config import Settings
from app.domain.access import Role
from app.domain.casework import ReferralStatus, Service
from app.domain.consent import ConsentPurpose
from app.domain.vocabulary import Funding, OrganisationKind, Sex
from app.models import Client, Consent, Organisation, Referral, User, Victim, WebhookEndpoint
from app.security import TokenClaims, encode_access_token, hash_secret_blocking
from app.services.organisations import name_key
from app.services.webhook_endpoints import seal

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = hash_secret_blocking(PASSWORD)  # hashed once: argon2 is slow on purpose
_sequence = itertools.count(1)

# the kind of organisation each role belongs to in tests
HOME_KIND = {
    Role.ADMIN: None,
    Role.COORDINATOR: OrganisationKind.INTERNATIONAL,
    Role.SHELTER_MANAGER: OrganisationKind.NGO,
    Role.SOCIAL_WORKER: OrganisationKind.NGO,
    Role.PSYCHOLOGIST: OrganisationKind.NGO,
    Role.LEGAL_COUNSELLOR: OrganisationKind.NGO,
    Role.MEDICAL_OFFICER: OrganisationKind.NGO,
    Role.PARTNER_SYSTEM: OrganisationKind.NGO,
    Role.SCME_SYSTEM: OrganisationKind.STATE_AGENCY,
    Role.AUDITOR: None,
}


@dataclass(frozen=True)
class Actor:
    kind: str
    id: UUID
    name: str
    role: Role
    organisation_id: UUID | None
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """A machine client sends a fresh Idempotency-Key with every request, as API.md asks of
        it (each read of this property is a new request's headers)."""
        headers = {"Authorization": f"Bearer {self.token}"}
        if self.kind == "client":
            headers["Idempotency-Key"] = uuid4().hex
        return headers


class Actors:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
    ) -> None:
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.clock = clock

    async def add(self, record: Any) -> Any:
        """The record as given; a webhook endpoint's secret (given in plain text) is stored
        encrypted, as the service stores it."""
        if isinstance(record, WebhookEndpoint):
            record.secret = seal(record.secret, self.settings)
        async with self.sessionmaker() as session:
            session.add(record)
            await session.commit()
            return record

    async def organisation_of(self, organisation_id: UUID | None) -> Organisation | None:
        if organisation_id is None:
            return None
        async with self.sessionmaker() as session:
            return await session.get(Organisation, organisation_id)

    async def home_of(self, actor: "Actor") -> Organisation:
        """The organisation an actor belongs to (for actors that belong to one)."""
        organisation = await self.organisation_of(actor.organisation_id)
        if organisation is None:
            raise ValueError(f"{actor.role} belongs to no organisation")
        return organisation

    async def organisation(
        self, kind: OrganisationKind = OrganisationKind.NGO, **fields: Any
    ) -> Organisation:
        fields.setdefault("name", f"Organisation {next(_sequence)}")
        fields.setdefault("name_key", name_key(fields["name"]))
        return await self.add(Organisation(kind=kind, **fields))  # type: ignore[no-any-return]

    async def user(
        self,
        role: Role,
        organisation: Organisation | None = None,
        *,
        active: bool = True,
        signed: bool = True,
    ) -> Actor:
        """A user; staff come with their confidentiality agreement recorded unless ``signed``
        is false (MAN-STAFF-CONFIDENTIALITY)."""
        if organisation is None and HOME_KIND[role] is not None:
            organisation = await self.organisation(HOME_KIND[role])
        user = await self.add(
            User(
                username=f"{role.value}.{next(_sequence)}",
                password_hash=_PASSWORD_HASH,
                role=role,
                organisation_id=organisation.id if organisation else None,
                active=active,
                confidentiality_signed_on=self.clock.today() if signed else None,
            )
        )
        return self._actor("user", user.id, user.username, role, user.organisation_id)

    async def client(self, role: Role, organisation: Organisation | None = None) -> Actor:
        if organisation is None:
            kind = HOME_KIND[role] or OrganisationKind.NGO
            organisation = await self.organisation(kind)
        client = await self.add(
            Client(
                name=f"{role.value} system",
                role=role,
                organisation_id=organisation.id,
                secret_hash=_PASSWORD_HASH,
            )
        )
        return self._actor("client", client.id, str(client.id), role, organisation.id)

    async def caller(self, role: Role, organisation: Organisation | None = None) -> Actor:
        """A person or a machine client, whichever the role is for."""
        if role in (Role.PARTNER_SYSTEM, Role.SCME_SYSTEM):
            return await self.client(role, organisation)
        return await self.user(role, organisation)

    def _actor(
        self, kind: str, actor_id: UUID, name: str, role: Role, organisation_id: UUID | None
    ) -> Actor:
        claims = TokenClaims(kind, actor_id, role, organisation_id)  # type: ignore[arg-type]
        token = encode_access_token(claims, self.settings, self.clock.now())
        return Actor(kind, actor_id, name, role, organisation_id, token)

    async def victim(self, organisation: Organisation, **fields: Any) -> Victim:
        number = next(_sequence)
        defaults: dict[str, Any] = {
            "registration_number": f"VT-TEST-{number:05d}",
            "given_name": f"Given{number}",
            "family_name": f"Family{number}",
            "birth_date": date(1995, 5, 17),
            "sex": Sex.FEMALE,
        }
        return await self.add(  # type: ignore[no-any-return]
            Victim(organisation_id=organisation.id, **(defaults | fields))
        )

    async def consent(
        self, victim: Victim, purpose: ConsentPurpose, recipient: Organisation | None = None
    ) -> Consent:
        return await self.add(  # type: ignore[no-any-return]
            Consent(
                victim_id=victim.id,
                purpose=purpose,
                recipient_organisation_id=recipient.id if recipient else None,
                given_on=self.clock.today(),
                given_at=self.clock.now(),
                recorded_by=victim.id,
            )
        )

    async def share(
        self,
        victim: Victim,
        sender: Organisation,
        receiver: Organisation,
        *,
        service: Service = Service.LEGAL,
        by: UUID | None = None,
    ) -> None:
        """The person's case shared with ``receiver``: an accepted referral from ``sender``,
        and the person's consent to share (CONSENT-DISCLOSURE)."""
        await self.consent(victim, ConsentPurpose.SHARE_WITH_ORGANISATION, receiver)
        await self.add(
            Referral(
                victim_id=victim.id,
                from_organisation_id=sender.id,
                to_organisation_id=receiver.id,
                service=service,
                funding=Funding.PROJECT,
                status=ReferralStatus.ACCEPTED,
                referred_on=self.clock.today(),
                created_by=by or victim.id,
                rulebook_version="kg-2026.1",
            )
        )


def licence(valid_until: date, group: str = "trafficking_victims") -> dict[str, str]:
    return {"target_group": group, "number": "LIC-TEST", "valid_until": valid_until.isoformat()}


def victim_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "given_name": "Synthetic",
        "family_name": "Person",
        "birth_date": "1996-04-12",
        "sex": "female",
        "nationality": "KG",
        "exploitation_types": ["labour"],
        "country_of_exploitation": "RU",
        "identified_on": "2026-10-01",
        "registered_address": "7 Test Lane, Osh",
        "contact_phone": "+996 555 123 456",
    }
    return body | overrides
