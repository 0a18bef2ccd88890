"""Jobs that only the tests enqueue; the worker imports them through REGISTRY_TASK_IMPORTS."""

from __future__ import annotations

import time
from pathlib import Path

from registry.tasks import current_job, job


def _note(path: str, line: str) -> None:
    with open(path, "a") as fh:
        fh.write(line + "\n")


@job("tests.note")
def note(path: str, text: str) -> None:
    """Append a line to a file."""
    _note(path, f"{text} attempt {current_job().attempts}")


@job("tests.fails_once")
def fails_once(path: str) -> None:
    """Fail on the first attempt, succeed on the next."""
    attempt = current_job().attempts
    _note(path, f"attempt {attempt}")
    if attempt == 1:
        raise RuntimeError("the first attempt fails on purpose")


def _failed_for_good(path: str, *, error: str) -> None:
    _note(path, f"gave up: {error}")


@job("tests.always_fails", max_attempts=2, on_failure=_failed_for_good)
def always_fails(path: str) -> None:
    """Fail every time."""
    _note(path, f"attempt {current_job().attempts}")
    raise ValueError("never works")


@job("tests.slow_first_time")
def slow_first_time(path: str) -> None:
    """On the first attempt, say so and take a long time (the test kills the worker)."""
    attempt = current_job().attempts
    _note(path, f"started attempt {attempt}")
    if attempt == 1:
        time.sleep(120)
    _note(path, f"finished attempt {attempt}")


def lines(path: str | Path) -> list[str]:
    path = Path(path)
    return path.read_text().splitlines() if path.exists() else []
