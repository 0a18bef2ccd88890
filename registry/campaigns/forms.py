"""Admin forms for campaigns, slogans, checklist versions and units. They check shape only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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

# NumberRange fills in %(min)s and %(max)s.
DUE_DAYS_RANGE = _l("Thời hạn từ %(min)s đến %(max)s ngày làm việc.")


class CampaignEditForm(RegistryForm):
    title = TextAreaField(
        _l("Tên đợt tuyên truyền"),
        validators=[
            DataRequired(_l("Vui lòng nhập tên đợt tuyên truyền.")),
            Length(max=2000, message=_l("Tên đợt tối đa 2.000 ký tự.")),
        ],
    )
    legal_basis = TextAreaField(
        _l("Căn cứ"), validators=[Length(max=5000, message=_l("Căn cứ tối đa 5.000 ký tự."))]
    )
    description = TextAreaField(
        _l("Mô tả"), validators=[Length(max=10000, message=_l("Mô tả tối đa 10.000 ký tự."))]
    )
    starts_on = DateField(
        _l("Ngày bắt đầu"), validators=[InputRequired(_l("Vui lòng chọn ngày bắt đầu."))]
    )
    ends_on = DateField(_l("Ngày kết thúc"), validators=[Optional()])
    # Left out of a post, it keeps the campaign's setting (one step for a new campaign).
    signoff_steps = SelectField(_l("Ký duyệt"), coerce=int, choices=SIGNOFF_STEPS, default=1)
    # Left out of a post, they keep the campaign's setting (the defaults for a new campaign).
    review_days = DbIntegerField(
        _l("Thời hạn thẩm định (ngày làm việc)"),
        default=DEFAULT_REVIEW_DAYS,
        validators=[Optional(), NumberRange(1, MAX_DUE_DAYS, DUE_DAYS_RANGE)],
    )
    answer_days = DbIntegerField(
        _l("Thời hạn đơn vị chỉnh sửa (ngày làm việc)"),
        default=DEFAULT_ANSWER_DAYS,
        validators=[Optional(), NumberRange(1, MAX_DUE_DAYS, DUE_DAYS_RANGE)],
    )


class CampaignCreateForm(CampaignEditForm):
    code = StringField(
        _l("Mã đợt"),
        validators=[
            DataRequired(_l("Vui lòng nhập mã đợt.")),
            Length(max=32, message=_l("Mã đợt tối đa 32 ký tự.")),
            Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                message=_l("Mã đợt chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang."),
            ),
        ],
    )
    checklist_version_id = SelectField(
        _l("Bộ tiêu chí thẩm định"),
        coerce=int,
        choices={},
        validators=[InputRequired(_l("Vui lòng chọn phiên bản bộ tiêu chí."))],
    )


class ChecklistAssignForm(RegistryForm):
    checklist_version_id = SelectField(
        _l("Phiên bản bộ tiêu chí"),
        coerce=int,
        choices={},
        validators=[InputRequired(_l("Vui lòng chọn phiên bản bộ tiêu chí."))],
    )


class SloganForm(RegistryForm):
    text = TextAreaField(
        _l("Nội dung khẩu hiệu"),
        validators=[
            DataRequired(_l("Vui lòng nhập nội dung khẩu hiệu.")),
            Length(max=1000, message=_l("Khẩu hiệu tối đa 1.000 ký tự.")),
        ],
    )
    note = StringField(
        _l("Ghi chú"), validators=[Length(max=1000, message=_l("Tối đa 1.000 ký tự."))]
    )


LABEL_RULES = [
    DataRequired(_l("Vui lòng nhập tên phiên bản.")),
    Length(max=200, message=_l("Tên phiên bản tối đa 200 ký tự.")),
]


class ChecklistCopyForm(RegistryForm):
    source_id = SelectField(_l("Sao chép từ phiên bản"), coerce=int, choices={})
    label = StringField(_l("Tên phiên bản mới"), validators=LABEL_RULES)
    note = TextAreaField(_l("Ghi chú"), validators=[Length(max=5000)])


class ChecklistUploadForm(RegistryForm):
    file = FileField(
        _l("Tệp Markdown (.md) cùng định dạng bảng với checklist.md"),
        validators=[FileRequired(_l("Vui lòng chọn tệp Markdown."))],
    )
    label = StringField(_l("Tên phiên bản mới"), validators=LABEL_RULES)
    note = TextAreaField(_l("Ghi chú"), validators=[Length(max=5000)])
    # 0: no version, every item required and allowing "not applicable".
    flags_from = SelectField(
        _l("Lấy cờ “bắt buộc” và “cho phép không áp dụng” theo mã tiêu chí từ phiên bản"),
        coerce=int,
        choices={},
    )


class ChecklistItemForm(RegistryForm):
    text = TextAreaField(
        _l("Tiêu chí"),
        validators=[DataRequired(_l("Vui lòng nhập nội dung tiêu chí.")), Length(max=5000)],
    )
    gloss = TextAreaField(_l("Diễn giải tiếng Anh"), validators=[Length(max=5000)])
    check_kind = SelectField(_l("Cách kiểm tra"), choices=CHECK_KINDS)
    check_note = TextAreaField(_l("Ghi chú về cách kiểm tra"), validators=[Length(max=5000)])
    legal_source = TextAreaField(_l("Căn cứ pháp lý"), validators=[Length(max=5000)])
    source_confidence = StringField(_l("Độ tin cậy của căn cứ"), validators=[Length(max=1000)])
    is_required = BooleanField(_l("Bắt buộc đạt để duyệt"))
    allows_na = BooleanField(_l("Cho phép đánh giá “Không áp dụng”"))


class ChecklistItemNewForm(ChecklistItemForm):
    group_code = SelectField(_l("Nhóm"), choices=CHECKLIST_GROUPS)


UNIT_NAME_RULES = [
    DataRequired(_l("Vui lòng nhập tên đơn vị.")),
    Length(max=200, message=_l("Tên đơn vị tối đa 200 ký tự.")),
]


class UnitCreateForm(RegistryForm):
    code = StringField(
        _l("Mã đơn vị"),
        validators=[
            DataRequired(_l("Vui lòng nhập mã đơn vị.")),
            Length(max=32, message=_l("Mã đơn vị tối đa 32 ký tự.")),
            Regexp(
                r"^[Ss][Vv][Hh][Tt][Tt]-[A-Za-z0-9]+(-[A-Za-z0-9]+)*$",
                message=_l("Mã đơn vị thuộc Sở có dạng SVHTT-XXX, ví dụ SVHTT-TTVH."),
            ),
        ],
    )
    name = StringField(_l("Tên đơn vị"), validators=UNIT_NAME_RULES)


class UnitRenameForm(RegistryForm):
    name = StringField(_l("Tên đơn vị"), validators=UNIT_NAME_RULES)


class CalendarDayForm(RegistryForm):
    day = DateField(_l("Ngày"), validators=[InputRequired(_l("Vui lòng chọn ngày."))])
    kind = SelectField(_l("Loại"), choices=CALENDAR_DAY_KINDS, default="off")
    note = StringField(
        _l("Ghi chú"), validators=[Length(max=300, message=_l("Ghi chú tối đa 300 ký tự."))]
    )
