"""House rules that import-linter does not express: procedure rules are decided in the domain
only, the domain imports nothing but the standard library, and the HTTP error mapping knows no
domain module but its errors."""

import ast
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
# the refusals that carry a procedure rule or a state machine's verdict
RULE_ERRORS = {
    "RuleViolation",
    "ConsentRequired",
    "InvalidTransition",
    "CaseClosed",
    "OpenWork",
    "NotPermitted",
}
NAMES_A_RULE = "rule="  # any other refusal that names a rule id decides a rule


def _raised(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            names.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
            if any(keyword.arg == "rule" for keyword in node.exc.keywords):
                names.add(NAMES_A_RULE)
    return names


OUTSIDE_DOMAIN = sorted(p for p in APP.rglob("*.py") if "domain" not in p.parts)


@pytest.mark.parametrize("path", OUTSIDE_DOMAIN, ids=lambda p: str(p.relative_to(APP)))
def test_rule_violations_are_raised_in_the_domain_only(path: Path) -> None:
    assert _raised(path) & (RULE_ERRORS | {NAMES_A_RULE}) == set()


def test_the_check_finds_a_rule_decided_elsewhere(tmp_path: Path) -> None:
    elsewhere = tmp_path / "service.py"
    elsewhere.write_text(
        "def f():\n    raise RuleViolation('SOP-X', 'no')\n"
        "def g():\n    raise Forbidden('no', rule='MAN-X')\n"
        "def h():\n    raise InvalidTransition('user', 'inactive', 'deactivate')\n"
    )
    assert _raised(elsewhere) == {"RuleViolation", "Forbidden", NAMES_A_RULE, "InvalidTransition"}


def _imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def _outside_the_standard_library(modules: set[str]) -> set[str]:
    return {
        module
        for module in modules
        if module.split(".")[0] not in sys.stdlib_module_names
        and not (module == "app.domain" or module.startswith("app.domain."))
    }


DOMAIN = sorted((APP / "domain").rglob("*.py"))


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: p.name)
def test_the_domain_imports_the_standard_library_and_itself_only(path: Path) -> None:
    assert _outside_the_standard_library(_imported(path)) == set()


def test_the_check_finds_any_other_import(tmp_path: Path) -> None:
    module = tmp_path / "rule.py"
    module.write_text(
        "import uvicorn\nfrom pydantic_settings import X\nfrom datetime import date\n"
    )
    assert _outside_the_standard_library(_imported(module)) == {"uvicorn", "pydantic_settings"}


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
    "vocabulary": "the contract's enumerations labelled from the catalogues (app/translations.py)",
}
ROUTERS = sorted(p.stem for p in (APP / "routers").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("name", [r for r in ROUTERS if r not in NAMED_OTHERWISE])
def test_a_resource_has_one_name_in_every_layer(name: str) -> None:
    assert (APP / "services" / f"{name}.py").exists(), f"services/{name}.py"
    assert (APP / "schemas" / f"{name}.py").exists(), f"schemas/{name}.py"
