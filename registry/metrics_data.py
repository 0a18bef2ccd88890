"""Metrics read from the database at scrape time: what the registry holds, counted once for all
workers (a counter per process would restart at every deploy)."""

from __future__ import annotations

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily

from registry.displays.models import DisplayPhoto
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.submissions.models import ArtworkVersion
from registry.tasks.models import JOB_STATUSES, Job


class StoredObjectsCollector:
    """Uploads (artwork versions, print files, site photos) and approved copies, with their
    bytes."""

    def collect(self):
        v, a = ArtworkVersion, ApprovedAsset
        versions = db.session.execute(
            sa.select(
                sa.func.count(v.id),
                sa.func.coalesce(sa.func.sum(v.size_bytes), 0),
                sa.func.count(v.print_key),
                sa.func.coalesce(sa.func.sum(v.print_size_bytes), 0),
            )
        ).one()
        approved = db.session.execute(
            sa.select(sa.func.count(a.id), sa.func.coalesce(sa.func.sum(a.size_bytes), 0))
        ).one()
        photos = db.session.execute(
            sa.select(
                sa.func.count(DisplayPhoto.id),
                sa.func.coalesce(sa.func.sum(DisplayPhoto.size_bytes), 0),
            )
        ).one()
        db.session.rollback()
        files = GaugeMetricFamily(
            "registry_stored_files", "Files the database points to, by kind.", labels=["kind"]
        )
        size = GaugeMetricFamily(
            "registry_stored_bytes", "Bytes of those files, by kind.", labels=["kind"]
        )
        for kind, count, total in (
            ("artwork", versions[0], versions[1]),
            ("print", versions[2], versions[3]),
            ("approved", approved[0], approved[1]),
            ("site_photo", photos[0], photos[1]),
        ):
            files.add_metric([kind], count)
            size.add_metric([kind], total)
        yield files
        yield size


class JobsCollector:
    """The task queue's jobs by kind and state: its depth (queued), what runs, what failed."""

    def collect(self):
        rows = db.session.execute(
            sa.select(Job.name, Job.status, sa.func.count(Job.id)).group_by(Job.name, Job.status)
        ).all()
        db.session.rollback()
        counts = {(name, status): n for name, status, n in rows}
        jobs = GaugeMetricFamily(
            "registry_jobs",
            "Background jobs by kind and state (queued is the queue's depth).",
            labels=["name", "status"],
        )
        for name in sorted({name for name, _ in counts}):
            for status in JOB_STATUSES:
                jobs.add_metric([name, status], counts.get((name, status), 0))
        yield jobs
