"""RSA keys of the tests: one class for a PEM and its key, one generated key per process
(2048-bit generation takes ~100 ms)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

__all__ = ["RsaKey", "own_rsa_key"]


@dataclass(frozen=True)
class RsaKey:
    pem: str  # PKCS#8, unencrypted: what the Fireblocks `private_key` setting takes
    private_key: rsa.RSAPrivateKey

    @classmethod
    def from_pem(cls, pem: str) -> RsaKey:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return cls(pem, key)

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    @property
    def public_pem(self) -> str:
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    @property
    def pem_body(self) -> str:
        """The base64 lines of the PEM, without the BEGIN/END armour."""
        return "".join(line for line in self.pem.splitlines() if not line.startswith("-----"))


@functools.cache
def own_rsa_key() -> RsaKey:
    """The tests' own 2048-bit key, made once per process: not the key the sandbox registered
    (the ``rsa_key`` fixture is that one), for tests that need an unrelated key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return RsaKey(pem, key)
