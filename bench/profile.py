"""Sample a running worker with py-spy and summarise where its time went."""

from __future__ import annotations

import collections
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

PY_SPY = Path(sys.executable).parent / "py-spy"
_LINE = re.compile(r":\d+\)")


@contextmanager
def recording(pid: int, out: Path, rate: int = 100):
    """Record the process's stacks (raw collapsed format) while the block runs."""
    proc = subprocess.Popen(
        [
            PY_SPY,
            "record",
            "--pid",
            str(pid),
            "--rate",
            str(rate),
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)  # let py-spy attach before the work starts
    try:
        yield out
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(60)


KEEP = (
    "registry/",
    "PIL/",
    "minio/",
    "werkzeug/formparser",
    "jinja2/environment",
    "sqlalchemy/orm/session",
    "psycopg/connection",
    "flask/templating",
)


def summary(
    raw: Path,
    top: int = 14,
    skip: tuple[str, ...] = ("gunicorn/",),
    rate: int = 100,
    keep: tuple[str, ...] = KEEP,
    busy_in: tuple[str, ...] = ("registry/", "werkzeug/"),
) -> list[tuple[float, str]]:
    """Inclusive share of busy samples per function (file without line), biggest first.

    The first row is the worker's busy time itself: (seconds, "busy")."""
    inclusive: collections.Counter[str] = collections.Counter()
    busy = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not any(mark in f for f in frames for mark in busy_in):
            continue  # the worker waiting for a request
        busy += int(count)
        for frame in {_LINE.sub(")", f) for f in frames}:
            inclusive[frame] += int(count)
    rows = [
        (100 * n / busy, f) for f, n in inclusive.most_common() if not any(s in f for s in skip)
    ]
    return [(busy / rate, "busy")] + [r for r in rows if any(k in r[1] for k in keep)][:top]


def markdown(title: str, rows: list[tuple[float, str]]) -> str:
    (busy, _), rows = rows[0], rows[1:]
    lines = [f"**{title}**: share of the worker's {busy:.1f} s busy (py-spy, inclusive)", "", "```"]
    lines += [f"{share:5.1f} %  {share * busy / 100:6.2f} s  {frame}" for share, frame in rows]
    return "\n".join([*lines, "```", ""])
