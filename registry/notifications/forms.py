"""The preferences form: the user's e-mail address and a channel for each kind."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField
from wtforms.validators import Length, Optional, ValidationError

from registry.forms import RegistryForm
from registry.notifications.models import CHANNELS, DEFAULT_CHANNEL, KINDS

# One address, no display name: something@host.domain, without spaces.
_ADDRESS = re.compile(r"^[^@\s<>\",;]+@[^@\s<>\",;]+\.[^@\s<>\",;]+$")


def _address(form, field) -> None:
    if field.data and not _ADDRESS.match(field.data):
        raise ValidationError(_l("Địa chỉ e-mail không hợp lệ (ví dụ: ten@angiang.gov.vn)."))


class PreferencesForm(RegistryForm):
    email = EmailField(
        _l("Địa chỉ e-mail nhận thông báo"),
        validators=[Optional(), Length(max=254, message=_l("Tối đa 254 ký tự.")), _address],
    )
    kinds: tuple[str, ...] = ()

    def channels(self) -> dict[str, str]:
        return {kind: self[f"kind_{kind}"].data for kind in self.kinds}

    def kind_fields(self):
        return [self[f"kind_{kind}"] for kind in self.kinds]


def preferences_form(kinds: tuple[str, ...]) -> PreferencesForm:
    """The form with a choice of channel for each of these kinds (those the user can receive)."""
    fields = {
        f"kind_{kind}": RadioField(
            KINDS[kind],
            choices=CHANNELS,
            default=DEFAULT_CHANNEL,
        )
        for kind in kinds
    }
    form_class = type("KindsPreferencesForm", (PreferencesForm,), {**fields, "kinds": kinds})
    return form_class()
