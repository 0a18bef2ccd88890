"""Deep-zoom pyramids (DZI) of artwork versions, for the review page's viewer.

A pyramid is cut from the original with libvips (pyvips), which streams the image in strips, so
a 400 MP artwork is tiled in bounded memory. Tiles and the .dzi descriptor go to the uploads
area under tiles/<sha256>/, then the version records the descriptor's key: the row names the
pyramid only once every tile is stored. Each new version's pyramid is cut by the worker
(request_pyramid at upload, the job cut_pyramid); `flask registry tiles` cuts those of older
versions. Until its pyramid exists, a version is shown from its 2,048-px preview.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import click
import pyvips
import sqlalchemy as sa
from flask.cli import with_appcontext

from registry.extensions import db
from registry.storage.service import get_store, local_copy
from registry.submissions.models import ArtworkVersion
from registry.tasks import enqueue, job

TILE_SIZE = 510  # with a 1-px overlap each side: 512-px tiles
OVERLAP = 1
TILE_SUFFIX = ".webp[Q=88]"


def tiles_prefix(version: ArtworkVersion) -> str:
    """Where the version's tiles live: one pyramid per distinct original."""
    return f"tiles/{version.sha256}"


def make_pyramid(version: ArtworkVersion) -> str:
    """Cut the version's original into a DZI pyramid in the store; record and return its key."""
    store = get_store()
    prefix = tiles_prefix(version)
    with (
        tempfile.TemporaryDirectory(prefix="registry-tiles-") as work,
        local_copy("uploads", version.storage_key) as source,
    ):
        image = pyvips.Image.new_from_file(source, access="sequential")
        if image.interpretation not in ("srgb", "b-w") or image.format != "uchar":
            image = image.colourspace("srgb").cast("uchar")  # CMYK, 16-bit: as screens show them
        target = Path(work) / "pyramid"
        image.dzsave(
            str(target), tile_size=TILE_SIZE, overlap=OVERLAP, suffix=TILE_SUFFIX, keep="none"
        )
        for tile in sorted((Path(work) / "pyramid_files").rglob("*.webp")):
            level, name = tile.parent.name, tile.name
            with tile.open("rb") as stream:
                store.put(
                    "uploads",
                    f"{prefix}/{level}/{name}",
                    stream,
                    size=tile.stat().st_size,
                    content_type="image/webp",
                )
        descriptor = (Path(work) / "pyramid.dzi").read_bytes()
    key = f"{prefix}.dzi"
    store.put(
        "uploads",
        key,
        io.BytesIO(descriptor),
        size=len(descriptor),
        content_type="application/xml",
    )
    version.tiles_key = key
    return key


@job("submissions.cut_pyramid")
def cut_pyramid(version_id: int) -> None:
    """Cut a new version's pyramid in the worker, after the upload has answered."""
    version = db.session.get(ArtworkVersion, version_id)
    if version is None or version.tiles_key:
        return  # gone with its draft meanwhile, or cut already
    make_pyramid(version)


def request_pyramid(version: ArtworkVersion) -> None:
    """Ask the worker for the version's pyramid (sent once the upload commits)."""
    enqueue(cut_pyramid, version.id)


@click.command("tiles")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@with_appcontext
def tiles_command(limit: int | None) -> None:
    """Cut the deep-zoom pyramid of every version that has none yet, oldest first."""
    stmt = (
        sa.select(ArtworkVersion)
        .where(ArtworkVersion.tiles_key.is_(None))
        .order_by(ArtworkVersion.id)
    )
    done = 0
    for version in db.session.scalars(stmt.limit(limit)).all():
        make_pyramid(version)
        db.session.commit()  # each pyramid counts once its tiles are stored
        done += 1
        click.echo(f"{version.submission_id} v{version.number}: {version.tiles_key}")
    click.echo(f"{done} pyramid(s) cut.")
