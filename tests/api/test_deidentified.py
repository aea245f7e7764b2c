"""The de-identified dataset over HTTP (issue 20): the database's generalisation and counts are
the domain's (compared on a generated population), the answer says k, its quasi-identifiers and
what was withheld, and names no one; k below the floor, unknown filters and callers without the
role are refused."""

import csv
import io
import random
from datetime import UTC, date, datetime

import httpx
import pytest

from app.domain import deidentified
from app.domain.access import Role
from app.domain.vocabulary import ExploitationType, Sex, VictimStatus
from app.models import Organisation, Victim
from tests.api.pathway import API
from tests.factories import Actors
from tests.helpers import expect_problem

URL = f"{API}/reports/deidentified"
LONG_AGO = datetime(2024, 1, 1, tzinfo=UTC)  # registered before any month the tests run in


async def population(actors: Actors, ngo: Organisation, size: int) -> list[Victim]:
    """Persons drawn from small domains, so that some combinations reach k and some do not."""
    draw = random.Random(20)  # noqa: S311 - synthetic persons, the same every run
    kinds = [[ExploitationType.SEXUAL], [ExploitationType.SEXUAL], [ExploitationType.LABOUR], []]
    persons = []
    for _ in range(size):
        born = date(draw.randint(1997, 2002), draw.randint(1, 12), draw.randint(1, 28))
        identified = date(draw.choice([2024, 2025]), draw.randint(1, 12), draw.randint(1, 28))
        persons.append(
            await actors.victim(
                ngo,
                birth_date=born,
                identified_on=identified,
                sex=draw.choice([Sex.FEMALE, Sex.FEMALE, Sex.FEMALE, Sex.MALE]),
                nationality=draw.choice(["KG", "KG", "KG", "UZ", None]),
                exploitation_types=draw.choice(kinds),
                home_region=draw.choice(["KG-C", "KG-C", "KG-O", None]),
                created_at=LONG_AGO,
            )
        )
    return persons


def facts(victim: Victim) -> deidentified.Person:
    born, seen = victim.birth_date, victim.identified_on
    assert seen is not None
    return deidentified.Person(
        age_at_identification=seen.year - born.year,  # erasure keeps the birth year only
        sex=victim.sex,
        nationality=victim.nationality,
        year_identified=seen.year,
        exploitation_types=frozenset(victim.exploitation_types),
        region=victim.home_region,
    )


async def test_the_database_publishes_what_the_domain_does(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    ngo = await actors.organisation()
    persons = await population(actors, ngo, 160)
    await actors.victim(ngo, identified_on=date(2024, 5, 1))  # registered this month: not yet
    merged = await actors.victim(ngo, identified_on=date(2024, 5, 1), created_at=LONG_AGO)
    merged.status = VictimStatus.MERGED
    await actors.add(merged)
    auditor = await actors.user(Role.AUDITOR)
    for k in (11, 5):
        answer = await client.get(URL, params={"k": k}, headers=auditor.headers)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        expected = deidentified.publish([facts(p) for p in persons], k)
        assert body["k"] == k and body["quasi_identifiers"] == list(deidentified.QUASI_IDENTIFIERS)
        assert body["records"] == list(expected.records())
        assert (body["persons"], body["withheld"]) == (expected.persons, expected.withheld)
    assert body["persons"] > 0 and body["withheld"] > 0  # at k=5, both sides of it are met
    for victim in persons:
        assert (
            victim.given_name not in answer.text and victim.registration_number not in answer.text
        )
        assert (
            str(victim.id) not in answer.text and victim.birth_date.isoformat() not in answer.text
        )


async def test_a_period_of_years_and_the_file(client: httpx.AsyncClient, actors: Actors) -> None:
    ngo = await actors.organisation()
    persons = await population(actors, ngo, 120)
    coordinator = await actors.user(Role.COORDINATOR)
    answer = await client.get(URL, params={"from": 2025, "to": 2025}, headers=coordinator.headers)
    body = answer.json()
    in_2025 = [facts(p) for p in persons if p.identified_on and p.identified_on.year == 2025]
    expected = deidentified.publish(in_2025, 11)
    assert body["k"] == 11 and (body["first_year"], body["last_year"]) == (2025, 2025)
    assert body["records"] == list(expected.records())
    assert {record["year_identified"] for record in body["records"]} <= {2025}

    as_csv = await client.get(URL, headers=coordinator.headers | {"Accept": "text/csv"})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(as_csv.text)))
    assert lines[0] == list(deidentified.QUASI_IDENTIFIERS)
    whole = deidentified.publish([facts(p) for p in persons], 11)
    assert len(lines) - 1 == whole.persons


@pytest.mark.parametrize(
    ("query", "code", "rule"),
    [
        ({"k": 4}, "rule_violation", "DEID-K-ANONYMITY"),
        ({"k": 0}, "rule_violation", "DEID-K-ANONYMITY"),
        ({"organisation_id": "x"}, "validation_error", None),
        ({"from": 2026, "to": 2025}, "validation_error", None),
        ({"from": "last year"}, "validation_error", None),
    ],
)
async def test_bad_requests_are_refused(
    client: httpx.AsyncClient, actors: Actors, query: dict[str, object], code: str, rule: str | None
) -> None:
    coordinator = await actors.user(Role.COORDINATOR)
    answer = await client.get(URL, params=query, headers=coordinator.headers)
    expect_problem(answer, 422, code, rule)


@pytest.mark.parametrize("role", [Role.SHELTER_MANAGER, Role.SOCIAL_WORKER, Role.ADMIN])
async def test_only_the_coordinator_and_the_auditor(
    client: httpx.AsyncClient, actors: Actors, role: Role
) -> None:
    caller = await actors.user(role)
    expect_problem(await client.get(URL, headers=caller.headers), 403, "forbidden")


async def test_an_erased_person_keeps_their_combination(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    """Erasure keeps the birth year only: the answer does not move when persons are erased."""
    ngo = await actors.organisation()
    persons = await population(actors, ngo, 80)
    coordinator = await actors.user(Role.COORDINATOR)
    before = (await client.get(URL, params={"k": 5}, headers=coordinator.headers)).json()
    async with actors.sessionmaker() as session:
        for victim in persons[::2]:
            erased = await session.get_one(Victim, victim.id)
            erased.birth_date = date(erased.birth_date.year, 1, 1)
            erased.given_name = erased.family_name = "ERASED"
            erased.status = VictimStatus.ERASED
            session.add(erased)
        await session.commit()
    after = (await client.get(URL, params={"k": 5}, headers=coordinator.headers)).json()
    assert after == before
