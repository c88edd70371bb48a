"""Credentials the tests use; each secret contains "SECRET" so leaks are easy to grep."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric import rsa

__all__ = ["SECRETS", "RsaKey"]

SECRETS = {
    "fireblocks_api_key": "fb-key-7c1e4a9d-SECRET",
    "cryptofuse_api_key": "cf-key-91b2-SECRET",
    "cryptofuse_client_id": "cf-client-id",
    "cryptofuse_client_secret": "cf-client-secret-SECRET",
    "kuna_api_key": "kuna-key-55aa-SECRET",
    "kuna_password": "kuna-password-SECRET",
    "bpn_api_key": "bpn-key-0f0f-SECRET",
    "bpn_api_secret": "bpn-secret-a1a1-SECRET",
}


@dataclass(frozen=True)
class RsaKey:
    pem: str
    public_key: rsa.RSAPublicKey

    @property
    def pem_body(self) -> str:
        """The base64 lines of the PEM, without the BEGIN/END armour."""
        return "".join(line for line in self.pem.splitlines() if not line.startswith("-----"))
