"""What the domain says when a request breaks a rule. The HTTP layer maps each to a problem body."""

from decimal import Decimal


class DomainError(Exception):
    """Base of every refusal decided by the domain."""


class RuleViolation(DomainError):
    """A procedure rule of RULES.md is broken: ``rule`` is its id, ``facts`` the numbers that
    explain the refusal."""

    code = "rule_violation"

    def __init__(self, rule: str, detail: str, **facts: int | str | Decimal) -> None:
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


class InvalidValue(DomainError):
    """A value is well-formed but not acceptable here (reported like a validation error)."""

    def __init__(self, field: str, message: str, *, source: str = "body") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.source = source  # "body", "query" or "path", as in validation errors


class Duplicate(DomainError):
    """The record would repeat one that already exists."""
