"""Precision and recall of the duplicate matcher (issue 17), on synthetic persons.

100,000 persons with Kyrgyz names in Cyrillic; then 5,000 of them registered again the way
another organisation would — in Latin or Cyrillic, by one transliteration system or another
(Nurgul, Nurgül, Нургуль), some with given and family names swapped, some with a birth date one
typo apart — and 5,000 new persons who are nobody's duplicate. Each new record is looked up by
its keys (blocking on the name keys, as the database would), scored, and the candidates over
the threshold counted. Target: recall ≥ 0.95 at precision ≥ 0.9.

    .venv/bin/python bench/matching.py [--persons 100000] [--duplicates 5000] [--seed 7]
"""

import argparse
import random
from collections import defaultdict
from datetime import date, timedelta

from anyascii import anyascii

from app.domain.matching import THRESHOLD, PersonKeys, score
from app.services.matching import keys_of, probe_of

SECRET = b"bench-deployment-key"
MALE = [
    "Азамат",
    "Айбек",
    "Алмаз",
    "Алмазбек",
    "Арстан",
    "Асан",
    "Аскар",
    "Бакыт",
    "Бакытбек",
    "Бекжан",
    "Бектур",
    "Болот",
    "Дастан",
    "Данияр",
    "Жаныбек",
    "Жолдош",
    "Замир",
    "Иса",
    "Исмаил",
    "Калыс",
    "Канат",
    "Кубан",
    "Кубанычбек",
    "Мирлан",
    "Марат",
    "Нурбек",
    "Нурлан",
    "Омурбек",
    "Өмүр",
    "Рахат",
    "Руслан",
    "Самат",
    "Сапар",
    "Султан",
    "Талант",
    "Тимур",
    "Токтогул",
    "Турат",
    "Улан",
    "Уланбек",
    "Урмат",
    "Үсөн",
    "Чынгыз",
    "Эрлан",
    "Эркин",
    "Эмил",
    "Жээнбек",
    "Жусуп",
    "Кадыр",
    "Мамат",
    "Медет",
    "Мурат",
    "Нурсултан",
    "Темир",
    "Төлөн",
    "Шайлоо",
    "Элдияр",
    "Адилет",
    "Актан",
    "Максат",
]
FEMALE = [
    "Айгүл",
    "Айжан",
    "Айпери",
    "Айсулуу",
    "Акмарал",
    "Алтынай",
    "Асель",
    "Бактыгүл",
    "Бермет",
    "Бурулай",
    "Венера",
    "Гүлзат",
    "Гүлнара",
    "Динара",
    "Жазгүл",
    "Жаркынай",
    "Жылдыз",
    "Зарина",
    "Зуура",
    "Калыйча",
    "Канышай",
    "Каныкей",
    "Мээрим",
    "Нургүл",
    "Нургиза",
    "Нуриза",
    "Назгүл",
    "Салтанат",
    "Сезим",
    "Толгонай",
    "Турсунай",
    "Чолпон",
    "Чынара",
    "Шайыр",
    "Элмира",
    "Эльмира",
    "Айнура",
    "Айдай",
    "Айзада",
    "Аида",
    "Адинай",
    "Асема",
    "Гүлмира",
    "Жибек",
    "Жумагүл",
    "Замира",
    "Зейнеп",
    "Кымбат",
    "Мадина",
    "Мөлдүр",
    "Нуржан",
    "Нурсулуу",
    "Перизат",
    "Рахима",
    "Сабина",
    "Сайкал",
    "Таттыбүбү",
    "Умут",
    "Ханзада",
]
FAMILY_ENDINGS = {  # a father's name, made a family name as Kyrgyz names are
    "male": ("ов", "уулу", "беков", "алиев"),
    "female": ("ова", "кызы", "бекова", "алиева"),
}
# how another organisation writes a Cyrillic name: as it is, or by one of the Latin systems
_TURKIC = str.maketrans(
    {"ү": "ü", "ө": "ö", "ң": "ñ", "ж": "j", "ш": "ş", "ч": "ç", "ы": "ı", "й": "y"}
)
_PASSPORT = str.maketrans({"ж": "zh", "ү": "u", "ө": "o", "ы": "y", "й": "i", "ч": "ch"})


def _spelled(name: str, rng: random.Random) -> str:
    style = rng.choice(("cyrillic", "turkic", "passport", "plain"))
    if style == "cyrillic":
        return name
    if style == "plain":
        return anyascii(name)
    table = _TURKIC if style == "turkic" else _PASSPORT
    return anyascii(name.lower().translate(table)).capitalize()


def _person(rng: random.Random) -> tuple[str, str, date]:
    sex = rng.choice(("male", "female"))
    given = rng.choice(MALE if sex == "male" else FEMALE)
    father = rng.choice(MALE)
    family = father + rng.choice(FAMILY_ENDINGS[sex])
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(48 * 365))
    return given, family, born


def _typo(born: date, rng: random.Random) -> date:
    if rng.random() < 0.5 and born.day <= 12 and born.day != born.month:
        return date(born.year, born.day, born.month)
    digits = f"{born.year:04d}{born.month:02d}{born.day:02d}"
    for _ in range(50):
        at = rng.randrange(2, 8)
        changed = digits[:at] + rng.choice("0123456789") + digits[at + 1 :]
        try:
            typed = date(int(changed[:4]), int(changed[4:6]), int(changed[6:]))
        except ValueError:
            continue
        if typed != born:
            return typed
    return born


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--duplicates", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    stored: list[PersonKeys] = []
    by_name_key: dict[str, list[int]] = defaultdict(list)
    people = [_person(rng) for _ in range(args.persons)]
    for index, (given, family, born) in enumerate(people):
        keys = keys_of(SECRET, given, family, born)
        stored.append(keys)
        for key in keys.given | keys.family:
            by_name_key[key].append(index)

    queries: list[tuple[tuple[str, str, date], int | None]] = []
    for original in rng.sample(range(args.persons), args.duplicates):
        given, family, born = people[original]
        given, family = _spelled(given, rng), _spelled(family, rng)
        if rng.random() < 0.3:
            given, family = family, given
        if rng.random() < 0.3:
            born = _typo(born, rng)
        queries.append(((given, family, born), original))
    queries += [(_person(rng), None) for _ in range(args.duplicates)]

    found = correct = 0
    candidates_looked_at = 0
    for (given, family, born), original in queries:
        probe = probe_of(SECRET, given, family, born)
        names = {k for keys in (*probe.given.values(), *probe.family.values()) for k in keys}
        blocked = {i for key in names for i in by_name_key.get(key, ())}
        candidates_looked_at += len(blocked)
        matched = {i for i in blocked if score(probe, stored[i]).score >= THRESHOLD}
        found += len(matched)
        correct += original in matched
    precision = correct / found if found else 1.0
    recall = correct / args.duplicates
    print(
        f"persons {args.persons:,}, duplicates {args.duplicates:,}, new persons "
        f"{args.duplicates:,}; candidates scored {candidates_looked_at:,}"
    )
    print(f"matches {found:,}, right {correct:,}")
    print(f"precision {precision:.3f}, recall {recall:.3f} (targets: ≥ 0.9, ≥ 0.95)")
    met = precision >= 0.9 and recall >= 0.95
    print("targets met" if met else "TARGETS MISSED")
    raise SystemExit(0 if met else 1)


if __name__ == "__main__":
    main()
