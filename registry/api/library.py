"""The approved library (token required) and the public verification (no token)."""

from __future__ import annotations

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from registry.api.auth import current_api_user
from registry.api.blueprint import ApiBlueprint, page_of
from registry.api.schemas import AssetOut, AssetQuery, DownloadQuery, VerifyOut
from registry.clock import local_today
from registry.error_codes import ErrorCode
from registry.extensions import db
from registry.library import downloads
from registry.library.presenters import approval_document_response
from registry.library.public import public_facts
from registry.library.qr import verify_url
from registry.library.queries import asset_by_code, asset_list, load_asset, normalise_code
from registry.ratelimit import limiter, verify_limit

blp = ApiBlueprint(
    "api_library",
    __name__,
    url_prefix="/api/v1",
    description=_l("Thư viện mẫu đã duyệt và tra cứu công khai mã phê duyệt"),
    public=("verify",),  # only the verification; everything else here needs a bearer token
)


@blp.route("/assets")
@blp.arguments(AssetQuery, location="query")
@blp.response(200, AssetOut(many=True))
def list_assets(query):
    """List the approved assets the caller may use, newest approval first."""
    stmt = asset_list(
        current_api_user(),
        day=local_today(),
        campaign_id=query.get("campaign_id"),
        format=query.get("format"),
        unit_code=query.get("unit_code"),
        status=query.get("status"),
    )
    return page_of(stmt, query)


@blp.route("/assets/<code>")
@blp.errors(ErrorCode.NOT_FOUND)
@blp.response(200, AssetOut)
def get_asset(code):
    """One approved asset."""
    return load_asset(current_api_user(), code)


@blp.route("/assets/<code>/download")
@blp.errors(
    ErrorCode.NOT_FOUND,
    ErrorCode.ASSET_EXPIRED,
    ErrorCode.ASSET_REVOKED,
    ErrorCode.STORAGE_UNAVAILABLE,
)
@blp.arguments(DownloadQuery, location="query")
@blp.doc(responses={302: {"description": "Location: a short-lived link to the file"}})
def download_asset(query, code):
    """Log the download and redirect (302) to a short-lived link to the file."""
    user = current_api_user()
    asset = load_asset(user, code)
    try:
        url = downloads.prepare_download(user, asset, query["file"], via="api")
    except downloads.NoSuchFile:
        raise NotFound(description=_("Mẫu %(code)s không có tệp in.", code=asset.code)) from None
    db.session.commit()
    return redirect(url, 302)


@blp.route("/assets/<code>/approval.pdf")
@blp.errors(ErrorCode.NOT_FOUND, ErrorCode.STORAGE_UNAVAILABLE)
@blp.doc(
    responses={
        200: {"description": "the approval document (PDF)", "content": {"application/pdf": {}}},
    },
)
def approval_document(code):
    """The approval document (PDF in the Decree 30/2020 layout) of an approved asset."""
    return approval_document_response(load_asset(current_api_user(), code))


@blp.route("/verify/<code>")
@blp.errors(ErrorCode.NOT_FOUND, ErrorCode.TOO_MANY_REQUESTS)
@limiter.shared_limit(verify_limit, scope="verify")
@blp.response(200, VerifyOut)
def verify(code):
    """Check an approval code (no token needed): status, unit, campaign, format, validity."""
    asset = asset_by_code(normalise_code(code))
    if asset is None:
        raise NotFound(
            description=_(
                "Mã “%(code)s” không có trong sổ đăng ký mẫu đã duyệt. "
                "Vui lòng kiểm tra lại mã in trên sản phẩm.",
                code=normalise_code(code),
            )
        )
    return {
        **public_facts(asset),
        "thumbnail_url": url_for("verify.thumbnail", code=asset.code, _external=True),
        "page_url": verify_url(asset.code),
    }
