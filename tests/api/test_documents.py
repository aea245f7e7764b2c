"""DOC-LIMITS: the signed papers of a person's file (issue 18) — uploaded as PDF, JPEG or PNG
told from their content, sealed at rest under a key of their own, read as the record they belong
to is read, every download audited, erased with the person; a hostile upload leaves nothing."""

import os
import struct
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlmodel import func, select

from app.domain import documents as rules
from app.models import Document
from app.services import documents as documents_service
from app.services.file_store import LocalFileStore, S3FileStore, store_for
from app.services.sealed_files import Keyring, unseal, unwrap
from tests.api.shelter_world import API, ShelterWorld, build_shelter_world, propose
from tests.factories import Actor, Actors
from tests.helpers import expect_problem

# a small PDF, whole: its header, one empty page, and the %%EOF that ends it
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\0" * 64
    + b"\xff\xd9"
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\0" * 200


def png() -> bytes:
    """A 1×1 PNG, whole (its IEND chunk last)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    ihdr, idat, iend = chunk(b"IHDR", header), chunk(b"IDAT", pixels), chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + ihdr + idat + iend


@pytest.fixture
async def world(actors: Actors) -> ShelterWorld:
    return await build_shelter_world(actors)


def documents_of(world: ShelterWorld) -> str:
    return f"{API}/victims/{world.woman.id}/documents"


async def upload(
    client: httpx.AsyncClient,
    by: Actor,
    url: str,
    content: bytes,
    name: str = "signed.pdf",
    **fields: Any,
) -> httpx.Response:
    data = {"kind": "other"} | {k: str(v) for k, v in fields.items()}
    return await client.post(
        url, files={"file": (name, content, "application/pdf")}, data=data, headers=by.headers
    )


def stored_files(app: FastAPI) -> set[Path]:
    root: Path = app.state.settings.document_dir
    return {path for path in root.rglob("*") if path.is_file()}


async def rows(app: FastAPI) -> int:
    async with app.state.sessionmaker() as session:
        return int((await session.exec(select(func.count()).select_from(Document))).one())


@pytest.mark.parametrize(
    ("content", "name", "media_type"),
    [
        (PDF, "rules.pdf", "application/pdf"),
        (JPEG, "scan.jpg", "image/jpeg"),
        (png(), "photo.png", "image/png"),
    ],
)
async def test_a_paper_goes_in_sealed_and_comes_out_as_it_was(
    client: httpx.AsyncClient,
    app: FastAPI,
    world: ShelterWorld,
    content: bytes,
    name: str,
    media_type: str,
) -> None:
    answer = await upload(client, world.worker, documents_of(world), content, name)
    assert answer.status_code == 201, answer.text
    document = answer.json()
    assert (document["media_type"], document["size_bytes"], document["filename"]) == (
        media_type,
        len(content),
        name,
    )
    assert answer.headers["location"].endswith(f"/documents/{document['id']}")
    # at rest: not the uploaded bytes; they open with the file's key, unwrapped by the keyring
    stored = app.state.settings.document_dir / document["id"].replace("-", "")[:2]
    sealed = (stored / UUID(document["id"]).hex).read_bytes()
    assert content not in sealed and len(sealed) > len(content)
    async with app.state.sessionmaker() as session:
        row = await session.get_one(Document, UUID(document["id"]))
    keyring: Keyring = app.state.keyring
    file_key = unwrap(keyring, row.key_id, row.wrapped_key, row.id)

    async def chunks() -> Any:
        yield sealed

    assert b"".join([part async for part in unseal(file_key, chunks(), row.id)]) == content

    url = f"{documents_of(world)}/{document['id']}"
    download = await client.get(f"{url}/content", headers=world.psychologist.headers)
    assert download.status_code == 200, download.text
    assert download.content == content
    assert download.headers["content-type"] == media_type
    assert download.headers["content-disposition"] == f"attachment; filename*=UTF-8''{name}"
    listed = await client.get(documents_of(world), headers=world.worker.headers)
    assert [d["id"] for d in listed.json()["items"]] == [document["id"]]
    read = await client.get(url, headers=world.worker.headers)
    assert read.json() == document


async def test_a_large_file_streams_out_whole_and_the_download_is_audited(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    """Several segments of the seal: cut where they meet, the file is still the same."""
    content = PDF[:-7] + b"%" + b"x" * (3 * 64 * 1024 + 123) + b"\n%%EOF\n"
    answer = await upload(client, world.worker, documents_of(world), content)
    assert answer.status_code == 201, answer.text
    document_id = answer.json()["id"]
    download = await client.get(
        f"{documents_of(world)}/{document_id}/content", headers=world.manager.headers
    )
    assert download.content == content
    trail = await client.get(
        f"{API}/audit-events",
        params={"record_id": document_id, "limit": 50},
        headers=world.coordinator.headers,
    )
    actions = sorted((e["action"], e["actor_id"]) for e in trail.json()["items"])
    assert actions == [("create", str(world.worker.id)), ("download", str(world.manager.id))]


@pytest.mark.parametrize(
    ("content", "name", "status", "code"),
    [
        (ELF, "rules.pdf", 415, "unsupported_file_type"),  # an executable renamed .pdf
        (b"MZ\x90\x00" + b"\0" * 100, "form.pdf", 415, "unsupported_file_type"),
        (b"just text, called a PDF", "form.pdf", 415, "unsupported_file_type"),
        (PDF[: len(PDF) // 2], "rules.pdf", 422, "broken_file"),  # the upload cut short
        (png()[:-12], "photo.png", 422, "broken_file"),
        (b"", "empty.pdf", 422, "broken_file"),
    ],
)
async def test_a_hostile_or_broken_file_is_refused_and_leaves_nothing(
    client: httpx.AsyncClient,
    app: FastAPI,
    world: ShelterWorld,
    content: bytes,
    name: str,
    status: int,
    code: str,
) -> None:
    before = (stored_files(app), await rows(app))
    answer = await upload(client, world.worker, documents_of(world), content, name)
    expect_problem(answer, status, code)
    assert (stored_files(app), await rows(app)) == before


async def test_a_file_over_20_mb_is_413_and_leaves_nothing(
    client: httpx.AsyncClient, app: FastAPI, world: ShelterWorld
) -> None:
    before = (stored_files(app), await rows(app))
    content = PDF[:-7] + b"%" + b"x" * rules.MAX_BYTES + b"\n%%EOF\n"
    answer = await upload(client, world.worker, documents_of(world), content)
    expect_problem(answer, 413, "payload_too_large")
    assert (stored_files(app), await rows(app)) == before


async def test_a_person_the_caller_does_not_see_takes_no_document(
    client: httpx.AsyncClient, app: FastAPI, world: ShelterWorld
) -> None:
    before = (stored_files(app), await rows(app))
    answer = await upload(client, world.outside_worker, documents_of(world), PDF)
    expect_problem(answer, 404, "not_found")
    assert (stored_files(app), await rows(app)) == before
    listed = await client.get(documents_of(world), headers=world.outside_worker.headers)
    expect_problem(listed, 404, "not_found")


async def test_a_medical_paper_is_read_as_the_health_record_is(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    refused = await upload(client, world.worker, documents_of(world), PDF, kind="medical")
    expect_problem(refused, 403, "forbidden")
    made = await upload(client, world.medic, documents_of(world), PDF, kind="medical")
    assert made.status_code == 201, made.text
    url = f"{documents_of(world)}/{made.json()['id']}"
    for reader, listed, status in ((world.psychologist, 1, 200), (world.worker, 0, 404)):
        shown = await client.get(documents_of(world), headers=reader.headers)
        assert len(shown.json()["items"]) == listed
        assert (await client.get(url, headers=reader.headers)).status_code == status
        assert (await client.get(f"{url}/content", headers=reader.headers)).status_code == status


async def test_a_paper_is_attached_to_a_record_of_its_kind_and_of_the_person(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    stay = await propose(client, world)
    assert stay.status_code == 201, stay.text
    stay_id = stay.json()["id"]
    url = documents_of(world)
    made = await upload(client, world.worker, url, PDF, kind="shelter_rules", stay_id=stay_id)
    assert (made.status_code, made.json()["stay_id"]) == (201, stay_id)
    wrong_kind = await upload(client, world.worker, url, PDF, kind="consent_form", stay_id=stay_id)
    expect_problem(wrong_kind, 422, "validation_error")
    other = await actors.victim(world.runner)
    elsewhere = await upload(
        client, world.worker, f"{API}/victims/{other.id}/documents", PDF,
        kind="shelter_rules", stay_id=stay_id,
    )  # fmt: skip
    expect_problem(elsewhere, 422, "validation_error")


async def test_a_file_holds_at_most_its_limit_of_papers(
    client: httpx.AsyncClient, world: ShelterWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "MAX_PER_PERSON", 2)
    for _ in range(2):
        assert (await upload(client, world.worker, documents_of(world), PDF)).status_code == 201
    refused = await upload(client, world.worker, documents_of(world), PDF)
    problem = expect_problem(refused, 409, "too_many_documents")
    assert (problem["rule"], problem["max_documents"]) == ("DOC-LIMITS", 2)


async def test_uploaded_admission_forms_stand_for_the_signature_dates(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    """MAN-ADMISSION-DOCS: a stay proposed without the signature dates is admitted once the
    signed General Shelter Rules and Rights of Residents are uploaded for it."""
    stay = await propose(client, world, rules_signed_on=None, rights_signed_on=None)
    assert stay.status_code == 201, stay.text
    stay_id = stay.json()["id"]
    admit = f"{API}/shelter-stays/{stay_id}/admit"
    refused = await client.post(admit, json={}, headers=world.coordinator.headers)
    assert expect_problem(refused, 422, "rule_violation")["rule"] == "MAN-ADMISSION-DOCS"
    url = documents_of(world)
    for kind in ("shelter_rules", "residents_rights"):
        made = await upload(client, world.worker, url, PDF, kind=kind, stay_id=stay_id)
        assert made.status_code == 201, made.text
    admitted = await client.post(admit, json={}, headers=world.coordinator.headers)
    assert admitted.status_code == 200, admitted.text


async def test_the_papers_are_in_the_export_and_go_with_the_person(
    client: httpx.AsyncClient, app: FastAPI, actors: Actors, world: ShelterWorld
) -> None:
    person = await actors.victim(world.runner)
    url = f"{API}/victims/{person.id}/documents"
    made = await upload(client, world.worker, url, PDF, name="Aigul passport.pdf")
    assert made.status_code == 201, made.text
    name = UUID(made.json()["id"]).hex
    assert any(path.name == name for path in stored_files(app))
    exported = await client.get(f"{API}/victims/{person.id}/export", headers=world.worker.headers)
    assert [d["filename"] for d in exported.json()["documents"]] == ["Aigul passport.pdf"]
    erased = await client.post(
        f"{API}/victims/{person.id}/erase", headers=world.coordinator.headers
    )
    assert erased.status_code == 200, erased.text
    assert not any(path.name == name for path in stored_files(app))
    assert await rows(app) == 0


# --- the S3 store -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """A real S3-compatible server (moto in server mode) on a free loopback port."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_store(s3_server: str, app: FastAPI) -> Iterator[tuple[S3FileStore, Any]]:
    """The application's documents kept in a bucket of that server, for this test."""
    import boto3  # type: ignore[import-untyped]

    bucket = f"documents-{uuid4().hex[:8]}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    direct = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **credentials)
    direct.create_bucket(Bucket=bucket)
    settings = app.state.settings.model_copy(
        update={
            "document_store": "s3",
            "document_s3_bucket": bucket,
            "document_s3_endpoint_url": s3_server,
            "document_s3_access_key_id": "test",
            "document_s3_secret_access_key": SecretStr("test"),
        }
    )
    store = store_for(settings)
    assert isinstance(store, S3FileStore)
    kept = app.state.file_store  # not monkeypatch: it would delete the state's attribute
    app.state.file_store = store
    try:
        yield store, direct
    finally:
        app.state.file_store = kept


async def test_papers_kept_in_an_s3_bucket_go_in_sealed_and_come_out_and_go_with_the_person(
    client: httpx.AsyncClient,
    actors: Actors,
    world: ShelterWorld,
    s3_store: tuple[S3FileStore, Any],
) -> None:
    store, direct = s3_store
    person = await actors.victim(world.runner)
    url = f"{API}/victims/{person.id}/documents"
    content = PDF[:-7] + b"%" + b"y" * (2 * 64 * 1024) + b"\n%%EOF\n"
    made = await upload(client, world.worker, url, content)
    assert made.status_code == 201, made.text
    name = UUID(made.json()["id"]).hex
    sealed = direct.get_object(Bucket=store.bucket, Key=name)["Body"].read()
    assert content not in sealed and len(sealed) > len(content)
    download = await client.get(f"{url}/{made.json()['id']}/content", headers=world.worker.headers)
    assert download.content == content
    erased = await client.post(
        f"{API}/victims/{person.id}/erase", headers=world.coordinator.headers
    )
    assert erased.status_code == 200, erased.text
    assert "Contents" not in direct.list_objects_v2(Bucket=store.bucket)
    assert not await store.exists(name)


@pytest.mark.parametrize(
    ("content", "code"), [(ELF, "unsupported_file_type"), (PDF[:40], "broken_file")]
)
async def test_a_hostile_upload_leaves_nothing_in_the_bucket(
    client: httpx.AsyncClient,
    app: FastAPI,
    world: ShelterWorld,
    s3_store: tuple[S3FileStore, Any],
    content: bytes,
    code: str,
) -> None:
    store, direct = s3_store
    before = await rows(app)
    answer = await upload(client, world.worker, documents_of(world), content)
    assert answer.status_code in (415, 422) and answer.json()["code"] == code
    assert "Contents" not in direct.list_objects_v2(Bucket=store.bucket)
    assert await rows(app) == before


async def test_the_sweep_deletes_old_files_no_document_names_and_nothing_else(
    client: httpx.AsyncClient, app: FastAPI, world: ShelterWorld
) -> None:
    """A file left by a commit that failed after it was written (no row names it) is deleted
    once it is older than any upload in progress; a document's file, and a young file, stay."""
    store: LocalFileStore = app.state.file_store
    made = await upload(client, world.worker, documents_of(world), PDF)
    assert made.status_code == 201, made.text
    live = UUID(made.json()["id"]).hex
    old, young = uuid4().hex, uuid4().hex
    for name in (old, young):
        await store.put(name, [b"sealed bytes of a failed upload"])
    two_hours_ago = (datetime.now(UTC) - timedelta(hours=2)).timestamp()
    for name in (old, live):
        path = store.root / name[:2] / name
        os.utime(path, (two_hours_ago, two_hours_ago))
    async with app.state.sessionmaker() as session:
        gone = await documents_service.sweep(session, store, datetime.now(UTC) - timedelta(hours=1))
    assert old in gone and live not in gone and young not in gone
    assert (await store.exists(live), await store.exists(young), await store.exists(old)) == (
        True,
        True,
        False,
    )
    await store.delete(young)


async def test_the_sweep_reads_the_bucket_too(
    client: httpx.AsyncClient,
    app: FastAPI,
    world: ShelterWorld,
    s3_store: tuple[S3FileStore, Any],
) -> None:
    store, direct = s3_store
    made = await upload(client, world.worker, documents_of(world), PDF)
    assert made.status_code == 201, made.text
    orphan = uuid4().hex
    await store.put(orphan, [b"sealed bytes of a failed upload"])
    async with app.state.sessionmaker() as session:
        gone = await documents_service.sweep(
            session, store, datetime.now(UTC) + timedelta(minutes=1)
        )
    assert gone == [orphan]
    kept = [found["Key"] for found in direct.list_objects_v2(Bucket=store.bucket)["Contents"]]
    assert kept == [UUID(made.json()["id"]).hex]
