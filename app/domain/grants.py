"""Reintegration grants: the pink and blue financial agreements of MAN Annexes 5 and 6.

Each line's ceiling comes from the rulebook and the grant's period; the total is the sum of the
lines. Money is Decimal with two places, never a float. Every rule names its RULES.md id.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from app.domain.dates import add_months, latest_end
from app.domain.errors import InvalidValue, RuleViolation
from app.domain.rulebook import CeilingBasis, GrantForm, GrantLineRule, Rulebook

CENT = Decimal("0.01")


class GrantStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    DISBURSED = "disbursed"


# promised to the person and not yet paid: keeps a case open (MAN-CASE-CLOSE)
COMMITTED_GRANT_STATES = frozenset({GrantStatus.SUBMITTED, GrantStatus.APPROVED})
# what counts against a person's ceilings (GRANT-CEILING, "counting across agreements")
COUNTED_GRANT_STATES = frozenset(
    {GrantStatus.SUBMITTED, GrantStatus.APPROVED, GrantStatus.DISBURSED}
)


class LawyerPurpose(StrEnum):
    CRIMINAL_PROCEEDINGS = "criminal_proceedings"  # pink form
    CIVIL_RIGHTS = "civil_rights"  # blue form


_G = GrantStatus
GRANT_STEPS: Mapping[tuple[GrantStatus, str], GrantStatus] = {
    (_G.DRAFT, "edit"): _G.DRAFT,  # approved and disbursed grants are never edited
    (_G.DRAFT, "submit"): _G.SUBMITTED,
    (_G.SUBMITTED, "approve"): _G.APPROVED,
    (_G.SUBMITTED, "reject"): _G.REJECTED,
    (_G.APPROVED, "disburse"): _G.DISBURSED,
}


@dataclass(frozen=True)
class Line:
    category: str
    amount: Decimal
    days: int | None = None
    months: int | None = None
    purpose: str | None = None
    justification: str | None = None
    training_id: UUID | None = None  # what a vocational_training or scholarship line pays for
    identity_document_id: UUID | None = None  # what an id_documents line pays for
    micro_enterprise_id: UUID | None = None  # what an equipment line pays for


@dataclass(frozen=True)
class CheckedLine:
    line: Line
    ceiling: Decimal | None  # None: the form sets no ceiling for this line


@dataclass(frozen=True)
class CheckedGrant:
    lines: tuple[CheckedLine, ...]
    total: Decimal


def period_days(start: date, end: date) -> int:
    """A grant's period includes its first and its last day."""
    return (end - start).days + 1


def period_months(start: date, end: date) -> int:
    """The period's length in months counted as SOP-MONTHS, rounded up: the fewest months
    whose period from ``start`` reaches ``end`` (2026-01-31 to 2026-02-01 is one month,
    2026-01-15 to 2026-06-14 five, 2026-01-15 to 2026-06-15 six)."""
    months = max(1, (end.year - start.year) * 12 + end.month - start.month)
    return months if end <= latest_end(start, months) else months + 1


def check_grant(
    form: GrantForm, start: date, end: date, lines: Sequence[Line], rulebook: Rulebook
) -> CheckedGrant:
    """Every line against its form and ceiling; the total computed here, never taken."""
    if end < start:
        raise InvalidValue("period_end", "The period ends after it starts.")
    _check_each_line_once(form, lines)
    checked = tuple(
        check_line(index, form, start, end, line, rulebook) for index, line in enumerate(lines)
    )
    return CheckedGrant(checked, grant_total(lines))


def check_period_ahead(end: date, today: date) -> None:
    """An agreement is made for the months ahead: its period ends within a year of today (no
    service lasts longer); a period years away is a mistake, and would escape the ceilings
    counted with the person's other grants."""
    if end > add_months(today, 12):
        raise InvalidValue("period_end", "A grant's period ends within a year from today.")


def check_pays_something(total: Decimal) -> None:
    """A grant submitted pays something: one of nothing could never be paid in instalments, and
    would keep the case open (MAN-CASE-CLOSE) for ever."""
    if total <= 0:
        raise InvalidValue("lines", "A grant pays something: its total is above zero.")


def _check_each_line_once(form: GrantForm, lines: Sequence[Line]) -> None:
    """GRANT-LINE-FORM: each line of the form appears once; a ceiling is for the line and the
    whole period, not to be multiplied by writing the line twice."""
    seen: set[str] = set()
    for index, line in enumerate(lines):
        if line.category in seen:
            raise RuleViolation(
                "GRANT-LINE-FORM",
                f"The {form.value} form has one '{line.category}' line; it is repeated.",
                line=index,
            )
        seen.add(line.category)


def grant_total(lines: Sequence[Line]) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0")).quantize(CENT)


def check_line(
    index: int, form: GrantForm, start: date, end: date, line: Line, rulebook: Rulebook
) -> CheckedLine:
    if line.amount < 0 or line.amount != line.amount.quantize(CENT):
        raise InvalidValue("lines", f"Line {index}: an amount in soms, two decimals, not negative.")
    rule = _line_rule(index, form, line, rulebook)
    _check_justification(index, rule, line)
    _check_purpose(index, form, rule, line)
    ceiling = line_ceiling(index, rule, line, start, end, rulebook)
    if ceiling is not None and line.amount > ceiling:
        raise RuleViolation(
            "GRANT-CEILING",
            f"Line {index} ({line.category}) asks {line.amount}; its ceiling is {ceiling}.",
            line=index,
            ceiling=ceiling,
            amount=line.amount,
        )
    return CheckedLine(line, ceiling)


def _line_rule(index: int, form: GrantForm, line: Line, rulebook: Rulebook) -> GrantLineRule:
    """GRANT-LINE-FORM: a line its form does not have is refused."""
    rule = rulebook.grant_lines[form].get(line.category)
    if rule is None:
        raise RuleViolation(
            "GRANT-LINE-FORM",
            f"The {form.value} form has no line '{line.category}'.",
            line=index,
        )
    return rule


def _check_justification(index: int, rule: GrantLineRule, line: Line) -> None:
    """GRANT-JUSTIFICATION: 'other' and 'apartment_rental' need a written justification."""
    if rule.justification_required and not (line.justification or "").strip():
        raise RuleViolation(
            "GRANT-JUSTIFICATION",
            f"Line {index} ({line.category}) needs a justification.",
            line=index,
        )


def _check_purpose(index: int, form: GrantForm, rule: GrantLineRule, line: Line) -> None:
    """GRANT-PURPOSE: the lawyer is paid for criminal proceedings on the pink form, for
    restoring civil rights on the blue one."""
    if rule.purpose is not None and line.purpose != rule.purpose:
        raise RuleViolation(
            "GRANT-PURPOSE",
            f"On the {form.value} form a lawyer is paid for {rule.purpose} only.",
            line=index,
            purpose=rule.purpose,
        )


def line_ceiling(
    index: int, rule: GrantLineRule, line: Line, start: date, end: date, rulebook: Rulebook
) -> Decimal | None:
    """How a ceiling is counted (RULES.md): per day × days, per month × months, a single cap
    for a course or the whole period, or none at all."""
    basis, rate = rule.basis, rule.rate
    _check_counts(index, basis, line, start, end, rulebook)
    if basis is CeilingBasis.NONE or rate is None:
        return None
    if basis is CeilingBasis.PER_DAY:
        return (rate * (line.days or 0)).quantize(CENT)
    if basis is CeilingBasis.PER_MONTH:
        return (rate * (line.months or 0)).quantize(CENT)
    return rate.quantize(CENT)


def _check_counts(
    index: int, basis: CeilingBasis, line: Line, start: date, end: date, rulebook: Rulebook
) -> None:
    """A per-day line states 1 ≤ days ≤ the days of the period; a per-month line 1 ≤ months ≤
    the months of the period (SOP-MONTHS); a course its length in months, at most 3
    (GRANT-COURSE-3M). Other lines state neither."""
    wants_days = basis is CeilingBasis.PER_DAY
    wants_months = basis in (CeilingBasis.PER_MONTH, CeilingBasis.WHOLE_COURSE)
    if (line.days is not None) != wants_days:
        raise InvalidValue("lines", _count_message(index, line, "days", wants_days))
    if (line.months is not None) != wants_months:
        raise InvalidValue("lines", _count_message(index, line, "months", wants_months))
    if wants_days and not 1 <= (line.days or 0) <= period_days(start, end):
        raise InvalidValue("lines", f"Line {index}: days run from 1 to the days of the period.")
    if basis is CeilingBasis.PER_MONTH and not 1 <= (line.months or 0) <= period_months(start, end):
        raise InvalidValue(
            "lines", f"Line {index}: months run from 1 to the months of the period (SOP-MONTHS)."
        )
    if basis is CeilingBasis.WHOLE_COURSE:
        _check_course(index, line.months or 0, rulebook)


def _check_course(index: int, months: int, rulebook: Rulebook) -> None:
    """GRANT-COURSE-3M: a vocational course lasts no longer than three months."""
    if not 1 <= months <= rulebook.course_max_months:
        raise RuleViolation(
            "GRANT-COURSE-3M",
            f"A vocational course lasts 1 to {rulebook.course_max_months} months.",
            line=index,
            months=months,
        )


def _count_message(index: int, line: Line, count: str, wanted: bool) -> str:
    if wanted:
        return f"Line {index} ({line.category}) states its {count}."
    return f"Line {index} ({line.category}) has no {count}."


def check_four_eyes(
    approver_id: UUID,
    authors: set[UUID],
    approver_org: UUID | None,
    author_org: UUID | None,
) -> None:
    """GRANT-FOUR-EYES: the coordinator who approves is none of the grant's authors (a
    coordinator may draft it with the NGO's shelter manager), and the author's organisation
    does not approve its own grant."""
    if approver_id in authors or (approver_org is not None and approver_org == author_org):
        raise RuleViolation(
            "GRANT-FOUR-EYES", "A grant is approved by someone outside its author's organisation."
        )


# --- counting across agreements: the person's ceilings ----------------------------------------


@dataclass(frozen=True)
class CountedGrant:
    """Another grant of the person that counts against their ceilings: submitted, approved or
    disbursed, of the same form, its period overlapping this one's."""

    grant_id: UUID
    start: date
    end: date
    amounts: Mapping[str, Decimal]  # per line category
    courses: Mapping[UUID, Decimal] = field(default_factory=dict)  # vocational_training lines


_COURSE = "vocational_training"


def check_person_ceilings(
    form: GrantForm,
    start: date,
    end: date,
    lines: Sequence[Line],
    others: Sequence[CountedGrant],
    rulebook: Rulebook,
) -> None:
    """GRANT-CEILING counted for the person: a line's ceiling holds for every grant of the
    person whose period overlaps, together. A single cap (a fixed amount, the whole period) is
    the person's; a rate counts the days or months of the periods together, once each (the
    grants overlap this one, so together they span one unbroken period). The whole course's cap
    is the course's: every grant that pays for the same training counts, whenever its period."""
    for index, line in enumerate(lines):
        rule = rulebook.grant_lines[form].get(line.category)
        if rule is None or rule.rate is None or rule.basis is CeilingBasis.NONE:
            continue
        if line.category == _COURSE and line.training_id is not None:
            counted = [g for g in others if line.training_id in g.courses]
            amounts = [g.courses[line.training_id] for g in counted]
        else:
            counted = [g for g in others if line.category in g.amounts and _overlap(g, start, end)]
            amounts = [g.amounts[line.category] for g in counted]
        if not counted:
            continue
        first = min([start, *(g.start for g in counted)])
        last = max([end, *(g.end for g in counted)])
        ceiling = _joint_ceiling(rule, first, last)
        committed = sum(amounts, Decimal("0")).quantize(CENT)
        if committed + line.amount > ceiling:
            raise RuleViolation(
                "GRANT-CEILING",
                f"Line {index} ({line.category}) asks {line.amount}; the person's other grants "
                f"for the same time commit {committed} of its ceiling of {ceiling}.",
                line=index,
                ceiling=ceiling,
                committed=committed,
                amount=line.amount,
                other_grant=str(counted[0].grant_id),
            )


def _overlap(other: CountedGrant, start: date, end: date) -> bool:
    return other.start <= end and start <= other.end


def _joint_ceiling(rule: GrantLineRule, first: date, last: date) -> Decimal:
    rate = rule.rate or Decimal("0")
    if rule.basis is CeilingBasis.PER_DAY:
        return (rate * period_days(first, last)).quantize(CENT)
    if rule.basis is CeilingBasis.PER_MONTH:
        return (rate * period_months(first, last)).quantize(CENT)
    return rate.quantize(CENT)


@dataclass(frozen=True)
class Commitment:
    """What the person's counted grants commit of one line over one unbroken time (grants whose
    periods overlap count together, as GRANT-CEILING counts them), against the joint ceiling."""

    form: GrantForm
    category: str
    start: date
    end: date
    committed: Decimal
    ceiling: Decimal | None  # None: the form sets no ceiling for the line
    grant_ids: tuple[UUID, ...]


def commitments(
    grants: Sequence[tuple[GrantForm, CountedGrant]], rulebook: Rulebook
) -> list[Commitment]:
    """The person's counted grants, line by line: each run of overlapping periods once."""
    by_line: dict[tuple[GrantForm, str], list[CountedGrant]] = {}
    for form, grant in grants:
        for category in grant.amounts:
            by_line.setdefault((form, category), []).append(grant)
    found: list[Commitment] = []
    for (form, category), carrying in sorted(by_line.items()):
        rule = rulebook.grant_lines[form].get(category)
        if rule is not None and (rule.rate is None or rule.basis is CeilingBasis.NONE):
            rule = None  # the form sets no ceiling for it
        for run in _overlapping_runs(carrying):
            first, last = run[0].start, max(g.end for g in run)
            committed = sum((g.amounts[category] for g in run), Decimal("0")).quantize(CENT)
            ceiling = _joint_ceiling(rule, first, last) if rule is not None else None
            ids = tuple(g.grant_id for g in run)
            found.append(Commitment(form, category, first, last, committed, ceiling, ids))
    return found


def _overlapping_runs(grants: Sequence[CountedGrant]) -> list[list[CountedGrant]]:
    runs: list[list[CountedGrant]] = []
    for grant in sorted(grants, key=lambda g: (g.start, g.end)):
        if runs and grant.start <= max(g.end for g in runs[-1]):
            runs[-1].append(grant)
        else:
            runs.append([grant])
    return runs


def check_pink_at_shelter(
    form: GrantForm, start: date, end: date, stays: Sequence[tuple[date, date | None]]
) -> None:
    """GRANT-PINK-SHELTER: the pink form is "for rehabilitation at shelter": its period lies
    within one of the person's stays, from admission to the discharge day (``stays`` are their
    admitted and discharged stays: admitted on, discharged on or none)."""
    if form is not GrantForm.PINK:
        return
    for admitted_on, discharged_on in stays:
        if admitted_on <= start and (discharged_on is None or end <= discharged_on):
            return
    raise RuleViolation(
        "GRANT-PINK-SHELTER",
        "A pink grant is for rehabilitation at the shelter: its period lies within a stay.",
    )


# --- the agreement's number and its instalments ------------------------------------------------


def agreement_number(form: GrantForm, ngo_name: str, ngo_id: UUID, year: int, seq: int) -> str:
    """The number the server gives an agreement, per NGO and year: the blue form's
    ``S-<NGO code>-<year>-<n>`` (Annex 6: "No. S-NGO"), the pink form's ``<NGO code>-<year>-<n>``;
    the NGO's code is the initials of its name and the first four hex digits of its id, so that
    two NGOs with the same initials do not share numbers."""
    words = "".join(c if c.isalnum() else " " for c in ngo_name).split()
    initials = "".join(word[0] for word in words).upper()[:8] or "NGO"
    number = f"{initials}{ngo_id.hex[:4].upper()}-{year}-{seq}"
    return f"S-{number}" if form is GrantForm.BLUE else number


def next_instalment(total: Decimal, paid: Decimal, amount: Decimal | None) -> tuple[Decimal, bool]:
    """An instalment of an approved grant: the rest when no amount is given; never more than
    what is left of the total. Returns the amount and whether the grant is then paid in full."""
    left = (total - paid).quantize(CENT)
    amount = left if amount is None else amount
    if amount <= 0 or amount != amount.quantize(CENT):
        raise InvalidValue("amount", "An instalment is a positive amount with two decimals.")
    if amount > left:
        raise InvalidValue("amount", f"Only {left} of the approved total is left to pay.")
    return amount, amount == left


# --- what the blue form's reintegration lines pay for (MAN-TRAINING, MAN-IDENTITY) ------------


@dataclass(frozen=True)
class TrainingTerm:
    """A training of the person, as the blue lines see it."""

    attended: bool  # in progress or completed: neither planned only nor dropped
    starts_on: date
    ends_on: date


def course_months(starts_on: date, ends_on: date) -> int:
    """A course's length in months, both days included, a month begun counting whole: 15
    January to 14 April is three months, to 15 April four."""
    months = (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month
    return months + (1 if ends_on.day >= starts_on.day else 0)


@dataclass(frozen=True)
class PaidFor:
    """What of the person's the blue lines may pay for."""

    trainings: Mapping[UUID, TrainingTerm]
    documents: frozenset[UUID]  # identity documents
    enterprises: Mapping[UUID, bool]  # micro-enterprises: both trainings done


_PAYS_FOR_A_TRAINING = frozenset({"vocational_training", "scholarship"})


def check_what_lines_pay_for(start: date, end: date, lines: Sequence[Line], of: PaidFor) -> None:
    """A ``vocational_training`` line names the person's training it pays for and states its
    length in months (GRANT-COURSE-3M then holds for the course itself); a ``scholarship`` is
    paid "for the period of their studies": it names a training the person attends or attended
    whose dates hold the grant's period (MAN-TRAINING). An ``id_documents`` line names the
    person's identity document it restores (MAN-IDENTITY). An ``equipment`` line is the in-kind
    grant of the person's micro-enterprise, after both its trainings (MAN-MICRO-ENTERPRISE).
    No other line names any of them."""
    for index, line in enumerate(lines):
        _check_names_only_its_own(index, line)
        if line.category in _PAYS_FOR_A_TRAINING:
            _check_training_line(index, line, start, end, of.trainings)
        if line.category == "id_documents" and line.identity_document_id not in of.documents:
            raise RuleViolation(
                "MAN-IDENTITY",
                f"Line {index} (id_documents) names the person's document it restores.",
                line=index,
            )
        if line.category == "equipment":
            _check_equipment_line(index, line, of.enterprises)


def _check_names_only_its_own(index: int, line: Line) -> None:
    if line.category not in _PAYS_FOR_A_TRAINING and line.training_id is not None:
        raise InvalidValue("lines", f"Line {index} ({line.category}) pays for no training.")
    if line.category != "id_documents" and line.identity_document_id is not None:
        raise InvalidValue("lines", f"Line {index} ({line.category}) pays for no document.")
    if line.category != "equipment" and line.micro_enterprise_id is not None:
        raise InvalidValue("lines", f"Line {index} ({line.category}) pays for no enterprise.")


def _check_equipment_line(index: int, line: Line, enterprises: Mapping[UUID, bool]) -> None:
    ready = enterprises.get(line.micro_enterprise_id) if line.micro_enterprise_id else None
    if ready is None:
        raise RuleViolation(
            "MAN-MICRO-ENTERPRISE",
            f"Line {index} (equipment) names the person's micro-enterprise it equips.",
            line=index,
        )
    if not ready:
        raise RuleViolation(
            "MAN-MICRO-ENTERPRISE",
            f"Line {index} (equipment) follows both trainings of the micro-enterprise.",
            line=index,
        )


def _check_training_line(
    index: int, line: Line, start: date, end: date, trainings: Mapping[UUID, TrainingTerm]
) -> None:
    term = trainings.get(line.training_id) if line.training_id else None
    if term is None:
        raise RuleViolation(
            "MAN-TRAINING",
            f"Line {index} ({line.category}) names the person's training it pays for.",
            line=index,
        )
    length = course_months(term.starts_on, term.ends_on)
    if line.category == _COURSE and line.months != length:
        raise InvalidValue(
            "lines", f"Line {index} (vocational_training) states the course's {length} months."
        )
    if line.category == "scholarship" and not (
        term.attended and term.starts_on <= start and end <= term.ends_on
    ):
        raise RuleViolation(
            "MAN-TRAINING",
            f"Line {index} (scholarship) is paid only for the months of a training attended.",
            line=index,
        )
