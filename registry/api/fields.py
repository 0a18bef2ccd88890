"""Marshmallow fields for every string the API reads: the text rule of registry.text applies to
each, so a schema cannot take a string that skips it (tests/api/test_text_fields.py); a size
sent as a string is read like the form's."""

from __future__ import annotations

from marshmallow import ValidationError, fields

from registry import text
from registry.forms import ambiguous_number_message
from registry.i18n import AmbiguousDecimal, parse_decimal


class Text(fields.String):
    """A string a person typed: NFC, trimmed; control, bidirectional and surrogate characters
    refused with 422 naming the field; when required, blanks alone are refused too.

    `label` is the field's Vietnamese name, used in the message.
    """

    def __init__(self, *, label: str, multiline: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.label = label
        self.multiline = multiline

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        value = super()._deserialize(value, attr, data, **kwargs)
        # TextRefused is a UserFacingError: the answer is {"error": {code, message, field}}.
        return text.clean_input(
            value,
            self.label,
            multiline=self.multiline,
            required=self.required,
            field=self.data_key or self.name,
        )


class Secret(fields.String):
    """A string kept exactly as sent (a password), except that it must be encodable."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(**kwargs)
        self.label = label

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        value = super()._deserialize(value, attr, data, **kwargs)
        if problem := text.unencodable(value):
            field = self.data_key or self.name
            raise text.TextRefused(f"“{self.label}” ({field}) {problem}", field=field)
        return value


class Measure(fields.Float):
    """A size or a distance. A JSON number is taken as it is (its decimal mark is always the
    point); a string is read like the form's ("600,5", "600.5"), and one that may hold a
    thousands separator ("1,200", "1.200": twelve hundred, or 1.2?) is refused with 422 saying
    how to write it, instead of being read as 1.2."""

    def _validated(self, value):
        if isinstance(value, str):
            try:
                value = parse_decimal(value, measure=True)
            except AmbiguousDecimal as error:
                raise ValidationError(ambiguous_number_message(error)) from None
            except ValueError:
                raise self.make_error("invalid", input=value) from None
        return super()._validated(value)
