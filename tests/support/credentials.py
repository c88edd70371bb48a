"""Credentials the tests use; each secret contains "SECRET" so leaks are easy to grep."""

from __future__ import annotations

__all__ = ["SECRETS"]

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
