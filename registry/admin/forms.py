"""Admin forms: accounts."""

from wtforms import DateField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

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


class AuditFilterForm(RegistryForm):
    """The audit log's filters, read from the query string (nothing is changed: no CSRF)."""

    class Meta:
        csrf = False

    user = SelectField("Người thực hiện", choices=[], default="")
    unit = SelectField("Đơn vị liên quan", choices=[], default="")
    kind = SelectField("Loại sự kiện", choices=[], default="")
    since = DateField("Từ ngày", validators=[Optional()])
    until = DateField("Đến ngày", validators=[Optional()])

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("“Đến ngày” phải sau hoặc bằng “Từ ngày”.")
