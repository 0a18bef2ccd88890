"""Sign-in and the user's own password forms, and the one password rule of every form."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from registry.auth.models import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from registry.forms import RegistryForm
from registry.i18n import LANGUAGES


class SignInForm(RegistryForm):
    username = StringField(
        _l("Tên đăng nhập"),
        validators=[DataRequired(_l("Vui lòng nhập tên đăng nhập.")), Length(max=64)],
    )
    password = PasswordField(
        _l("Mật khẩu"), validators=[DataRequired(_l("Vui lòng nhập mật khẩu.")), Length(max=256)]
    )


PASSWORD_RULES = [
    DataRequired(_l("Vui lòng nhập mật khẩu.")),
    Length(
        min=MIN_PASSWORD_LENGTH,
        max=MAX_PASSWORD_LENGTH,
        message=_l(
            "Mật khẩu cần từ %(min)d đến %(max)d ký tự.",
            min=MIN_PASSWORD_LENGTH,
            max=MAX_PASSWORD_LENGTH,
        ),
    ),
]


class PasswordChangeForm(RegistryForm):
    current_password = PasswordField(
        _l("Mật khẩu hiện tại"),
        validators=[DataRequired(_l("Vui lòng nhập mật khẩu hiện tại.")), Length(max=256)],
    )
    password = PasswordField(_l("Mật khẩu mới"), validators=PASSWORD_RULES)
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[EqualTo("password", _l("Hai mật khẩu không khớp."))],
    )


class LanguageForm(RegistryForm):
    """The interface language, chosen from any page's footer."""

    language = SelectField(_l("Ngôn ngữ"), choices=dict(LANGUAGES))
    next = HiddenField()
