"""Forms of the display pages: they check shape; the lifecycle decides."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from registry.displays.models import CONDITIONS
from registry.forms import RegistryForm

PHOTO_INPUT = {"accept": "image/jpeg,image/png,image/webp,image/*", "capture": "environment"}


class SiteRecordForm(RegistryForm):
    """An installation or removal: a site photo, the browser's location, a note."""

    photo = MultipleFileField(_l("Ảnh hiện trường"))
    lat = HiddenField(validators=[Optional()])
    lon = HiddenField(validators=[Optional()])
    note = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=2000)])


class InspectionForm(SiteRecordForm):
    condition = SelectField(
        _l("Tình trạng"),
        choices={"": _l("— Chọn tình trạng —"), **CONDITIONS},
    )
    photo = MultipleFileField(_l("Ảnh kiểm tra (không bắt buộc, tối đa 5 ảnh)"))
