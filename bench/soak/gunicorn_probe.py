"""gunicorn settings for the soak: the app's own (registry.gunicorn_conf) and a memory probe.

After every request a worker reads its own memory from /proc (a few microseconds) and, when
its resident size rose by a MiB or more, writes one JSON line to $SOAK_MEMORY_LOG: the
request that did it and how the growth splits into heap (RssAnon) and mapped files
(RssFile: the code, and prometheus_client's multiprocess files). With $SOAK_TRACEMALLOC set
the worker also traces Python's allocations, and writes a snapshot when the soak asks for
one (a file named snapshot-LABEL in $SOAK_PROBE_DIR): what Python itself still holds.
"""

from __future__ import annotations

import gc
import json
import os
import re
import time
import tracemalloc
from pathlib import Path

from registry.gunicorn_conf import child_exit, on_starting  # noqa: F401 (gunicorn reads them)

STEP_KIB = 1024
_FIELDS = ("VmRSS", "RssAnon", "RssFile", "RssShmem")
_last: dict[str, int] = {}
_taken: set[str] = set()


def _memory() -> dict[str, int]:
    text = Path("/proc/self/status").read_text()
    return {f: int(re.search(rf"^{f}:\s+(\d+) kB", text, re.M).group(1)) for f in _FIELDS}


def post_fork(server, worker):
    if os.environ.get("SOAK_TRACEMALLOC"):
        tracemalloc.start(int(os.environ["SOAK_TRACEMALLOC"]))


def post_request(worker, req, environ, resp):
    now = _memory()
    last = _last or now
    if now["VmRSS"] - last["VmRSS"] >= STEP_KIB and os.environ.get("SOAK_MEMORY_LOG"):
        line = {
            "pid": os.getpid(),
            "time": time.time(),
            "request": f"{req.method} {req.path}",
            "status": getattr(resp, "status_code", None),
            **{f"{f}_kib": now[f] for f in _FIELDS},
            **{f"{f}_delta_kib": now[f] - last[f] for f in _FIELDS},
        }
        if tracemalloc.is_tracing():
            line["traced_kib"] = tracemalloc.get_traced_memory()[0] // 1024
        with open(os.environ["SOAK_MEMORY_LOG"], "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
    _last.update(now)
    folder = os.environ.get("SOAK_PROBE_DIR")
    if folder and tracemalloc.is_tracing():
        for marker in Path(folder).glob("snapshot-*"):
            label = marker.name.removeprefix("snapshot-")
            if label not in _taken:
                _taken.add(label)
                path = f"{folder}/{label}-{os.getpid()}.tracemalloc"
                gc.collect()  # garbage waiting for the collector is no growth
                tracemalloc.take_snapshot().dump(path + ".part")
                os.replace(path + ".part", path)  # the soak waits for the whole file
