"""gunicorn settings for metrics shared by workers: `gunicorn -c python:registry.gunicorn_conf`.

With PROMETHEUS_MULTIPROC_DIR set to an empty folder, every worker writes its counters there
and /metrics adds them up; a worker that exits is marked dead so its gauges drop out.
"""

import os


def on_starting(server):
    """Empty the metrics folder: figures of a previous run must not be added to this one."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.unlink(os.path.join(folder, name))


def child_exit(server, worker):
    """Let prometheus_client forget a worker that has gone."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
