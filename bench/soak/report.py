"""The soak's Markdown report: requests by kind with percentiles, errors, faults, memory."""

from __future__ import annotations

import statistics
from collections import defaultdict

from bench.soak.users import Recorder, Sample


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))
    return ordered[index]


def _in(window: tuple[float, float], s: Sample) -> bool:
    """Whether the request was under way at some moment of the window."""
    return s.started <= window[1] and s.started + s.seconds >= window[0]


def report(
    rec: Recorder,
    events,
    memory_start,
    memory_end,
    scrape,
    check,
    failures,
    trend,
    *,
    probe: list[str],
    outage: tuple[float, float],
    meta: dict,
) -> str:
    kinds: dict[str, list[Sample]] = defaultdict(list)
    for s in rec.samples:
        kinds[s.kind].append(s)
    lines = ["# Soak and fault run", ""]
    lines += [f"- {k}: {v}" for k, v in meta.items()]
    lines += [
        "",
        "| requests | n | 2xx/3xx | 4xx | 5xx outside the DB outage | 503 in the DB "
        "outage | timeouts / refused | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    totals = defaultdict(int)
    for kind in sorted(kinds):
        samples = kinds[kind]
        ok = sum(1 for s in samples if isinstance(s.status, int) and s.status < 400)
        client = sum(1 for s in samples if isinstance(s.status, int) and 400 <= s.status < 500)
        server = [s for s in samples if isinstance(s.status, int) and s.status >= 500]
        planned = sum(1 for s in server if s.status == 503 and _in(outage, s))
        unplanned = len(server) - planned
        broken = sum(1 for s in samples if not isinstance(s.status, int))
        ms = [s.seconds * 1000 for s in samples if isinstance(s.status, int)]
        row = [
            kind,
            len(samples),
            ok,
            client,
            unplanned,
            planned,
            broken,
            f"{_pct(ms, 50):.0f}",
            f"{_pct(ms, 95):.0f}",
            f"{_pct(ms, 99):.0f}",
        ]
        lines.append("| " + " | ".join(str(x) for x in row) + " |")
        for key, value in (
            ("n", len(samples)),
            ("ok", ok),
            ("4xx", client),
            ("5xx", unplanned),
            ("503", planned),
            ("broken", broken),
        ):
            totals[key] += value
    ms = [s.seconds * 1000 for s in rec.samples if isinstance(s.status, int)]
    lines.append(
        f"| **all** | {totals['n']} | {totals['ok']} | {totals['4xx']} | {totals['5xx']} | "
        f"{totals['503']} | {totals['broken']} | {_pct(ms, 50):.0f} | {_pct(ms, 95):.0f} | "
        f"{_pct(ms, 99):.0f} |"
    )
    in_outage = [s for s in rec.samples if _in(outage, s)]
    retry = sum(1 for s in in_outage if s.status == 503 and s.retry_after)
    fours = defaultdict(int)
    for s in rec.samples:
        if isinstance(s.status, int) and 400 <= s.status < 500:
            fours[(s.kind, s.status)] += 1
    lines += ["", "## Faults", ""]
    lines += [f"- {t:6.1f} s: {what}" for t, what in events]
    lines += [
        f"- requests started in the DB outage window ({outage[0]:.1f}–{outage[1]:.1f} s): "
        f"{len(in_outage)}; answered 503: "
        f"{sum(1 for s in in_outage if s.status == 503)} (with Retry-After: {retry}); "
        f"other statuses: {sorted({str(s.status) for s in in_outage if s.status != 503})}",
    ]
    node_down = _between(events, "MinIO node 4 of 4 killed", "MinIO node 4 started")
    during = [s for s in rec.samples if node_down and node_down[0] <= s.started <= node_down[1]]
    errors = [s for s in during if not isinstance(s.status, int) or s.status >= 500]
    lines.append(f"- requests while a MinIO node was down: {len(during)}, errors: {len(errors)}")
    lines += ["", "## 4xx by kind (expected: claim races 409, verification of a revoked code…)", ""]
    lines += [f"- {k} → {status}: {n}" for (k, status), n in sorted(fours.items())] or ["- none"]
    lines += [
        "",
        "## Memory of the serving processes (RSS, MiB)",
        "",
        "Working memory rises and falls with the request in hand (an image decoded, a part "
        "buffered); a leak raises the floor. After warm-up: the range, the lowest sample of "
        "each half, and a straight line fitted to every sample.",
        "",
        "| process | after warm-up | at the end | growth | min–max | floor 1st → 2nd half "
        "| slope |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    warm = next((t for t, what in events if what.startswith("warm-up over")), 0.0)
    for name, start in memory_start.items():
        end = memory_end.get(name)
        growth = f"{(end - start) / start * 100:+.1f} %" if end else "restarted"
        later = [(t, sample[name]) for t, sample in trend if t >= warm and name in sample]
        spread = floors = slope = "—"
        if len(later) >= 4:
            values = [v for _, v in later]
            spread = f"{min(values):.0f}–{max(values):.0f}"
            half = len(values) // 2
            floors = f"{min(values[:half]):.0f} → {min(values[half:]):.0f}"
            fit = statistics.linear_regression([t for t, _ in later], values)
            slope = f"{fit.slope * 60:+.1f} MiB/min"
        lines.append(
            f"| {name} | {start:.0f} | {f'{end:.0f}' if end else '—'} | {growth} | {spread} "
            f"| {floors} | {slope} |"
        )
    if trend:
        names = [n for n in trend[-1][1] if n != "master"]
        lines += [
            "",
            "Over time (RSS of each worker, MiB; sampled every 10 s, every third shown):",
            "",
            "| s | " + " | ".join(names) + " |",
            "|---:|" + "---:|" * len(names),
        ]
        for t, sample in trend[::3]:
            cells = [f"{sample[n]:.0f}" if n in sample else "—" for n in names]
            lines.append(f"| {t:.0f} | " + " | ".join(cells) + " |")
    lines += probe
    lines += ["", "## At the end", ""]
    lines += [f"- {k}: {v:g}" for k, v in scrape.items()]
    lines.append(
        f"- requests sent by the soak: {len(rec.samples)} (the /metrics figure adds "
        "the set-up's own and MinIO downloads are not the app's)"
    )
    lines.append(f"- `registry check-storage`: {check}")
    lines.append(
        f"- errors raised in the people's own code: {len(failures)}"
        + (f" (first: {failures[0]})" if failures else "")
    )
    return "\n".join(lines) + "\n"


def _between(events, first: str, second: str):
    try:
        start = next(t for t, what in events if what.startswith(first))
        end = next(t for t, what in events if what.startswith(second))
    except StopIteration:
        return None
    return start, end
