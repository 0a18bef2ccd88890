"""Resumable uploads from the submission page (tus 1.0.0), and the request that makes the
finished files a new version. Scripts keep the API's one-shot multipart upload."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

from registry.errors import wants_json
from registry.exceptions import UserFacingError
from registry.extensions import db
from registry.forms import first_error
from registry.permissions import can_edit_submission, require
from registry.security import CSP
from registry.submissions.queries import load_submission
from registry.uploads import operations, tus
from registry.uploads.forms import CompleteUploadForm
from registry.uploads.models import ResumableUpload

bp = Blueprint("uploads", __name__)
bp.before_request(login_required(lambda: None))

CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict", 410: "gone"}
CODES |= {412: "bad_request", 413: "too_large", 415: "bad_request", 422: "unsupported_type"}
CODES |= {423: "conflict"}


@bp.errorhandler(tus.TusError)
def _tus_error(error: tus.TusError):
    db.session.rollback()
    body = {
        "error": {"code": CODES.get(error.http_status, "bad_request"), "message": error.message}
    }
    response = make_response(jsonify(body), error.http_status)
    response.headers.update({**tus.base_headers(), **error.headers})
    return response


@bp.after_app_request
def _allow_webassembly_on_the_upload_page(response):
    """The submission page hashes files with hash-wasm: WebAssembly needs 'wasm-unsafe-eval'
    (compiling wasm only; eval of scripts stays forbidden). Other pages keep the plain policy."""
    if request.endpoint == "submissions.detail":
        response.headers["Content-Security-Policy"] = CSP.replace(
            "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'"
        )
    return response


def _answer(status: int, headers: dict[str, str] | None = None):
    return make_response("", status, {**tus.base_headers(), **(headers or {})})


@bp.route("/submissions/<int:submission_id>/uploads", methods=["POST", "OPTIONS"])
def create(submission_id: int):
    """tus creation: a new upload for this submission (its length and metadata in headers)."""
    if request.method == "OPTIONS":
        return _answer(204, tus.options_headers(operations.max_size()))
    submission = load_submission(current_user, submission_id)
    require(can_edit_submission(current_user, submission))
    tus.check_version(request.headers)
    length = tus.non_negative_header(request.headers, "Upload-Length")
    metadata = tus.parse_metadata(request.headers.get("Upload-Metadata"))
    try:
        upload = operations.create_upload(current_user, submission, length, metadata)
    except UserFacingError as error:
        raise tus.TusError(error.status, error.message) from None
    location = url_for("uploads.append", upload_token=upload.token)
    headers = {"Location": location, **tus.expires_header(upload.expires_at)}
    db.session.commit()
    return _answer(201, headers)


def _own_upload(token: str) -> ResumableUpload:
    upload = operations.find_upload(current_user, token)
    if not can_edit_submission(current_user, upload.submission):
        raise tus.TusError(403, _("Hồ sơ này hiện không nhận phiên bản mới."))
    tus.check_version(request.headers)
    return upload


@bp.route("/uploads/<upload_token>", methods=["HEAD"])
def offset(upload_token: str):
    """tus core: how many bytes of the upload the server holds."""
    upload = _own_upload(upload_token)
    headers = {
        "Upload-Offset": str(operations.current_offset(upload)),
        "Upload-Length": str(upload.length_bytes),
        **tus.expires_header(upload.expires_at),
    }
    return _answer(200, headers)


@bp.route("/uploads/<upload_token>", methods=["PATCH"])
def append(upload_token: str):
    """tus core: append the body at Upload-Offset (409 when that is not the server's offset)."""
    upload = _own_upload(upload_token)
    if request.mimetype != tus.OFFSET_CONTENT_TYPE:
        raise tus.TusError(415, _("Nội dung phải có kiểu %(type)s.", type=tus.OFFSET_CONTENT_TYPE))
    claimed = tus.non_negative_header(request.headers, "Upload-Offset")
    upload_id, length, path = upload.id, upload.length_bytes, operations.staged_path(upload)
    check_head = operations.head_checker(upload)
    db.session.commit()  # no transaction stays open while the body arrives (minutes, maybe)
    with tus.locked(path) as fp:
        held = fp.tell()
        if claimed != held:
            raise tus.TusError(
                409, _("Vị trí tiếp tục không khớp với máy chủ."), {"Upload-Offset": str(held)}
            )
        if (request.content_length or 0) > length - held:
            raise tus.TusError(413, _("Dữ liệu gửi lên vượt quá độ dài đã khai báo của tệp."))
        request.max_content_length = length - held
        _limit_stalls()
        try:
            new_offset = tus.append(
                fp,
                request.stream,
                key=upload_token,
                head_size=min(operations.HEAD_SIZE, length),
                check_head=check_head,
            )
        except tus.TusError:
            _refuse(upload_id)
            raise
        upload = db.session.get(ResumableUpload, upload_id)
        if upload is None:  # terminated meanwhile
            raise tus.TusError(404, _("Không tìm thấy phiên tải lên này."))
        operations.record_progress(upload, new_offset)
        headers = {"Upload-Offset": str(new_offset), **tus.expires_header(upload.expires_at)}
        db.session.commit()
    return _answer(204, headers)


def _limit_stalls() -> None:
    """A chunk that stops arriving counts as a lost connection after the configured wait."""
    sock = request.environ.get("gunicorn.socket")
    if sock is not None:
        sock.settimeout(float(current_app.config["REGISTRY_UPLOAD_READ_TIMEOUT_SECONDS"]))


def _refuse(upload_id: int) -> None:
    """Drop an upload whose first bytes were refused, then read (a bounded part of) the rest
    of the body, so that the browser gets the answer instead of a broken connection."""
    upload = db.session.get(ResumableUpload, upload_id)
    if upload is not None:
        operations.remove_upload(upload)
        db.session.commit()
    budget = (int(current_app.config["REGISTRY_UPLOAD_CHUNK_MB"]) + 1) << 20
    try:
        while budget > 0 and (data := request.stream.read(min(budget, tus.BLOCK))):
            budget -= len(data)
    except (ClientDisconnected, OSError, RequestEntityTooLarge):
        return  # the client is gone or sent too much: the answer is what matters


@bp.route("/uploads/<upload_token>", methods=["DELETE"])
def terminate(upload_token: str):
    """tus termination: the user cancelled; the staged bytes are deleted."""
    operations.remove_upload(_own_upload(upload_token))
    db.session.commit()
    return _answer(204)


@bp.route("/submissions/<int:submission_id>/uploads/complete", methods=["POST"])
def complete(submission_id: int):
    """Make the finished uploads (artwork, optional print file) the submission's next version."""
    submission = load_submission(current_user, submission_id)
    require(can_edit_submission(current_user, submission))
    form = CompleteUploadForm()
    if not form.validate_on_submit():
        return _version_answer(submission, 400, str(first_error(form)), "error")
    raw = str(form.lock_version.data or "")
    lock_version = (int(raw) if raw.isascii() and raw.isdigit() else -1) if raw else None
    uploads = []
    try:
        artwork = operations.finished(
            current_user, submission, form.artwork.data, "artwork", form.artwork_sha256.data
        )
        uploads.append(artwork)
        print_file = None
        if form.print_file.data:
            print_file = operations.finished(
                current_user, submission, form.print_file.data, "print_file", form.print_sha256.data
            )
            uploads.append(print_file)
        version = operations.add_version_from_uploads(
            current_user, submission, artwork, print_file, lock_version
        )
    except UserFacingError as error:
        db.session.rollback()
        if error.status != 409:  # unfinished, or a race: the upload may still be used
            _discard(form)
        return _version_answer(submission, error.status, error.message, "error")
    staged = [operations.staged_path(upload) for upload in uploads]
    for upload in uploads:
        db.session.delete(upload)
    db.session.commit()
    for path in staged:  # the version holds the bytes now; the staged copies go after the commit
        path.unlink(missing_ok=True)
    return _version_answer(
        submission, 201, _("Đã tải lên phiên bản %(version)s.", version=version.label), "success"
    )


def _discard(form: CompleteUploadForm) -> None:
    """A refused upload is not kept: the browser forgot it, and picking the file again starts
    afresh (a file that changed while it was sent would fail the same way again)."""
    for token in (form.artwork.data, form.print_file.data):
        if token:
            upload = db.session.scalar(
                db.select(ResumableUpload).where(
                    ResumableUpload.token == token, ResumableUpload.user_id == current_user.id
                )
            )
            if upload is not None:
                operations.remove_upload(upload)
    db.session.commit()


def _version_answer(submission, status: int, message: str, category: str):
    """JSON for the page's upload script, else a message and a redirect (as a plain upload)."""
    target = url_for("submissions.detail", submission_id=submission.id)
    if wants_json():
        return {"message": message, "redirect": target, "ok": status < 400}, status
    flash(message, category)
    return redirect(target, 303)
