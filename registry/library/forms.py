"""Forms of the library pages: they check shape; the workflow decides."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length

from registry.forms import RegistryForm


class RevokeForm(RegistryForm):
    reason = TextAreaField(
        _l("Lý do thu hồi"),
        validators=[DataRequired(_l("Vui lòng ghi lý do thu hồi.")), Length(max=5000)],
    )


class ZipForm(RegistryForm):
    # Choices are not fixed: each code is checked against what the user may download.
    codes = SelectMultipleField(_l("Mẫu đã chọn"), validate_choice=False)
    include_print = BooleanField(_l("Kèm tệp in (nếu có)"))
