"""POST /api/v1/auth/token: exchange a username and password for a bearer token."""

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest import abort

from registry.api.blueprint import ApiBlueprint
from registry.api.schemas import TokenRequest, TokenResponse
from registry.auth.operations import SignInError, SignInThrottled, authenticate, issue_api_token
from registry.error_codes import ErrorCode
from registry.exceptions import NotAllowed, Throttled
from registry.extensions import db

blp = ApiBlueprint(
    "api_auth", __name__, url_prefix="/api/v1/auth", description=_l("Xác thực"), public=("token",)
)


@blp.route("/token", methods=["POST"])
@blp.errors(ErrorCode.UNAUTHORIZED, ErrorCode.PASSWORD_CHANGE_REQUIRED, ErrorCode.TOO_MANY_REQUESTS)
@blp.arguments(TokenRequest)
@blp.response(200, TokenResponse)
def token(payload):
    """Issue a bearer token."""
    try:
        user = authenticate(payload["username"], payload["password"], request.remote_addr or "")
    except SignInThrottled as error:
        raise Throttled(str(error), retry_after=error.retry_after) from None
    except SignInError as error:
        db.session.commit()
        abort(401, message=str(error))
    db.session.commit()
    if user.must_change_password:
        raise NotAllowed(
            _(
                "Tài khoản đang dùng mật khẩu tạm: hãy đăng nhập trên trang web và đổi mật khẩu "
                "trước khi dùng API."
            ),
            code=ErrorCode.PASSWORD_CHANGE_REQUIRED,
        )
    hours = current_app.config["REGISTRY_API_TOKEN_HOURS"]
    return {"token": issue_api_token(user), "expires_in": hours * 3600}
