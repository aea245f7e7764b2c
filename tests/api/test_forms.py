"""The printed forms (issue 18): the manual's annexes filled in from the records, in English or
Russian, read back from the PDF (pypdf): the amounts, the total in words, the names, the
language."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import httpx
import pytest
from pypdf import PdfReader

from app.domain.access import Role
from app.domain.grants import GrantStatus
from app.domain.rulebook import GrantForm
from app.domain.shelter import MonitoringOutcome, Pay
from app.models import GrantLine, MonitoringReport, ReintegrationGrant
from tests.api.shelter_world import API, ShelterWorld, build_shelter_world, propose
from tests.factories import Actor, Actors
from tests.helpers import expect_problem


@pytest.fixture
async def world(actors: Actors) -> ShelterWorld:
    return await build_shelter_world(actors)


def text_of(answer: httpx.Response) -> tuple[str, str | None]:
    """The PDF's text, its words joined by single spaces, and its language."""
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    language = reader.trailer["/Root"].get("/Lang")
    return text, str(language) if language is not None else None


async def blue_grant(actors: Actors, world: ShelterWorld) -> ReintegrationGrant:
    grant = await actors.add(
        ReintegrationGrant(
            victim_id=world.woman.id,
            form=GrantForm.BLUE,
            ngo_organisation_id=world.runner.id,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            status=GrantStatus.SUBMITTED,
            total=Decimal("2750.50"),
            author_id=world.manager.id,
            author_organisation_id=world.runner.id,
            number="S-SEZ-2026-7",
            number_year=2026,
            number_seq=7,
            mou_reference="MoU 12/2025",
            representatives={"ngo": "Aida Bekova", "mission": "Jane Roe"},
            submitted_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
            rulebook_version="kg-2026.1",
        )
    )
    for position, (category, amount) in enumerate(
        [("vocational_training", "2000.00"), ("travel", "750.50")]
    ):
        await actors.add(
            GrantLine(
                grant_id=grant.id,
                position=position,
                category=category,
                amount=Decimal(amount),
                months=1 if category == "travel" else None,
            )
        )
    return grant  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        (
            {"lang": "ru"},
            {},
            ("ru", "Приложение 6", "Две тысячи семьсот пятьдесят сомов 50 тыйынов"),
        ),
        ({}, {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"}, ("ru", "Приложение 6", "сомов")),
        ({}, {"Accept-Language": "ky, en;q=0.5"}, ("en", "Annex 6", "soms 50 tyiyns")),
        ({"lang": "en"}, {"Accept-Language": "ru"}, ("en", "Annex 6", "Two thousand")),
    ],
)
async def test_the_financial_agreement_prints_every_line_and_the_total_in_words(
    client: httpx.AsyncClient,
    actors: Actors,
    world: ShelterWorld,
    query: dict[str, str],
    header: dict[str, str],
    expected: tuple[str, str, str],
) -> None:
    grant = await blue_grant(actors, world)
    headers = world.coordinator.headers | header
    answer = await client.get(
        f"{API}/reintegration-grants/{grant.id}/form.pdf", params=query, headers=headers
    )
    text, language = text_of(answer)
    wanted_language, title, words = expected
    assert language == wanted_language
    assert title in text and words in text
    for shown in ("S-SEZ-2026-7", "Aida Bekova", "Jane Roe", "MoU 12/2025", "2 000.00", "750.50"):
        assert shown in text
    assert "2 750.50" in text and world.woman.registration_number in text
    assert "05.01.2026" in text  # dated the day it was submitted


async def test_the_russian_agreement_names_its_lines_in_russian_and_the_english_in_english(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    grant = await blue_grant(actors, world)
    url = f"{API}/reintegration-grants/{grant.id}/form.pdf"
    russian, _ = text_of(
        await client.get(url, params={"lang": "ru"}, headers=world.manager.headers)
    )
    english, _ = text_of(
        await client.get(url, params={"lang": "en"}, headers=world.manager.headers)
    )
    assert "Профессиональное обучение" in russian and "Транспортные расходы" in russian
    assert "Vocational training" in english and "Travel expenses" in english
    assert "Две тысячи семьсот пятьдесят сомов 50 тыйынов" in russian
    assert "Two thousand, seven hundred and fifty soms 50 tyiyns" in english


async def test_the_admission_papers_carry_the_residents_name_and_the_rules(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    stay = await propose(client, world)
    assert stay.status_code == 201, stay.text
    url = f"{API}/shelter-stays/{stay.json()['id']}/form.pdf"
    russian, language = text_of(
        await client.get(url, params={"lang": "ru"}, headers=world.worker.headers)
    )
    assert language == "ru"
    name = f"{world.woman.given_name} {world.woman.family_name}"
    assert name in russian and "Общие правила приюта" in russian and "Права проживающих" in russian
    assert "Курение в помещениях приюта запрещено." in russian
    english, _ = text_of(await client.get(url, headers=world.worker.headers))
    assert (
        "General Shelter Rules" in english
        and "Smoking inside the shelter is not allowed." in english
    )
    assert "Reasonable access to personal records." in english
    assert "01.12.2025" in english  # the day the rules were signed


async def test_a_form_is_the_records_to_print_and_its_printing_is_audited(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    grant = await blue_grant(actors, world)
    url = f"{API}/reintegration-grants/{grant.id}/form.pdf"
    expect_problem(await client.get(url, headers=world.outside_worker.headers), 404, "not_found")
    expect_problem(await client.get(url, headers=world.psychologist.headers), 403, "forbidden")
    unknown = await client.get(url, params={"lang": "xx"}, headers=world.manager.headers)
    expect_problem(unknown, 422, "validation_error")
    assert (await client.get(url, headers=world.manager.headers)).status_code == 200
    trail = await client.get(
        f"{API}/audit-events",
        params={"record_id": str(grant.id), "action": "export"},
        headers=world.coordinator.headers,
    )
    assert [e["actor_id"] for e in trail.json()["items"]] == [str(world.manager.id)]


async def test_the_confidentiality_agreement_is_printed_by_the_members_manager(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    member: Actor = await actors.user(Role.SOCIAL_WORKER, world.runner)
    url = f"{API}/users/{member.id}/confidentiality-agreement/form.pdf"
    text, language = text_of(
        await client.get(url, params={"lang": "ru"}, headers=world.manager.headers)
    )
    assert language == "ru" and member.name in text
    assert "Я буду хранить в тайне местонахождение приюта." in text
    refused = await client.get(url, headers=world.outside_manager.headers)
    expect_problem(refused, 404, "not_found")


async def test_the_monitoring_report_prints_its_answers(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    stay = await propose(client, world)
    assert stay.status_code == 201, stay.text
    stay_id = stay.json()["id"]
    url = f"{API}/shelter-stays/{stay_id}/monitoring-report/form.pdf"
    expect_problem(await client.get(url, headers=world.worker.headers), 404, "not_found")
    await actors.add(
        MonitoringReport(
            stay_id=UUID(stay_id),
            victim_id=world.woman.id,
            outcome=MonitoringOutcome.REACHED,
            reported_on=date(2026, 7, 10),
            employed=True,
            pay=Pay.PARTIAL,
            threats_from_recruiters=False,
            plans="A small tailoring workshop.",
            author_id=world.worker.id,
        )
    )
    russian, language = text_of(
        await client.get(url, params={"lang": "ru"}, headers=world.worker.headers)
    )
    assert language == "ru" and "Приложение 7" in russian
    assert "Связь с человеком установлена" in russian and world.woman.family_name in russian
    assert "4. Был ли человек трудоустроен? да" in russian and "частично" in russian
    assert "A small tailoring workshop." in russian and "10.07.2026" in russian
    english, _ = text_of(await client.get(url, headers=world.worker.headers))
    assert "6. Were there any threats, pressure from recruiters after return home? no" in english
