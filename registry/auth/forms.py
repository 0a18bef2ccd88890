"""Sign-in and the user's own password forms, and the one password rule of every form."""

from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from registry.auth.models import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from registry.forms import RegistryForm
from registry.i18n import LANGUAGES


class SignInForm(RegistryForm):
    username = StringField(
        "Tên đăng nhập", validators=[DataRequired("Vui lòng nhập tên đăng nhập."), Length(max=64)]
    )
    password = PasswordField(
        "Mật khẩu", validators=[DataRequired("Vui lòng nhập mật khẩu."), Length(max=256)]
    )


PASSWORD_RULES = [
    DataRequired("Vui lòng nhập mật khẩu."),
    Length(
        min=MIN_PASSWORD_LENGTH,
        max=MAX_PASSWORD_LENGTH,
        message=f"Mật khẩu cần từ {MIN_PASSWORD_LENGTH} đến {MAX_PASSWORD_LENGTH} ký tự.",
    ),
]


class PasswordChangeForm(RegistryForm):
    current_password = PasswordField(
        "Mật khẩu hiện tại",
        validators=[DataRequired("Vui lòng nhập mật khẩu hiện tại."), Length(max=256)],
    )
    password = PasswordField("Mật khẩu mới", validators=PASSWORD_RULES)
    confirm = PasswordField(
        "Nhập lại mật khẩu mới", validators=[EqualTo("password", "Hai mật khẩu không khớp.")]
    )


class LanguageForm(RegistryForm):
    """The interface language, chosen from any page's footer."""

    language = SelectField("Ngôn ngữ", choices=dict(LANGUAGES))
    next = HiddenField()
