"""House rules that import-linter does not express: procedure rules are decided in the domain
only, and the HTTP error mapping knows no domain module but its errors."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
RULE_ERRORS = {"RuleViolation", "ConsentRequired"}


def _raised(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            names.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
    return names


OUTSIDE_DOMAIN = sorted(p for p in APP.rglob("*.py") if "domain" not in p.parts)


@pytest.mark.parametrize("path", OUTSIDE_DOMAIN, ids=lambda p: str(p.relative_to(APP)))
def test_rule_violations_are_raised_in_the_domain_only(path: Path) -> None:
    assert _raised(path) & RULE_ERRORS == set()


def test_the_check_finds_a_rule_violation_raised_elsewhere(tmp_path: Path) -> None:
    elsewhere = tmp_path / "service.py"
    elsewhere.write_text("def f():\n    raise RuleViolation('SOP-X', 'no')\n")
    assert _raised(elsewhere) == {"RuleViolation"}


def test_the_error_mapping_knows_no_domain_module_but_its_errors() -> None:
    tree = ast.parse((APP / "errors.py").read_text())
    domain = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app.domain")
    }
    assert domain == {"app.domain.errors"}


# one name per resource: routers/<name>.py, services/<name>.py, schemas/<name>.py
NAMED_OTHERWISE = {
    "common": "helpers of every router",
    "health": "the liveness and readiness probes (services/readiness.py)",
    "outgoing": "documents the webhooks this service sends (schemas/webhook_endpoints.py)",
    "audit_events": "read from the trail every service writes (services/audit.py)",
    "reports": "three reports: services/shelter_report.py, compliance.py, aggregate.py",
}
ROUTERS = sorted(p.stem for p in (APP / "routers").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("name", [r for r in ROUTERS if r not in NAMED_OTHERWISE])
def test_a_resource_has_one_name_in_every_layer(name: str) -> None:
    assert (APP / "services" / f"{name}.py").exists(), f"services/{name}.py"
    assert (APP / "schemas" / f"{name}.py").exists(), f"schemas/{name}.py"
