"""The public API is pinned, and importing it costs no provider's generated client."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import facade

REPO = Path(__file__).resolve().parents[2]
GENERATED = ("wbf_fireblocks", "wbf_cryptofuse", "wbf_kuna_core", "wbf_bpn")

PUBLIC = [
    "CAPABILITIES",
    "AssetInfo",
    "AssetTable",
    "AsyncBalanceClient",
    "Balance",
    "BalanceClient",
    "BalanceOutcome",
    "BalanceRequest",
    "Exchange",
    "FiatValuation",
    "GiveUpEvent",
    "Hooks",
    "RateLimitWaitEvent",
    "RawResponse",
    "RetryEvent",
    "Secret",
    "Support",
    "SymbolTotal",
    "WalletBalances",
    "connect",
    "connect_async",
    "errors",
    "gather_balances",
    "gather_balances_sync",
    "provider_names",
    "register_provider",
    "to_json_dict",
    "totals_by_symbol",
    "unregister_provider",
]
ERRORS = [
    "AuthenticationError",
    "ConfigurationError",
    "FacadeError",
    "InvalidArgument",
    "InvalidRequest",
    "NotFound",
    "PermissionDenied",
    "ProtocolError",
    "ProviderError",
    "ProviderUnavailable",
    "RateLimited",
    "Timeout",
    "Unsupported",
    "UsageError",
]


def test_all_is_pinned() -> None:
    assert facade.__all__ == PUBLIC
    assert sorted(facade.__all__, key=lambda n: (not n.isupper(), n)) == PUBLIC
    for name in PUBLIC:
        assert hasattr(facade, name), name


def test_errors_all_is_pinned() -> None:
    assert facade.errors.__all__ == ERRORS


def test_public_classes_present_themselves_as_facade() -> None:
    for name in PUBLIC:
        obj = getattr(facade, name)
        if isinstance(obj, type) and obj.__module__.startswith("facade"):
            assert obj.__module__ == "facade", name


def run(code: str) -> object:
    """Run ``code`` in a fresh interpreter; it prints one JSON value."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_import_facade_imports_no_generated_client() -> None:
    loaded = run(
        f"""
        import json, sys
        import facade, facade.errors
        print(json.dumps(sorted(m for m in sys.modules if m.startswith({GENERATED!r}))))
        """
    )
    assert loaded == []


def test_connecting_imports_only_that_providers_client() -> None:
    """Connect to each provider in turn and see which generated packages each one added."""
    added = run(
        f"""
        import json, sys
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        import facade

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        settings = {{
            "fireblocks-vault": {{"api_key": "k", "private_key": pem}},
            "fireblocks-embedded": {{"api_key": "k", "private_key": pem}},
            "cryptofuse": {{"client_id": "i", "client_secret": "s"}},
            "kuna-core": {{"merchant_id": "m", "login_email": "e", "login_password": "p"}},
            "bpn": {{"api_key": "k", "api_secret": "s"}},
        }}

        def generated():
            return {{m.split(".")[0] for m in sys.modules if m.startswith({GENERATED!r})}}

        added = {{}}
        for provider in ["bpn", "kuna-core", "cryptofuse", "fireblocks-embedded",
                         "fireblocks-vault"]:
            before = generated()
            base = "https://x.example" + ("/v1" if provider.startswith("fireblocks") else "")
            facade.connect(provider, base_url=base, **settings[provider]).close()
            added[provider] = sorted(generated() - before)
        print(json.dumps(added))
        """
    )
    assert added == {
        "bpn": ["wbf_bpn"],
        "kuna-core": ["wbf_kuna_core"],
        "cryptofuse": ["wbf_cryptofuse"],
        "fireblocks-embedded": ["wbf_fireblocks"],
        "fireblocks-vault": [],  # already there: both Fireblocks products share one client
    }
