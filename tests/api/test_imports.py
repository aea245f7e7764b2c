"""Spreadsheet imports over HTTP (issue 17): the template, a dry run that writes nothing, a real
run all-or-nothing per file and idempotent by its hash, progress, permissions per record, and
hostile files refused whole with nothing written."""

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlmodel import SQLModel

from app.domain import imports as template
from app.domain.access import Role
from app.domain.rulebook import ShelterKind
from app.domain.vocabulary import OrganisationKind, Sex
from app.models import ImportJob, Organisation, Shelter, WebhookEndpoint
from app.models.base import utcnow
from tests.factories import Actor, Actors, licence
from tests.helpers import changed_settings, expect_problem

API = "/api/v1"
IMPORTS = f"{API}/imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def ngo(actors: Actors) -> Organisation:
    return await actors.organisation(OrganisationKind.NGO)


@pytest.fixture
async def manager(actors: Actors, ngo: Organisation) -> Actor:
    return await actors.user(Role.SHELTER_MANAGER, ngo)


@pytest.fixture
async def receiver(actors: Actors) -> Organisation:
    valid = licence(actors.clock.today() + timedelta(days=365))
    return await actors.organisation(
        OrganisationKind.SERVICE_PROVIDER, name="Legal Aid Osh", licences=[valid]
    )


@pytest.fixture
async def shelter(actors: Actors, ngo: Organisation) -> Shelter:
    return await actors.add(  # type: ignore[no-any-return]
        Shelter(
            name="House",
            organisation_id=ngo.id,
            kind=ShelterKind.ADULT,
            capacity=10,
            address="1 Hidden Lane",
        )
    )


def days_ago(actors: Actors, days: int) -> str:
    return (actors.clock.today() - timedelta(days=days)).isoformat()


def synthetic_name(seed: str) -> str:
    """A name of its own for each seed: persons of a file are not each other's duplicates."""
    digest = hashlib.sha256(seed.encode()).digest()
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    letters = [(consonants, vowels)[i % 2][b % (14, 5)[i % 2]] for i, b in enumerate(digest[:7])]
    return "".join(letters).capitalize()


def person(n: int, **cells: str) -> dict[str, str]:
    born = date(1960, 1, 1) + timedelta(days=(n * 397) % 14000)
    return {
        "given_name": f"Aigul{n}" if n < 10 else synthetic_name(f"given {n}"),
        "family_name": synthetic_name(f"family {n}"),
        "birth_date": born.isoformat(),
        "sex": "female",
        "nationality": "KG",
        "home_region": "kg-c",  # taken in capitals, as the API takes it
        "exploitation_types": "labour;sexual",
        "identified_on": "2024-03-01",
        "contact_phone": "+996 555 123 456",
        "consent_data_processing_given_on": "2024-03-02",
    } | cells


def full_row(receiver: Organisation, shelter: Shelter, n: int) -> dict[str, str]:
    """A person with every part: consents, a referral, a shelter stay and an assessment, each
    with its own past date."""
    return person(
        n,
        consent_share_with_organisation_given_on="2024-03-03",
        referral_to_organisation=receiver.name.upper(),  # by its registered name, case aside
        referral_service="legal",
        referral_funding="project",
        referral_referred_on="2024-03-04",
        stay_shelter_id=str(shelter.id),
        stay_source="ngo_coordinator",
        stay_proposed_on="2024-03-05",
        stay_pocket_money_per_day="50.00",
        assessment_kind="risk",
        assessment_performed_on="2024-03-06",
    )


def as_csv(rows: Iterable[Mapping[str, str]], header: Iterable[str] = template.HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows: Iterable[Mapping[str, Any]], header: Iterable[str] = template.HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    names = list(header)
    sheet.append(names)
    for row in rows:
        sheet.append([row.get(name) for name in names])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def upload(
    client: httpx.AsyncClient,
    actor: Actor,
    content: bytes,
    name: str = "caseload.csv",
    *,
    dry_run: bool = False,
    media_type: str = "application/octet-stream",
) -> httpx.Response:
    return await client.post(
        IMPORTS,
        files={"file": (name, content, media_type)},
        data={"dry_run": "true" if dry_run else "false"},
        headers=actor.headers,
    )


async def every_count(app: FastAPI) -> dict[str, int]:
    """The rows of every table."""
    async with app.state.sessionmaker() as session:
        counts = {}
        for table in SQLModel.metadata.sorted_tables:
            found = await session.exec(select(func.count()).select_from(table))  # type: ignore[call-overload]
            counts[table.name] = found.one()[0]
        return counts


async def victims_of(client: httpx.AsyncClient, actor: Actor) -> list[dict[str, Any]]:
    answer = await client.get(f"{API}/victims", params={"limit": 200}, headers=actor.headers)
    return answer.json()["items"]  # type: ignore[no-any-return]


# --- the template -----------------------------------------------------------------------------


async def test_the_csv_template_is_the_header_row(
    client: httpx.AsyncClient, manager: Actor
) -> None:
    answer = await client.get(f"{IMPORTS}/template.csv", headers=manager.headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows == [list(template.HEADER)]


async def test_the_xlsx_template_lists_the_enumerations_and_has_no_formula(
    client: httpx.AsyncClient, manager: Actor
) -> None:
    answer = await client.get(f"{IMPORTS}/template.xlsx", headers=manager.headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == XLSX
    workbook = load_workbook(io.BytesIO(answer.content))
    persons, choices = workbook.worksheets
    assert [c.value for c in persons[1]] == list(template.HEADER)
    listed = {
        column[0].value: [c.value for c in column[1:] if c.value is not None]
        for column in choices.iter_cols()
    }
    assert listed["sex"] == [s.value for s in Sex]
    assert listed == {name: list(values) for name, values in template.ENUMERATIONS.items()}
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert persons.data_validations.dataValidation  # the enum columns pick from the lists


async def test_the_template_is_the_importers(client: httpx.AsyncClient, actors: Actors) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    answer = await client.get(f"{IMPORTS}/template.csv", headers=worker.headers)
    expect_problem(answer, 403, "forbidden")


# --- the dry run ------------------------------------------------------------------------------


async def test_the_template_filled_in_imports_back(
    client: httpx.AsyncClient,
    manager: Actor,
    receiver: Organisation,
    shelter: Shelter,
) -> None:
    """The template the API serves, filled in with openpyxl, is a file it takes."""
    served = await client.get(f"{IMPORTS}/template.xlsx", headers=manager.headers)
    workbook = load_workbook(io.BytesIO(served.content))
    row = full_row(receiver, shelter, 1)
    workbook.worksheets[0].append([row.get(name) for name in template.HEADER])
    out = io.BytesIO()
    workbook.save(out)
    answer = await upload(client, manager, out.getvalue(), "filled.xlsx", dry_run=True)
    assert answer.status_code == 200, answer.text
    assert answer.json()["valid"] is True, answer.json()["problems"]


async def test_a_dry_run_reports_every_problem_and_writes_nothing(
    client: httpx.AsyncClient,
    app: FastAPI,
    manager: Actor,
    actors: Actors,
    receiver: Organisation,
    shelter: Shelter,
) -> None:
    rows = [
        full_row(receiver, shelter, 1),
        person(2, sex="robot", birth_date="12/04/1996"),  # two validation errors
        person(3, identified_on=days_ago(actors, -5)),  # in the future
        person(
            4,
            referral_to_organisation="Nobody Here",
            referral_service="legal",
            referral_funding="project",
        ),
        # a referral without the consent to share: the rule's refusal, with its id
        person(
            5,
            referral_to_organisation=str(receiver.id),
            referral_service="legal",
            referral_funding="project",
            referral_referred_on="2024-03-04",
        ),
        person(6, consent_data_processing_given_on="2024-02-01"),  # before identification
    ]
    before = await every_count(app)
    answer = await upload(client, manager, as_csv(rows), dry_run=True)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["dry_run"], report["valid"], report["total_rows"]) == (True, False, 6)
    assert report["created"] == {
        "assessments": 1,
        "consents": 2,
        "referrals": 1,
        "shelter_stays": 1,
        "victims": 1,
    }
    found = [(p["row"], p["column"], p["code"], p["rule"]) for p in report["problems"]]
    assert found == [
        (3, "birth_date", "validation_error", None),
        (3, "sex", "validation_error", None),
        (4, "identified_on", "validation_error", None),
        (5, "referral_to_organisation", "validation_error", None),
        (6, "referral_to_organisation", "consent_required", "CONSENT-DISCLOSURE"),
        (7, "consent_data_processing_given_on", "validation_error", None),
    ]
    assert "Aigul" not in answer.text and "robot" not in answer.text
    assert "2024-03-01" not in answer.text  # a person's dates are not quoted either
    assert await every_count(app) == before  # no person, no job, no audit event
    assert (await client.get(IMPORTS, headers=manager.headers)).json()["items"] == []


async def test_a_dry_run_of_a_clean_file_is_valid(
    client: httpx.AsyncClient, manager: Actor
) -> None:
    answer = await upload(client, manager, as_csv([person(1), person(2)]), dry_run=True)
    assert answer.json() | {"problems": None} == {
        "dry_run": True,
        "file_format": "csv",
        "total_rows": 2,
        "valid": True,
        "created": {"consents": 2, "victims": 2},
        "problems": None,
    }
    assert await victims_of(client, manager) == []


# --- the real run -----------------------------------------------------------------------------


async def test_a_real_run_imports_every_row_with_its_past_dates_and_audits(
    client: httpx.AsyncClient,
    manager: Actor,
    actors: Actors,
    receiver: Organisation,
    shelter: Shelter,
) -> None:
    rows = [full_row(receiver, shelter, 1), person(2), person(3, sex="male")]
    answer = await upload(client, manager, as_xlsx(rows), "caseload.xlsx")
    assert answer.status_code == 202, answer.text
    job = answer.json()
    assert answer.headers["location"] == f"{IMPORTS}/{job['id']}"
    assert (job["dry_run"], job["total_rows"], job["file_format"]) == (False, 3, "xlsx")
    read = (await client.get(answer.headers["location"], headers=manager.headers)).json()
    assert (read["status"], read["done_rows"], read["problems"]) == ("succeeded", 3, [])
    assert read["created"] == {
        "assessments": 1,
        "consents": 4,
        "referrals": 1,
        "shelter_stays": 1,
        "victims": 3,
    }
    assert read["finished_at"] is not None
    people = {v["given_name"]: v for v in await victims_of(client, manager)}
    assert set(people) == {"Aigul1", "Aigul2", "Aigul3"}
    first = people["Aigul1"]
    assert (first["identified_on"], first["exploitation_types"]) == (
        "2024-03-01",
        ["labour", "sexual"],
    )
    headers = manager.headers
    consents = await client.get(f"{API}/victims/{first['id']}/consents", headers=headers)
    assert sorted(c["given_on"] for c in consents.json()["items"]) == ["2024-03-02", "2024-03-03"]
    query = {"victim_id": first["id"]}
    referral = (await client.get(f"{API}/referrals", params=query, headers=headers)).json()
    assert [r["referred_on"] for r in referral["items"]] == ["2024-03-04"]
    stays = (await client.get(f"{API}/shelter-stays", params=query, headers=headers)).json()
    assert [(s["proposed_on"], s["status"]) for s in stays["items"]] == [("2024-03-05", "proposed")]
    done = (await client.get(f"{API}/assessments", params=query, headers=headers)).json()
    assert [(a["kind"], a["performed_on"]) for a in done["items"]] == [("risk", "2024-03-06")]
    coordinator = await actors.user(Role.COORDINATOR)
    trail = await client.get(
        f"{API}/audit-events",
        params={"actor_id": str(manager.id), "action": "create", "limit": 200},
        headers=coordinator.headers,
    )
    made = sorted(e["record_type"] for e in trail.json()["items"])
    assert made.count("victim") == 3 and made.count("import") == 1
    listed = (await client.get(IMPORTS, headers=manager.headers)).json()["items"]
    assert [j["id"] for j in listed] == [job["id"]]


async def test_a_bad_row_at_the_end_of_a_file_keeps_nothing_of_it(
    client: httpx.AsyncClient, app: FastAPI, manager: Actor
) -> None:
    rows = [person(n) for n in range(1, 6)] + [person(6, birth_date="not a date")]
    before = await every_count(app)
    answer = await upload(client, manager, as_csv(rows))
    assert answer.status_code == 202, answer.text
    job = (await client.get(answer.headers["location"], headers=manager.headers)).json()
    assert (job["status"], job["created"], job["done_rows"]) == ("failed", {}, 6)
    assert [(p["row"], p["column"]) for p in job["problems"]] == [(7, "birth_date")]
    assert await victims_of(client, manager) == []
    after = await every_count(app)
    changed = {t: after[t] - before[t] for t in after if after[t] != before[t]}
    # the job, the one event that audits it (and the actor's chains of hashes): nothing else
    assert set(changed) <= {"imports", "audit_events", "audit_chains"}
    assert (changed["imports"], changed["audit_events"]) == (1, 1)


async def test_a_second_upload_of_the_same_file_answers_the_same_job(
    client: httpx.AsyncClient, manager: Actor, actors: Actors
) -> None:
    content = as_csv([person(1), person(2)])
    first = await upload(client, manager, content)
    again = await upload(client, manager, content, "renamed.csv")
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["location"] == first.headers["location"]
    assert again.json()["status"] == "succeeded"
    assert len(await victims_of(client, manager)) == 2
    # another organisation's upload of the same file is its own
    other = await actors.user(Role.SHELTER_MANAGER)
    theirs = await upload(client, other, content)
    assert theirs.status_code == 202 and theirs.json()["id"] != first.json()["id"]


async def test_a_failed_import_does_not_block_a_new_attempt(
    client: httpx.AsyncClient, manager: Actor
) -> None:
    content = as_csv([person(1, sex="robot")])
    first = await upload(client, manager, content)
    second = await upload(client, manager, content)
    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json()["id"] != second.json()["id"]
    for answer in (first, second):
        read = await client.get(answer.headers["location"], headers=manager.headers)
        assert read.json()["status"] == "failed"


async def test_a_job_left_running_by_a_stopped_process_does_not_block_the_file(
    client: httpx.AsyncClient, actors: Actors, manager: Actor
) -> None:
    """A job whose process stopped (a restart mid-run) stays "running" in its row: past
    ABANDONED_AFTER the file's next upload gives it up and starts anew; a younger one is
    still the file's job."""
    from app.services import imports

    def job_of(content: bytes, **fields: Any) -> ImportJob:
        return ImportJob(
            organisation_id=manager.organisation_id,
            created_by=manager.id,
            file_sha256=hashlib.sha256(content).hexdigest(),
            file_format="csv",
            status="running",
            total_rows=1,
            **fields,
        )

    running, stopped_file = as_csv([person(1)]), as_csv([person(2)])
    young = await actors.add(job_of(running))
    answer = await upload(client, manager, running)
    assert (answer.status_code, answer.json()["id"]) == (200, str(young.id))
    long_ago = utcnow() - imports.ABANDONED_AFTER - timedelta(minutes=1)
    stopped = await actors.add(job_of(stopped_file, created_at=long_ago))
    answer = await upload(client, manager, stopped_file)
    assert answer.status_code == 202, answer.text
    assert answer.json()["id"] != str(stopped.id)
    old = (await client.get(f"{IMPORTS}/{stopped.id}", headers=manager.headers)).json()
    assert (old["status"], [p["code"] for p in old["problems"]]) == ("failed", ["internal_error"])
    new = (await client.get(answer.headers["location"], headers=manager.headers)).json()
    assert (new["status"], new["created"]["victims"]) == ("succeeded", 1)


async def test_a_retry_with_an_idempotency_key_replays_the_answer(
    client: httpx.AsyncClient, manager: Actor
) -> None:
    """The key's fingerprint is the body's: a retry sends the same bytes (the same multipart
    boundary); a new upload of the same file is answered by its hash instead (above)."""
    files = {"file": ("caseload.csv", as_csv([person(1)]), "text/csv")}
    boundary = {"Content-Type": "multipart/form-data; boundary=import-retry"}
    headers = manager.headers | {"Idempotency-Key": "import-1"} | boundary
    first = await client.post(IMPORTS, files=files, headers=headers)
    again = await client.post(IMPORTS, files=files, headers=headers)
    assert first.status_code == again.status_code == 202, again.text
    assert again.json()["id"] == first.json()["id"]
    assert len(await victims_of(client, manager)) == 1


async def test_formulas_are_imported_as_text_never_evaluated(
    client: httpx.AsyncClient, manager: Actor
) -> None:
    rows = [
        person(
            1,
            family_name="=1+1",
            registered_address="@SUM(A1:A2)",
            contact_phone="+996 555 000 111",
        )
    ]
    answer = await upload(client, manager, as_xlsx(rows), "caseload.xlsx")
    read = await client.get(answer.headers["location"], headers=manager.headers)
    assert read.json()["status"] == "succeeded", read.json()
    [imported] = await victims_of(client, manager)
    assert (imported["family_name"], imported["registered_address"]) == ("=1+1", "@SUM(A1:A2)")
    assert imported["contact_phone"] == "+996 555 000 111"


async def test_each_record_of_a_row_needs_the_callers_permission(
    client: httpx.AsyncClient, actors: Actors, receiver: Organisation, shelter: Shelter
) -> None:
    """A coordinator registers persons and refers them, but proposes no stay (the shelter's
    staff do) and records no risk assessment; a stay is admitted by the coordinator alone."""
    coordinator = await actors.user(Role.COORDINATOR)
    row = full_row(receiver, shelter, 1) | {"stay_admitted_on": "2024-03-07"}
    answer = await upload(client, coordinator, as_csv([row]), dry_run=True)
    found = [(p["column"], p["code"], p["rule"]) for p in answer.json()["problems"]]
    assert found == [("stay_shelter_id", "forbidden", None)]
    without_stay = {k: v for k, v in row.items() if not k.startswith("stay_")}
    answer = await upload(client, coordinator, as_csv([without_stay]), dry_run=True)
    found = [(p["column"], p["code"], p["rule"]) for p in answer.json()["problems"]]
    assert found == [("assessment_kind", "forbidden", None)]  # a risk assessment's authors
    manager = await actors.user(
        Role.SHELTER_MANAGER, await actors.organisation_of(shelter.organisation_id)
    )
    answer = await upload(client, manager, as_csv([row]), dry_run=True)
    found = [(p["column"], p["code"], p["rule"]) for p in answer.json()["problems"]]
    assert found == [("stay_admitted_on", "forbidden", "MAN-ADMISSION-AGREED")]


async def test_a_caller_reads_only_their_organisations_imports(
    client: httpx.AsyncClient, manager: Actor, actors: Actors
) -> None:
    answer = await upload(client, manager, as_csv([person(1)]))
    url = answer.headers["location"]
    other = await actors.user(Role.SHELTER_MANAGER)
    expect_problem(await client.get(url, headers=other.headers), 404, "not_found")
    coordinator = await actors.user(Role.COORDINATOR)
    expect_problem(await client.get(url, headers=coordinator.headers), 404, "not_found")
    assert (await client.get(IMPORTS, headers=other.headers)).json()["items"] == []
    worker = await actors.user(
        Role.SOCIAL_WORKER, await actors.organisation_of(manager.organisation_id)
    )
    expect_problem(await client.get(url, headers=worker.headers), 403, "forbidden")


async def test_a_semicolon_separated_csv_with_a_bom_is_read(
    client: httpx.AsyncClient, manager: Actor
) -> None:
    header = ["given_name", "family_name", "birth_date", "sex", "exploitation_types"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerows([header, ["Айгуль", "Асанова", "1996-04-12", "female", "labour;sexual"]])
    content = ("\ufeff" + out.getvalue()).encode()
    answer = await upload(client, manager, content, dry_run=True)
    assert answer.json()["valid"] is True, answer.json()


# --- hostile files ----------------------------------------------------------------------------


def _zip(members: Mapping[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _billion_laughs() -> bytes:
    """A workbook whose sheet declares nested entities (refused by defusedxml): expanded, the
    first name would be a thousand million "lol"s."""
    source = zipfile.ZipFile(io.BytesIO(as_xlsx([person(1)])))
    members = {name: source.read(name) for name in source.namelist()}
    entities = '<!ENTITY e0 "lol">' + "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10)
    )
    sheet = members["xl/worksheets/sheet1.xml"].decode().replace("<t>Aigul1</t>", "<t>&e9;</t>")
    members["xl/worksheets/sheet1.xml"] = f"<!DOCTYPE worksheet [{entities}]>{sheet}".encode()
    return _zip(members)


HOSTILE: dict[str, tuple[Any, str, str, int, str]] = {
    # name: (content or a builder, file name, media type, status, code)
    "a pdf called xlsx": (b"%PDF-1.7\n...", "caseload.xlsx", XLSX, 415, "file_type_mismatch"),
    "a png called csv": (
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "caseload.csv",
        "text/csv",
        415,
        "unsupported_file_type",
    ),
    "an old xls": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
        "caseload.xls",
        "application/vnd.ms-excel",
        415,
        "unsupported_file_type",
    ),
    "a workbook called csv": (
        lambda: as_xlsx([person(1)]),
        "caseload.csv",
        "text/csv",
        415,
        "file_type_mismatch",
    ),
    "a zip that is no workbook": (
        lambda: _zip({"notes.txt": b"hello"}),
        "caseload.xlsx",
        XLSX,
        415,
        "unsupported_file_type",
    ),
    "a truncated workbook": (
        lambda: as_xlsx([person(1)])[:-200],
        "caseload.xlsx",
        XLSX,
        422,
        "broken_file",
    ),
    "a workbook with broken xml": (
        lambda: _zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<<<"}),
        "caseload.xlsx",
        XLSX,
        422,
        "broken_file",
    ),
    "a zip bomb": (
        lambda: _zip(
            {
                "[Content_Types].xml": b"<Types/>",
                "xl/worksheets/sheet1.xml": b"0" * (60 * 1024 * 1024),
            }
        ),
        "caseload.xlsx",
        XLSX,
        422,
        "zip_bomb",
    ),
    "a dense member": (
        lambda: _zip(
            {"[Content_Types].xml": b"<Types/>", "xl/sharedStrings.xml": b" " * (5 * 1024 * 1024)}
        ),
        "caseload.xlsx",
        XLSX,
        422,
        "zip_bomb",
    ),
    "entities in the shared strings": (_billion_laughs, "caseload.xlsx", XLSX, 422, "broken_file"),
    "an empty file": (b"", "caseload.csv", "text/csv", 422, "empty_file"),
    "blank lines only": (b"\r\n\r\n , ,\r\n", "caseload.csv", "text/csv", 422, "empty_file"),
    "a header without rows": (lambda: as_csv([]), "caseload.csv", "text/csv", 422, "empty_file"),
    "latin-1 text": (
        "given_name,family_name,birth_date,sex\r\nJosé,Núñez,1996-04-12,male\r\n".encode("latin-1"),
        "caseload.csv",
        "text/csv",
        422,
        "encoding_not_utf8",
    ),
    "utf-16 text": (
        "given_name,family_name,birth_date,sex\r\n".encode("utf-16"),
        "caseload.csv",
        "text/csv",
        422,
        "encoding_not_utf8",
    ),
    "an unknown header": (
        lambda: as_csv([person(1)], [*template.HEADER, "shoe_size"]),
        "caseload.csv",
        "text/csv",
        422,
        "header_mismatch",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
async def test_a_hostile_file_is_refused_whole_and_changes_nothing(
    client: httpx.AsyncClient, app: FastAPI, manager: Actor, name: str
) -> None:
    content, filename, media_type, status, code = HOSTILE[name]
    data = content() if callable(content) else content
    before = await every_count(app)
    for dry_run in (True, False):
        answer = await upload(
            client, manager, data, filename, dry_run=dry_run, media_type=media_type
        )
        expect_problem(answer, status, code)
    assert await every_count(app) == before


async def test_a_header_that_is_not_the_templates_names_the_columns(
    client: httpx.AsyncClient, manager: Actor
) -> None:
    content = as_csv(
        [{"given_name": "A", "sex": "female", "shoe_size": "38"}],
        ["given_name", "sex", "shoe_size", "sex"],
    )
    body = expect_problem(await upload(client, manager, content), 422, "header_mismatch")
    assert body["unknown_columns"] == ["shoe_size"]
    assert body["repeated_columns"] == ["sex"]
    assert body["missing_columns"] == ["family_name", "birth_date"]


async def test_a_file_over_the_size_limit_is_413(
    client: httpx.AsyncClient, app: FastAPI, manager: Actor
) -> None:
    content = as_csv([person(n) for n in range(1, 40)])
    before = await every_count(app)
    with changed_settings(app, import_max_bytes=len(content) - 1):
        body = expect_problem(await upload(client, manager, content), 413, "payload_too_large")
    assert body["max_bytes"] == len(content) - 1
    assert await every_count(app) == before


async def test_a_body_over_the_routes_own_limit_is_refused_before_it_is_read(
    client: httpx.AsyncClient, app: FastAPI, manager: Actor
) -> None:
    """The import route takes more than the 1 MiB of other routes, not without end."""
    limit = app.state.settings.import_max_bytes

    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(limit // (64 * 1024) + 4):
            yield b"x" * (64 * 1024)

    headers = manager.headers | {"Content-Type": "multipart/form-data; boundary=x"}
    answer = await client.post(IMPORTS, content=chunks(), headers=headers)
    expect_problem(answer, 413, "payload_too_large")


async def test_a_file_over_a_mebibyte_but_within_the_import_limit_is_taken(
    client: httpx.AsyncClient, manager: Actor
) -> None:
    """(Its addresses are too long, each refused in the report: the rows are not what is
    tried here, the body's size is.)"""
    rows = [person(n, registered_address="x" * 2000) for n in range(1, 600)]
    content = as_csv(rows)
    assert 1024 * 1024 < len(content) < 5 * 1024 * 1024
    answer = await upload(client, manager, content, dry_run=True)
    assert answer.status_code == 200, answer.text[:300]
    report = answer.json()
    assert (report["total_rows"], len(report["problems"])) == (599, 599)
    assert {p["column"] for p in report["problems"]} == {"registered_address"}


async def test_too_many_rows_are_refused(
    client: httpx.AsyncClient, app: FastAPI, manager: Actor
) -> None:
    with changed_settings(app, import_max_rows=2):
        answer = await upload(client, manager, as_csv([person(1), person(2), person(3)]))
        body = expect_problem(answer, 422, "too_many_rows")
    assert body["max_rows"] == 2
    assert await victims_of(client, manager) == []


async def test_the_job_counts_rows_done_while_it_runs(
    client: httpx.AsyncClient, manager: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Progress is the process's own record of the run, laid over the job's row: it counts
    the rows of each chunk stored (here a chunk is a row)."""
    from app.services import imports

    seen: list[int] = []
    real = imports._chunk

    async def watched(session, ctx, rows, outcome):  # type: ignore[no-untyped-def]
        await real(session, ctx, rows, outcome)
        job_id = next(iter(imports._PROGRESS))
        read = await client.get(f"{IMPORTS}/{job_id}", headers=manager.headers)
        seen.append(read.json()["done_rows"])

    monkeypatch.setattr(imports, "CHUNK_ROWS", 1)
    monkeypatch.setattr(imports, "_chunk", watched)
    answer = await upload(client, manager, as_csv([person(1), person(2), person(3)]))
    assert seen == [0, 1, 2]
    assert imports._PROGRESS == {}
    read = await client.get(answer.headers["location"], headers=manager.headers)
    assert (read.json()["status"], read.json()["done_rows"]) == ("succeeded", 3)


def test_the_readme_names_every_column_of_the_template() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Bringing an existing caseload in", 1)[1].split("\n## ", 1)[0]
    assert [name for name in template.HEADER if f"`{name}`" not in section] == []


# --- rows stored together ---------------------------------------------------------------------


async def test_an_imported_row_leaves_what_its_requests_one_by_one_would(
    client: httpx.AsyncClient,
    app: FastAPI,
    actors: Actors,
    manager: Actor,
    receiver: Organisation,
    shelter: Shelter,
) -> None:
    """The chunk's one statement per kind makes the records, audit events and webhooks that
    the same person's requests make through the services: table by table, event by event."""
    await actors.add(
        WebhookEndpoint(organisation_id=receiver.id, url="https://x.test/h", secret="whsec-test")
    )
    row = full_row(receiver, shelter, 1)
    before = await every_count(app)
    answer = await upload(client, manager, as_csv([row]))
    assert answer.status_code == 202, answer.text
    imported = await every_count(app)
    by_import = {t: imported[t] - before[t] for t in imported if imported[t] != before[t]}

    headers = manager.headers
    body = {k: v for k, v in person(2).items() if not k.startswith("consent_")}
    body["exploitation_types"] = body["exploitation_types"].split(";")
    made = await client.post(f"{API}/victims", json=body, headers=headers)
    assert made.status_code == 201, made.text
    victim_id = made.json()["id"]
    for consent in (
        {"purpose": "data_processing", "given_on": "2024-03-02"},
        {
            "purpose": "share_with_organisation",
            "recipient_organisation_id": str(receiver.id),
            "given_on": "2024-03-03",
        },
    ):
        given = await client.post(
            f"{API}/victims/{victim_id}/consents", json=consent, headers=headers
        )
        assert given.status_code == 201, given.text
    requests = [
        (
            "referrals",
            {"victim_id": victim_id, "to_organisation_id": str(receiver.id), "service": "legal",
             "funding": "project", "referred_on": "2024-03-04"},
        ),
        (
            "shelter-stays",
            {"victim_id": victim_id, "shelter_id": str(shelter.id), "source": "ngo_coordinator",
             "proposed_on": "2024-03-05", "pocket_money_per_day": "50.00"},
        ),
        ("assessments", {"victim_id": victim_id, "kind": "risk", "performed_on": "2024-03-06"}),
    ]  # fmt: skip
    for path, request in requests:
        sent = await client.post(f"{API}/{path}", json=request, headers=headers)
        assert sent.status_code == 201, sent.text
    after = await every_count(app)
    by_requests = {t: after[t] - imported[t] for t in after if after[t] != imported[t]}
    # the import's own: its job and the event that audits it (and the chains of hashes the
    # first events start)
    assert by_import.pop("imports") == 1
    by_import["audit_events"] -= 1
    by_import.pop("audit_chains")
    assert by_import == by_requests
    assert by_import["outbox_messages"] == 2  # the share consent and the referral, as webhooks

    coordinator = await actors.user(Role.COORDINATOR)
    trail = await client.get(
        f"{API}/audit-events",
        params={"actor_id": str(manager.id), "action": "create", "limit": 200},
        headers=coordinator.headers,
    )
    events = sorted(trail.json()["items"], key=lambda e: e["at"])
    kinds = [e["record_type"] for e in events if e["record_type"] != "import"]
    half = len(kinds) // 2
    assert kinds[:half] == kinds[half:] == [
        "victim", "consent", "consent", "referral", "shelter_stay", "assessment"
    ]  # fmt: skip


@pytest.mark.parametrize("chunk_rows", [200, 1], ids=["in-one-chunk", "a-row-a-chunk"])
async def test_the_same_person_twice_in_a_file_is_a_possible_duplicate_in_a_chunk_or_across(
    client: httpx.AsyncClient,
    actors: Actors,
    manager: Actor,
    monkeypatch: pytest.MonkeyPatch,
    chunk_rows: int,
) -> None:
    """DATA-DUPLICATE at import: each row is matched against the persons before it — those
    registered already and the file's rows above it, in its chunk or an earlier one."""
    from app.services import imports

    monkeypatch.setattr(imports, "CHUNK_ROWS", chunk_rows)
    coordinator = await actors.user(Role.COORDINATOR)
    registered = person(3, given_name="Айгүл", family_name="Асанова")
    already = await client.post(
        f"{API}/victims",
        json={
            k: v for k, v in registered.items() if k.startswith(("given", "family", "birth", "sex"))
        },
        headers=manager.headers,
    )
    assert already.status_code == 201, already.text
    rows = [
        person(1, given_name="Нургуль", family_name="Асанова", birth_date="1990-03-05"),
        person(2),
        person(3, given_name="Aigul", family_name="Asanova"),  # the one registered already
        person(4, given_name="Asanova", family_name="Nurgül", birth_date="1990-05-03"),
    ]
    answer = await upload(client, manager, as_csv(rows))
    assert answer.status_code == 202, answer.text
    job = (await client.get(answer.headers["location"], headers=manager.headers)).json()
    assert (job["status"], job["problems"]) == ("succeeded", [])
    listed = await client.get(f"{API}/possible-duplicates", headers=coordinator.headers)
    pairs = listed.json()["items"]
    names = {
        v["id"]: (v["given_name"], v["family_name"]) for v in await victims_of(client, manager)
    }
    found = sorted((names[p["victim_id"]], names[p["candidate_id"]]) for p in pairs)
    assert found == [
        (("Aigul", "Asanova"), ("Айгүл", "Асанова")),
        (("Asanova", "Nurgül"), ("Нургуль", "Асанова")),
    ]


async def test_a_refusal_by_the_database_is_found_row_by_row(
    client: httpx.AsyncClient,
    actors: Actors,
    ngo: Organisation,
    manager: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A constraint the database holds names no row: the chunk is tried again a row at a time,
    and the report names the row it refused."""
    from app.services import victims

    taken = (await actors.victim(ngo)).registration_number
    real = victims.free_registration_numbers
    calls = 0

    async def one_taken(session, count):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        numbers = await real(session, count)
        # the file's second person (row 3) draws a number another person holds: in the chunk
        # of three (the first call), and tried on its own (the third: row by row)
        if calls in (1, 3):
            numbers[1 if calls == 1 else 0] = taken
        return numbers

    monkeypatch.setattr(victims, "free_registration_numbers", one_taken)
    answer = await upload(client, manager, as_csv([person(1), person(2), person(3)]), dry_run=True)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert [(p["row"], p["code"]) for p in report["problems"]] == [(3, "duplicate")]
    assert report["created"]["victims"] == 2


async def test_an_admission_in_a_row_goes_through_the_admission_rules(
    client: httpx.AsyncClient,
    manager: Actor,
    receiver: Organisation,
    shelter: Shelter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Were one role allowed both to propose and to admit, the admission of a row's stay is
    the service's, with its rules (the signed documents first: MAN-ADMISSION-DOCS), and the
    refused row makes nothing."""
    from app.services import imports

    monkeypatch.setattr(imports, "can", lambda *_: True)
    row = full_row(receiver, shelter, 1) | {"stay_admitted_on": "2024-03-07"}
    answer = await upload(client, manager, as_csv([row, person(2)]), dry_run=True)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    found = [(p["row"], p["column"], p["rule"]) for p in report["problems"]]
    assert found == [(2, "stay_admitted_on", "MAN-ADMISSION-DOCS")]
    assert report["created"]["victims"] == 1
