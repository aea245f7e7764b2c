"""Precision and recall of the duplicate matcher (issue 17), on synthetic persons.

100,000 persons with Kyrgyz names in Cyrillic; then 5,000 of them registered again the way
another organisation would — in Latin or Cyrillic, by one transliteration system or another
(Nurgul, Nurgül, Нургуль), some with given and family names swapped, some with a birth date one
typo apart — and 5,000 new persons who are nobody's duplicate. Each new record is looked up by
its keys (a name with the birth date or a typo of it, as the database looks up), scored, and
the candidates over the threshold counted. Target: recall ≥ 0.95 at precision ≥ 0.9.

    .venv/bin/python bench/matching.py [--persons 100000] [--duplicates 5000] [--seed 7]
        [--database postgresql://postgres@127.0.0.1:5432/postgres]

With ``--database`` (a server to make a scratch database on), the persons and their keys are
also loaded into PostgreSQL and every new record is looked up as registration does
(services/matching.candidates, by index): the lookup's median and p99 are printed, and the plan
of one, so that a lookup that grows with the caseload shows.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import asyncpg
from anyascii import anyascii
from sqlalchemy import text

from app.config import get_settings
from app.db import create_engine, create_sessionmaker
from app.domain.matching import THRESHOLD, PersonKeys, score
from app.models import Victim
from app.services import matching
from app.services.matching import keys_of, probe_of

SECRET = get_settings().matching_secret  # as registration keys them (the development key here)
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
    parser.add_argument("--database", help="postgresql://… of a server: lookups by index")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    stored: list[PersonKeys] = []
    by_lookup_key: dict[str, list[int]] = defaultdict(list)
    people = [_person(rng) for _ in range(args.persons)]
    for index, (given, family, born) in enumerate(people):
        keys = keys_of(SECRET, given, family, born)
        stored.append(keys)
        for key in keys.name_birth:
            by_lookup_key[key].append(index)

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
        blocked = {i for key in probe.name_birth for i in by_lookup_key.get(key, ())}
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
    if args.database:
        asyncio.run(_in_database(args.database, people, stored, [q for q, _ in queries]))
    raise SystemExit(0 if met else 1)


async def _in_database(
    server: str,
    people: list[tuple[str, str, date]],
    stored: list[PersonKeys],
    queries: list[tuple[str, str, date]],
) -> None:
    """The persons and their keys in a scratch database, then each query looked up there."""
    name = f"bench_matching_{os.getpid()}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = server.rsplit("/", 1)[0] + f"/{name}"
    try:
        env = {
            **os.environ,
            "APP_DATABASE_URL": url.replace("postgresql://", "postgresql+asyncpg://"),
        }
        migrate = [sys.executable, "-m", "alembic", "upgrade", "head"]
        await asyncio.to_thread(subprocess.run, migrate, check=True, env=env)
        await _load(url, people, stored)
        await _look_up(env["APP_DATABASE_URL"], queries)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _load(url: str, people: list[tuple[str, str, date]], stored: list[PersonKeys]) -> None:
    connection = await asyncpg.connect(url)
    try:
        org = uuid.uuid4()
        now = datetime.now(UTC)
        await connection.execute(
            "INSERT INTO organisations (id, version, name, name_key, kind, licences, funding, "
            "created_at, updated_at) VALUES ($1, 1, 'Bench NGO', 'bench ngo', 'ngo', '[]', "
            "'[]', $2, $2)",
            org,
            now,
        )
        ids = [uuid.uuid4() for _ in people]
        victims = [
            (i, 1, f"BENCH-{n}", org, g, f, b, "female", "[]", "active", now, now)
            for n, (i, (g, f, b)) in enumerate(zip(ids, people, strict=True))
        ]
        columns = ("id", "version", "registration_number", "organisation_id", "given_name",
                   "family_name", "birth_date", "sex", "exploitation_types", "status",
                   "created_at", "updated_at")  # fmt: skip
        await connection.copy_records_to_table("victims", records=victims, columns=columns)
        keys = [
            (i, kind.value, key) for i, k in zip(ids, stored, strict=True) for kind, key in k.all()
        ]
        await connection.copy_records_to_table(
            "person_match_keys", records=keys, columns=("victim_id", "kind", "key")
        )
        await connection.execute("ANALYZE")
        print(f"loaded {len(victims):,} persons and {len(keys):,} keys into PostgreSQL")
    finally:
        await connection.close()


def _unsaved(given: str, family: str, born: date) -> Victim:
    """A record being registered: looked up, never stored."""
    return Victim(
        given_name=given,
        family_name=family,
        birth_date=born,
        registration_number="",
        organisation_id=uuid.uuid4(),
        sex="female",
    )


async def _look_up(url: str, queries: list[tuple[str, str, date]]) -> None:
    engine = create_engine(url)
    timings: list[float] = []
    try:
        async with create_sessionmaker(engine)() as session:
            for given, family, born in queries:
                victim = _unsaved(given, family, born)
                started = time.perf_counter()
                await matching.candidates(session, victim)
                timings.append(time.perf_counter() - started)
            given, family, born = queries[0]
            victim = _unsaved(given, family, born)
            statement = matching.nearby(victim.id, matching.probe_for(victim))
            if statement is not None:
                compiled = statement.compile(
                    engine.sync_engine, compile_kwargs={"literal_binds": True}
                )
                plan = await session.exec(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}"))  # type: ignore[call-overload]
                top = plan.scalar_one()[0]
                print(f"one lookup's plan: {json.dumps(top['Plan']['Node Type'])}, "
                      f"{top['Execution Time']:.2f} ms")  # fmt: skip
    finally:
        await engine.dispose()
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(
        f"lookups {len(timings):,}: median {statistics.median(timings) * 1000:.2f} ms, "
        f"p99 {p99 * 1000:.2f} ms (the query and its scoring, over the persons loaded)"
    )


if __name__ == "__main__":
    main()
