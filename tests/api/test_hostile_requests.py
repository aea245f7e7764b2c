"""Hostile requests (issue 16, point 5): each one is answered with its 4xx problem, never a 5xx,
and changes no row.

Every case runs in a test of its own, rolled back at its end. Before and after the request the
test reads every row of every table (``SQLModel.metadata.sorted_tables``) through the test's own
sessions (``app.state.sessionmaker``, the one ``actors`` writes with), so an insert, an update and
a delete all show; the audit trail is one of those tables. A refusal that must leave a trace
names what it may write (``Case.may_write``), and nothing else:

- a wrong password counts one failure (``login_failures``), which outlives the refused request;
- a refresh token presented twice revokes its whole family (``refresh_tokens``);
- a disclosure without the person's consent keeps one ``refuse`` event in the audit trail (and
  moves the actor's chain of hashes on, ``audit_chains``).

The concurrent cases need real parallel connections: the sessions of a rolled-back test share
its one connection, whose savepoints cannot interleave. They are marked ``commits`` and run on
the committing database (serialised by SQLite, truly parallel on PostgreSQL).

Each case adds its outcome to ``TALLY``; the last test of the module reports the totals through
``tests/figures.py`` and fails unless at least ``MIN_CASES`` cases ran, none answered a 5xx and
none changed a row it may not.
"""

import asyncio
import base64
import json
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from jose import jwt
from sqlalchemy import select
from sqlmodel import SQLModel

from app.config import Settings
from app.domain.access import Role
from app.domain.consent import ConsentPurpose
from app.domain.shelter import StaySource, StayStatus
from app.models import ShelterStay
from tests import figures
from tests.api.shelter_world import API, ShelterWorld, build_shelter_world, stay_body
from tests.factories import PASSWORD, Actor, Actors, victim_body

VICTIMS = f"{API}/victims"
GRANTS = f"{API}/reintegration-grants"
MIN_CASES = 40
USED_KEY = "hostile-used-key"
DEEP = 600  # JSON this deep parses, and is still far below the body limit

# --- the world each case meets ------------------------------------------------------------------


@dataclass
class World:
    """The callers, a person at version 2 registered with ``USED_KEY``, a draft pink grant."""

    app: FastAPI
    client: httpx.AsyncClient
    actors: Actors
    settings: Settings
    shelter: ShelterWorld
    victim_url: str
    victim_id: str
    grant_url: str
    victims_cursor: str
    scratch: dict[str, Any] = field(default_factory=dict)

    @property
    def worker(self) -> Actor:
        return self.shelter.worker

    @property
    def manager(self) -> Actor:
        return self.shelter.manager

    @property
    def today(self) -> date:
        return self.shelter.today

    def send(self, method: str, url: str, by: Actor | None = None, **kwargs: Any) -> Any:
        headers = (by.headers if by else {}) | kwargs.pop("headers", {})
        return self.client.request(method, url, headers=headers, **kwargs)


def grant_body(w: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "victim_id": str(w.shelter.woman.id),
        "form": "pink",
        "ngo_organisation_id": str(w.shelter.runner.id),
        "period_start": (w.today - timedelta(days=90)).isoformat(),
        "period_end": (w.today - timedelta(days=1)).isoformat(),
        "lines": [{"category": "clothes_summer", "amount": "2000.00"}],
    }
    return body | overrides


def with_line(w: World, **line: Any) -> dict[str, Any]:
    return grant_body(w, lines=[{"category": "lawyer", "purpose": "criminal_proceedings"} | line])


def disclosure_body(w: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "victim_id": str(w.shelter.woman.id),
        "recipient": "law_enforcement",
        "recipient_name": "Anti-trafficking unit, district police",
        "what": "Her statement of the recruitment.",
        "disclosed_on": w.today.isoformat(),
    }
    return body | overrides


def incident_body(w: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "shelter_id": str(w.shelter.adult.id),
        "kind": "attack",
        "occurred_at": f"{(w.today - timedelta(days=1)).isoformat()}T22:30:00+00:00",
        "police_called": True,
        "summary": "A man tried to force the gate.",
    }
    return body | overrides


def visit_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "visitor_kind": "family",
        "visitor_name": "A sister",
        "visitor_organisation": "none",
        "justification": "Family visit agreed with the resident.",
        "arrived_at": "2026-11-30T10:00:00+06:00",
    }
    return body | overrides


async def build_world(app: FastAPI, client: httpx.AsyncClient, actors: Actors) -> World:
    shelter = await build_shelter_world(actors)
    since = shelter.today - timedelta(days=120)
    await actors.add(  # the woman lives at the shelter over the grants' period (pink form)
        ShelterStay(
            victim_id=shelter.woman.id,
            shelter_id=shelter.adult.id,
            source=StaySource.NGO_COORDINATOR,
            status=StayStatus.ADMITTED,
            rules_signed_on=since,
            rights_signed_on=since,
            pocket_money_per_day=Decimal("50.00"),
            proposed_on=since,
            proposed_by=shelter.manager.id,
            admitted_on=since,
            admitted_by=shelter.coordinator.id,
            rulebook_version="kg-2026.1",
        )
    )
    key = {"Idempotency-Key": USED_KEY}
    made = await client.post(VICTIMS, json=victim_body(), headers=shelter.worker.headers | key)
    assert made.status_code == 201, made.text
    victim_url = made.headers["location"]
    change = {"contact_phone": "+996 555 000 111"}
    moved = await client.patch(
        victim_url, json=change, headers=shelter.worker.headers | {"If-Match": '"1"'}
    )
    assert moved.headers["etag"] == '"2"', moved.text
    world = World(
        app, client, actors, app.state.settings, shelter, victim_url, made.json()["id"], "", ""
    )
    drafted = await client.post(GRANTS, json=grant_body(world), headers=shelter.manager.headers)
    assert drafted.status_code == 201, drafted.text
    world.grant_url = drafted.headers["location"]
    page = await client.get(VICTIMS, params={"limit": 1}, headers=shelter.worker.headers)
    world.victims_cursor = page.json()["next_cursor"]
    assert world.victims_cursor
    return world


# --- what a case is --------------------------------------------------------------------------

Answers = httpx.Response | list[httpx.Response]
Send = Callable[[World], Awaitable[Answers]]
Prepare = Callable[[World], Awaitable[None]]
# what a refusal may write: per table, a check of the rows it added and the rows it removed
Writes = Mapping[str, Callable[[list[dict[str, str]], list[dict[str, str]]], bool]]


@dataclass(frozen=True)
class Case:
    name: str
    send: Send
    expect: tuple[tuple[int, str], ...]  # the acceptable (status, code) answers
    loc: str | None = None  # a field the validation errors must name
    prepare: Prepare | None = None  # before the first snapshot
    may_write: Writes = field(default_factory=dict)
    concurrent: bool = False


def case(
    name: str,
    send: Send,
    status: int,
    code: str,
    *,
    loc: str | None = None,
    prepare: Prepare | None = None,
    may_write: Writes | None = None,
    concurrent: bool = False,
    also: tuple[tuple[int, str], ...] = (),
) -> Case:
    return Case(name, send, ((status, code), *also), loc, prepare, may_write or {}, concurrent)


def one_added(**values: str) -> Callable[[list[dict[str, str]], list[dict[str, str]]], bool]:
    """Exactly one row added, with these values, and none removed."""

    def check(added: list[dict[str, str]], removed: list[dict[str, str]]) -> bool:
        return (
            not removed and len(added) == 1 and all(added[0].get(k) == v for k, v in values.items())
        )

    return check


def any_change(_added: list[dict[str, str]], _removed: list[dict[str, str]]) -> bool:
    return True


def only_updates(added: list[dict[str, str]], removed: list[dict[str, str]]) -> bool:
    """Rows changed in place: as many after as before, with the same ids."""
    return sorted(r["id"] for r in added) == sorted(r["id"] for r in removed)


REFUSAL_AUDITED: Writes = {
    "audit_events": one_added(action="refuse", record_type="disclosure"),
    "audit_chains": any_change,  # the actor's chain of hashes moves on by that one event
}


# --- tokens ----------------------------------------------------------------------------------


def claims_of(w: World, actor: Actor, **changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": w.settings.jwt_issuer,
        "aud": w.settings.jwt_audience,
        "sub": str(actor.id),
        "typ": "user",
        "role": actor.role.value,
        "org": str(actor.organisation_id) if actor.organisation_id else None,
        "ver": 0,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=15)).timestamp()),
        "jti": uuid4().hex,
    }
    return claims | changes


def signed(w: World, claims: dict[str, Any], secret: str | None = None, alg: str = "HS256") -> str:
    key = secret or w.settings.jwt_secret.get_secret_value()
    return str(jwt.encode(claims, key, algorithm=alg))


def unsigned(claims: dict[str, Any]) -> str:
    """``alg: none``: a token anyone can write."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def read_with(token: Callable[[World], str]) -> Send:
    """Read the person with this token: a read that would be audited, were it let through."""
    return lambda w: w.send("GET", w.victim_url, headers=bearer(token(w)))


async def signed_in(w: World) -> None:
    login = {"grant_type": "password", "username": w.worker.name, "password": PASSWORD}
    issued = await w.client.post(f"{API}/auth/token", data=login)
    assert issued.status_code == 200, issued.text
    w.scratch["tokens"] = issued.json()


async def refreshed_once(w: World) -> None:
    await signed_in(w)
    rotate = {"grant_type": "refresh_token", "refresh_token": w.scratch["tokens"]["refresh_token"]}
    assert (await w.client.post(f"{API}/auth/token", data=rotate)).status_code == 200


def refresh_with(token: Callable[[World], str]) -> Send:
    return lambda w: w.client.post(
        f"{API}/auth/token", data={"grant_type": "refresh_token", "refresh_token": token(w)}
    )


# --- bodies ----------------------------------------------------------------------------------


def raw_json(content: str | bytes, content_type: str = "application/json") -> Send:
    """A POST of a person with this body, as it is."""
    return lambda w: w.send(
        "POST", VICTIMS, w.worker, content=content, headers={"Content-Type": content_type}
    )


def register(**overrides: Any) -> Send:
    return lambda w: w.send("POST", VICTIMS, w.worker, json=victim_body(**overrides))


def draft(body: Callable[[World], dict[str, Any]]) -> Send:
    return lambda w: w.send("POST", GRANTS, w.manager, json=body(w))


def patch_victim(change: dict[str, Any], if_match: str | bytes = '"2"') -> Send:
    return lambda w: w.send(
        "PATCH", w.victim_url, w.worker, json=change, headers={"If-Match": if_match}
    )


def patch_grant(change: dict[str, Any], if_match: str = '"1"') -> Send:
    return lambda w: w.send(
        "PATCH", w.grant_url, w.manager, json=change, headers={"If-Match": if_match}
    )


def list_victims(**params: Any) -> Send:
    return lambda w: w.send("GET", VICTIMS, w.worker, params=params)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


async def oversized(w: World) -> httpx.Response:
    body = victim_body(registered_address="x" * w.settings.max_body_bytes)
    return await w.send("POST", VICTIMS, w.worker, json=body)


async def claims_more_than_the_limit(w: World) -> httpx.Response:
    length = str(w.settings.max_body_bytes + 1)
    headers = {"Content-Type": "application/json", "Content-Length": length}
    return await w.send("POST", VICTIMS, w.worker, content=b"{}", headers=headers)


async def claims_less_than_it_sends(w: World) -> httpx.Response:
    headers = {"Content-Type": "application/json", "Content-Length": "10"}
    content = b"x" * (w.settings.max_body_bytes + 10)
    return await w.send("POST", VICTIMS, w.worker, content=content, headers=headers)


async def streamed_without_length(w: World) -> httpx.Response:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(w.settings.max_body_bytes // (64 * 1024) + 2):
            yield b" " * (64 * 1024)

    headers = {"Content-Type": "application/json"}
    return await w.send("POST", VICTIMS, w.worker, content=chunks(), headers=headers)


# --- cursors ---------------------------------------------------------------------------------


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def two_incidents(w: World) -> None:
    """Two incidents on the shelter manager's worklist, so that its first page has a cursor."""
    for _ in range(2):
        made = await w.send("POST", f"{API}/incidents", w.worker, json=incident_body(w))
        assert made.status_code == 201, made.text
    page = await w.send("GET", f"{API}/worklist", w.manager, params={"limit": 1})
    w.scratch["worklist_cursor"] = page.json()["next_cursor"]
    assert w.scratch["worklist_cursor"]


# --- idempotency and concurrency ---------------------------------------------------------------


async def reused_at_once(w: World) -> list[httpx.Response]:
    """Five requests at once with the key already used, each with a body of its own."""
    key = {"Idempotency-Key": USED_KEY}
    return list(
        await asyncio.gather(
            *(
                w.send("POST", VICTIMS, w.worker, json=victim_body(given_name=f"O{n}"), headers=key)
                for n in range(5)
            )
        )
    )


async def mass_assigned_at_once(w: World) -> list[httpx.Response]:
    """Five requests at once with one new key, each setting the case's organisation."""
    key = {"Idempotency-Key": "raced-and-refused"}
    body = victim_body(organisation_id=str(w.shelter.outsider.id))
    return list(
        await asyncio.gather(
            *(w.send("POST", VICTIMS, w.worker, json=body, headers=key) for _ in range(5))
        )
    )


async def organisation_named(w: World) -> None:
    admin = await w.actors.user(Role.ADMIN)
    w.scratch["admin"] = admin
    made = await w.send(
        "POST", f"{API}/organisations", admin, json={"name": "Приют Сезим", "kind": "ngo"}
    )
    assert made.status_code == 201, made.text


async def counsellor(w: World) -> None:
    w.scratch["counsellor"] = await w.actors.user(Role.LEGAL_COUNSELLOR, w.shelter.runner)


# --- the cases ---------------------------------------------------------------------------------

V = "validation_error"

CASES: list[Case] = [
    # sizes
    case("body over APP_MAX_BODY_BYTES", oversized, 413, "payload_too_large"),
    case(
        "Content-Length claims more than the limit",
        claims_more_than_the_limit,
        413,
        "payload_too_large",
    ),
    case(
        "Content-Length claims 10 bytes, the body is over the limit",
        claims_less_than_it_sends,
        413,
        "payload_too_large",
    ),
    case("streamed body without a length", streamed_without_length, 413, "payload_too_large"),
    # shapes
    case(
        "JSON nested deeper than the parser goes",
        raw_json('{"given_name": ' + nested(100_000) + "}"),
        422,
        V,
    ),
    case(
        f"JSON arrays nested {DEEP} deep in a field",
        raw_json('{"given_name": ' + nested(DEEP) + "}"),
        422,
        V,
    ),
    case(
        f"JSON objects nested {DEEP} deep in a grant line",
        draft(
            lambda w: with_line(
                w, amount="10.00", justification=json.loads('{"a":' * DEEP + "1" + "}" * DEEP)
            )
        ),
        422,
        V,
    ),
    case("malformed JSON", raw_json(b'{"given_name": "A",'), 422, V),
    case("bytes that are not UTF-8", raw_json(b'{"given_name": "\xff\xfe"}'), 422, V),
    case("an array where an object is expected", raw_json(json.dumps([victim_body()])), 422, V),
    case("JSON null as the body", raw_json(b"null"), 422, V),
    case("text/plain on a JSON route", raw_json(json.dumps(victim_body()), "text/plain"), 422, V),
    case(
        "form-encoded on a JSON route",
        lambda w: w.send("POST", VICTIMS, w.worker, data={"given_name": "A", "sex": "female"}),
        422,
        V,
    ),
    case(
        "multipart on a JSON route",
        lambda w: w.send(
            "POST",
            VICTIMS,
            w.worker,
            files={"body": ("person.json", json.dumps(victim_body()), "application/json")},
        ),
        422,
        V,
    ),
    case(
        "JSON on the form-encoded token route",
        lambda w: w.client.post(
            f"{API}/auth/token",
            json={"grant_type": "password", "username": w.worker.name, "password": PASSWORD},
        ),
        422,
        V,
    ),
    # NUL and control characters
    case("NUL in a name", register(given_name="Nur\u0000gul"), 422, V),
    case("NUL in a list item", register(exploitation_types=["labour\u0000"]), 422, V),
    case("NUL in an object key", register(**{"given\u0000name": "x"}), 422, V),
    case("NUL in a query parameter", list_victims(registration_number="VT\u0000"), 422, V),
    case("bell and escape in a name", register(given_name="Nur\u0007gul\u001b[2J"), 422, V),
    case("CR LF in a name", register(family_name="Example\r\nX-Forged: 1"), 422, V),
    case(
        "a line feed after a UUID in a query parameter",
        lambda w: w.send("GET", GRANTS, w.manager, params={"victim_id": f"{w.victim_id}\n"}),
        422,
        V,
        loc="victim_id",
    ),
    # lengths and unicode
    case("a name of 101 characters", register(given_name="N" * 101), 422, V, loc="given_name"),
    case(
        "a registration number filter of 21 characters",
        list_victims(registration_number="V" * 21),
        422,
        V,
        loc="registration_number",
    ),
    case("a cursor of 201 characters", list_victims(cursor="A" * 201), 422, V, loc="cursor"),
    case(
        "an Idempotency-Key of 256 characters",
        lambda w: w.send(
            "POST", VICTIMS, w.worker, json=victim_body(), headers={"Idempotency-Key": "k" * 256}
        ),
        422,
        V,
        loc="idempotency-key",
    ),
    case("a right-to-left override in a name", register(given_name="Nur\u202eluG"), 422, V),
    case(
        "a zero-width space that makes a second organisation of one name",
        lambda w: w.send(
            "POST",
            f"{API}/organisations",
            w.scratch["admin"],
            json={"name": "Приют\u200b Сезим", "kind": "ngo"},
        ),
        409,
        "duplicate",
        prepare=organisation_named,
        also=((422, V),),
    ),
    # amounts
    case("a negative amount", draft(lambda w: with_line(w, amount="-1.00")), 422, V, loc="amount"),
    case(
        "an amount of 16 digits",
        draft(lambda w: with_line(w, amount="99999999999999.99")),
        422,
        V,
        loc="amount",
    ),
    case("an amount of 1e400", draft(lambda w: with_line(w, amount="1e400")), 422, V, loc="amount"),
    case("NaN as an amount", draft(lambda w: with_line(w, amount="NaN")), 422, V, loc="amount"),
    case(
        "Infinity as an amount",
        draft(lambda w: with_line(w, amount="-Infinity")),
        422,
        V,
        loc="amount",
    ),
    case(
        "a float as an amount", draft(lambda w: with_line(w, amount=2000.5)), 422, V, loc="amount"
    ),
    case(
        "three decimal places", draft(lambda w: with_line(w, amount="0.001")), 422, V, loc="amount"
    ),
    case(
        "a hexadecimal amount", draft(lambda w: with_line(w, amount="0x10")), 422, V, loc="amount"
    ),
    case("a decimal comma", draft(lambda w: with_line(w, amount="12,50")), 422, V, loc="amount"),
    case("an amount with underscores", draft(lambda w: with_line(w, amount="1_000.00")), 422, V),
    case(
        "an amount in full-width digits",
        draft(lambda w: with_line(w, amount="２０００.００")),
        422,
        V,
    ),
    case(
        "an amount far over the line's ceiling",
        draft(
            lambda w: grant_body(
                w, lines=[{"category": "clothes_summer", "amount": "9999999999.99"}]
            )
        ),
        422,
        "rule_violation",
    ),
    case(
        "a negative amount in a draft's change",
        patch_grant({"lines": [{"category": "clothes_summer", "amount": "-2000.00"}]}),
        422,
        V,
    ),
    # dates and times
    case(
        "identification on 9999-12-31",
        register(identified_on="9999-12-31"),
        422,
        V,
        loc="identified_on",
    ),
    case(
        "a date in the year 10000",
        register(identified_on="10000-01-01"),
        422,
        V,
        loc="identified_on",
    ),
    case("born on 0001-01-01", register(birth_date="0001-01-01"), 422, V, loc="birth_date"),
    case("a 30th of February", register(identified_on="2026-02-30"), 422, V, loc="identified_on"),
    case(
        "identified on 0001-01-01, long before birth",
        register(identified_on="0001-01-01"),
        422,
        V,
    ),
    case(
        "a pink grant for December 9999",
        draft(lambda w: grant_body(w, period_start="9999-12-01", period_end="9999-12-31")),
        422,
        "rule_violation",
        also=((422, V),),
    ),
    case(
        "a naive datetime in a body",
        lambda w: w.send(
            "POST",
            f"{API}/incidents",
            w.worker,
            json=incident_body(w, occurred_at="2026-11-30T22:30:00"),
        ),
        422,
        V,
        loc="occurred_at",
    ),
    case(
        "a naive datetime in a visit",
        lambda w: w.send(
            "POST",
            f"{API}/shelters/{w.shelter.adult.id}/visits",
            w.manager,
            json=visit_body(arrived_at="2026-11-30T10:00:00"),
        ),
        422,
        V,
        loc="arrived_at",
    ),
    case(
        "a naive datetime in a query",
        lambda w: w.send(
            "GET",
            f"{API}/audit-events",
            w.shelter.coordinator,
            params={"since": "2026-01-01T00:00"},
        ),
        422,
        V,
        loc="since",
    ),
    # injection in filters, cursors and paths
    case("SQL in an enum filter", list_victims(status="' OR 1=1--"), 422, V, loc="status"),
    case("SQL as a cursor", list_victims(cursor="' OR 1=1--"), 422, V, loc="cursor"),
    case("a cursor that is not base64", list_victims(cursor="%%%not-base64"), 422, V),
    case("base64 of SQL as a cursor", list_victims(cursor=b64(b"' OR 1=1--")), 422, V),
    case("base64 of 40 bytes as a cursor", list_victims(cursor=b64(bytes(40))), 422, V),
    case(
        "the worklist's cursor on the list of persons",
        lambda w: w.send("GET", VICTIMS, w.worker, params={"cursor": w.scratch["worklist_cursor"]}),
        422,
        V,
        prepare=two_incidents,
    ),
    case(
        "the list of persons' cursor on the worklist",
        lambda w: w.send("GET", f"{API}/worklist", w.manager, params={"cursor": w.victims_cursor}),
        422,
        V,
    ),
    case(
        "a forged worklist cursor with SQL as its kind",
        lambda w: w.send(
            "GET",
            f"{API}/worklist",
            w.manager,
            params={
                "cursor": b64(json.dumps(["2026-01-01", "x' OR 1=1--", str(uuid4())]).encode())
            },
        ),
        422,
        V,
    ),
    case(
        "a forged worklist cursor that is a JSON object",
        lambda w: w.send(
            "GET", f"{API}/worklist", w.manager, params={"cursor": b64(b'{"due": "2026-01-01"}')}
        ),
        422,
        V,
    ),
    case(
        "SQL as a path parameter",
        lambda w: w.send("GET", f"{VICTIMS}/' OR 1=1--", w.worker),
        422,
        V,
    ),
    case("a number as a path parameter", lambda w: w.send("GET", f"{GRANTS}/1", w.manager), 422, V),
    case(
        "a grant's id as a person's",
        lambda w: w.send("GET", f"{VICTIMS}/{w.grant_url.rsplit('/', 1)[1]}", w.worker),
        404,
        "not_found",
    ),
    # mass assignment on create
    case("create with an id", register(id=str(uuid4())), 422, V, loc="id"),
    case(
        "create for another organisation",
        lambda w: w.send(
            "POST",
            VICTIMS,
            w.worker,
            json=victim_body(organisation_id=str(w.shelter.outsider.id)),
        ),
        422,
        V,
        loc="organisation_id",
    ),
    case("create with a status", register(status="closed"), 422, V, loc="status"),
    case("create with a version", register(version=99), 422, V, loc="version"),
    case(
        "create with a registration number",
        register(registration_number="VT-MINE"),
        422,
        V,
        loc="registration_number",
    ),
    case(
        "a grant created approved",
        draft(lambda w: grant_body(w, status="approved")),
        422,
        V,
        loc="status",
    ),
    case(
        "a grant with its total", draft(lambda w: grant_body(w, total="1.00")), 422, V, loc="total"
    ),
    case(
        "a grant with its number",
        draft(lambda w: grant_body(w, number="S-XX-2026-1")),
        422,
        V,
        loc="number",
    ),
    case(
        "a grant with its author",
        draft(lambda w: grant_body(w, author_id=str(w.shelter.coordinator.id))),
        422,
        V,
        loc="author_id",
    ),
    case(
        "a grant line with its ceiling",
        draft(lambda w: with_line(w, amount="10.00", ceiling="99999.00")),
        422,
        V,
        loc="ceiling",
    ),
    case(
        "a stay proposed as admitted",
        lambda w: w.send(
            "POST",
            f"{API}/shelter-stays",
            w.manager,
            json=stay_body(w.shelter, status="admitted", admitted_by=str(w.manager.id)),
        ),
        422,
        V,
        loc="status",
    ),
    case(
        "an incident with its recorder",
        lambda w: w.send(
            "POST",
            f"{API}/incidents",
            w.worker,
            json=incident_body(w, recorded_by=str(w.shelter.medic.id)),
        ),
        422,
        V,
        loc="recorded_by",
    ),
    case(
        "a disclosure naming its own consent",
        lambda w: w.send(
            "POST",
            f"{API}/disclosures",
            w.scratch["counsellor"],
            json=disclosure_body(w, consent_id=str(uuid4())),
        ),
        422,
        V,
        loc="consent_id",
        prepare=counsellor,
    ),
    # mass assignment on PATCH
    case("PATCH a person's status", patch_victim({"status": "closed"}), 422, V, loc="status"),
    case("PATCH a person's version", patch_victim({"version": 1}), 422, V, loc="version"),
    case(
        "PATCH a person's organisation",
        lambda w: w.send(
            "PATCH",
            w.victim_url,
            w.worker,
            json={"organisation_id": str(w.shelter.outsider.id)},
            headers={"If-Match": '"2"'},
        ),
        422,
        V,
        loc="organisation_id",
    ),
    case("PATCH a grant's status", patch_grant({"status": "approved"}), 422, V, loc="status"),
    case("PATCH a grant's total", patch_grant({"total": "0.01"}), 422, V, loc="total"),
    case("PATCH a grant's number", patch_grant({"number": "S-XX-2026-9"}), 422, V, loc="number"),
    case(
        "PATCH a grant's author",
        lambda w: w.send(
            "PATCH",
            w.grant_url,
            w.manager,
            json={"author_id": str(w.worker.id)},
            headers={"If-Match": '"1"'},
        ),
        422,
        V,
        loc="author_id",
    ),
    # unknown enum values
    case("an unknown sex", register(sex="robot"), 422, V, loc="sex"),
    case("an enum value in capitals", register(sex="FEMALE"), 422, V, loc="sex"),
    case(
        "an unknown exploitation type",
        register(exploitation_types=["organ_trade"]),
        422,
        V,
        loc="exploitation_types",
    ),
    case(
        "an unknown grant form", draft(lambda w: grant_body(w, form="purple")), 422, V, loc="form"
    ),
    case(
        "an unknown grant line",
        draft(lambda w: grant_body(w, lines=[{"category": "yacht", "amount": "10.00"}])),
        422,
        "rule_violation",
    ),
    case(
        "an unknown disclosure recipient",
        lambda w: w.send(
            "POST",
            f"{API}/disclosures",
            w.scratch["counsellor"],
            json=disclosure_body(w, recipient="press"),
        ),
        422,
        V,
        loc="recipient",
        prepare=counsellor,
    ),
    # idempotency
    case(
        "the same Idempotency-Key with another body",
        lambda w: w.send(
            "POST",
            VICTIMS,
            w.worker,
            json=victim_body(given_name="Other"),
            headers={"Idempotency-Key": USED_KEY},
        ),
        422,
        "idempotency_key_reused",
    ),
    case(
        "the same Idempotency-Key on another route",
        lambda w: w.send(
            "POST", GRANTS, w.worker, json=grant_body(w), headers={"Idempotency-Key": USED_KEY}
        ),
        422,
        "idempotency_key_reused",
    ),
    case(
        "five at once with a used key and bodies of their own",
        reused_at_once,
        422,
        "idempotency_key_reused",
        concurrent=True,
    ),
    case(
        "five at once with one new key, each setting the organisation",
        mass_assigned_at_once,
        422,
        V,
        loc="organisation_id",
        concurrent=True,
    ),
    # If-Match
    case("a stale If-Match", patch_victim({"contact_phone": None}, '"1"'), 412, "version_mismatch"),
    case(
        "a weak If-Match", patch_victim({"contact_phone": None}, 'W/"2"'), 412, "version_mismatch"
    ),
    case(
        "If-Match that is no ETag",
        patch_victim({"contact_phone": None}, '"abc"'),
        412,
        "version_mismatch",
    ),
    case(
        "If-Match with a superscript digit",
        patch_victim({"contact_phone": None}, '"\u00b2"'.encode("latin-1")),
        412,
        "version_mismatch",
    ),
    case(
        "If-Match with a version of 30 digits",
        patch_victim({"contact_phone": None}, '"' + "9" * 30 + '"'),
        412,
        "version_mismatch",
    ),
    case(
        "If-Match version 0 on a grant",
        patch_grant({"mou_reference": "MoU-1"}, '"0"'),
        412,
        "version_mismatch",
    ),
    # tokens
    case(
        "a JWT with alg none",
        read_with(lambda w: unsigned(claims_of(w, w.worker))),
        401,
        "token_invalid",
    ),
    case(
        "a JWT signed with another secret",
        read_with(lambda w: signed(w, claims_of(w, w.worker), secret="another-secret-" * 4)),
        401,
        "token_invalid",
    ),
    case(
        "an expired JWT",
        read_with(
            lambda w: signed(
                w,
                claims_of(
                    w, w.worker, exp=int((datetime.now(UTC) - timedelta(minutes=1)).timestamp())
                ),
            )
        ),
        401,
        "token_expired",
    ),
    case(
        "a JWT for another audience",
        read_with(lambda w: signed(w, claims_of(w, w.worker, aud="another-api"))),
        401,
        "token_invalid",
    ),
    case(
        "a JWT from another issuer",
        read_with(lambda w: signed(w, claims_of(w, w.worker, iss="someone-else"))),
        401,
        "token_invalid",
    ),
    case(
        "a JWT signed with HS512",
        read_with(lambda w: signed(w, claims_of(w, w.worker), alg="HS512")),
        401,
        "token_invalid",
    ),
    case(
        "a JWT that claims a role the account does not have",
        read_with(lambda w: signed(w, claims_of(w, w.worker, role="coordinator"))),
        401,
        "token_invalid",
    ),
    case(
        "a JWT without its jti",
        read_with(
            lambda w: signed(w, {k: v for k, v in claims_of(w, w.worker).items() if k != "jti"})
        ),
        401,
        "token_invalid",
    ),
    case(
        "a JWT of an account that does not exist",
        read_with(lambda w: signed(w, claims_of(w, w.worker, sub=str(uuid4())))),
        401,
        "token_invalid",
    ),
    case(
        "Basic credentials",
        lambda w: w.send("GET", w.victim_url, headers={"Authorization": "Basic dXNlcjpwYXNz"}),
        401,
        "unauthenticated",
    ),
    case(
        "an access token used as a refresh token",
        refresh_with(lambda w: w.scratch["tokens"]["access_token"]),
        422,
        V,
        loc="refresh_token",
        prepare=signed_in,
        also=((401, "token_invalid"),),
    ),
    case(
        "a refresh token used as an access token",
        read_with(lambda w: w.scratch["tokens"]["refresh_token"]),
        401,
        "token_invalid",
        prepare=signed_in,
    ),
    case(
        "a refresh token presented a second time (its family is revoked)",
        refresh_with(lambda w: w.scratch["tokens"]["refresh_token"]),
        401,
        "token_invalid",
        prepare=refreshed_once,
        may_write={"refresh_tokens": only_updates},
    ),
    case(
        "a wrong password (the failure is counted)",
        lambda w: w.client.post(
            f"{API}/auth/token",
            data={"grant_type": "password", "username": w.worker.name, "password": "guess"},
        ),
        401,
        "invalid_credentials",
        may_write={"login_failures": one_added()},
    ),
    # pages
    case("limit of 10^30", list_victims(limit=10**30), 422, V, loc="limit"),
    case("a negative limit", list_victims(limit=-1), 422, V, loc="limit"),
    case("limit written 1e2", list_victims(limit="1e2"), 422, V, loc="limit"),
    # a refusal that protects a person
    case(
        "a disclosure without the person's consent (the refusal is audited)",
        lambda w: w.send(
            "POST", f"{API}/disclosures", w.scratch["counsellor"], json=disclosure_body(w)
        ),
        422,
        "consent_required",
        prepare=counsellor,
        may_write=REFUSAL_AUDITED,
    ),
]


# --- reading every row -------------------------------------------------------------------------

Rows = dict[str, Counter[tuple[tuple[str, str], ...]]]


async def every_row(app: FastAPI) -> Rows:
    rows: Rows = {}
    async with app.state.sessionmaker() as session:
        connection = await session.connection()
        for table in SQLModel.metadata.sorted_tables:
            result = await connection.execute(select(table))
            rows[table.name] = Counter(
                tuple((name, str(value)) for name, value in row.items())
                for row in result.mappings()
            )
    return rows


def changes(before: Rows, after: Rows, may_write: Writes) -> dict[str, int]:
    """The rows each table gained or lost that the refusal may not write."""
    found: dict[str, int] = {}
    for table in before.keys() | after.keys():
        added = after.get(table, Counter()) - before.get(table, Counter())
        removed = before.get(table, Counter()) - after.get(table, Counter())
        if not added and not removed:
            continue
        allowed = may_write.get(table)
        if allowed is not None and allowed(
            [dict(r) for r in added.elements()], [dict(r) for r in removed.elements()]
        ):
            continue
        found[table] = max(sum(added.values()), sum(removed.values()))  # an update is one row
    return found


# --- the tests ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    name: str
    requests: int
    server_errors: int
    rows_changed: int


TALLY: list[Outcome] = []


@pytest.fixture
async def world(app: FastAPI, client: httpx.AsyncClient, actors: Actors) -> World:
    return await build_world(app, client, actors)


def wrong_answer(answer: httpx.Response, hostile: Case) -> str | None:
    """What is wrong with the answer, or None: its status and code, its problem body, and for a
    validation error the field it names."""
    shown = f"{answer.status_code} {answer.text[:300]}"
    if not answer.headers.get("content-type", "").startswith("application/problem+json"):
        return f"not a problem: {shown}"
    body = answer.json()
    if (answer.status_code, body.get("code")) not in hostile.expect:
        return f"expected one of {hostile.expect}, got {shown}"
    if body.get("status") != answer.status_code or not {"type", "title", "detail"} <= body.keys():
        return f"an incomplete problem: {shown}"
    named = [error["loc"] for error in body.get("errors") or []]
    if hostile.loc is not None and body["code"] == V and not any(hostile.loc in n for n in named):
        return f"the errors do not name {hostile.loc!r}: {shown}"
    return None


def parametrized(cases: list[Case]) -> list[Any]:
    return [
        pytest.param(c, id=c.name, marks=[pytest.mark.commits] if c.concurrent else [])
        for c in cases
    ]


@pytest.mark.parametrize("hostile", parametrized(CASES))
async def test_a_hostile_request_is_refused_and_changes_nothing(
    app: FastAPI, world: World, hostile: Case
) -> None:
    if hostile.prepare is not None:
        await hostile.prepare(world)
    before = await every_row(app)
    sent = await hostile.send(world)
    answers = sent if isinstance(sent, list) else [sent]
    after = await every_row(app)
    changed = changes(before, after, hostile.may_write)
    server_errors = sum(a.status_code >= 500 for a in answers)
    TALLY.append(Outcome(hostile.name, len(answers), server_errors, sum(changed.values())))
    problems = [w for w in (wrong_answer(a, hostile) for a in answers) if w is not None]
    problems += [f"rows changed in {table}: {rows}" for table, rows in sorted(changed.items())]
    assert not problems, "\n".join(problems)


async def test_the_bodies_the_cases_spoil_are_accepted_as_they_are(world: World) -> None:
    """Each case spoils one thing of a request that is accepted as it is: its refusal is that
    one thing's."""
    w = world
    await counsellor(w)
    await w.actors.consent(w.shelter.woman, ConsentPurpose.LAW_ENFORCEMENT_COOPERATION)
    visits = f"{API}/shelters/{w.shelter.adult.id}/visits"
    answers = [
        await w.send("POST", VICTIMS, w.worker, json=victim_body()),
        await w.send("POST", GRANTS, w.manager, json=with_line(w, amount="10.00")),
        await w.send("POST", f"{API}/incidents", w.worker, json=incident_body(w)),
        await w.send("POST", visits, w.manager, json=visit_body()),
        await w.send(
            "POST", f"{API}/disclosures", w.scratch["counsellor"], json=disclosure_body(w)
        ),
        await patch_victim({"contact_phone": None})(w),
        await patch_grant({"mou_reference": "MoU-1"})(w),
        await w.send("GET", VICTIMS, w.worker, params={"cursor": w.victims_cursor, "limit": 200}),
        await w.send("GET", w.victim_url, headers=bearer(signed(w, claims_of(w, w.worker)))),
    ]
    assert [a.status_code for a in answers] == [201] * 5 + [200] * 4, [a.text for a in answers]


def test_the_cases_have_distinct_names() -> None:
    names = Counter(c.name for c in CASES)
    assert [n for n, count in names.items() if count > 1] == []


def test_zz_every_hostile_request_was_refused_without_a_change() -> None:
    """Runs last in the module: the totals of the cases above."""
    requests = sum(o.requests for o in TALLY)
    rows_changed = sum(o.rows_changed for o in TALLY)
    server_errors = sum(o.server_errors for o in TALLY)
    figures.report(
        "hostile requests",
        cases=len(TALLY),
        requests=requests,
        rows_changed=rows_changed,
        server_errors=server_errors,
    )
    assert len(TALLY) >= MIN_CASES, f"only {len(TALLY)} hostile cases ran"
    failed = [
        f"{o.name}: {o.server_errors} answered 5xx, {o.rows_changed} rows changed"
        for o in TALLY
        if o.server_errors or o.rows_changed
    ]
    assert not failed, "\n".join(failed)
