"""Forms of the designer pages. They check shape; rules of state and permission live elsewhere."""

from __future__ import annotations

from flask_babel import LazyString, pgettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from registry.forms import LocalDecimalField, RegistryForm
from registry.integers import DbIntegerField
from registry.submissions.models import FORMATS, SCOPES, SITE_TYPES

REQUIRED = _l("Vui lòng nhập mục này.")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SubmissionForm(RegistryForm):
    # One campaign, where the menu says "Campaigns" (the same Vietnamese words): a lazy
    # pgettext, written so that pybabel's pgettext keyword extracts it.
    campaign_id = SelectField(
        LazyString(lambda: pgettext("singular", "Đợt tuyên truyền")),
        coerce=int,
        validators=[InputRequired(_l("Vui lòng chọn đợt tuyên truyền."))],
    )
    title = StringField(_l("Tên mẫu"), validators=[DataRequired(REQUIRED), Length(max=300)])
    format = SelectField(_l("Loại sản phẩm"), choices=FORMATS)
    scope = SelectField(_l("Phạm vi sử dụng"), choices=SCOPES)
    width_cm = LocalDecimalField(
        _l("Chiều rộng (cm)"),
        places=1,
        measure=True,
        validators=[
            InputRequired(_l("Vui lòng nhập chiều rộng.")),
            NumberRange(1, 100_000, _l("Chiều rộng phải từ 1 đến 100.000 cm.")),
        ],
    )
    height_cm = LocalDecimalField(
        _l("Chiều cao (cm)"),
        places=1,
        measure=True,
        validators=[
            InputRequired(_l("Vui lòng nhập chiều cao.")),
            NumberRange(1, 100_000, _l("Chiều cao phải từ 1 đến 100.000 cm.")),
        ],
    )
    slogan_ids = MultiCheckboxField(_l("Khẩu hiệu sử dụng (theo danh mục của đợt)"), coerce=int)
    other_text = TextAreaField(
        _l("Nội dung chữ khác trên mẫu (ghi đầy đủ)"), validators=[Length(max=5000)]
    )
    description = TextAreaField(_l("Mô tả ngắn"), validators=[Length(max=5000)])
    lock_version = HiddenField()


class VersionUploadForm(RegistryForm):
    file = FileField(
        _l("Tệp mẫu (PNG, JPEG, TIFF, WebP)"),
        validators=[FileRequired(_l("Vui lòng chọn tệp mẫu để tải lên."))],
    )
    print_file = FileField(_l("Tệp in gốc (tùy chọn: PDF, AI, EPS, PSD, CDR, SVG)"))
    lock_version = HiddenField()


class PlacementForm(RegistryForm):
    unit_code = SelectField(_l("Đơn vị nơi treo/dựng"), choices={})
    address = StringField(_l("Địa chỉ"), validators=[DataRequired(REQUIRED), Length(max=400)])
    lat = LocalDecimalField(
        _l("Vĩ độ (lat)"),
        places=6,
        validators=[InputRequired(_l("Vui lòng nhập vĩ độ.")), NumberRange(-90, 90)],
    )
    lon = LocalDecimalField(
        _l("Kinh độ (lon)"),
        places=6,
        validators=[InputRequired(_l("Vui lòng nhập kinh độ.")), NumberRange(-180, 180)],
    )
    site_type = SelectField(_l("Loại vị trí"), choices=SITE_TYPES)
    quantity = DbIntegerField(
        _l("Số lượng"),
        default=1,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(1, 10_000, _l("Số lượng từ 1 đến 10.000.")),
        ],
    )
    viewing_distance_m = LocalDecimalField(
        _l("Khoảng cách xem gần nhất (m)"),
        places=1,
        measure=True,
        validators=[
            Optional(),
            NumberRange(1, 500, _l("Khoảng cách xem từ 1 đến 500 m.")),
        ],
    )
    display_from = DateField(
        _l("Treo từ ngày"), validators=[InputRequired(_l("Vui lòng chọn ngày."))]
    )
    display_to = DateField(_l("Đến ngày"), validators=[InputRequired(_l("Vui lòng chọn ngày."))])


class TransitionForm(RegistryForm):
    action = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=5000)])
    lock_version = HiddenField()
