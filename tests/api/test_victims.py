"""Registering persons: server-made registration numbers, validation, dates, the export."""

import httpx
import pytest

from tests.conftest import FakeClock
from tests.factories import Actor, victim_body
from tests.helpers import expect_problem

VICTIMS = "/api/v1/victims"


async def test_registration_numbers_are_made_by_the_server_and_unique(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    numbers = set()
    for _ in range(5):
        answer = await client.post(VICTIMS, json=victim_body(), headers=worker.headers)
        assert answer.status_code == 201
        numbers.add(answer.json()["registration_number"])
    assert len(numbers) == 5


@pytest.mark.parametrize(
    "field", ["registration_number", "organisation_id", "status", "version", "id", "created_at"]
)
async def test_server_owned_fields_cannot_be_sent(
    client: httpx.AsyncClient, worker: Actor, field: str
) -> None:
    answer = await client.post(VICTIMS, json=victim_body(**{field: "x"}), headers=worker.headers)
    body = expect_problem(answer, 422, "validation_error")
    assert ["body", field] in [e["loc"] for e in body["errors"]]
    listed = await client.get(VICTIMS, headers=worker.headers)
    assert listed.json()["items"] == []  # nothing was written


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"given_name": ""}, "given_name"),
        ({"sex": "robot"}, "sex"),
        ({"nationality": "XX"}, "nationality"),
        ({"country_of_exploitation": "Turkey"}, "country_of_exploitation"),
        ({"exploitation_types": ["labour", "labour"]}, "exploitation_types"),
        ({"exploitation_types": ["piracy"]}, "exploitation_types"),
        ({"birth_date": "1850-01-01"}, "birth_date"),
        ({"contact_phone": "call me"}, "contact_phone"),
    ],
)
async def test_malformed_values_are_refused_with_the_field_named(
    client: httpx.AsyncClient, worker: Actor, overrides: dict[str, object], field: str
) -> None:
    answer = await client.post(VICTIMS, json=victim_body(**overrides), headers=worker.headers)
    body = expect_problem(answer, 422, "validation_error")
    assert field in {e["loc"][1] for e in body["errors"]}
    assert "input" not in body["errors"][0]  # submitted values are never echoed


@pytest.mark.parametrize("field", ["given_name", "family_name", "birth_date", "sex"])
async def test_required_fields(client: httpx.AsyncClient, worker: Actor, field: str) -> None:
    body = victim_body()
    del body[field]
    expect_problem(
        await client.post(VICTIMS, json=body, headers=worker.headers), 422, "validation_error"
    )


async def test_nationality_is_normalised_to_upper_case(client, worker: Actor) -> None:
    answer = await client.post(VICTIMS, json=victim_body(nationality="kg"), headers=worker.headers)
    assert answer.json()["nationality"] == "KG"


@pytest.mark.parametrize("field", ["birth_date", "identified_on", "returned_on"])
async def test_dates_in_the_future_are_refused_and_today_is_accepted(
    client: httpx.AsyncClient, worker: Actor, clock: FakeClock, field: str
) -> None:
    today = clock.today()
    tomorrow = today.fromordinal(today.toordinal() + 1)
    answer = await client.post(
        VICTIMS, json=victim_body(**{field: tomorrow.isoformat()}), headers=worker.headers
    )
    body = expect_problem(answer, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["body", field]
    # a person born today is identified today at the earliest
    dated = {field: today.isoformat()} | (
        {"identified_on": today.isoformat()} if field == "birth_date" else {}
    )
    accepted = await client.post(VICTIMS, json=victim_body(**dated), headers=worker.headers)
    assert accepted.status_code == 201, accepted.text


async def test_update_changes_only_what_was_sent(client: httpx.AsyncClient, worker: Actor) -> None:
    created = (await client.post(VICTIMS, json=victim_body(), headers=worker.headers)).json()
    url = f"{VICTIMS}/{created['id']}"
    answer = await client.patch(
        url, json={"contact_phone": None, "returned_on": "2026-10-05"}, headers=worker.headers
    )
    assert answer.status_code == 200, answer.text
    updated = answer.json()
    assert updated["contact_phone"] is None
    assert updated["returned_on"] == "2026-10-05"
    assert updated["given_name"] == created["given_name"]
    assert updated["version"] == created["version"] + 1


async def test_required_fields_cannot_be_cleared(client: httpx.AsyncClient, worker: Actor) -> None:
    created = (await client.post(VICTIMS, json=victim_body(), headers=worker.headers)).json()
    answer = await client.patch(
        f"{VICTIMS}/{created['id']}", json={"given_name": None}, headers=worker.headers
    )
    expect_problem(answer, 422, "validation_error")


async def test_export_holds_the_record_and_its_consents(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    created = (await client.post(VICTIMS, json=victim_body(), headers=worker.headers)).json()
    consent = {"purpose": "data_processing"}
    await client.post(f"{VICTIMS}/{created['id']}/consents", json=consent, headers=worker.headers)
    export = await client.get(f"{VICTIMS}/{created['id']}/export", headers=worker.headers)
    assert export.status_code == 200
    body = export.json()
    assert body["victim"]["registration_number"] == created["registration_number"]
    assert [c["purpose"] for c in body["consents"]] == ["data_processing"]
    assert body["exported_at"]


async def test_list_filters_by_registration_number(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    first = (await client.post(VICTIMS, json=victim_body(), headers=worker.headers)).json()
    await client.post(VICTIMS, json=victim_body(), headers=worker.headers)
    answer = await client.get(
        VICTIMS,
        params={"registration_number": first["registration_number"]},
        headers=worker.headers,
    )
    assert [v["id"] for v in answer.json()["items"]] == [first["id"]]


async def test_a_person_is_identified_on_or_after_their_birth(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    """Regression: a person born in 1996 could be identified in the year 1."""
    early = victim_body(birth_date="1996-04-12", identified_on="1996-04-11")
    expect_problem(
        await client.post(VICTIMS, json=early, headers=worker.headers), 422, "validation_error"
    )
    made = await client.post(VICTIMS, json=victim_body(), headers=worker.headers)
    moved = await client.patch(
        f"{VICTIMS}/{made.json()['id']}",
        json={"identified_on": "0001-01-01"},
        headers=worker.headers,
    )
    expect_problem(moved, 422, "validation_error")


async def test_the_home_region_is_an_iso_3166_2_code(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    made = await client.post(
        VICTIMS, json=victim_body(home_region=" kg-o "), headers=worker.headers
    )
    assert made.status_code == 201, made.text
    assert made.json()["home_region"] == "KG-O"
    for wrong in ("Chuy", "KG", "KG-ABCD", "kg_c"):
        refused = await client.post(
            VICTIMS, json=victim_body(home_region=wrong), headers=worker.headers
        )
        body = expect_problem(refused, 422, "validation_error")
        assert body["errors"][0]["loc"][-1] == "home_region", wrong
