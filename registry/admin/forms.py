"""Admin forms: accounts."""

from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from registry.auth.forms import PASSWORD_RULES
from registry.auth.models import ROLES
from registry.forms import RegistryForm


class UserCreateForm(RegistryForm):
    username = StringField(
        "Tên đăng nhập",
        validators=[
            DataRequired("Vui lòng nhập tên đăng nhập."),
            Length(max=64, message="Tên đăng nhập tối đa 64 ký tự."),
            Regexp(
                r"^[A-Za-z0-9._-]+$",
                message="Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang.",
            ),
        ],
    )
    full_name = StringField("Họ và tên", validators=[Length(max=200)])
    role = SelectField("Vai trò", choices=dict(ROLES))
    unit = SelectField("Đơn vị", choices=[], validate_choice=True)
    password = PasswordField("Mật khẩu", validators=PASSWORD_RULES)
    confirm = PasswordField(
        "Nhập lại mật khẩu", validators=[EqualTo("password", "Hai mật khẩu không khớp.")]
    )
