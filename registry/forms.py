"""The base form: Flask-WTF (CSRF on every form) with WTForms' built-in messages in the reader's
language, the text rule (registry.text) on every free-text field, and decimal fields that accept
a comma.

WTForms ships no Vietnamese catalogue, so its few generic messages are written here in Vietnamese
(the source language) and translated by the registry's catalogue like every other string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal
from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import DecimalField, Field, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

from registry import text
from registry.exceptions import UserFacingError
from registry.extensions import db
from registry.i18n import AmbiguousDecimal, current_language, parse_decimal

MESSAGES = {
    "This field is required.": _l("Vui lòng nhập mục này."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
    "Not a valid choice.": _l("Lựa chọn không hợp lệ."),
    "Invalid Choice: could not coerce.": _l("Lựa chọn không hợp lệ."),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l(
        "Lựa chọn không hợp lệ."
    ),
    "'%(value)s' is not a valid choice for this field.": _l(
        "“%(value)s” không phải lựa chọn hợp lệ."
    ),
    "'%(value)s' are not valid choices for this field.": _l(
        "“%(value)s” không phải lựa chọn hợp lệ."
    ),
    "Not a valid integer value.": _l("Vui lòng nhập một số nguyên."),
    "Not a valid decimal value.": _l("Vui lòng nhập một số."),
    "Not a valid float value.": _l("Vui lòng nhập một số."),
    "Not a valid date value.": _l("Ngày không hợp lệ (định dạng năm-tháng-ngày)."),
    "Not a valid datetime value.": _l("Thời điểm không hợp lệ."),
    "Number must be at least %(min)s.": _l("Số phải từ %(min)s trở lên."),
    "Number must be at most %(max)s.": _l("Số phải không quá %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Số phải từ %(min)s đến %(max)s."),
    "Field must be equal to %(other_name)s.": _l("Giá trị phải trùng với %(other_name)s."),
    "Field must be between %(min)d and %(max)d characters long.": _l(
        "Độ dài phải từ %(min)d đến %(max)d ký tự."
    ),
    "Field must be at least %(min)d character long.": _l("Cần ít nhất %(min)d ký tự."),
    "Field must be at least %(min)d characters long.": _l("Cần ít nhất %(min)d ký tự."),
    "Field cannot be longer than %(max)d character.": _l("Tối đa %(max)d ký tự."),
    "Field cannot be longer than %(max)d characters.": _l("Tối đa %(max)d ký tự."),
    "Field must be exactly %(max)d character long.": _l("Cần đúng %(max)d ký tự."),
    "Field must be exactly %(max)d characters long.": _l("Cần đúng %(max)d ký tự."),
    "The CSRF token is missing.": _l("Thiếu mã bảo vệ biểu mẫu (CSRF). Vui lòng tải lại trang."),
    "The CSRF token is invalid.": _l(
        "Mã bảo vệ biểu mẫu (CSRF) không hợp lệ. Vui lòng tải lại trang."
    ),
    "The CSRF token has expired.": _l("Biểu mẫu đã hết hạn. Vui lòng tải lại trang rồi gửi lại."),
    "The CSRF tokens do not match.": _l("Mã bảo vệ biểu mẫu không khớp. Vui lòng tải lại trang."),
}


class BuiltInMessages:
    """A gettext-style catalogue for WTForms' built-in messages, in the reader's language."""

    def gettext(self, message: str) -> str:
        return str(MESSAGES.get(message, message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


_CATALOGUE = BuiltInMessages()


def plain_number(value) -> str:
    """A number in the reader's way without grouping, as one would type it: "1200,5" / "1200.5"."""
    return format_decimal(value, format="0.##########", locale=current_language())


def ambiguous_number_message(error: AmbiguousDecimal) -> str:
    """What to write instead of a measure that may hold a thousands separator ("1.200")."""
    if error.thousands is None:  # "1.200.000", "1.200,5": write it without the groups
        return _("Viết số không có dấu phân cách hàng nghìn, ví dụ 1200 hoặc 1200,5.")
    return _(
        "Không rõ “%(typed)s” là %(thousands)s hay %(decimal)s: hãy viết %(thousands)s"
        " (không dùng dấu phân cách hàng nghìn) hoặc %(decimal)s.",
        typed=str(error).strip(),
        thousands=plain_number(error.thousands),
        decimal=plain_number(error.decimal),
    )


class LocalDecimalField(DecimalField):
    """A decimal number typed either way: "600,5" (Vietnamese) or "600.5". A text box (with a
    decimal keyboard on phones), since a browser's number box refuses the comma.

    A `measure` (a size, a distance; not a coordinate, where "10.386" is normal) refuses what
    may hold a thousands separator ("1,200", "1.200"), saying how to write it."""

    widget = TextInput()

    def __init__(self, *args, measure: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_decimal(valuelist[0], measure=self.measure)
        except AmbiguousDecimal as error:
            self.data = None
            raise ValueError(ambiguous_number_message(error)) from None
        except ValueError:
            self.data = None
            message = "Not a valid decimal value."  # WTForms' own, translated by BuiltInMessages
            raise ValueError(self.gettext(message)) from None

    def pre_validate(self, form):
        if self.process_errors:
            # Unreadable: its message says it all; the range rules would only add noise.
            raise StopValidation()

    def _value(self):
        if self.raw_data is not None or self.data is None:
            return super()._value()
        return plain_number(self.data)  # shown again in the reader's way: "600,5" / "600.5"


def is_free_text(field: Field) -> bool:
    """Whether a field holds text a person types (passwords and hidden values are kept as sent)."""
    return isinstance(field, StringField) and not isinstance(field, PasswordField | HiddenField)


class CleanText:
    """The filter and validator pair of registry.text for one field: normalise, then refuse
    control, bidirectional and surrogate characters, naming the field."""

    def __init__(self, multiline: bool):
        self.multiline = multiline

    def normalise(self, data):
        return text.normalize_input(data, multiline=self.multiline) if data is not None else None

    def __call__(self, form, field) -> None:
        problem = text.refusal(field.data, multiline=self.multiline)
        if problem:
            raise ValidationError(
                _("“%(label)s” %(problem)s", label=field.label.text, problem=problem)
            )


def _rendered_choices(choices: dict) -> dict:
    """A SelectField's dict of choices (groups too) with every lazy label made a string."""
    return {
        key: _rendered_choices(label)
        if isinstance(label, dict)
        else (str(label) if isinstance(label, LazyString) else label)
        for key, label in choices.items()
    }


class RegistryForm(FlaskForm):
    """Every form of the app derives from this one."""

    class Meta:
        def get_translations(self, form):
            return _CATALOGUE

        def bind_field(self, form, unbound_field, options):
            # The one way to give a choice field lazy labels: pass the module's table (a dict
            # of value -> label) as `choices`; it is rendered here for this form, in the
            # reader's language (WTForms takes a dict of plain strings only).
            choices = unbound_field.kwargs.get("choices")
            if isinstance(choices, dict) and not callable(choices):
                options = {**options, "choices": _rendered_choices(choices)}
            # Here every free-text field of every form gets the text rule, new ones included.
            field = super().bind_field(form, unbound_field, options)
            if is_free_text(field):
                rule = CleanText(multiline=isinstance(field, TextAreaField))
                field.filters = (*field.filters, rule.normalise)
                field.validators = [rule, *field.validators]
            return field


def first_error(form) -> str:
    """The first message of a form that did not validate, to flash on the page shown next."""
    return next(e for errors in form.errors.values() for e in errors)


class ConfirmForm(RegistryForm):
    """Carries only the CSRF token, for buttons that change state."""


def show_refusal(error, form=None) -> int:
    """Undo a refused operation and show its message on the form field (or flashed).

    Returns the error's HTTP status, for the page that is shown again.
    """
    db.session.rollback()
    if form is not None and error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        flash(error.message, "error")
    return error.status


@dataclass(frozen=True)
class FormOutcome:
    """What became of a form: done (its operation committed), or the status to show it with."""

    done: bool
    status: int
    value: Any = None


def run_form(form: FlaskForm, operation: Callable[[], Any]) -> FormOutcome:
    """Validate a posted form, run its operation and commit once: the skeleton of a form view.

    Not posted: status 200. Invalid: 400. Refused by the operation: its status, with the
    message on the form's field (or flashed) and nothing written.
    """
    if not form.validate_on_submit():
        return FormOutcome(done=False, status=400 if form.is_submitted() else 200)
    try:
        value = operation()
    except UserFacingError as error:
        return FormOutcome(done=False, status=show_refusal(error, form))
    db.session.commit()
    return FormOutcome(done=True, status=200, value=value)
