"""GRANT-CEILING under concurrency: grants of one person submitted at once, each within the
ceiling alone and over it together, are counted one after the other (the person's row is
locked at submission): one passes, the others are refused. Without the lock both pass
(checked once, by taking the lock out of ``reintegration_grants.submit``)."""

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest

from app.domain.access import Role
from app.domain.rulebook import ShelterKind
from app.domain.shelter import StaySource, StayStatus
from app.domain.vocabulary import OrganisationKind
from app.models import Shelter, ShelterStay
from tests.factories import Actors

pytestmark = [pytest.mark.commits, pytest.mark.postgres_only]
API = "/api/v1/reintegration-grants"
ATTEMPTS = 6


async def test_grants_submitted_at_once_never_pass_a_ceiling_together(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    ngo = await actors.organisation(OrganisationKind.NGO)
    manager = await actors.user(Role.SHELTER_MANAGER, ngo)
    person = await actors.victim(ngo)
    shelter = await actors.add(
        Shelter(
            name="House",
            organisation_id=ngo.id,
            kind=ShelterKind.ADULT,
            capacity=10,
            address="4 Hidden Street",
        )
    )
    admitted_on = date(2025, 12, 1)
    await actors.add(
        ShelterStay(
            victim_id=person.id,
            shelter_id=shelter.id,
            source=StaySource.NGO_COORDINATOR,
            status=StayStatus.ADMITTED,
            rules_signed_on=admitted_on,
            rights_signed_on=admitted_on,
            pocket_money_per_day=Decimal("50.00"),
            proposed_on=admitted_on,
            proposed_by=manager.id,
            admitted_on=admitted_on,
            admitted_by=manager.id,
            rulebook_version="kg-2026.1",
        )
    )
    body = {
        "victim_id": str(person.id),
        "form": "pink",
        "ngo_organisation_id": str(ngo.id),
        "period_start": (admitted_on + timedelta(days=1)).isoformat(),
        "period_end": (admitted_on + timedelta(days=30)).isoformat(),
        "lines": [{"category": "clothes_summer", "amount": "1500.00"}],
    }
    drafts = []
    for _ in range(ATTEMPTS):
        made = await client.post(API, json=body, headers=manager.headers)
        assert made.status_code == 201, made.text
        drafts.append(made.json()["id"])

    answers = await asyncio.gather(
        *(client.post(f"{API}/{g}/submit", headers=manager.headers) for g in drafts)
    )

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] + [422] * (ATTEMPTS - 1), [a.text for a in answers]
    refused = [a.json() for a in answers if a.status_code == 422]
    assert {(r["rule"], r["committed"]) for r in refused} == {("GRANT-CEILING", "1500.00")}
