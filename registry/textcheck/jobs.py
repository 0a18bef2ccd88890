"""The background job that reads the text on an artwork version."""

from __future__ import annotations

import logging
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from registry import imaging
from registry.db import utcnow
from registry.extensions import db
from registry.storage.service import local_copy
from registry.tasks import job
from registry.textcheck import ocr, textlayer
from registry.textcheck.models import TextReading
from registry.textcheck.operations import refresh_open_reviews
from registry.textcheck.pipeline import read_for_checks

log = logging.getLogger(__name__)


@cache
def _engine(tessdata: str | None) -> ocr.Engine:
    return ocr.Engine(tessdata)


def _reading(version_id: int) -> TextReading:
    return db.session.scalar(sa.select(TextReading).where(TextReading.version_id == version_id))


def _failed(version_id: int, *, error: str) -> None:
    """Every attempt failed: the review page says so and CT-01 uses the declared text."""
    reading: TextReading | None = _reading(version_id)
    if reading is None:
        return
    reading.status = "failed"
    reading.reason = _("Lỗi khi đọc chữ: %(error)s", error=error[:300])
    reading.finished_at = utcnow()
    refresh_open_reviews(reading.version)


@job("textcheck.read_version", on_failure=_failed)
def read_version(version_id: int) -> None:
    """Read the text printed on a version (and its print file's text layer)."""
    config = current_app.config
    reading: TextReading | None = _reading(version_id)
    if reading is None:
        log.warning("no reading row for version %s", version_id)
        return
    # Nothing is written until the slow parts are done: on SQLite a pending write holds the
    # database's write lock, and an upload meanwhile would wait for seconds of OCR, then fail.
    version = reading.version
    submission = version.submission
    slogans = [s.text for s in submission.campaign.active_slogans]
    slogans += [s.text for s in submission.slogans if s.text not in slogans]
    layer = None
    if version.print_kind in ("pdf", "svg"):
        with local_copy("uploads", version.print_key) as path:
            layer = textlayer.extract(path, version.print_kind)
    try:
        engine = ocr.check_available(config["REGISTRY_TESSDATA"])
    except ocr.OcrUnavailable as error:
        if layer is not None:
            reading.text_layer, reading.text_layer_note = layer
        reading.status = "unavailable"
        reading.reason = str(error)
        reading.finished_at = utcnow()
        refresh_open_reviews(version)
        return
    max_pixels = config["REGISTRY_MAX_IMAGE_PIXELS"]
    with local_copy("uploads", version.storage_key) as path:
        picture = ocr.Picture(
            (version.width_px, version.height_px),
            lambda long_side: imaging.open_artwork(
                path, max_pixels=max_pixels, long_side=long_side
            ),
            lambda: imaging.open_artwork(path, max_pixels=max_pixels),
            work_px=int(config["REGISTRY_OCR_WORK_PX"]),
        )
        result = read_for_checks(
            picture,
            _engine(config["REGISTRY_TESSDATA"]),
            slogans,
            target_px=int(config["REGISTRY_OCR_LETTER_PX"]),
        )
        del picture
    if layer is not None:
        reading.text_layer, reading.text_layer_note = layer
    reading.engine = engine
    data = result.as_dict()
    reading.words = data["words"]
    reading.lines = data["lines"]
    reading.passes = data["passes"]
    reading.seconds = data["seconds"]
    reading.status = "done"
    reading.minority_scripts = ",".join(
        sorted({line["script"] for line in reading.lines if line["script"] != "latin"})
    )
    reading.reason = None
    reading.finished_at = utcnow()
    refresh_open_reviews(version)
