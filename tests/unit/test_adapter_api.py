"""An adapter written outside the package, with public imports only (facade, facade.providers
and a generated client's public names), registered, used over real HTTP and unregistered."""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

import httpx
import pytest
from support import RecordingServer, Reply
from wbf_cryptofuse.api.default import get_wallet_balances
from wbf_cryptofuse.models import WalletBalancesResponse
from wbf_cryptofuse.types import Unset

import facade
import facade.providers as fp
from facade import errors

API_KEY = "acme-key-SECRET-0042"
BODY = {
    "result": {
        "id": "w1",
        "balances": [
            {"currency": "acmecoin", "amount": "12345678901234567.123456789", "pendingAmount": "1"}
        ],
    }
}

PUBLIC_ADAPTER_API = [
    "CAPABILITIES",
    "Adapter",
    "AmountError",
    "AssetCode",
    "BalanceQuery",
    "Call",
    "ErrorDetails",
    "HeaderAuth",
    "Mapped",
    "Reply",
    "RequestSigner",
    "SettingSpec",
    "Settings",
    "SignerAuth",
    "Support",
    "TokenAuth",
    "exact_difference",
    "exact_sum",
    "generic_error_details",
    "parse_amount",
]


class Acme(fp.Adapter[WalletBalancesResponse]):
    """A provider whose API happens to answer like Cryptofuse's balance page."""

    name = "acme-custody"
    spec = "acme"
    unset_types = (Unset,)
    capabilities: ClassVar = {"list_balances": fp.Support.NATIVE}
    setting_specs = (fp.SettingSpec("api_key", secret=True),)
    asset_codes = (fp.AssetCode("acmecoin", "ACME", "acme-chain"),)
    reads: ClassVar = {get_wallet_balances.OPERATION_ID: frozenset({"CurrencyBalance.amount"})}

    def auth(self) -> httpx.Auth:
        return fp.HeaderAuth("X-Acme-Key", self.require_secret("api_key"))

    def read_error(self, body: Any) -> fp.ErrorDetails:
        # Careless on purpose: the whole body becomes the code, echoed credentials included.
        return fp.ErrorDetails(code=str(body), message="acme says no")

    def balance_calls(self, query: fp.BalanceQuery) -> Sequence[fp.Call[WalletBalancesResponse]]:
        kwargs = get_wallet_balances.build_request_kwargs(wallet_id=query.wallet_id)
        return [fp.Call(get_wallet_balances.OPERATION_ID, kwargs, WalletBalancesResponse.from_dict)]

    def map_balances(
        self, query: fp.BalanceQuery, replies: Sequence[fp.Reply[WalletBalancesResponse]]
    ) -> fp.Mapped:
        (reply,) = replies
        return fp.Mapped(
            [
                self.balance(
                    query,
                    asset=item.currency,
                    total=self.amount(item.amount, "amount"),
                    available=None,
                    pending=self.optional_amount(item.pending_amount, "pendingAmount"),
                    locked=None,
                    raw={},
                )
                for item in reply.model.result.balances
            ],
            request_id=reply.request_id,
        )


@pytest.fixture
def acme() -> Iterator[RecordingServer]:
    facade.register_provider("acme-custody", Acme)
    try:
        with RecordingServer() as server:
            yield server
    finally:
        facade.unregister_provider("acme-custody")


def test_public_adapter_api_is_pinned() -> None:
    assert fp.__all__ == PUBLIC_ADAPTER_API
    for name in PUBLIC_ADAPTER_API:
        assert hasattr(fp, name), name


def test_an_outside_adapter_reads_exact_balances_over_http(acme: RecordingServer) -> None:
    acme.queue(Reply.json(BODY))
    with facade.connect("acme-custody", api_key=API_KEY, base_url=acme.url) as client:
        wallet = client.get_balances("w1")
    (balance,) = wallet.balances
    assert (balance.asset, balance.symbol, balance.network) == ("acmecoin", "ACME", "acme-chain")
    assert str(balance.total) == "12345678901234567.123456789"
    assert acme.only_request().path == "/wallets/balances"
    assert acme.only_request().query == [("wallet_id", "w1")]
    assert acme.only_request().header("X-Acme-Key") == API_KEY


def test_unregistered_provider_is_unknown(acme: RecordingServer) -> None:
    assert "acme-custody" in facade.provider_names()
    facade.unregister_provider("acme-custody")
    try:
        assert "acme-custody" not in facade.provider_names()
        with pytest.raises(errors.ConfigurationError, match="unknown provider 'acme-custody'"):
            facade.connect("acme-custody", api_key=API_KEY, base_url=acme.url)
        with pytest.raises(errors.ConfigurationError, match="unknown provider"):
            facade.unregister_provider("acme-custody")
    finally:
        facade.register_provider("acme-custody", Acme)


def test_registering_under_another_name_than_the_adapters_is_refused() -> None:
    with pytest.raises(errors.ConfigurationError, match="not 'acme'"):
        facade.register_provider("acme", Acme)


def test_error_code_is_redacted_whatever_the_adapter_put_there(acme: RecordingServer) -> None:
    acme.queue(Reply.json({"error": f"bad key {API_KEY}"}, status=403))
    with (
        facade.connect("acme-custody", api_key=API_KEY, base_url=acme.url) as client,
        pytest.raises(errors.PermissionDenied) as caught,
    ):
        client.get_balances("w1")
    error = caught.value
    assert error.code is not None
    assert "bad key" in error.code
    for text in (error.code, str(error), repr(error), error.provider_message or ""):
        assert API_KEY not in text


def test_unset_is_absent_and_amounts_keep_their_digits() -> None:
    adapter = Acme.__new__(Acme)  # the helpers need no settings
    assert adapter.present(Unset()) is None
    assert adapter.present(None) is None
    assert adapter.present("0") == "0"
    assert adapter.optional_amount(Unset(), "pending") is None
    assert str(adapter.amount("0.000000000000000001", "amount")) == "1E-18"
    with pytest.raises(fp.AmountError):
        adapter.amount(Unset(), "amount")


def test_the_old_settings_attribute_still_works_with_a_deprecation_warning() -> None:
    with pytest.warns(DeprecationWarning, match="setting_specs"):

        class Legacy(Acme):
            settings = (fp.SettingSpec("api_key", secret=True), fp.SettingSpec("region"))

    assert [s.name for s in Legacy.setting_specs] == ["api_key", "region"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert [s.name for s in Acme.setting_specs] == ["api_key"]
