"""JSON bodies nested deeper than any request of the registry needs are refused unparsed.

Python's json decoder recurses once per level, so about a thousand levels raise RecursionError
(a 500) in Flask's get_json and in webargs alike, before any token is checked. Every JSON
request is measured first, with a few passes of C-speed byte operations (no per-character
Python loop, no regex that could backtrack), and refused with 400 `invalid_json`.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext as _

from registry.error_codes import ErrorCode
from registry.exceptions import UserFacingError

#: The deepest nesting of arrays and objects accepted; the API's bodies need three.
MAX_JSON_DEPTH = 32

_TO_SQUARE = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class InvalidJSON(UserFacingError):
    status = 400
    code = ErrorCode.INVALID_JSON


def nesting_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a JSON text nests arrays and objects deeper than limit (or leaves one unclosed)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    # Drop escaped backslashes, then escaped quotes: every quote left opens or closes a string,
    # so the even pieces between quotes are the text outside strings.
    plain = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = b"".join(plain.split(b'"')[::2]).translate(_TO_SQUARE, _NOT_BRACKETS)
    # Each pass removes the innermost level; whatever survives limit passes is deeper.
    for _pass in range(limit):
        shorter = brackets.replace(b"[]", b"")
        if not shorter:
            return False
        if shorter == brackets:
            return True  # unbalanced: no parser would accept it either
        brackets = shorter
    return True


def init_app(app: Flask) -> None:
    """Measure every JSON body before a view, a schema or a token check parses it."""

    @app.before_request
    def _refuse_deep_json():
        if request.is_json and nesting_exceeds(request.get_data(cache=True)):
            raise InvalidJSON(
                _(
                    "Dữ liệu JSON lồng nhau quá sâu hoặc thiếu dấu đóng (tối đa %(depth)d "
                    "cấp mảng/đối tượng). Vui lòng kiểm tra lại dữ liệu gửi lên.",
                    depth=MAX_JSON_DEPTH,
                )
            )
