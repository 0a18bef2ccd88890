"""Forms of the review page: pinned comments and the checklist. They check shape only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FloatField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from registry.forms import RegistryForm
from registry.reviews.models import RESULTS

OUTSIDE = _l("Vị trí ghi chú phải nằm trong ảnh.")


class AnnotationForm(RegistryForm):
    x = FloatField("x", validators=[InputRequired(OUTSIDE), NumberRange(0, 1, OUTSIDE)])
    y = FloatField("y", validators=[InputRequired(OUTSIDE), NumberRange(0, 1, OUTSIDE)])
    body = TextAreaField(
        _l("Nội dung ghi chú"),
        validators=[
            DataRequired(_l("Vui lòng nhập nội dung ghi chú.")),
            Length(max=5000, message=_l("Ghi chú tối đa 5.000 ký tự.")),
        ],
    )


class ReplyForm(RegistryForm):
    body = TextAreaField(
        _l("Trả lời"),
        validators=[
            DataRequired(_l("Vui lòng nhập nội dung trả lời.")),
            Length(max=5000, message=_l("Trả lời tối đa 5.000 ký tự.")),
        ],
    )


class ChecklistAnswersForm(RegistryForm):
    """A result and a comment per checklist item; the fields depend on the review's checklist."""

    @classmethod
    def for_items(cls, codes: list[str]) -> type[ChecklistAnswersForm]:
        """The form class of a checklist with these item codes."""

        class Answers(cls):
            pass

        for code in codes:
            # The workflow checks the result (with a message naming the item), not the form.
            setattr(
                Answers,
                f"result-{code}",
                RadioField(
                    _l("Kết quả %(code)s", code=code),
                    choices=RESULTS,
                    validate_choice=False,
                ),
            )
            setattr(
                Answers,
                f"comment-{code}",
                TextAreaField(
                    _l("Nhận xét %(code)s", code=code),
                    validators=[
                        Length(
                            max=5000, message=_l("Nhận xét %(code)s tối đa 5.000 ký tự.", code=code)
                        )
                    ],
                ),
            )
        return Answers
