"""Admin forms: accounts."""

from flask_babel import LazyString, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from registry.auth.forms import PASSWORD_RULES
from registry.auth.models import ROLES
from registry.forms import RegistryForm


class UserCreateForm(RegistryForm):
    username = StringField(
        _l("Tên đăng nhập"),
        validators=[
            DataRequired(_l("Vui lòng nhập tên đăng nhập.")),
            Length(max=64, message=_l("Tên đăng nhập tối đa 64 ký tự.")),
            Regexp(
                r"^[A-Za-z0-9._-]+$",
                message=_l("Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang."),
            ),
        ],
    )
    full_name = StringField(_l("Họ và tên"), validators=[Length(max=200)])
    role = SelectField(_l("Vai trò"), choices=ROLES)
    # One unit, where the menu says "Units" (the same Vietnamese word): a lazy pgettext, written
    # so that pybabel's pgettext keyword extracts it.
    unit = SelectField(
        LazyString(lambda: pgettext("singular", "Đơn vị")), choices=[], validate_choice=True
    )
    password = PasswordField(_l("Mật khẩu"), validators=PASSWORD_RULES)
    confirm = PasswordField(
        _l("Nhập lại mật khẩu"), validators=[EqualTo("password", _l("Hai mật khẩu không khớp."))]
    )


class AuditFilterForm(RegistryForm):
    """The audit log's filters, read from the query string (nothing is changed: no CSRF)."""

    class Meta:
        csrf = False

    user = SelectField(_l("Người thực hiện"), choices=[], default="")
    unit = SelectField(_l("Đơn vị liên quan"), choices=[], default="")
    kind = SelectField(_l("Loại sự kiện"), choices=[], default="")
    since = DateField(_l("Từ ngày"), validators=[Optional()])
    until = DateField(_l("Đến ngày"), validators=[Optional()])

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
