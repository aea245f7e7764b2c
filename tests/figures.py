"""Figures a test measured, for `.ci/run` to print at the end of the run (the file named by
``CI_FIGURES``): the test itself enforces them; the file shows them."""

import os
from pathlib import Path


def report(what: str, **numbers: int) -> None:
    """One line: what was measured, then each number by name, e.g.
    ``database outage (refused): requests 8, 5xx other than 503 0, over 5 s 0``."""
    target = os.environ.get("CI_FIGURES")
    if not target:
        return
    shown = ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in numbers.items())
    with Path(target).open("a", encoding="utf-8") as figures:
        figures.write(f"{what}: {shown}\n")
