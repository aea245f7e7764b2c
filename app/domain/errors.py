"""What the domain says when a request breaks a rule. The HTTP layer maps each to a problem body."""

from collections.abc import Mapping, Sequence
from decimal import Decimal

# the numbers and lists that explain a refusal (a list names records: [{"type", "id", ...}])
Fact = int | str | Decimal | Sequence[Mapping[str, str]]


class DomainError(Exception):
    """Base of every refusal decided by the domain."""


class RuleViolation(DomainError):
    """A procedure rule of RULES.md is broken: ``rule`` is its id, ``facts`` the numbers that
    explain the refusal."""

    code = "rule_violation"

    def __init__(self, rule: str, detail: str, **facts: Fact) -> None:
        super().__init__(detail)
        self.rule = rule
        self.detail = detail
        self.facts = facts


class ConsentRequired(RuleViolation):
    """The rule needs the person's active consent, and there is none."""

    code = "consent_required"


class InvalidTransition(DomainError):
    """An action asked of a record in a state that does not allow it."""

    def __init__(self, entity: str, state: str, action: str) -> None:
        super().__init__(f"A {entity} in state '{state}' cannot be asked to {action}.")
        self.entity = entity
        self.state = state
        self.action = action


class CaseClosed(InvalidTransition):
    """MAN-CASE-CLOSE: a closed case is read-only, but for reopening and its follow-up contact
    (409 invalid_transition, with the rule)."""

    rule = "MAN-CASE-CLOSE"

    def __init__(self, action: str) -> None:
        super().__init__("case", "closed", action)


class OpenWork(DomainError):
    """MAN-CASE-CLOSE: the case cannot be closed while records are open (409 open_work)."""

    rule = "MAN-CASE-CLOSE"

    def __init__(self, open_records: Sequence[Mapping[str, str]]) -> None:
        super().__init__("The case has open records: finish or end them first.")
        self.open_records = open_records


class InvalidValue(DomainError):
    """A value is well-formed but not acceptable here (reported like a validation error)."""

    def __init__(self, field: str, message: str, *, source: str = "body") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.source = source  # "body", "query" or "path", as in validation errors


class Duplicate(DomainError):
    """The record would repeat one that already exists."""
