"""Sign-in form."""

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from registry.forms import RegistryForm


class SignInForm(RegistryForm):
    username = StringField(
        "Tên đăng nhập", validators=[DataRequired("Vui lòng nhập tên đăng nhập."), Length(max=64)]
    )
    password = PasswordField(
        "Mật khẩu", validators=[DataRequired("Vui lòng nhập mật khẩu."), Length(max=256)]
    )
