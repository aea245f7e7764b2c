"""DEID-K-ANONYMITY, as properties over generated populations: no published combination of the
quasi-identifiers is shared by fewer than k persons, every person is published or counted as
withheld, and subtracting the answers for two adjacent periods gives no withheld person back."""

from collections import Counter
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.deidentified import (
    QUASI_IDENTIFIERS,
    Person,
    age_band,
    check_k,
    combination,
    exploitation_group,
    publish,
)
from app.domain.errors import RuleViolation
from app.domain.rulebook import DEFAULT_RULEBOOK
from app.domain.vocabulary import ExploitationType as E
from app.domain.vocabulary import Sex

# small domains, so that combinations repeat and both sides of k are met
people = st.builds(
    Person,
    age_at_identification=st.integers(min_value=14, max_value=50),
    sex=st.sampled_from([Sex.FEMALE, Sex.MALE]),
    nationality=st.sampled_from(["KG", "UZ", None]),
    year_identified=st.integers(min_value=2022, max_value=2026),
    exploitation_types=st.frozensets(st.sampled_from([E.SEXUAL, E.LABOUR, E.FORCED_BEGGING])),
    region=st.sampled_from(["KG-C", "KG-O", None]),
)
populations = st.lists(people, max_size=400)
ks = st.integers(min_value=5, max_value=15)


def counted(records: Iterable[dict[str, str | int]]) -> Counter[tuple[str | int, ...]]:
    return Counter(tuple(record[name] for name in QUASI_IDENTIFIERS) for record in records)


@settings(max_examples=150, deadline=None)
@given(populations, ks)
def test_no_published_combination_is_shared_by_fewer_than_k(
    population: list[Person], k: int
) -> None:
    published = publish(population, k)
    records = list(published.records())
    assert all(set(record) == set(QUASI_IDENTIFIERS) for record in records)
    assert all(count >= k for count in counted(records).values())
    assert len(records) == published.persons
    assert published.persons + published.withheld == len(population)
    truth = Counter(combination(person) for person in population)
    assert counted(records) == +Counter({c: n for c, n in truth.items() if n >= k})


@settings(max_examples=150, deadline=None)
@given(populations, ks, st.integers(min_value=2022, max_value=2025))
def test_two_answers_for_adjacent_periods_give_no_withheld_person_back(
    population: list[Person], k: int, split: int
) -> None:
    def answer(first: int, last: int) -> Counter[tuple[str | int, ...]]:
        period = [p for p in population if first <= p.year_identified <= last]
        return counted(publish(period, k).records())

    whole, before, after = answer(2022, 2026), answer(2022, split), answer(split + 1, 2026)
    assert whole == before + after  # a combination lies in one year: the answers add up
    recovered = whole - before
    assert recovered == after  # what subtracting gives was published already
    withheld_after = {
        combination(p)
        for p in population
        if p.year_identified > split
        and Counter(combination(q) for q in population)[combination(p)] < k
    }
    assert not set(recovered) & withheld_after


def test_k_below_the_floor_is_refused_and_the_floor_is_allowed() -> None:
    with pytest.raises(RuleViolation) as refused:
        check_k(DEFAULT_RULEBOOK.deidentified_k_floor - 1, DEFAULT_RULEBOOK)
    assert refused.value.rule == "DEID-K-ANONYMITY"
    assert refused.value.facts == {"k": 4, "minimum": 5}
    check_k(DEFAULT_RULEBOOK.deidentified_k_floor, DEFAULT_RULEBOOK)
    assert DEFAULT_RULEBOOK.deidentified_k == 11


@pytest.mark.parametrize(
    ("age", "band"), [(0, "0-17"), (17, "0-17"), (18, "18-24"), (34, "25-34"), (45, "45+")]
)
def test_age_bands(age: int, band: str) -> None:
    assert age_band(age) == band


@pytest.mark.parametrize(
    ("types", "group"),
    [
        ([], "unknown"),
        ([E.SEXUAL], "sexual"),
        ([E.LABOUR, E.FORCED_BEGGING, E.DOMESTIC_SERVITUDE], "labour"),
        ([E.FORCED_MARRIAGE, E.ORGAN_REMOVAL], "other"),
        ([E.SEXUAL, E.LABOUR], "multiple"),
    ],
)
def test_exploitation_groups(types: list[E], group: str) -> None:
    assert exploitation_group(types) == group
