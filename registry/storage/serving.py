"""Serving stored files: previews and thumbnails through the app, presigned links of LocalStore."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, stream_with_context
from flask_login import current_user, login_required

from registry.extensions import db
from registry.permissions import can_view_submission
from registry.storage import LinkExpired, ObjectNotFound, StorageError, content_disposition
from registry.storage.service import get_store
from registry.submissions.models import ArtworkVersion

bp = Blueprint("files", __name__)


def stream_object(
    area: str, key: str, *, content_type: str, filename: str | None = None, inline: bool = False
) -> Response:
    """Stream an object from the store with safe headers; never inline unless it is our WebP.

    A filename makes it an attachment under that name (any Unicode, see content_disposition).
    """
    store = get_store()
    try:
        info = store.stat(area, key)
    except ObjectNotFound:
        abort(404)
    except StorageError as error:
        abort(503, description=str(error))

    def body():
        with store.open(area, key) as chunks:
            yield from chunks

    response = Response(stream_with_context(body()), mimetype=content_type)
    response.headers["Content-Length"] = str(info.size)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # A named file is always an attachment; its name goes through the one header helper.
    if filename:
        response.headers["Content-Disposition"] = content_disposition(filename)
    else:
        response.headers["Content-Disposition"] = "inline" if inline else "attachment"
    return response


def rendition_response(
    version: ArtworkVersion, rendition: str, cache_control: str = "private, max-age=3600"
) -> Response:
    """Stream a version's WebP "preview" or "thumb": the one kind of object shown inline.

    None until the worker has made them (a shared object of an identical upload included).
    """
    if not version.renditions_ready:
        abort(404)
    response = stream_object(
        "uploads", version.rendition_key(rendition), content_type="image/webp", inline=True
    )
    response.headers["Cache-Control"] = cache_control
    return response


@bp.route("/versions/<int:version_id>/<any(preview, thumb):rendition>.webp")
@login_required
def rendition(version_id: int, rendition: str):
    """A version's WebP preview or thumbnail, for users who may see its submission."""
    version = db.get_or_404(ArtworkVersion, version_id)
    if not can_view_submission(current_user, version.submission):
        abort(404)
    return rendition_response(version, rendition)


def _visible_version(version_id: int) -> ArtworkVersion:
    version = db.get_or_404(ArtworkVersion, version_id)
    if not can_view_submission(current_user, version.submission):
        abort(404)
    return version


@bp.route("/versions/<int:version_id>/tiles.dzi")
@login_required
def tiles_descriptor(version_id: int):
    """The version's deep-zoom descriptor, when its pyramid has been cut."""
    version = _visible_version(version_id)
    if not version.tiles_key:
        abort(404)
    response = stream_object("uploads", version.tiles_key, content_type="application/xml")
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.route("/versions/<int:version_id>/tiles_files/<int:level>/<int:column>_<int:row>.webp")
@login_required
def tile(version_id: int, level: int, column: int, row: int):
    """One WebP tile of the version's pyramid (the level and place are numbers, never paths)."""
    version = _visible_version(version_id)
    if not version.tiles_key:
        abort(404)
    prefix = version.tiles_key.removesuffix(".dzi")
    response = stream_object(
        "uploads", f"{prefix}/{level}/{column}_{row}.webp", content_type="image/webp", inline=True
    )
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"
    return response


@bp.route("/storage/<token>")
def presigned(token: str):
    """Serve a LocalStore presigned link (the signature and expiry are the authorization)."""
    store = get_store()
    resolve = getattr(store, "resolve_presigned", None)
    if resolve is None:
        abort(404)
    try:
        area, key, filename = resolve(token)
    except LinkExpired as error:
        abort(403, description=str(error))
    except ObjectNotFound:
        abort(404)
    current_app.logger.debug("presigned download %s/%s", area, key)
    info = store.stat(area, key)
    return stream_object(area, key, content_type=info.content_type, filename=filename)


@bp.route("/versions/<int:version_id>/original")
@login_required
def original(version_id: int):
    """The uploaded original, always as an attachment."""
    version = db.get_or_404(ArtworkVersion, version_id)
    if not can_view_submission(current_user, version.submission):
        abort(404)
    return stream_object(
        "uploads",
        version.storage_key,
        content_type=version.content_type,
        filename=version.original_name,
    )


@bp.route("/versions/<int:version_id>/print")
@login_required
def print_file(version_id: int):
    """The print file, stored as-is: never rendered, always an attachment of a neutral type."""
    version = db.get_or_404(ArtworkVersion, version_id)
    if not can_view_submission(current_user, version.submission) or not version.print_key:
        abort(404)
    return stream_object(
        "uploads",
        version.print_key,
        content_type="application/octet-stream",
        filename=version.print_name,
    )
