"""What the domain says when a request breaks a rule. Each refusal describes itself — its HTTP
status, its stable code (API.md) and the members of the problem body that explain it — so the
HTTP layer maps every one the same way, knowing none of them."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

# the numbers and lists that explain a refusal (a list names records: [{"type", "id", ...}])
Fact = int | str | Decimal | Sequence[Mapping[str, str]]


class DomainError(Exception):
    """Base of every refusal decided by the domain."""

    status = 422
    code = "rule_violation"
    rule: str | None = None

    @property
    def detail(self) -> str:
        return str(self)

    def members(self) -> dict[str, Any]:
        """The problem body's members beside type, title, status, detail and code."""
        return {"rule": self.rule} if self.rule else {}


class RuleViolation(DomainError):
    """A procedure rule of RULES.md is broken: ``rule`` is its id, ``facts`` the numbers that
    explain the refusal."""

    def __init__(self, rule: str, detail: str, **facts: Fact) -> None:
        super().__init__(detail)
        self.rule = rule
        self.facts = facts

    def members(self) -> dict[str, Any]:
        return {"rule": self.rule, **self.facts}


class ConsentRequired(RuleViolation):
    """The rule needs the person's active consent, and there is none."""

    code = "consent_required"


class InvalidTransition(DomainError):
    """An action asked of a record in a state that does not allow it (409)."""

    status, code = 409, "invalid_transition"

    def __init__(self, entity: str, state: str, action: str) -> None:
        super().__init__(f"A {entity} in state '{state}' cannot be asked to {action}.")
        self.entity = entity
        self.state = state
        self.action = action

    def members(self) -> dict[str, Any]:
        return {"state": self.state, **super().members()}


class CaseClosed(InvalidTransition):
    """MAN-CASE-CLOSE: a closed case is read-only, but for reopening and its follow-up contact
    (409 invalid_transition, with the rule)."""

    rule = "MAN-CASE-CLOSE"

    def __init__(self, action: str) -> None:
        super().__init__("case", "closed", action)


class OpenWork(DomainError):
    """MAN-CASE-CLOSE: the case cannot be closed while records are open (409 open_work)."""

    status, code, rule = 409, "open_work", "MAN-CASE-CLOSE"

    def __init__(self, open_records: Sequence[Mapping[str, str]]) -> None:
        super().__init__("The case has open records: finish or end them first.")
        self.open_records = open_records

    def members(self) -> dict[str, Any]:
        return {**super().members(), "open_records": self.open_records}


class NotPermitted(DomainError):
    """A rule reserves this to other roles (403 forbidden, with the rule)."""

    status, code = 403, "forbidden"

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(detail)
        self.rule = rule


class ConfidentialityAgreementRequired(DomainError):
    """MAN-STAFF-CONFIDENTIALITY: a staff account reads and writes no case before its signed
    Staff Confidentiality Agreement (Annex 4) is recorded (403)."""

    status, code, rule = 403, "confidentiality_agreement_required", "MAN-STAFF-CONFIDENTIALITY"

    def __init__(self) -> None:
        super().__init__(
            "Your signed Staff Confidentiality Agreement is not recorded yet: ask the "
            "administrator or your shelter manager to record it."
        )


class InvalidValue(DomainError):
    """A value is well-formed but not acceptable here (reported like a validation error)."""

    code = "validation_error"

    def __init__(self, field: str, message: str, *, source: str = "body") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.source = source  # "body", "query" or "path", as in validation errors

    def members(self) -> dict[str, Any]:
        loc: list[str | int] = [self.source, self.field]
        return {"errors": [{"loc": loc, "msg": self.message, "type": "value_error"}]}


class Duplicate(DomainError):
    """The record would repeat one that already exists (409)."""

    status, code = 409, "duplicate"


class Conflict(DomainError):
    """A conflict a rule names: the request cannot be done in the state things are in (409)."""

    status = 409
