"""Forms of the library pages: they check shape; the workflow decides."""

from __future__ import annotations

from wtforms import BooleanField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length

from registry.forms import RegistryForm


class RevokeForm(RegistryForm):
    reason = TextAreaField(
        "Lý do thu hồi",
        validators=[DataRequired("Vui lòng ghi lý do thu hồi."), Length(max=5000)],
    )


class ZipForm(RegistryForm):
    # Choices are not fixed: each code is checked against what the user may download.
    codes = SelectMultipleField("Mẫu đã chọn", validate_choice=False)
    include_print = BooleanField("Kèm tệp in (nếu có)")
