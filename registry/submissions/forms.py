"""Forms of the designer pages. They check shape; rules of state and permission live elsewhere."""

from __future__ import annotations

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

REQUIRED = "Vui lòng nhập mục này."


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SubmissionForm(RegistryForm):
    campaign_id = SelectField(
        "Đợt tuyên truyền",
        coerce=int,
        validators=[InputRequired("Vui lòng chọn đợt tuyên truyền.")],
    )
    title = StringField("Tên mẫu", validators=[DataRequired(REQUIRED), Length(max=300)])
    format = SelectField("Loại sản phẩm", choices=dict(FORMATS))
    scope = SelectField("Phạm vi sử dụng", choices=dict(SCOPES))
    width_cm = LocalDecimalField(
        "Chiều rộng (cm)",
        places=1,
        validators=[
            InputRequired("Vui lòng nhập chiều rộng."),
            NumberRange(1, 100_000, "Chiều rộng phải từ 1 đến 100.000 cm."),
        ],
    )
    height_cm = LocalDecimalField(
        "Chiều cao (cm)",
        places=1,
        validators=[
            InputRequired("Vui lòng nhập chiều cao."),
            NumberRange(1, 100_000, "Chiều cao phải từ 1 đến 100.000 cm."),
        ],
    )
    slogan_ids = MultiCheckboxField("Khẩu hiệu sử dụng (theo danh mục của đợt)", coerce=int)
    other_text = TextAreaField(
        "Nội dung chữ khác trên mẫu (ghi đầy đủ)", validators=[Length(max=5000)]
    )
    description = TextAreaField("Mô tả ngắn", validators=[Length(max=5000)])
    lock_version = HiddenField()


class VersionUploadForm(RegistryForm):
    file = FileField(
        "Tệp mẫu (PNG, JPEG, TIFF, WebP)",
        validators=[FileRequired("Vui lòng chọn tệp mẫu để tải lên.")],
    )
    print_file = FileField("Tệp in gốc (tùy chọn: PDF, AI, EPS, PSD, CDR, SVG)")
    lock_version = HiddenField()


class PlacementForm(RegistryForm):
    unit_code = SelectField("Đơn vị nơi treo/dựng", choices={})
    address = StringField("Địa chỉ", validators=[DataRequired(REQUIRED), Length(max=400)])
    lat = LocalDecimalField(
        "Vĩ độ (lat)",
        places=6,
        validators=[InputRequired("Vui lòng nhập vĩ độ."), NumberRange(-90, 90)],
    )
    lon = LocalDecimalField(
        "Kinh độ (lon)",
        places=6,
        validators=[InputRequired("Vui lòng nhập kinh độ."), NumberRange(-180, 180)],
    )
    site_type = SelectField("Loại vị trí", choices=dict(SITE_TYPES))
    quantity = DbIntegerField(
        "Số lượng",
        default=1,
        validators=[InputRequired(REQUIRED), NumberRange(1, 10_000, "Số lượng từ 1 đến 10.000.")],
    )
    viewing_distance_m = LocalDecimalField(
        "Khoảng cách xem gần nhất (m)",
        places=1,
        validators=[
            Optional(),
            NumberRange(1, 500, "Khoảng cách xem từ 1 đến 500 m."),
        ],
    )
    display_from = DateField("Treo từ ngày", validators=[InputRequired("Vui lòng chọn ngày.")])
    display_to = DateField("Đến ngày", validators=[InputRequired("Vui lòng chọn ngày.")])


class TransitionForm(RegistryForm):
    action = HiddenField(validators=[DataRequired()])
    comment = TextAreaField("Ghi chú", validators=[Optional(), Length(max=5000)])
    lock_version = HiddenField()
