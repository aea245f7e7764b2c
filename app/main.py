"""The application: routers, problem+json handlers, stable operation ids, offline docs."""

import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.clock import Clock
from app.config import Settings, get_settings
from app.db import Timeouts, create_engine, create_sessionmaker
from app.domain import documents
from app.domain.rulebook import DEFAULT_RULEBOOK, Rulebook
from app.errors import Problem, install_error_handlers
from app.integrations.worker import worker_in_background
from app.logs import configure_logging
from app.middleware import CatchUnexpected, ConfidentialHeaders, InputLimits, LocalisedProblems
from app.routers import (
    alerts,
    assessments,
    audit_events,
    auth,
    care_plans,
    case_closures,
    clients,
    complaints,
    consents,
    counselling_sessions,
    disclosures,
    follow_up_contacts,
    health,
    health_records,
    htcds,
    identity_documents,
    imports,
    incidents,
    job_referrals,
    legal_consultations,
    micro_enterprises,
    organisations,
    outbox,
    outgoing,
    possible_duplicates,
    referrals,
    reintegration,
    reintegration_grants,
    reports,
    returns,
    service_agreements,
    shelter_stays,
    shelter_visits,
    shelters,
    trainings,
    users,
    victims,
    vocabulary,
    webhook_endpoints,
    worklist,
)
from app.routers import (
    documents as documents_routes,
)
from app.routing import install_idempotency
from app.services import audit_partitions
from app.services.file_store import store_for
from app.services.sealed_files import Keyring

API_PREFIX = "/api/v1"
RESOURCE_ROUTERS = (
    auth.router,
    organisations.router,
    users.router,
    clients.router,
    victims.router,
    htcds.router,
    imports.router,
    possible_duplicates.router,
    health_records.router,
    case_closures.router,
    consents.router,
    referrals.router,
    assessments.router,
    care_plans.router,
    counselling_sessions.router,
    service_agreements.router,
    follow_up_contacts.router,
    shelters.router,
    shelter_visits.router,
    shelter_stays.router,
    alerts.router,
    legal_consultations.router,
    disclosures.router,
    incidents.router,
    complaints.router,
    reintegration_grants.router,
    trainings.router,
    micro_enterprises.router,
    returns.router,
    identity_documents.router,
    documents_routes.router,
    reintegration.router,
    job_referrals.router,
    webhook_endpoints.router,
    outbox.router,
    reports.router,
    worklist.router,
    vocabulary.router,
    audit_events.router,
)
DESCRIPTION = """\
Case management for organisations that assist victims of human trafficking: persons, consents,
referrals, assessments, care plans, agreements, shelter stays and reintegration grants, with the
procedure rules of the SOP (Measure 3.1) and the IOM shelter manual enforced on every request.

Errors are `application/problem+json` with a stable `code` (and `rule` when a procedure rule was
broken); the `detail` follows `Accept-Language` (`en`, `ru`, `ky` where translated; see
`Content-Language`), and `GET /api/v1/vocabulary` labels every enumeration. Lists use keyset
pagination (`limit` ≤ 200, `cursor`). `GET` answers carry an `ETag`; `PATCH` honours
`If-Match`; `POST` honours `Idempotency-Key`.
"""


def operation_id(route: APIRoute) -> str:
    """Stable operation ids for generated clients: the endpoint's function name."""
    return route.name


logger = logging.getLogger(__name__)


async def _prepare_audit_partitions(engine: AsyncEngine, clock: Clock) -> None:
    """This month's and the next months' audit partitions exist before the first request (on
    PostgreSQL). A database not reachable yet is no reason not to start: readiness tells."""
    try:
        async with engine.begin() as connection:
            await audit_partitions.prepare(connection, clock.today())
    except (OSError, SQLAlchemyError) as error:
        logger.warning("audit partitions not prepared: %s", type(error).__name__)


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    rulebook: Rulebook = DEFAULT_RULEBOOK,
) -> FastAPI:
    settings = settings or get_settings()
    configure_logging()
    engine = create_engine(
        settings.database_url,
        echo=settings.database_echo,
        pool_size=settings.database_pool_size,
        timeouts=Timeouts(
            connect=settings.database_connect_timeout_seconds,
            command=settings.database_command_timeout_seconds,
            pool=settings.database_pool_timeout_seconds,
        ),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await _prepare_audit_partitions(engine, app.state.clock)
        async with AsyncExitStack() as stack:
            if settings.outbox_in_process:
                await stack.enter_async_context(
                    worker_in_background(app.state.sessionmaker, settings, app.state.clock)
                )
            yield
        await engine.dispose()

    app = FastAPIOffline(
        title="Trafficking Case Management API",
        version="1.0.0",
        description=DESCRIPTION,
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
        swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": False},
    )
    app.state.settings = settings
    app.state.clock = clock or Clock(settings.zone)
    app.state.rulebook = rulebook
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine)
    app.state.file_store = store_for(settings)
    app.state.keyring = Keyring.of(settings.document_key_list)

    api = APIRouter(prefix=API_PREFIX)
    for router in RESOURCE_ROUTERS:
        api.include_router(router)
    app.include_router(api)
    app.include_router(health.router)
    app.webhooks.include_router(outgoing.router)

    install_error_handlers(app)
    install_idempotency(app)
    # outermost last: CORS, problems in the caller's language, headers on every answer, a
    # problem for anything unexpected, size.
    # A spreadsheet import and a document take a file up to their own limits, in a multipart form
    form = 64 * 1024
    larger = {
        re.escape(f"{API_PREFIX}/imports"): settings.import_max_bytes + form,
        re.escape(f"{API_PREFIX}/victims/") + "[^/]+/documents": documents.MAX_BYTES + form,
    }
    larger = {path: max(settings.max_body_bytes, limit) for path, limit in larger.items()}
    app.add_middleware(InputLimits, max_bytes=settings.max_body_bytes, larger=larger)
    app.add_middleware(CatchUnexpected)
    app.add_middleware(ConfidentialHeaders)
    app.add_middleware(LocalisedProblems)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key"],
            expose_headers=["ETag", "Location", "Retry-After"],
        )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            webhooks=app.webhooks.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components.update(components["Problem"].pop("$defs", {}))
        app.openapi_schema = readable_names(schema)
    return app.openapi_schema


def readable_names(document: dict[str, Any]) -> dict[str, Any]:
    """Each schema component named as its model is (``AlertPage``, not ``Page_AlertRead_``), so
    a generated client gets class names a person would write."""
    schemas = document["components"]["schemas"]
    renames = {
        key: title
        for key, item in schemas.items()
        if (title := item.get("title", key)) != key
        and title.isidentifier()
        and title not in schemas
    }
    if len(set(renames.values())) != len(renames):
        raise ValueError("two components would have the same name")
    text = json.dumps(document)
    for old, new in renames.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    renamed: dict[str, Any] = json.loads(text)
    parts = renamed["components"]["schemas"]
    renamed["components"]["schemas"] = {renames.get(k, k): v for k, v in parts.items()}
    return renamed


app = create_app()
