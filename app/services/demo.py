"""A small synthetic data set for trying the API: every organisation kind, one user per role,
the two kinds of machine clients, a few persons and consents. All names are invented."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import STAFF_ROLES, Role
from app.domain.consent import ConsentPurpose
from app.domain.rulebook import ShelterKind
from app.domain.vocabulary import ExploitationType, Funding, OrganisationKind, Sex
from app.models import Client, Organisation, Shelter, User
from app.schemas.consents import ConsentCreate
from app.schemas.organisations import OrganisationCreate
from app.schemas.users import UserCreate
from app.schemas.victims import VictimCreate
from app.security import SYSTEM, Principal, hash_secret
from app.services import consents, organisations, users, victims

DEMO_PASSWORD_SUFFIX = "-demo-2026"  # noqa: S105 - synthetic demo data only


@dataclass(frozen=True)
class DemoLogin:
    kind: str  # "user" or "client"
    name: str  # username or client_id
    secret: str
    role: Role
    organisation: str


_ORGANISATIONS = {
    "mission": OrganisationCreate(name="IOM Mission (demo)", kind=OrganisationKind.INTERNATIONAL),
    "shelter_ngo": OrganisationCreate(
        name="Safe House NGO (demo)",
        kind=OrganisationKind.NGO,
        funding=Funding.PROJECT,
        licences=[
            {
                "target_group": "trafficking_victims",
                "number": "LIC-001",
                "valid_until": "2030-12-31",
            }
        ],
    ),
    "directorate": OrganisationCreate(
        name="Social Assistance Directorate (demo)", kind=OrganisationKind.STATE_AGENCY
    ),
    "provider": OrganisationCreate(
        name="Recovery Centre Provider (demo)",
        kind=OrganisationKind.SERVICE_PROVIDER,
        funding=Funding.STATE_DELEGATED,
        licences=[
            {"target_group": "violence_victims", "number": "LIC-002", "valid_until": "2029-06-30"}
        ],
    ),
    "scme": OrganisationCreate(
        name="State Committee for Migration and Employment (demo)",
        kind=OrganisationKind.STATE_AGENCY,
    ),
}

_USERS: tuple[tuple[Role, str | None], ...] = (
    (Role.ADMIN, None),
    (Role.COORDINATOR, "mission"),
    (Role.SHELTER_MANAGER, "shelter_ngo"),
    (Role.SOCIAL_WORKER, "shelter_ngo"),
    (Role.PSYCHOLOGIST, "shelter_ngo"),
    (Role.LEGAL_COUNSELLOR, "shelter_ngo"),
    (Role.MEDICAL_OFFICER, "shelter_ngo"),
    (Role.AUDITOR, None),
)

_PERSONS = (
    VictimCreate(
        given_name="Aida",
        family_name="Example",
        birth_date=date(1998, 3, 14),
        sex=Sex.FEMALE,
        nationality="KG",
        exploitation_types=[ExploitationType.SEXUAL],
        country_of_exploitation="TR",
        identified_on=date(2026, 9, 1),
        returned_on=date(2026, 9, 5),
        registered_address="1 Sample Street, Bishkek",
        contact_phone="+996 555 000 001",
    ),
    VictimCreate(
        given_name="Bermet",
        family_name="Sample",
        birth_date=date(2001, 11, 2),
        sex=Sex.FEMALE,
        nationality="KG",
        exploitation_types=[ExploitationType.LABOUR, ExploitationType.DOMESTIC_SERVITUDE],
        country_of_exploitation="RU",
        identified_on=date(2026, 10, 12),
    ),
    VictimCreate(
        given_name="Chynara",
        family_name="Placeholder",
        birth_date=date(1990, 6, 30),
        sex=Sex.FEMALE,
        nationality="KG",
        exploitation_types=[ExploitationType.FORCED_MARRIAGE],
    ),
)


_CLIENTS: tuple[tuple[Role, str, UUID], ...] = (
    (Role.PARTNER_SYSTEM, "shelter_ngo", UUID("019a0000-0000-7000-8000-00000000c001")),
    (Role.SCME_SYSTEM, "scme", UUID("019a0000-0000-7000-8000-00000000c002")),
)


def logins() -> list[DemoLogin]:
    """The demo logins: fixed, so they can be printed again and written in the README."""
    names = {key: data.name for key, data in _ORGANISATIONS.items()}
    people = [
        DemoLogin(
            "user",
            role.value,
            f"{role.value}{DEMO_PASSWORD_SUFFIX}",
            role,
            names[org] if org else "-",
        )
        for role, org in _USERS
    ]
    machines = [
        DemoLogin(
            "client", str(client_id), f"{role.value}{DEMO_PASSWORD_SUFFIX}-secret", role, names[org]
        )
        for role, org, client_id in _CLIENTS
    ]
    return people + machines


async def is_empty(session: AsyncSession) -> bool:
    """No organisation and no account yet (a bootstrapped admin counts as data)."""
    for table in (Organisation, User):
        if (await session.exec(select(func.count()).select_from(table))).one():
            return False
    return True


async def is_loaded(session: AsyncSession) -> bool:
    mission = _ORGANISATIONS["mission"].name
    found = await session.exec(select(Organisation.id).where(Organisation.name == mission))
    return found.first() is not None


async def seed(session: AsyncSession, now: datetime) -> list[DemoLogin]:
    orgs = {key: await organisations.create(session, data) for key, data in _ORGANISATIONS.items()}
    for role, org_key in _USERS:
        org = orgs[org_key] if org_key else None
        password = f"{role.value}{DEMO_PASSWORD_SUFFIX}"
        data = UserCreate(
            username=role.value,
            password=password,
            role=role,
            organisation_id=org.id if org else None,
            # MAN-STAFF-CONFIDENTIALITY: the demo's staff have signed Annex 4
            confidentiality_signed_on=now.date() if role in STAFF_ROLES else None,
        )
        await users.create_user(session, SYSTEM, data, now.date())
    for role, org_key, client_id in _CLIENTS:
        secret = f"{role.value}{DEMO_PASSWORD_SUFFIX}-secret"
        session.add(
            Client(
                id=client_id,
                name=f"{role.value} (demo)",
                role=role,
                organisation_id=orgs[org_key].id,
                secret_hash=await hash_secret(secret),
            )
        )
    await session.flush()
    session.add(
        Shelter(
            name="Safe House (demo)",
            organisation_id=orgs["shelter_ngo"].id,
            kind=ShelterKind.ADULT,
            capacity=10,
            address="(synthetic) 1 Demo Street",
        )
    )
    await _seed_cases(session, orgs["shelter_ngo"], orgs["provider"], now)
    return logins()


async def _seed_cases(
    session: AsyncSession, owner: Organisation, provider: Organisation, now: datetime
) -> None:
    worker = (await session.exec(select(User).where(User.role == Role.SOCIAL_WORKER))).one()
    principal = Principal("user", worker.id, worker.role, owner.id, "cli")
    for index, person in enumerate(_PERSONS):
        victim = await victims.create(session, principal, person, now.date())
        purposes = [ConsentCreate(purpose=ConsentPurpose.DATA_PROCESSING)]
        if index == 0:
            purposes.append(
                ConsentCreate(
                    purpose=ConsentPurpose.SHARE_WITH_ORGANISATION,
                    recipient_organisation_id=provider.id,
                )
            )
        for consent in purposes:
            await consents.record_consent(session, principal, victim, consent, now, now.date())
