"""A certification authority and a signer's PKCS#12 file made for the tests (the `cryptography`
package), as a Vietnamese CA issues one to a head of division."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "mat-khau-chung-thu"


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CA thử nghiệm"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


class CertificationAuthority:
    """A certification authority that certifies signers."""

    def __init__(self, name: str = "CA thử nghiệm"):
        now = dt.datetime.now(dt.UTC)
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name(name))
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(True, False, False, False, False, True, True, False, False),
                critical=True,
            )
            .sign(self.key, hashes.SHA256())
        )

    def issue(self, holder: str = "Nguyễn Văn Trưởng", valid_for=dt.timedelta(days=180)):
        """A new private key and the certificate this CA gives its holder, valid from
        yesterday for valid_for from now."""
        now = dt.datetime.now(dt.UTC)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(holder))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + valid_for)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                critical=True,
            )
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )
        return key, cert

    def pkcs12(self, holder: str = "Nguyễn Văn Trưởng", **validity) -> bytes:
        """A PKCS#12 file (encrypted with PASSWORD) of a new signer this CA certified."""
        key, cert = self.issue(holder, **validity)
        return pkcs12.serialize_key_and_certificates(
            b"signer",
            key,
            cert,
            [self.cert],
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )


def make_ca_and_signer() -> tuple[x509.Certificate, bytes]:
    """A CA and a PKCS#12 file (encrypted with PASSWORD) of a signer it certified."""
    ca = CertificationAuthority()
    return ca.cert, ca.pkcs12()
