"""What the memory probe (gunicorn_probe.py) saw: where the workers' resident memory grew, by
request and by phase of the run, and, when Python's allocations were traced, what Python
itself still held at the end that it did not hold after warm-up."""

from __future__ import annotations

import json
import re
import tracemalloc
from collections import defaultdict
from pathlib import Path

# Ids and approval codes in paths become placeholders, so steps group by route.
_CODE = re.compile(r"/[A-Z]+-\d{4}-\d+")
_NUMBER = re.compile(r"/\d+")


def _route(request: str) -> str:
    return _NUMBER.sub("/{id}", _CODE.sub("/{code}", request))


def probe_report(
    steps_file: Path, folder: Path, *, t0_wall: float, warm: float, split
) -> list[str]:
    lines = ["", "### Heap and mapped files (MiB: RssAnon / RssFile)", ""]
    split_start, split_end = split
    lines += ["| process | after warm-up | at the end |", "|---|---:|---:|"]
    for name, (anon, file) in split_start.items():
        end = split_end.get(name)
        at_end = f"{end[0]:.0f} / {end[1]:.0f}" if end else "restarted"
        lines.append(f"| {name} | {anon:.0f} / {file:.0f} | {at_end} |")

    steps = []
    if steps_file.exists():
        steps = [json.loads(line) for line in steps_file.read_text().splitlines() if line]
    by_route: dict[str, list[dict]] = defaultdict(list)
    for step in steps:
        step["t"] = step["time"] - t0_wall
        by_route[_route(step["request"])].append(step)
    lines += [
        "",
        "### Where resident memory grew (steps of 1 MiB or more after one request)",
        "",
        f"Warm-up ends at {warm:.0f} s.",
        "",
        "| request | steps | MiB heap before / after warm-up | MiB files | last step at s |",
        "|---|---:|---:|---:|---:|",
    ]
    for route, found in sorted(by_route.items(), key=lambda kv: -_mib(kv[1], "RssAnon")):
        before = _mib([s for s in found if s["t"] < warm], "RssAnon")
        after = _mib([s for s in found if s["t"] >= warm], "RssAnon")
        lines.append(
            f"| {route} | {len(found)} | {before:.1f} / {after:.1f} | "
            f"{_mib(found, 'RssFile'):.1f} | {max(s['t'] for s in found):.0f} |"
        )
    lines += _traced(folder)
    return lines


def _mib(steps: list[dict], field: str) -> float:
    return sum(s[f"{field}_delta_kib"] for s in steps) / 1024


def _traced(folder: Path) -> list[str]:
    lines = []
    for warm in sorted(folder.glob("warm-*.tracemalloc")):
        pid = warm.stem.removeprefix("warm-")
        end = folder / f"end-{pid}.tracemalloc"
        if not end.exists():
            continue
        first = tracemalloc.Snapshot.load(str(warm))
        last = tracemalloc.Snapshot.load(str(end))
        total = sum(s.size for s in last.statistics("filename")) - sum(
            s.size for s in first.statistics("filename")
        )
        lines += [
            "",
            f"### Python's own allocations, worker {pid}: {total / 2**20:+.2f} MiB from "
            "warm-up to the end",
            "",
            "| where | MiB at the end | change | blocks change |",
            "|---|---:|---:|---:|",
        ]
        for stat in last.compare_to(first, "lineno")[:12]:
            frame = stat.traceback[0]
            lines.append(
                f"| {_short(frame.filename)}:{frame.lineno} | {stat.size / 2**20:.2f} | "
                f"{stat.size_diff / 2**20:+.2f} | {stat.count_diff:+d} |"
            )
    return lines


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/registry/", "/lib/python"):
        if marker in filename:
            return (
                filename.split(marker, 1)[1]
                if marker != "/registry/"
                else ("registry/" + filename.split(marker, 1)[1])
            )
    return filename
