"""Where the Department's signing key sits: a PKCS#12 file (REGISTRY_SIGNING_PKCS12 and
REGISTRY_SIGNING_PASSWORD) or a PKCS#11 token, such as the USB tokens Vietnamese CAs issue
(REGISTRY_SIGNING_PKCS11_MODULE, _TOKEN_LABEL, _CERT_LABEL, _KEY_LABEL, _PIN or _PIN_FILE).

At most one may be configured; the shape is checked at start-up. The key itself is reached only
when a document is signed (or by `flask registry check-signing`): a token locks after a few
wrong PINs, so nothing tries the PIN on its own, on every start or readiness probe. A key that
cannot be reached stops the approval with a SigningUnavailable (503) saying why, and the request
rolls back: the submission stays where it was, nothing is half-approved."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from pyhanko.sign import signers

from registry.clock import local_date
from registry.db import utcnow
from registry.error_codes import ErrorCode
from registry.exceptions import UserFacingError
from registry.i18n import day

PKCS11_KEYS = (
    "REGISTRY_SIGNING_PKCS11_MODULE",
    "REGISTRY_SIGNING_PKCS11_TOKEN_LABEL",
    "REGISTRY_SIGNING_PKCS11_CERT_LABEL",
    "REGISTRY_SIGNING_PKCS11_KEY_LABEL",
    "REGISTRY_SIGNING_PKCS11_PIN",
    "REGISTRY_SIGNING_PKCS11_PIN_FILE",
)
# A PKCS#11 module keeps one login per token for the whole process: two sessions of one
# process logging in at once fail, so a process signs one document at a time.
_token_lock = threading.Lock()


class SigningUnavailable(UserFacingError):
    """The configured key cannot sign: the approval waits until the operator fixes it."""

    status = 503
    code = ErrorCode.SIGNING_UNAVAILABLE

    def __init__(self, reason: str):
        super().__init__(
            _(
                "Chưa ký số được giấy chấp thuận: %(reason)s Hồ sơ chưa được duyệt và vẫn giữ "
                "nguyên trạng thái; vui lòng báo quản trị hệ thống rồi thử lại.",
                reason=reason,
            )
        )
        self.reason = reason


def mode(config) -> str | None:
    """ "pkcs12", "pkcs11" or None (the document is issued unsigned)."""
    if config.get("REGISTRY_SIGNING_PKCS12"):
        return "pkcs12"
    if config.get("REGISTRY_SIGNING_PKCS11_MODULE"):
        return "pkcs11"
    return None


def check_configuration(config) -> None:
    """Refuse to start on a signing configuration that cannot work, before anyone signs.

    The messages are the operator's, printed when the app starts (not interface text)."""
    given = [k for k in PKCS11_KEYS if config.get(k)]
    listed = ", ".join(given)
    module = config.get("REGISTRY_SIGNING_PKCS11_MODULE")
    if config.get("REGISTRY_SIGNING_PKCS12") and given:
        raise ValueError(
            "Chỉ cấu hình một nguồn khóa ký số: "  # not interface: start-up check
            "REGISTRY_SIGNING_PKCS12 (tệp .p12) hoặc "  # not interface: start-up check
            "REGISTRY_SIGNING_PKCS11_* (USB token), "
            f"không cả hai (đang đặt: {listed})."  # not interface: start-up check
        )
    if given and not module:
        raise ValueError(
            f"Đã đặt {listed} nhưng thiếu "  # not interface: start-up check
            "REGISTRY_SIGNING_PKCS11_MODULE "
            "(đường dẫn thư viện .so của USB token)."  # not interface: start-up check
        )
    if mode(config) != "pkcs11":
        return
    for key in ("REGISTRY_SIGNING_PKCS11_TOKEN_LABEL", "REGISTRY_SIGNING_PKCS11_CERT_LABEL"):
        if not config.get(key):
            raise ValueError(
                f"Ký số bằng USB token cần {key} "  # not interface: start-up check
                "(xem: pkcs11-tool --list-objects)."  # not interface: start-up check
            )
    if config.get("REGISTRY_SIGNING_PKCS11_PIN") and config.get("REGISTRY_SIGNING_PKCS11_PIN_FILE"):
        raise ValueError(
            "Đặt mã PIN của USB token một cách: "  # not interface: start-up check
            "REGISTRY_SIGNING_PKCS11_PIN hoặc "  # not interface: start-up check
            "REGISTRY_SIGNING_PKCS11_PIN_FILE, không cả hai."  # not interface: start-up check
        )
    if not Path(module).is_file():
        raise ValueError(
            "Không có thư viện PKCS#11 "  # not interface: start-up check
            f"REGISTRY_SIGNING_PKCS11_MODULE={module} "
            "(cài phần mềm của USB token)."  # not interface: start-up check
        )


@contextmanager
def open_signer(config) -> Iterator[signers.Signer]:
    """The configured key as a pyHanko signer, its certificate loaded; SigningUnavailable
    (logged for the operator) when it cannot be reached."""
    try:
        if mode(config) == "pkcs11":
            with _token_lock, _pkcs11_signer(config) as signer:
                _check_validity(signer.signing_cert)
                yield signer
        else:
            signer = _pkcs12_signer(config)
            _check_validity(signer.signing_cert)
            yield signer
    except SigningUnavailable as error:
        current_app.logger.error("signing key unavailable: %s", error.reason)
        raise


def _check_validity(cert) -> None:
    """A signature by a certificate outside its validity would never validate: refuse it."""
    now = utcnow()
    if not cert.not_valid_before <= now <= cert.not_valid_after:
        raise SigningUnavailable(
            _(
                "chứng thư số «%(subject)s» chỉ có hiệu lực từ %(start)s đến %(end)s; cần gia hạn "
                "hoặc cấu hình chứng thư mới.",
                subject=cert.subject.human_friendly,
                start=day(local_date(cert.not_valid_before)),
                end=day(local_date(cert.not_valid_after)),
            )
        )


def _pkcs12_signer(config) -> signers.SimpleSigner:
    password = config.get("REGISTRY_SIGNING_PASSWORD") or ""
    try:
        signer = signers.SimpleSigner.load_pkcs12(
            config["REGISTRY_SIGNING_PKCS12"], passphrase=password.encode() or None
        )
    except OSError:
        signer = None
    if signer is None:
        raise SigningUnavailable(
            _("không đọc được chứng thư số REGISTRY_SIGNING_PKCS12 (sai tệp hoặc sai mật khẩu).")
        )
    return signer


def _pin(config) -> str | None:
    if config.get("REGISTRY_SIGNING_PKCS11_PIN"):
        return str(config["REGISTRY_SIGNING_PKCS11_PIN"])
    path = config.get("REGISTRY_SIGNING_PKCS11_PIN_FILE")
    if not path:
        return None  # a token with its own PIN pad asks for it itself
    try:
        return Path(path).read_text().strip()
    except OSError as error:
        raise SigningUnavailable(
            _(
                "không đọc được tệp mã PIN REGISTRY_SIGNING_PKCS11_PIN_FILE (%(error)s).",
                error=error.strerror,
            )
        ) from None


@contextmanager
def _pkcs11_signer(config) -> Iterator[signers.Signer]:
    import pkcs11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    token = config["REGISTRY_SIGNING_PKCS11_TOKEN_LABEL"]
    cert_label = config["REGISTRY_SIGNING_PKCS11_CERT_LABEL"]
    try:
        session = open_pkcs11_session(
            config["REGISTRY_SIGNING_PKCS11_MODULE"],
            token_criteria=TokenCriteria(label=token),
            user_pin=_pin(config),
        )
    except (pkcs11.PinIncorrect, pkcs11.PinInvalid, pkcs11.PinLenRange):
        raise SigningUnavailable(
            _(
                "mã PIN của USB token «%(token)s» không đúng (REGISTRY_SIGNING_PKCS11_PIN). "
                "Nhập sai nhiều lần sẽ khóa token.",
                token=token,
            )
        ) from None
    except pkcs11.PinLocked:
        raise SigningUnavailable(
            _(
                "USB token «%(token)s» đã bị khóa vì nhập sai mã PIN nhiều lần; cần mở khóa bằng "
                "phần mềm của nhà cung cấp chứng thư số.",
                token=token,
            )
        ) from None
    except pkcs11.PinExpired:
        raise SigningUnavailable(
            _("mã PIN của USB token «%(token)s» đã hết hạn, cần đổi.", token=token)
        ) from None
    except pkcs11.PKCS11Error as error:
        raise SigningUnavailable(_token_problem(token, error)) from None
    try:
        signer = PKCS11Signer(
            session,
            cert_label=cert_label,
            key_label=config.get("REGISTRY_SIGNING_PKCS11_KEY_LABEL") or cert_label,
        )
        try:
            signer.signing_cert  # noqa: B018  (loads the key and certificate now)
        except pkcs11.PKCS11Error as error:
            raise SigningUnavailable(
                _(
                    "trên USB token «%(token)s» không có khóa và chứng thư số cần dùng "
                    "(%(error)s; xem REGISTRY_SIGNING_PKCS11_CERT_LABEL, "
                    "REGISTRY_SIGNING_PKCS11_KEY_LABEL).",
                    token=token,
                    error=error,
                )
            ) from None
        yield signer
    finally:
        session.close()


def _token_problem(token: str, error: Exception) -> str:
    text = str(error)
    if text.startswith("OS exception while loading"):
        return _(
            "không nạp được thư viện PKCS#11 REGISTRY_SIGNING_PKCS11_MODULE (%(error)s).",
            error=text,
        )
    if "No token" in text or type(error).__name__ in ("TokenNotPresent", "DeviceRemoved"):
        return _(
            "không tìm thấy USB token «%(token)s» (token đã cắm vào máy chủ chưa, nhãn "
            "REGISTRY_SIGNING_PKCS11_TOKEN_LABEL có đúng không?).",
            token=token,
        )
    problem = f"{type(error).__name__} {text}".rstrip()
    return _("USB token «%(token)s» báo lỗi: %(problem)s.", token=token, problem=problem)
