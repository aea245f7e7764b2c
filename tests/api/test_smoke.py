from tests.factories import Actors, victim_body


async def test_social_worker_creates_and_reads_a_victim(client, actors: Actors) -> None:
    worker = await actors.user(
        __import__("app.domain.access", fromlist=["Role"]).Role.SOCIAL_WORKER
    )
    created = await client.post("/api/v1/victims", json=victim_body(), headers=worker.headers)
    assert created.status_code == 201, created.text
    got = await client.get(created.headers["location"], headers=worker.headers)
    assert got.status_code == 200
    assert got.json()["registration_number"].startswith("VT-")
