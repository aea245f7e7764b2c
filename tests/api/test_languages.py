"""Labels in the staff's languages (issue 19): ``GET /vocabulary`` gives every enumeration of the
contract with its labels, and a problem's ``detail`` follows ``Accept-Language`` with its ``code``,
``rule`` and every other member unchanged; an unknown language is English, and says so."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.domain.access import Role
from app.translations import CODE, RULE, StaffLanguage, catalogue, enumerations
from tests.api.pathway import API
from tests.factories import Actor, Actors
from tests.helpers import expect_problem

URL = f"{API}/vocabulary"
RU, KY = catalogue(StaffLanguage.RU), catalogue(StaffLanguage.KY)


def labels(answer: httpx.Response) -> dict[tuple[str, str], tuple[str, str]]:
    """(enumeration, value) → (label, its language)."""
    body: dict[str, Any] = answer.json()
    return {
        (enumeration["name"], item["value"]): (item["label"], item["language"])
        for enumeration in body["enumerations"]
        for item in enumeration["values"]
    }


async def test_every_enumeration_of_the_contract_in_russian(
    client: httpx.AsyncClient, app: FastAPI, worker: Actor
) -> None:
    answer = await client.get(URL, params={"lang": "ru"}, headers=worker.headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-language"] == "ru"
    assert answer.json()["language"] == "ru"
    contract = enumerations(app.openapi())
    shown = labels(answer)
    assert set(shown) == {(name, value) for name, values in contract.items() for value in values}
    assert shown[("Sex", "female")] == (RU[("Sex", "female")], "ru")
    assert all(language == "ru" for _, language in shown.values())


async def test_kyrgyz_where_translated_else_russian(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    answer = await client.get(URL, headers=worker.headers | {"Accept-Language": "ky, ru;q=0.5"})
    assert answer.headers["content-language"] == "ky"
    assert answer.headers["vary"] == "Accept-Language"
    shown = labels(answer)
    assert shown[("Sex", "female")] == (KY[("Sex", "female")], "ky")
    assert shown[("GrantForm", "pink")] == (RU[("GrantForm", "pink")], "ru")


@pytest.mark.parametrize("asked", [{"lang": "de"}, {"lang": "xx-RU"}, {}])
async def test_an_unknown_language_is_answered_in_english(
    client: httpx.AsyncClient, worker: Actor, asked: dict[str, str]
) -> None:
    headers = worker.headers | {"Accept-Language": "de-DE, fr;q=0.8"}
    answer = await client.get(URL, params=asked, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-language"] == "en"
    assert answer.json()["language"] == "en"
    shown = labels(answer)
    assert shown[("ExploitationType", "domestic_servitude")] == ("Domestic servitude", "en")


async def test_the_vocabulary_is_for_callers_and_a_silly_lang_is_refused(
    client: httpx.AsyncClient, actors: Actors, worker: Actor
) -> None:
    expect_problem(await client.get(URL), 401, "unauthenticated")
    newcomer = await actors.user(Role.SOCIAL_WORKER, signed=False)  # labels are no case data
    assert (await client.get(URL, headers=newcomer.headers)).status_code == 200
    scme = await actors.client(Role.SCME_SYSTEM)
    assert (await client.get(URL, headers=scme.headers)).status_code == 200
    too_long = await client.get(URL, params={"lang": "x" * 36}, headers=worker.headers)
    expect_problem(too_long, 422, "validation_error")


async def test_a_refusal_in_russian_keeps_its_code_and_rule(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    newcomer = await actors.user(Role.SOCIAL_WORKER, signed=False)
    path = f"{API}/victims"
    english = await client.get(path, headers=newcomer.headers)
    russian = await client.get(path, headers=newcomer.headers | {"Accept-Language": "ru-RU"})
    code, rule = "confidentiality_agreement_required", "MAN-STAFF-CONFIDENTIALITY"
    english_body = expect_problem(english, 403, code, rule)
    russian_body = expect_problem(russian, 403, code, rule)
    assert english.headers["content-language"] == "en"
    assert russian.headers["content-language"] == "ru"
    assert "Accept-Language" in russian.headers["vary"]
    assert russian_body["detail"] == RU[(RULE, rule)] != english_body["detail"]
    assert {k: v for k, v in russian_body.items() if k != "detail"} == {
        k: v for k, v in english_body.items() if k != "detail"
    }
    assert int(russian.headers["content-length"]) == len(russian.content)


async def test_a_refusal_in_kyrgyz_where_translated(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    missing = f"{API}/victims/00000000-0000-4000-8000-000000000000"
    answer = await client.get(missing, headers=worker.headers | {"Accept-Language": "ky"})
    body = expect_problem(answer, 404, "not_found")
    assert body["detail"] == KY[(CODE, "not_found")]
    assert answer.headers["content-language"] == "ky"


async def test_refusals_before_any_route_are_translated_too(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    russian = {"Accept-Language": "ru"}
    unauthenticated = await client.get(f"{API}/victims", headers=russian)
    detail = expect_problem(unauthenticated, 401, "unauthenticated")["detail"]
    assert detail == RU[(CODE, "unauthenticated")]
    big = {"notes": "x" * (1024 * 1024)}
    too_large = await client.post(f"{API}/victims", json=big, headers=worker.headers | russian)
    detail = expect_problem(too_large, 413, "payload_too_large")["detail"]
    assert detail == RU[(CODE, "payload_too_large")]
    invalid = await client.get(f"{API}/victims", params={"limit": "x"}, headers=worker.headers)
    body = expect_problem(invalid, 422, "validation_error")
    assert body["errors"] and invalid.headers["content-language"] == "en"


async def test_an_answer_that_is_no_problem_is_left_alone(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    answer = await client.get(f"{API}/rulebook", headers=worker.headers | {"Accept-Language": "ru"})
    assert answer.status_code == 200
    assert "content-language" not in answer.headers
