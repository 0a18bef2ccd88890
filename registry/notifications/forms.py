"""The preferences form: the user's e-mail address and a channel for each kind."""

from __future__ import annotations

import re

from wtforms import EmailField, RadioField
from wtforms.validators import Length, Optional, ValidationError

from registry.forms import RegistryForm
from registry.notifications.models import CHANNELS, DEFAULT_CHANNEL, KINDS

# One address, no display name: something@host.domain, without spaces.
_ADDRESS = re.compile(r"^[^@\s<>\",;]+@[^@\s<>\",;]+\.[^@\s<>\",;]+$")


def _address(form, field) -> None:
    if field.data and not _ADDRESS.match(field.data):
        raise ValidationError("Địa chỉ e-mail không hợp lệ (ví dụ: ten@angiang.gov.vn).")


class PreferencesForm(RegistryForm):
    email = EmailField(
        "Địa chỉ e-mail nhận thông báo",
        validators=[Optional(), Length(max=254, message="Tối đa 254 ký tự."), _address],
    )

    def channels(self) -> dict[str, str]:
        return {kind: self[f"kind_{kind}"].data for kind in KINDS}

    def kind_fields(self):
        return [self[f"kind_{kind}"] for kind in KINDS]


for _kind, _label in KINDS.items():
    setattr(
        PreferencesForm,
        f"kind_{_kind}",
        RadioField(_label, choices=dict(CHANNELS), default=DEFAULT_CHANNEL),
    )
