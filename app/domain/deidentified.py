"""A de-identified dataset safe to publish (issue 20, DEID-K-ANONYMITY): one record per person,
of quasi-identifiers only, each generalised by a fixed scheme, and every combination shared by
fewer than ``k`` persons withheld whole (k-anonymity by suppression).

Why a fixed scheme: a generalisation chosen from the data (coarser where the data are thin)
would differ between two answers, and subtracting one from the other could give a withheld
person back. Here a person's combination depends on them alone, and it holds their year of
identification, so an answer for several years is exactly the union of the answers for each:
the difference of two answers for adjacent periods is the answer for the other period, in which
the same combinations are withheld. ``k`` never goes below the rulebook's floor.
"""

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from app.domain.errors import RuleViolation
from app.domain.rulebook import Rulebook
from app.domain.vocabulary import ExploitationType, Sex

QUASI_IDENTIFIERS = (
    "age_band",  # the age at identification in whole years of birth, in the report's bands
    "sex",
    "nationality",  # ISO 3166 alpha-2, or "unknown"
    "year_identified",
    "exploitation",  # the group of the exploitation types: sexual, labour, other, multiple
    "region",  # the home region, ISO 3166-2, or "unknown"
)
UNKNOWN = "unknown"
# (upper age, label): younger than 18 → "0-17", ...; 45 and over → "45+"
AGE_BANDS = ((18, "0-17"), (25, "18-24"), (35, "25-34"), (45, "35-44"))
OLDEST = "45+"
# forced labour and services (ILO): servitude, begging and crimes forced are labour exploited
EXPLOITATION_GROUPS: Mapping[ExploitationType, str] = MappingProxyType(
    {
        ExploitationType.SEXUAL: "sexual",
        ExploitationType.LABOUR: "labour",
        ExploitationType.DOMESTIC_SERVITUDE: "labour",
        ExploitationType.FORCED_BEGGING: "labour",
        ExploitationType.FORCED_CRIMINALITY: "labour",
        ExploitationType.FORCED_MARRIAGE: "other",
        ExploitationType.ORGAN_REMOVAL: "other",
        ExploitationType.OTHER: "other",
    }
)
MULTIPLE = "multiple"

Combination = tuple[str, str, str, int, str, str]


@dataclass(frozen=True)
class Person:
    """What the dataset takes of one person, and nothing else. The age at identification is
    the year of identification less the year of birth: erasure keeps only the birth year
    (MAN-RETENTION-6M), and a person's combination must not change when they are erased."""

    age_at_identification: int
    sex: Sex
    nationality: str | None
    year_identified: int
    exploitation_types: frozenset[ExploitationType]
    region: str | None


def age_band(age: int) -> str:
    return next((label for upper, label in AGE_BANDS if age < upper), OLDEST)


def exploitation_group(types: Iterable[ExploitationType]) -> str:
    groups = {EXPLOITATION_GROUPS[t] for t in types}
    return groups.pop() if len(groups) == 1 else (MULTIPLE if groups else UNKNOWN)


def combination(person: Person) -> Combination:
    return (
        age_band(person.age_at_identification),
        person.sex.value,
        person.nationality or UNKNOWN,
        person.year_identified,
        exploitation_group(person.exploitation_types),
        person.region or UNKNOWN,
    )


def check_k(k: int, rulebook: Rulebook) -> None:
    if k < rulebook.deidentified_k_floor:
        raise RuleViolation(
            "DEID-K-ANONYMITY",
            f"A de-identified dataset needs k of at least {rulebook.deidentified_k_floor}.",
            k=k,
            minimum=rulebook.deidentified_k_floor,
        )


@dataclass(frozen=True)
class Release:
    k: int
    published: tuple[tuple[Combination, int], ...]  # each combination with its persons, sorted
    withheld: int  # persons whose combination fewer than k share

    @property
    def persons(self) -> int:
        return sum(count for _, count in self.published)

    def records(self) -> Iterator[dict[str, str | int]]:
        """One record per person published, in the order of their combinations."""
        for values, count in self.published:
            record = {name: values[i] for i, name in enumerate(QUASI_IDENTIFIERS)}
            for _ in range(count):
                yield dict(record)


def release(counts: Mapping[Combination, int], k: int) -> Release:
    """The combinations at least ``k`` persons share, and how many persons are withheld."""
    published = tuple(sorted((c, n) for c, n in counts.items() if n >= k))
    withheld = sum(n for n in counts.values() if n < k)
    return Release(k=k, published=published, withheld=withheld)


def publish(people: Iterable[Person], k: int) -> Release:
    return release(Counter(combination(person) for person in people), k)
