"""Admin forms for campaigns, slogans, checklist versions and units. They check shape only."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from registry.campaigns.models import (
    CALENDAR_DAY_KINDS,
    CHECK_KINDS,
    CHECKLIST_GROUPS,
    DEFAULT_ANSWER_DAYS,
    DEFAULT_REVIEW_DAYS,
    MAX_DUE_DAYS,
    SIGNOFF_STEPS,
)
from registry.forms import RegistryForm
from registry.integers import DbIntegerField


class CampaignEditForm(RegistryForm):
    title = TextAreaField(
        "Tên đợt tuyên truyền",
        validators=[
            DataRequired("Vui lòng nhập tên đợt tuyên truyền."),
            Length(max=2000, message="Tên đợt tối đa 2.000 ký tự."),
        ],
    )
    legal_basis = TextAreaField(
        "Căn cứ", validators=[Length(max=5000, message="Căn cứ tối đa 5.000 ký tự.")]
    )
    description = TextAreaField(
        "Mô tả", validators=[Length(max=10000, message="Mô tả tối đa 10.000 ký tự.")]
    )
    starts_on = DateField("Ngày bắt đầu", validators=[InputRequired("Vui lòng chọn ngày bắt đầu.")])
    ends_on = DateField("Ngày kết thúc", validators=[Optional()])
    # Left out of a post, it keeps the campaign's setting (one step for a new campaign).
    signoff_steps = SelectField("Ký duyệt", coerce=int, choices=SIGNOFF_STEPS, default=1)
    # Left out of a post, they keep the campaign's setting (the defaults for a new campaign).
    review_days = DbIntegerField(
        "Thời hạn thẩm định (ngày làm việc)",
        default=DEFAULT_REVIEW_DAYS,
        validators=[
            Optional(),
            NumberRange(1, MAX_DUE_DAYS, f"Thời hạn từ 1 đến {MAX_DUE_DAYS} ngày làm việc."),
        ],
    )
    answer_days = DbIntegerField(
        "Thời hạn đơn vị chỉnh sửa (ngày làm việc)",
        default=DEFAULT_ANSWER_DAYS,
        validators=[
            Optional(),
            NumberRange(1, MAX_DUE_DAYS, f"Thời hạn từ 1 đến {MAX_DUE_DAYS} ngày làm việc."),
        ],
    )


class CampaignCreateForm(CampaignEditForm):
    code = StringField(
        "Mã đợt",
        validators=[
            DataRequired("Vui lòng nhập mã đợt."),
            Length(max=32, message="Mã đợt tối đa 32 ký tự."),
            Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                message="Mã đợt chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang.",
            ),
        ],
    )
    checklist_version_id = SelectField(
        "Bộ tiêu chí thẩm định",
        coerce=int,
        choices={},
        validators=[InputRequired("Vui lòng chọn phiên bản bộ tiêu chí.")],
    )


class ChecklistAssignForm(RegistryForm):
    checklist_version_id = SelectField(
        "Phiên bản bộ tiêu chí",
        coerce=int,
        choices={},
        validators=[InputRequired("Vui lòng chọn phiên bản bộ tiêu chí.")],
    )


class SloganForm(RegistryForm):
    text = TextAreaField(
        "Nội dung khẩu hiệu",
        validators=[
            DataRequired("Vui lòng nhập nội dung khẩu hiệu."),
            Length(max=1000, message="Khẩu hiệu tối đa 1.000 ký tự."),
        ],
    )
    note = StringField("Ghi chú", validators=[Length(max=1000, message="Tối đa 1.000 ký tự.")])


LABEL_RULES = [
    DataRequired("Vui lòng nhập tên phiên bản."),
    Length(max=200, message="Tên phiên bản tối đa 200 ký tự."),
]


class ChecklistCopyForm(RegistryForm):
    source_id = SelectField("Sao chép từ phiên bản", coerce=int, choices={})
    label = StringField("Tên phiên bản mới", validators=LABEL_RULES)
    note = TextAreaField("Ghi chú", validators=[Length(max=5000)])


class ChecklistUploadForm(RegistryForm):
    file = FileField(
        "Tệp Markdown (.md) cùng định dạng bảng với checklist.md",
        validators=[FileRequired("Vui lòng chọn tệp Markdown.")],
    )
    label = StringField("Tên phiên bản mới", validators=LABEL_RULES)
    note = TextAreaField("Ghi chú", validators=[Length(max=5000)])
    # 0: no version, every item required and allowing "not applicable".
    flags_from = SelectField(
        "Lấy cờ “bắt buộc” và “cho phép không áp dụng” theo mã tiêu chí từ phiên bản",
        coerce=int,
        choices={},
    )


class ChecklistItemForm(RegistryForm):
    text = TextAreaField(
        "Tiêu chí",
        validators=[DataRequired("Vui lòng nhập nội dung tiêu chí."), Length(max=5000)],
    )
    gloss = TextAreaField("Diễn giải tiếng Anh", validators=[Length(max=5000)])
    check_kind = SelectField("Cách kiểm tra", choices=dict(CHECK_KINDS))
    check_note = TextAreaField("Ghi chú về cách kiểm tra", validators=[Length(max=5000)])
    legal_source = TextAreaField("Căn cứ pháp lý", validators=[Length(max=5000)])
    source_confidence = StringField("Độ tin cậy của căn cứ", validators=[Length(max=1000)])
    is_required = BooleanField("Bắt buộc đạt để duyệt")
    allows_na = BooleanField("Cho phép đánh giá “Không áp dụng”")


class ChecklistItemNewForm(ChecklistItemForm):
    group_code = SelectField("Nhóm", choices=dict(CHECKLIST_GROUPS))


UNIT_NAME_RULES = [
    DataRequired("Vui lòng nhập tên đơn vị."),
    Length(max=200, message="Tên đơn vị tối đa 200 ký tự."),
]


class UnitCreateForm(RegistryForm):
    code = StringField(
        "Mã đơn vị",
        validators=[
            DataRequired("Vui lòng nhập mã đơn vị."),
            Length(max=32, message="Mã đơn vị tối đa 32 ký tự."),
            Regexp(
                r"^[Ss][Vv][Hh][Tt][Tt]-[A-Za-z0-9]+(-[A-Za-z0-9]+)*$",
                message="Mã đơn vị thuộc Sở có dạng SVHTT-XXX, ví dụ SVHTT-TTVH.",
            ),
        ],
    )
    name = StringField("Tên đơn vị", validators=UNIT_NAME_RULES)


class UnitRenameForm(RegistryForm):
    name = StringField("Tên đơn vị", validators=UNIT_NAME_RULES)


class CalendarDayForm(RegistryForm):
    day = DateField("Ngày", validators=[InputRequired("Vui lòng chọn ngày.")])
    kind = SelectField("Loại", choices=CALENDAR_DAY_KINDS, default="off")
    note = StringField("Ghi chú", validators=[Length(max=300, message="Ghi chú tối đa 300 ký tự.")])
