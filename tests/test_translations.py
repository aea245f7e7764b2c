"""The catalogues are complete in Russian (issue 19): every enumeration value of the contract,
every error code the application can answer with and every rule id of the rulebook has its
Russian entry, and no entry names a value the contract no longer has; the negotiation of a
language from ``Accept-Language`` and the fallbacks of a missing entry."""

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

import app as application
from app.domain.errors import DomainError
from app.errors import _HTTP_CODES, AppError
from app.translations import (
    CODE,
    RULE,
    StaffLanguage,
    catalogue,
    chosen,
    enumerations,
    label,
    missing,
    preferred,
    readable,
    refusal,
)

ROOT = Path(__file__).resolve().parents[1]
RU, KY, EN = StaffLanguage.RU, StaffLanguage.KY, StaffLanguage.EN


def _subclasses(base: type) -> Iterator[type]:
    for sub in base.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def error_codes() -> set[str]:
    """Every code an answer can carry: the error classes' codes (every module imported), the
    codes the handlers and middleware write themselves, and the framework's statuses we name."""
    for module in pkgutil.walk_packages(application.__path__, "app."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    codes = {error.code for base in (AppError, DomainError) for error in (base, *_subclasses(base))}
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "problem_response"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
            ):
                codes.add(node.args[1].value)
    return codes | set(_HTTP_CODES.values())


def rulebook_ids() -> set[str]:
    """The rule ids of docs/rules.md: first in a table row or a list item, or named in text."""
    text = (ROOT / "docs" / "rules.md").read_text()
    rule_id = r"[A-Z]{2,}[A-Z0-9]*(?:-[A-Z0-9]+)+"
    in_rows = re.findall(rf"^(?:\| *|[-*] +)\**`?({rule_id})`?\**", text, re.M)
    return set(in_rows) | set(re.findall(rf"`({rule_id})`", text))


def test_every_enumeration_value_has_a_russian_label(shared_app: FastAPI) -> None:
    contract = enumerations(shared_app.openapi())
    assert {"Sex", "ExploitationType", "StaffLanguage", "TokenRequest.grant_type"} <= set(contract)
    assert missing(RU, contract) == []


def test_every_error_code_has_a_russian_text() -> None:
    codes = error_codes()
    assert {"not_found", "rule_violation", "shelter_full", "internal_error", "open_work"} <= codes
    assert missing(RU, {}, codes=codes) == []


def test_every_rule_has_a_russian_text() -> None:
    rules = rulebook_ids()
    assert {"SOP-INDIVIDUAL-20D", "GRANT-CEILING", "CASELOAD-TRANSFER"} <= rules
    assert len(rules) >= 50
    assert missing(RU, {}, rules=rules) == []


def test_a_new_value_or_code_without_a_label_is_reported(shared_app: FastAPI) -> None:
    contract = enumerations(shared_app.openapi())
    contract["Sex"] = [*contract["Sex"], "intersex"]
    assert missing(RU, contract, codes=["not_found", "brand_new_code"], rules=["NEW-RULE"]) == [
        "Sex:intersex",
        "code:brand_new_code",
        "rule:NEW-RULE",
    ]


@pytest.mark.parametrize("language", [RU, KY])
def test_no_entry_names_what_the_contract_and_the_rulebook_do_not_have(
    shared_app: FastAPI, language: StaffLanguage
) -> None:
    contract = enumerations(shared_app.openapi())
    known = {(name, value) for name, values in contract.items() for value in values}
    known |= {(CODE, code) for code in error_codes()} | {(RULE, rule) for rule in rulebook_ids()}
    assert sorted(set(catalogue(language)) - known) == []


def test_kyrgyz_falls_back_to_russian_entry_by_entry_and_english_to_the_value() -> None:
    assert ("Sex", "female") in catalogue(KY)
    assert label(KY, "Sex", "female") == (catalogue(KY)[("Sex", "female")], KY)
    assert ("GrantForm", "pink") not in catalogue(KY)
    assert label(KY, "GrantForm", "pink") == (catalogue(RU)[("GrantForm", "pink")], RU)
    assert label(EN, "ExploitationType", "domestic_servitude") == ("Domestic servitude", EN)
    assert label(RU, "Sex", "no_such_value") == ("No such value", EN)


def test_a_refusal_says_its_rule_before_its_code_in_each_language_in_turn() -> None:
    rule_text = catalogue(RU)[(RULE, "GRANT-CEILING")]
    assert refusal(RU, "rule_violation", "GRANT-CEILING") == (rule_text, RU)
    assert refusal(RU, "rule_violation", None) == (catalogue(RU)[(CODE, "rule_violation")], RU)
    # a Kyrgyz text of the code comes before a Russian one of the rule
    assert refusal(KY, "rule_violation", "GRANT-CEILING") == (
        catalogue(KY)[(CODE, "rule_violation")],
        KY,
    )
    assert refusal(EN, "rule_violation", "GRANT-CEILING") == ("", EN)
    assert refusal(RU, "brand_new_code", None) == ("", EN)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("ky, ru;q=0.8", "ky"),
        ("en;q=0.5, ru;q=0.9", "ru"),
        ("de-DE, fr", None),
        ("ru;q=0", None),
        ("ru;q=abc", None),
        ("en;q=0.9, ru;level=1;q=0.95", "ru"),
        ("*", None),
        ("", None),
    ],
)
def test_the_language_asked_for_by_weight_then_position(header: str, expected: str) -> None:
    assert preferred(header, StaffLanguage) == expected


def test_an_unknown_language_is_english_and_a_word_value_is_made_readable() -> None:
    assert chosen("ky") is KY
    assert chosen("de") is EN
    assert chosen("RU") is RU and chosen("ru-KG") is RU  # a tag, in any case
    assert readable("state_delegated") == "State delegated"
    assert readable("application/pdf") == "application/pdf"
