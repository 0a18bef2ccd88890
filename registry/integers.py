"""Whole numbers from outside, bounded to what the database holds, refused at the edge.

Ids, foreign keys and lock versions are INTEGER columns: PostgreSQL refuses a value above
2^31 − 1 ("integer out of range"), SQLite anything above 2^63 − 1 (OverflowError), and page
offsets are BIGINT on both; a fraction (2.5) must not be truncated to 2. So every integer a
request brings passes through one of these: the `int` URL converter (an id out of range is a
404), the `DbInteger` marshmallow field (API bodies and queries: 422), `DbIntegerField` (forms)
and `int_arg` (query arguments of pages: 422 with a message in the reader's language).
"""

from __future__ import annotations

import re

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from marshmallow import ValidationError, fields, validate
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter
from wtforms import IntegerField

from registry.exceptions import InvalidInput
from registry.i18n import number

#: INTEGER columns (every id, foreign key and lock version), on PostgreSQL 32-bit.
INT_MAX = 2**31 - 1
INT_MIN = -(2**31)
#: BIGINT: the widest integer either database takes (LIMIT and OFFSET among them).
BIGINT_MAX = 2**63 - 1
_INVALID = _l("Phải là một số nguyên (không có phần thập phân).")
_RANGE = _l("Phải là số nguyên từ {min} đến {max}.")
# What a query argument may look like before int() sees it: ASCII, one sign, at most 20 digits.
_WHOLE = re.compile(r"-?[0-9]{1,20}")


def digits_up_to(limit: int) -> str:
    """A regular expression matching the decimal numbers from 0 to limit, and no other."""
    top = str(limit)
    shorter = [rf"[0-9]{{1,{len(top) - 1}}}"] if len(top) > 1 else []
    # A longer number has no leading zero; a one-digit limit keeps 0.
    lowest = [1 if i == 0 and len(top) > 1 else 0 for i in range(len(top))]
    same_length = [
        f"{top[:i]}[{lowest[i]}-{int(digit) - 1}][0-9]{{{len(top) - i - 1}}}"
        for i, digit in enumerate(top)
        if int(digit) > lowest[i]
    ]
    return "(?:" + "|".join([*shorter, *same_length, top]) + ")"


class IdConverter(IntegerConverter):
    """The app's `int` URL converter: ASCII digits up to INT_MAX, so a larger id is a 404.

    The bound is in the regex, not only in to_python: Werkzeug answers a conversion failure
    with 405 when another method's rule matched the same path, and an unknown id is a 404.
    """

    regex = digits_up_to(INT_MAX)

    def __init__(self, map, fixed_digits: int = 0, min=None, max=INT_MAX, signed=False):  # noqa: A002
        if signed:
            raise ValueError("ids are never negative; the registry has no signed int routes")
        super().__init__(map, fixed_digits, min, max, signed=False)


class DbInteger(fields.Integer):
    """An API integer the database can hold: 2.5 is refused (never truncated), and so is any
    value outside [minimum, maximum] (an INTEGER column's by default), with a 422 naming it."""

    default_error_messages = {"invalid": _INVALID, "too_large": _INVALID}

    def __init__(self, *, minimum: int = INT_MIN, maximum: int = INT_MAX, **kwargs):
        extra = kwargs.pop("validate", None) or []
        extra = [extra] if callable(extra) else list(extra)
        bounds = validate.Range(min=minimum, max=maximum, error=_RANGE)
        super().__init__(validate=[bounds, *extra], **kwargs)

    def _validated(self, value) -> int:
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return super()._validated(value)

    def make_error(self, key: str, **kwargs):
        # marshmallow formats only a plain str: a lazy message is rendered for the reader first.
        message = self.error_messages.get(key)
        if isinstance(message, LazyString):
            return ValidationError(str(message).format(**kwargs))
        return super().make_error(key, **kwargs)


class DbIntegerField(IntegerField):
    """A form's integer, refused with a clear message beyond an INTEGER column's range."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not INT_MIN <= self.data <= INT_MAX:
            self.data = None
            raise ValueError(_RANGE.format(min=number(INT_MIN, 0), max=number(INT_MAX, 0)))


def int_arg(
    name: str,
    default: int | None = None,
    *,
    minimum: int = 0,
    maximum: int = INT_MAX,
    source: MultiDict | None = None,
) -> int | None:
    """An integer argument of the query string (or of `source`): absent or empty gives default;
    anything but a whole number within bounds is refused (422) with a message naming it."""
    raw = (request.args if source is None else source).get(name, "").strip()
    if not raw:
        return default
    value = int(raw) if _WHOLE.fullmatch(raw) else None
    if value is None or not minimum <= value <= maximum:
        raise InvalidInput(
            _(
                "Tham số “%(name)s” có giá trị “%(value)s” không hợp lệ: phải là số nguyên từ "
                "%(min)s đến %(max)s.",
                name=name,
                value=raw[:40],
                min=number(minimum, 0),
                max=number(maximum, 0),
            ),
            field=name,
        )
    return value


def page_max(size: int) -> int:
    """The last page number whose offset (and counting limit) still fits BIGINT."""
    return (BIGINT_MAX - 1) // size
