"""The command line as an operator uses it: migrate, demo data once, bootstrap an admin."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], database: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = os.environ | {"APP_DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    return subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, *args],
        input=stdin,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "app.db"
    assert run(["-m", "alembic", "upgrade", "head"], path).returncode == 0
    return path


def test_demo_data_loads_only_into_an_empty_database(database: Path) -> None:
    first = run(["-m", "app", "seed-demo", "--if-empty"], database)
    assert first.returncode == 0, first.stderr
    assert "coordinator-demo-2026" in first.stdout
    second = run(["-m", "app", "seed-demo", "--if-empty"], database)
    assert second.returncode == 0
    assert "loaded already" in second.stdout
    assert "coordinator-demo-2026" in second.stdout  # the logins are shown again
    assert second.stdout.count("019a0000-0000-7000-8000-00000000c001") == 1


def test_the_first_administrator_is_created_from_stdin(database: Path) -> None:
    short = run(
        ["-m", "app", "create-user", "--username", "boss", "--role", "admin", "--password-stdin"],
        database,
        "short\n",
    )
    assert short.returncode == 2
    assert "password" in short.stderr
    made = run(
        ["-m", "app", "create-user", "--username", "Boss", "--role", "admin", "--password-stdin"],
        database,
        "a long enough admin password\n",
    )
    assert made.returncode == 0, made.stderr
    assert "created admin 'boss'" in made.stdout
    # with an administrator in place the database is no longer empty: no demo data on top
    seeded = run(["-m", "app", "seed-demo", "--if-empty"], database)
    assert "no demo data loaded" in seeded.stdout
