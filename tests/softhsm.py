"""A real PKCS#11 token for the tests: SoftHSM2 (Debian's softhsm2) with a token in a temporary
folder, the tests' signing keys and certificates imported into it with python-pkcs11, as a
Vietnamese CA's USB token holds its holder's key and certificate."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

MODULE_PATHS = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
)
TOKEN_LABEL = "SO VHTT AN GIANG"
PIN = "246810"
SO_PIN = "13579111"


def module_path() -> str:
    """The SoftHSM2 module, or skip loudly (fail when CI=true) where it is not installed."""
    found = next((p for p in MODULE_PATHS if Path(p).is_file()), None)
    if found and shutil.which("softhsm2-util"):
        return found
    reason = (
        "SoftHSM2 is not installed: the PKCS#11 (USB token) signing tests did NOT run "
        "(apt-get install softhsm2; bash .ci/run installs it)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true requires SoftHSM2. " + reason, pytrace=False)
    pytest.skip(reason)


def init_token(folder: Path) -> Path:
    """Write a SoftHSM2 configuration keeping its tokens under folder, make one empty token
    there and return the configuration's path (for SOFTHSM2_CONF)."""
    tokens = folder / "tokens"
    tokens.mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL]
        + ["--pin", PIN, "--so-pin", SO_PIN],
        env={**os.environ, "SOFTHSM2_CONF": str(conf)},
        check=True,
        capture_output=True,
    )
    return conf


def import_key_and_certificate(module: str, label: str, key, cert: x509.Certificate) -> None:
    """Put an RSA private key and its certificate on the token under one label and id."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass
    from pkcs11.util.rsa import decode_rsa_private_key

    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    object_id = label.encode()
    token = pkcs11.lib(module).get_token(token_label=TOKEN_LABEL)
    with token.open(rw=True, user_pin=PIN) as session:
        attributes = decode_rsa_private_key(key_der)
        attributes.update(
            {
                Attribute.TOKEN: True,
                Attribute.PRIVATE: True,
                Attribute.SENSITIVE: True,
                Attribute.EXTRACTABLE: False,
                Attribute.SIGN: True,
                Attribute.LABEL: label,
                Attribute.ID: object_id,
            }
        )
        session.create_object(attributes)
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: label,
                Attribute.ID: object_id,
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.ISSUER: cert.issuer.public_bytes(),
                Attribute.VALUE: cert_der,
            }
        )
