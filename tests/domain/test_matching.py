"""Finding the same person twice by keys (issue 17): spellings in Cyrillic and Latin share one
skeleton, swapped names and one-typo birth dates still match, others do not, and the keys say
nothing without the deployment's secret."""

from datetime import date

import pytest
from anyascii import anyascii

from app.domain.matching import (
    THRESHOLD,
    KeyKind,
    date_variants,
    keyed,
    person_keys,
    probe,
    score,
    skeleton,
)

SECRET = b"test-deployment-key"
BORN = date(1996, 4, 12)


@pytest.mark.parametrize(
    "spellings",
    [
        ("Нургуль", "Nurgul", "Nurgül", "NURGUL"),
        ("Жылдыз", "Zhyldyz", "Jyldyz"),
        ("Айгүл", "Aigul", "Aygul", "Aigül"),
        ("Чынара", "Chynara", "Cinara"),
        ("Ханзада", "Khanzada", "Hanzada"),
        ("Асанова", "Asanova", "Assanova"),
    ],
)
def test_spellings_of_one_name_share_a_skeleton(spellings: tuple[str, ...]) -> None:
    assert len({skeleton(anyascii(s)) for s in spellings}) == 1


def test_different_names_keep_different_skeletons() -> None:
    names = ["Нургуль", "Нургиза", "Айгуль", "Айжан", "Асанова", "Исакова"]
    assert len({skeleton(anyascii(n)) for n in names}) == len(names)


def test_a_birth_date_and_its_typos() -> None:
    near = date_variants(BORN)
    assert {BORN, date(1996, 12, 4), date(1996, 4, 13), date(1986, 4, 12)} <= near
    assert date(1996, 5, 13) not in near  # two digits apart
    assert all(d.year > 999 for d in near)


def _match(given: str, family: str, born: date) -> float:
    stored = person_keys(SECRET, anyascii("Нургуль"), anyascii("Асанова"), BORN)
    return score(probe(SECRET, anyascii(given), anyascii(family), born), stored).score


@pytest.mark.parametrize(
    ("given", "family", "born"),
    [
        ("Nurgul", "Asanova", BORN),  # another script
        ("Nurgül", "Asanova", date(1996, 12, 4)),  # day and month swapped
        ("Asanova", "Nurgul", BORN),  # given and family swapped
        ("Нургуль", "Асанова", date(1996, 4, 13)),  # one digit
    ],
)
def test_the_same_person_spelt_or_typed_otherwise_is_a_candidate(
    given: str, family: str, born: date
) -> None:
    assert _match(given, family, born) >= THRESHOLD


@pytest.mark.parametrize(
    ("given", "family", "born"),
    [
        ("Nurgul", "Asanova", date(1990, 1, 1)),  # another birth date
        ("Aigul", "Asanova", BORN),  # a sister
        ("Nurgul", "Isakova", BORN),  # a namesake born the same day
    ],
)
def test_another_person_is_not(given: str, family: str, born: date) -> None:
    assert _match(given, family, born) < THRESHOLD


def test_the_reasons_say_what_matched() -> None:
    stored = person_keys(SECRET, "Nurgul", "Asanova", BORN)
    found = score(probe(SECRET, "Asanova", "Nurgul", date(1996, 12, 4)), stored)
    assert found.reasons == (
        "the same names, given and family swapped",
        "a birth date one typo apart",
    )


def test_keys_say_nothing_without_the_secret() -> None:
    mine = keyed(SECRET, KeyKind.GIVEN, "nurgul")
    assert mine != keyed(b"another deployment", KeyKind.GIVEN, "nurgul")
    assert "nurgul" not in mine and len(mine) == 32
    assert keyed(SECRET, KeyKind.GIVEN, "nurgul") != keyed(SECRET, KeyKind.FAMILY, "nurgul")


@pytest.mark.parametrize(
    ("stored", "new", "alike"),
    [
        (("Ольга", "Иванова"), ("Olga", "Ivanova"), True),  # the soft sign is no word's end
        (("Дарья", "Асанова"), ("Daria", "Asanova"), True),
        (("Дарья", "Асанова"), ("Наталья", "Асанова"), False),  # nor are its halves names
        (("Наталья", "Асанова"), ("Natalia", "Asanova"), True),
    ],
)
def test_names_with_a_soft_sign(stored: tuple[str, str], new: tuple[str, str], alike: bool) -> None:
    keys = person_keys(SECRET, anyascii(stored[0]), anyascii(stored[1]), BORN)
    found = probe(SECRET, anyascii(new[0]), anyascii(new[1]), BORN)
    assert (score(found, keys).score >= THRESHOLD) is alike
    assert bool(found.name_birth & keys.name_birth) is True  # looked up, then scored


def test_a_lookup_finds_the_typed_birth_date_and_only_with_a_name() -> None:
    keys = person_keys(SECRET, "Nurgul", "Asanova", BORN)
    typed = probe(SECRET, "Nurgul", "Asanova", date(1996, 12, 4))
    other = probe(SECRET, "Aida", "Bekova", BORN)
    assert typed.name_birth & keys.name_birth
    assert not other.name_birth & keys.name_birth
