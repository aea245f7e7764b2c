"""app/domain is pure: it imports the standard library and itself, nothing else."""

import ast
import sys
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "app" / "domain"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_only_stdlib_and_domain(path: Path) -> None:
    foreign = {
        name
        for name in _imports(path)
        if not name.startswith("app.domain") and name.split(".")[0] not in sys.stdlib_module_names
    }
    assert foreign == set(), f"{path.name} imports {foreign}"


def test_the_purity_check_catches_a_framework_import(tmp_path: Path) -> None:
    impure = tmp_path / "impure.py"
    impure.write_text("from fastapi import HTTPException\nimport app.services.victims\n")
    assert _imports(impure) == {"fastapi", "app.services.victims"}
