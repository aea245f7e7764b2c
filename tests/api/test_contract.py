"""The contract: the committed OpenAPI document is what the app serves, and it is complete."""

import json
import re
from pathlib import Path

import httpx
import pytest

from app.cli import openapi_document

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def contract() -> dict:
    return json.loads(openapi_document())


def _operations(contract: dict):  # type: ignore[no-untyped-def]
    for path, item in contract["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_committed_openapi_matches_the_app() -> None:
    assert COMMITTED.read_text() == openapi_document(), (
        "openapi/openapi.json is stale: run `python -m app export-openapi` and commit it"
    )


async def test_the_served_contract_is_the_committed_one(client: httpx.AsyncClient) -> None:
    served = (await client.get("/openapi.json")).json()
    assert served == json.loads(COMMITTED.read_text())


def test_operation_ids_are_unique_and_readable(contract: dict) -> None:
    ids = [op["operationId"] for _, _, op in _operations(contract)]
    assert len(ids) == len(set(ids))
    assert all(i.replace("_", "").isalpha() and i.islower() for i in ids)


def test_every_operation_has_a_summary_and_documented_errors(contract: dict) -> None:
    for path, method, operation in _operations(contract):
        assert operation.get("summary"), f"{method} {path} has no summary"
        errors = {code for code in operation["responses"] if code.startswith(("4", "5"))}
        if path.startswith("/api/"):
            assert "422" in errors or not operation.get("parameters"), f"{method} {path}"
            assert errors, f"{method} {path} documents no error"
        for code in errors:
            content = operation["responses"][code]["content"]
            assert content == {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            }


def test_authenticated_operations_document_401_and_403(contract: dict) -> None:
    for path, _, operation in _operations(contract):
        if operation.get("security"):
            assert {"401", "403"} <= operation["responses"].keys() or path == "/api/v1/auth/me"


def test_post_operations_take_an_idempotency_key(contract: dict) -> None:
    for path, method, operation in _operations(contract):
        if method == "post" and not path.startswith("/api/v1/auth/"):
            headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            assert "idempotency-key" in {h.lower() for h in headers}, path


def test_patch_operations_take_if_match_and_document_412(contract: dict) -> None:
    for path, method, operation in _operations(contract):
        if method == "patch":
            headers = {
                p["name"].lower() for p in operation.get("parameters", []) if p["in"] == "header"
            }
            assert "if-match" in headers, path
            assert "412" in operation["responses"], path


def test_request_bodies_forbid_unknown_fields(contract: dict) -> None:
    schemas = contract["components"]["schemas"]
    for name, schema in schemas.items():
        if name.endswith(("Create", "Update")):
            assert schema.get("additionalProperties") is False, name


def test_problem_schema_is_published(contract: dict) -> None:
    problem = contract["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code"} <= set(problem["required"])


async def test_docs_pages_reference_nothing_outside_this_server(client: httpx.AsyncClient) -> None:
    for page in ("/docs", "/redoc"):
        answer = await client.get(page)
        assert answer.status_code == 200
        assert "http://" not in answer.text and "https://" not in answer.text, page
        assert "img-src 'self' data:" in answer.headers["content-security-policy"]
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png"):
        assert (await client.get(f"/static-offline-docs/{asset}")).status_code == 200


def test_component_names_are_what_a_generated_client_can_call_its_classes(contract: dict) -> None:
    names = list(contract["components"]["schemas"])
    assert [n for n in names if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", n)] == []
    assert {"VictimPage", "ShelterPage", "JobReferralPage", "AlertPage"} <= set(names)
    refs = re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(contract))
    assert set(refs) <= set(names)  # every reference resolves


def test_the_title_makes_a_sane_package_name(contract: dict) -> None:
    assert re.fullmatch(r"[A-Z][a-z]+( [A-Z][a-z]+)* API", contract["info"]["title"])
