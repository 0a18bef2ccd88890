"""Library pages: the approved artwork a user may use, its files, QR code and approval sheet."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from registry.campaigns.queries import campaign_choices
from registry.clock import local_today
from registry.documents.issue import document_state, signer_title
from registry.exceptions import UserFacingError
from registry.extensions import db
from registry.integers import int_arg
from registry.library import downloads
from registry.library.forms import RevokeForm, ZipForm
from registry.library.models import ASSET_STATUSES, ApprovedAsset, DownloadLog
from registry.library.operations import log_download
from registry.library.presenters import (
    approval_document_response,
    asset_status,
    list_helpers,
    template_helpers,
)
from registry.library.qr import qr_image, verify_url
from registry.library.queries import (
    asset_list,
    asset_units,
    assets_by_codes,
    counted_assets,
    listed_assets,
    load_asset,
    normalise_code,
)
from registry.library.zipstream import zip_stream
from registry.pagination import paginate
from registry.permissions import can_act, require, sees_all_units
from registry.storage import StorageError, content_disposition
from registry.storage.service import get_store
from registry.storage.serving import rendition_response
from registry.submissions.models import FORMATS
from registry.workflow import apply_transition

bp = Blueprint("library", __name__)
bp.context_processor(template_helpers)
bp.before_request(login_required(lambda: None))


MAX_ZIP_ASSETS = 100


@bp.route("/")
def index():
    """The approved assets the user may use, with filters."""
    args = request.args
    today = local_today()
    filters = {
        "day": today,
        "campaign_id": int_arg("campaign_id"),
        "format": args.get("format") or None,
        "unit_code": args.get("unit") or None,
        "status": args.get("status") or None,
        "q": args.get("q", "").strip() or None,
    }
    stmt = asset_list(current_user, **filters)
    return render_template(
        "library/index.html",
        page=paginate(listed_assets(stmt), counted=counted_assets(current_user, **filters)),
        campaigns=campaign_choices(),
        units=asset_units(current_user),
        statuses=ASSET_STATUSES,
        format_choices=FORMATS,
        zip_form=ZipForm(),
        max_zip=MAX_ZIP_ASSETS,
        **list_helpers(today),
    )


@bp.route("/<code>")
def detail(code: str):
    asset = load_asset(current_user, code)
    downloads_count = None
    if sees_all_units(current_user):
        downloads_count = db.session.scalar(
            sa.select(sa.func.count(DownloadLog.id)).where(DownloadLog.asset_id == asset.id)
        )
    return render_template(
        "library/detail.html",
        asset=asset,
        submission=asset.submission,
        status=asset_status(asset),
        can_revoke=can_act(current_user, asset.submission, "revoke") and not asset.revoked_at,
        revoke_form=RevokeForm(),
        downloads_count=downloads_count,
        verify_address=verify_url(asset.code),
        document_state=_signed_document_state(asset),
    )


def _signed_document_state(asset) -> str | None:
    """Whether a signed document's signature holds; None if unsigned or the store is away."""
    if not asset.document_signed:
        return None
    try:
        return document_state(asset)
    except StorageError:
        return None


@bp.route("/<code>/<any(preview, thumb):rendition>.webp")
def rendition(code: str, rendition: str):
    """The asset's WebP preview or thumbnail, for users who may use the asset."""
    return rendition_response(load_asset(current_user, code).version, rendition)


@bp.route("/<code>/download")
def download(code: str):
    """Log the download, then send the browser to a short-lived link to the file."""
    asset = load_asset(current_user, code)
    kind = "print" if request.args.get("file") == "print" else "artwork"
    try:
        url = downloads.prepare_download(current_user, asset, kind, via="page")
    except downloads.AssetUnavailable as error:
        db.session.rollback()
        return _unavailable([error.message], asset), error.status
    except downloads.NoSuchFile:
        abort(404)
    db.session.commit()
    return redirect(url, 302)


@bp.route("/<code>/approval.pdf")
def document(code: str):
    """The approval document (PDF), for users who may see the asset."""
    return approval_document_response(load_asset(current_user, code))


def _unavailable(messages: list[str], asset: ApprovedAsset | None = None) -> str:
    return render_template("library/unavailable.html", messages=messages, asset=asset)


@bp.route("/zip", methods=["POST"])
def download_zip():
    """Stream one ZIP of the selected assets, built while it is sent."""
    form = ZipForm()
    if not form.validate_on_submit():
        abort(400)
    codes = list(dict.fromkeys(normalise_code(c) for c in form.codes.data or [] if c.strip()))
    if not codes or len(codes) > MAX_ZIP_ASSETS:
        flash(_("Vui lòng chọn từ 1 đến %(max)d mẫu để tải về.", max=MAX_ZIP_ASSETS), "error")
        return redirect(url_for("library.index"), 303)
    # Every check happens before the first byte: once streaming starts, no error page is possible.
    assets = assets_by_codes(current_user, codes)
    refused = []
    for asset in assets:
        try:
            downloads.ensure_downloadable(asset)
        except downloads.AssetUnavailable as error:
            refused.append(error.message)
    if refused:
        return _unavailable(refused), downloads.AssetUnavailable.status
    files = [downloads.stored_file(a) for a in assets]
    if form.include_print.data:
        files += [downloads.stored_file(a, "print") for a in assets if a.print_key]
    for file in files:
        downloads.check_stored(file)
    for asset in assets:
        log_download(current_user, asset, "zip", remote_addr=request.remote_addr or "")
    db.session.commit()
    store = get_store()
    body = zip_stream(files, lambda f: store.open(f.area, f.key))
    response = Response(body, mimetype="application/zip", direct_passthrough=True)
    name = f"mau-da-duyet-{local_today():%Y%m%d}.zip"
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # let a proxy pass the stream on at once
    return response


@bp.route("/<code>/qr.<any(png, svg):kind>")
def qr(code: str, kind: str):
    """The QR code of the asset's public verification page."""
    asset = load_asset(current_user, code)
    mimetype = "image/png" if kind == "png" else "image/svg+xml"
    response = Response(qr_image(verify_url(asset.code), kind), mimetype=mimetype)
    response.headers["Cache-Control"] = "private, max-age=86400"
    if request.args.get("download"):
        response.headers["Content-Disposition"] = content_disposition(f"{asset.code}-qr.{kind}")
    return response


@bp.route("/<code>/sheet")
def sheet(code: str):
    """The printable approval sheet, the approval document's public companion: the artwork,
    code, QR code, unit, places and period, and who signed."""
    asset = load_asset(current_user, code)
    return render_template(
        "library/sheet.html",
        asset=asset,
        submission=asset.submission,
        status=asset_status(asset),
        verify_address=verify_url(asset.code),
        printed_on=local_today(),
        signer_title=signer_title(asset.approved_by),
    )


@bp.route("/<code>/revoke", methods=["POST"])
def revoke(code: str):
    """Revoke the approval: the workflow marks the assets revoked and writes the audit."""
    asset = load_asset(current_user, code)
    require(can_act(current_user, asset.submission, "revoke"))
    form = RevokeForm()
    target = url_for("library.detail", code=asset.code)
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(target, 303)
    try:
        apply_transition(current_user, asset.submission, "revoke", comment=form.reason.data.strip())
    except UserFacingError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(target, 303)
    db.session.commit()
    current_app.logger.info("approval %s revoked by user %s", asset.code, current_user.id)
    flash(
        _("Đã thu hồi phê duyệt mẫu %(code)s. Mẫu không còn được tải xuống.", code=asset.code),
        "success",
    )
    return redirect(target, 303)
