from __future__ import annotations

import pytest

from tests.workers import Worker


@pytest.fixture
def start_worker(app, ctx, tmp_path):
    """Start real worker processes on the test app's stack; all are stopped after the test."""
    started: list[Worker] = []

    def start(**extra: str) -> Worker:
        worker = Worker(app, tmp_path / f"worker-{len(started) + 1}.log", **extra)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
