"""The form that turns finished resumable uploads into a new version."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import DataRequired, Optional, Regexp

from registry.forms import RegistryForm

TOKEN = Regexp(r"^[0-9a-f]{32}$", message=_l("Mã phiên tải lên không hợp lệ."))
SHA256 = Regexp(r"^[0-9a-f]{64}$", message=_l("Mã SHA-256 không hợp lệ."))


class CompleteUploadForm(RegistryForm):
    artwork = HiddenField(validators=[DataRequired(_l("Vui lòng chọn tệp mẫu để tải lên.")), TOKEN])
    artwork_sha256 = HiddenField(validators=[Optional(), SHA256])
    print_file = HiddenField(validators=[Optional(), TOKEN])
    print_sha256 = HiddenField(validators=[Optional(), SHA256])
    lock_version = HiddenField()
