"""A one-certificate CA bundle, to make building httpx clients cheap in tests.

Every facade client builds an httpx client, and httpx loads the whole system CA bundle
(200 KB, ~50 ms) into a fresh TLS context each time. The tests only speak plain HTTP on
127.0.0.1, so pointing SSL_CERT_FILE at a bundle of one self-signed certificate changes
nothing they check and saves most of a second per hundred clients.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

__all__ = ["write_tiny_ca_bundle"]


def write_tiny_ca_bundle(path: Path) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "wallet-balance-facade tests")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path
