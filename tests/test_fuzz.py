"""The committed contract (openapi/openapi.json) fuzzed in-process with schemathesis, as several
roles: whatever the input, no answer is a server error, and every answer fits the schema the
contract documents for it. CI runs a few random examples per operation and role
(``FUZZ_EXAMPLES``, 4); `make fuzz` runs many more, and the coverage phase."""

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from alembic import command
from hypothesis import HealthCheck, settings
from schemathesis import openapi
from schemathesis.checks import not_a_server_error, response_schema_conformance

from app.config import Settings
from app.db import create_engine, create_sessionmaker
from app.domain.access import Role
from app.main import create_app
from tests import figures
from tests.conftest import FakeClock, alembic_config, is_postgres, migrated_postgres_database
from tests.factories import Actors

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
BASE_URL = "http://fuzz"
ROLES = (Role.SOCIAL_WORKER, Role.COORDINATOR, Role.PARTNER_SYSTEM)
TALLY = {"cases": 0, "server_errors": 0, "schema_violations": 0}

schema = openapi.from_path(str(ROOT / "openapi" / "openapi.json"))
# the coverage phase (every boundary and every kind of wrong value, systematically) is the
# long part: `make fuzz` runs it, CI the random examples only
schema.config.phases.coverage.enabled = os.environ.get("FUZZ_COVERAGE") == "1"


async def _callers(database: str, app_settings: Settings) -> dict[Role, dict[str, str]]:
    engine = create_engine(database)
    try:
        actors = Actors(create_sessionmaker(engine), app_settings, FakeClock())
        return {role: (await actors.caller(role)).headers for role in ROLES}
    finally:
        await engine.dispose()


class Api:
    """The app on a database of its own, in-process, on an event loop of its own (the fuzzed
    test is synchronous, as hypothesis drives it)."""

    def __init__(self, database: str) -> None:
        app_settings = Settings(database_url=database, env="test", webhook_allow_http=True)
        self.loop = asyncio.new_event_loop()
        self.callers = self.loop.run_until_complete(_callers(database, app_settings))
        self.app = create_app(app_settings, FakeClock())
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url=BASE_URL
        )

    def send(self, kwargs: dict[str, Any]) -> httpx.Response:
        body = {}
        if "json" in kwargs:
            body["json"] = kwargs["json"]
        elif kwargs.get("data") is not None:
            data = kwargs["data"]
            body["content" if isinstance(data, bytes | str) else "data"] = data
        if kwargs.get("files"):
            body["files"] = kwargs["files"]
        request = self.http.build_request(
            kwargs["method"],
            kwargs["url"],
            headers=kwargs.get("headers"),
            params=kwargs.get("params"),
            **body,
        )
        request.read()  # a multipart body streams: read, so the checks can show what was sent
        return self.loop.run_until_complete(self.http.send(request))

    def close(self) -> None:
        self.loop.run_until_complete(self.http.aclose())
        self.loop.run_until_complete(self.app.state.engine.dispose())
        self.loop.close()


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """On the run's database server: a file of SQLite, or a new PostgreSQL database."""
    if is_postgres():
        with migrated_postgres_database("fuzz") as database:
            served = Api(database)
            yield served
            served.close()
        return
    database = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    command.upgrade(alembic_config(database), "head")
    served = Api(database)
    yield served
    served.close()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_input_is_a_server_error_and_every_answer_fits_the_contract(
    case: schemathesis.Case, api: Api
) -> None:
    for headers in api.callers.values():
        TALLY["cases"] += 1
        key = {"Idempotency-Key": os.urandom(8).hex()}
        response = api.send(case.as_transport_kwargs(base_url=BASE_URL, headers=headers | key))
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except Exception:
            TALLY["server_errors"] += 1
            raise
        try:
            case.validate_response(response, checks=[response_schema_conformance])
        except Exception:
            TALLY["schema_violations"] += 1
            raise


def test_zz_the_fuzzing_found_nothing() -> None:
    figures.report(
        "fuzzing (schemathesis, committed contract)",
        cases=TALLY["cases"],
        server_errors=TALLY["server_errors"],
        schema_violations=TALLY["schema_violations"],
    )
    assert TALLY["cases"] > 100
    assert (TALLY["server_errors"], TALLY["schema_violations"]) == (0, 0)
