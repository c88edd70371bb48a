"""The sandbox's seeded, deterministic dataset: credentials, wallets and balances.

Tests read their expected values from here, so everything is plain frozen dataclasses with
``Decimal`` amounts. The servers render them on the wire the way each provider does:
decimal strings for Fireblocks, Cryptofuse and Kuna Core (``format(amount, "f")``, so trailing
zeros such as ``"1000.50"`` survive), JSON numbers written from the ``Decimal`` text for BPN.

Every provider has one wallet with no balances at all (``*_EMPTY_*``) and a mix of assets with
pending, locked and frozen amounts. BPN holds two amounts a binary float cannot represent.
The secrets below are sandbox-only values, not credentials of any real account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from types import MappingProxyType

__all__ = [
    "BPN_API_KEY",
    "BPN_API_SECRET",
    "BPN_DEFAULT_WALLET_ID",
    "BPN_EMPTY_WALLET_ID",
    "BPN_FULL_NAMES",
    "BPN_HUGE_AMOUNT",
    "BPN_TINY_AMOUNT",
    "BPN_USD_PRICES",
    "BPN_WALLETS",
    "CRYPTOFUSE_API_KEY",
    "CRYPTOFUSE_CLIENT_ID",
    "CRYPTOFUSE_CLIENT_SECRET",
    "CRYPTOFUSE_EMPTY_WALLET_ID",
    "CRYPTOFUSE_FORBIDDEN_WALLET_ID",
    "CRYPTOFUSE_SCOPES",
    "CRYPTOFUSE_WALLETS",
    "EMBEDDED_EMPTY_WALLET_ID",
    "EMBEDDED_WALLETS",
    "FIREBLOCKS_API_KEY",
    "FIREBLOCKS_EMPTY_VAULT_ID",
    "FIREBLOCKS_VAULTS",
    "KUNA_API_KEY",
    "KUNA_EMPTY_WALLET_ID",
    "KUNA_LOGIN_EMAIL",
    "KUNA_LOGIN_PASSWORD",
    "KUNA_MERCHANT_ID",
    "KUNA_WALLETS",
    "BpnCurrencyBalance",
    "BpnWallet",
    "CryptofuseBalance",
    "CryptofuseWallet",
    "EmbeddedAccount",
    "EmbeddedAssetBalance",
    "EmbeddedWallet",
    "KunaAssetBalance",
    "KunaDepositAddress",
    "KunaWallet",
    "VaultAccount",
    "VaultAsset",
    "bpn_total_available",
    "plain",
]

D = Decimal
ZERO = Decimal(0)


def plain(amount: Decimal) -> str:
    """Positional notation (never exponent notation), keeping the stored digits."""
    return format(amount, "f")


# --------------------------------------------------------------------------- credentials

FIREBLOCKS_API_KEY = "4b7c2f0e-9d1a-4e3b-8c55-0a6f1d2e3b4c"

CRYPTOFUSE_API_KEY = "cf_sandbox_k3Jd8sPq2vXz7LmN4tRw9YbH"
CRYPTOFUSE_CLIENT_ID = "sandbox-client-7f3a"
CRYPTOFUSE_CLIENT_SECRET = "sandbox-secret-Qm8xV2pL9sK4"  # noqa: S105  # sandbox-only
# The scopes the sandbox's OAuth client may request; reading balances needs "read".
CRYPTOFUSE_SCOPES = frozenset({"read", "write"})

KUNA_API_KEY = "kuna_sandbox_api_key_5c2e91d7"
KUNA_MERCHANT_ID = "7d3e5a10-5b9c-4f1e-a2d4-8c6b0e9f1a23"
KUNA_LOGIN_EMAIL = "merchant@sandbox.invalid"
KUNA_LOGIN_PASSWORD = "sandbox-password-1"  # noqa: S105  # sandbox-only

BPN_API_KEY = "bpn_sandbox_key_0d4f"
BPN_API_SECRET = "bpn_sandbox_secret_93b1c7e2"  # noqa: S105  # sandbox-only


# --------------------------------------------------------------------------- Fireblocks vaults


@dataclass(frozen=True)
class VaultAsset:
    """One asset of a vault account (Fireblocks VaultAsset; ``total`` is also sent as the
    deprecated ``balance``). ``available = total - lockedAmount - frozen``; ``staked`` and
    ``pending`` are reported beside ``total``, not inside it."""

    id: str
    total: Decimal
    available: Decimal
    pending: Decimal = ZERO
    frozen: Decimal = ZERO
    locked_amount: Decimal = ZERO
    staked: Decimal = ZERO
    block_height: str = "-1"
    block_hash: str = ""
    pending_rewards: Decimal | None = None


@dataclass(frozen=True)
class VaultAccount:
    id: str
    name: str
    assets: tuple[VaultAsset, ...]
    hidden_on_ui: bool = False
    customer_ref_id: str | None = None
    auto_fuel: bool = False

    def asset(self, asset_id: str) -> VaultAsset | None:
        return next((a for a in self.assets if a.id == asset_id), None)


_BTC_HASH = "00000000000000000002a7c4c1e48d76c5a37902165a270156b7a8d72728a054"
_ETH_HASH = "0x9d4b5c2e1f3a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e"
_TRX_HASH = "0000000003b1d6f1c0e4a4b8f1d3c2e7a9b6d5c4e3f2a1b0c9d8e7f6a5b4c3d2"

FIREBLOCKS_EMPTY_VAULT_ID = "2"

FIREBLOCKS_VAULTS: tuple[VaultAccount, ...] = (
    VaultAccount(
        id="0",
        name="Treasury",
        customer_ref_id="treasury-main",
        assets=(
            VaultAsset(
                id="BTC",
                total=D("12.48395710"),
                available=D("12.38395710"),
                pending=D("0.25000000"),
                locked_amount=D("0.10000000"),
                block_height="871234",
                block_hash=_BTC_HASH,
            ),
            VaultAsset(
                id="ETH",
                total=D("310.125000000000000000"),
                available=D("310.125000000000000000"),
                pending=D("1.500000000000000000"),
                locked_amount=D("0.000000000000000000"),
                frozen=D("0"),
                staked=D("32"),
                block_height="21034567",
                block_hash=_ETH_HASH,
                pending_rewards=D("0.041235"),
            ),
            VaultAsset(
                id="USDT_ERC20",
                total=D("250000.000000"),
                available=D("249000.000000"),
                frozen=D("1000.000000"),
                block_height="21034567",
                block_hash=_ETH_HASH,
            ),
            VaultAsset(
                id="TRX_USDT_S2UZ",
                total=D("98000.50"),
                available=D("97000.50"),
                pending=D("500"),
                locked_amount=D("1000"),
                block_height="66543210",
                block_hash=_TRX_HASH,
            ),
        ),
    ),
    VaultAccount(
        id="1",
        name="Operations",
        auto_fuel=True,
        assets=(
            VaultAsset(id="BTC", total=D("0.00150000"), available=D("0.00150000")),
            VaultAsset(
                id="USDT_ERC20",
                total=D("1520.750000"),
                available=D("1020.750000"),
                pending=D("75.000000"),
                locked_amount=D("500.000000"),
            ),
            VaultAsset(
                id="SOL",
                total=D("40.000000000"),
                available=D("40.000000000"),
                staked=D("500"),
                pending_rewards=D("1.25"),
            ),
        ),
    ),
    VaultAccount(id=FIREBLOCKS_EMPTY_VAULT_ID, name="Empty", assets=()),
    VaultAccount(
        id="3",
        name="Cold storage (hidden)",
        hidden_on_ui=True,
        assets=(
            VaultAsset(
                id="BTC",
                total=D("150"),
                available=D("149.5"),
                frozen=D("0.5"),
                block_height="871230",
                block_hash=_BTC_HASH,
            ),
        ),
    ),
    # Small deposit accounts: enough of them to page through with a small ``limit``.
    *(
        VaultAccount(
            id=str(n),
            name=f"Deposit {n - 3:03d}",
            customer_ref_id=f"customer-{n - 3:03d}",
            assets=(
                VaultAsset(
                    id="USDT_ERC20",
                    total=D(f"{n * 10}.000000"),
                    available=D(f"{n * 10}.000000"),
                ),
            ),
        )
        for n in range(4, 9)
    ),
)


# --------------------------------------------------------------------------- Fireblocks NCW


@dataclass(frozen=True)
class EmbeddedAssetBalance:
    """EmbeddedWalletAssetBalance (note: ``rewardInfo``, not the vaults' ``rewardsInfo``)."""

    id: str
    total: Decimal
    available: Decimal
    pending: Decimal = ZERO
    frozen: Decimal = ZERO
    locked_amount: Decimal = ZERO
    block_height: str | None = None
    block_hash: str | None = None
    pending_rewards: Decimal | None = None


@dataclass(frozen=True)
class EmbeddedAccount:
    account_id: str
    assets: tuple[EmbeddedAssetBalance, ...]

    def asset(self, asset_id: str) -> EmbeddedAssetBalance | None:
        return next((a for a in self.assets if a.id == asset_id), None)


@dataclass(frozen=True)
class EmbeddedWallet:
    wallet_id: str
    accounts: tuple[EmbeddedAccount, ...]

    def account(self, account_id: str) -> EmbeddedAccount | None:
        return next((a for a in self.accounts if a.account_id == account_id), None)


EMBEDDED_EMPTY_WALLET_ID = "b7e2c9a4-3f1d-4c8e-9a6b-2d5f0e1c7a38"

EMBEDDED_WALLETS: tuple[EmbeddedWallet, ...] = (
    EmbeddedWallet(
        wallet_id="550e8400-e29b-41d4-a716-446655440000",
        accounts=(
            EmbeddedAccount(
                account_id="0",
                assets=(
                    EmbeddedAssetBalance(
                        id="BTC",
                        total=D("0.87500000"),
                        available=D("0.84500000"),
                        pending=D("0.01500000"),
                        frozen=D("0.00500000"),
                        locked_amount=D("0.01000000"),
                        block_height="8459341",
                        block_hash=_BTC_HASH,
                        pending_rewards=D("0"),
                    ),
                    EmbeddedAssetBalance(
                        id="ETH",
                        total=D("2.500000000000000000"),
                        available=D("2.400000000000000000"),
                        locked_amount=D("0.100000000000000000"),
                        block_height="21034560",
                        block_hash=_ETH_HASH,
                        pending_rewards=D("0.0005"),
                    ),
                ),
            ),
            EmbeddedAccount(
                account_id="1",
                assets=(
                    EmbeddedAssetBalance(
                        id="USDT_ERC20",
                        total=D("5000.000000"),
                        available=D("4900.000000"),
                        pending=D("100.000000"),
                        frozen=D("100.000000"),
                    ),
                ),
            ),
        ),
    ),
    EmbeddedWallet(
        wallet_id=EMBEDDED_EMPTY_WALLET_ID,
        accounts=(EmbeddedAccount(account_id="0", assets=()),),
    ),
)


# --------------------------------------------------------------------------- Cryptofuse


@dataclass(frozen=True)
class CryptofuseBalance:
    currency: str
    amount: Decimal
    pending_amount: Decimal


@dataclass(frozen=True)
class CryptofuseWallet:
    id: str
    name: str
    balances: tuple[CryptofuseBalance, ...]


CRYPTOFUSE_EMPTY_WALLET_ID = "550e8400-e29b-41d4-a716-446655440001"
# A well-formed wallet id that belongs to another merchant: answered 403, never listed.
CRYPTOFUSE_FORBIDDEN_WALLET_ID = "9a1c3e5f-7b2d-4f6a-8c0e-1d3f5a7b9c2e"

CRYPTOFUSE_WALLETS: tuple[CryptofuseWallet, ...] = (
    # The documentation's example wallet, verbatim.
    CryptofuseWallet(
        id="550e8400-e29b-41d4-a716-446655440000",
        name="Trading Wallet",
        balances=(
            CryptofuseBalance("usdttrc20", D("1000.50"), D("0.00")),
            CryptofuseBalance("usdterc20", D("500.75"), D("100.00")),
            CryptofuseBalance("btc", D("0.05"), D("0.00")),
        ),
    ),
    CryptofuseWallet(
        id="3f2b8c1d-6e4a-4b9f-a7c2-5d8e1f0a3b6c",
        name="Settlement",
        balances=(
            CryptofuseBalance("eth", D("4.750000000000000000"), D("0.250000000000000000")),
            CryptofuseBalance("usdttrc20", D("125000.000000"), D("2500.000000")),
            CryptofuseBalance("btc", D("0.00012345"), D("0.00002345")),
        ),
    ),
    CryptofuseWallet(id=CRYPTOFUSE_EMPTY_WALLET_ID, name="Empty Wallet", balances=()),
)


# --------------------------------------------------------------------------- Kuna Core


@dataclass(frozen=True)
class KunaDepositAddress:
    network: str
    address: str
    memo: str | None = None


@dataclass(frozen=True)
class KunaAssetBalance:
    asset: str
    balance: Decimal
    hold_balance: Decimal = ZERO
    lock_balance: Decimal = ZERO
    referral_balance: Decimal = ZERO
    # Fiat assets have no deposit address: the field is then absent on the wire.
    deposit_addresses: tuple[KunaDepositAddress, ...] = ()


@dataclass(frozen=True)
class KunaWallet:
    id: str
    assets: tuple[KunaAssetBalance, ...]


KUNA_EMPTY_WALLET_ID = "0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f"

KUNA_WALLETS: tuple[KunaWallet, ...] = (
    KunaWallet(
        id="1f44b1c7-9fd4-4d20-b9a4-7aca3646d0d5",
        assets=(
            KunaAssetBalance(
                asset="BTC",
                balance=D("0.5"),
                hold_balance=D("0.01"),
                deposit_addresses=(
                    KunaDepositAddress("BTC", "bc1q4curzl6agt0l3zvc3ermrzuesm2f9nevm9rll0"),
                ),
            ),
            KunaAssetBalance(
                asset="USDT",
                balance=D("15230.64"),
                hold_balance=D("120.00"),
                lock_balance=D("500"),
                referral_balance=D("12.5"),
                deposit_addresses=(
                    KunaDepositAddress("TRX", "TW6fBsVChypHoN3xFXpizHFJNQa7b1wRWc"),
                    KunaDepositAddress("ETH", "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c"),
                ),
            ),
            KunaAssetBalance(
                asset="ETH",
                balance=D("3.141592653589793238"),
                deposit_addresses=(
                    KunaDepositAddress("ETH", "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c"),
                ),
            ),
            KunaAssetBalance(
                asset="UAH",
                balance=D("250000.00"),
                hold_balance=D("15000.00"),
                referral_balance=D("100.00"),
            ),
        ),
    ),
    KunaWallet(
        id="a6f0e2d4-8b1c-4e7a-9d3f-5c2b1a0e9f8d",
        assets=(
            KunaAssetBalance(
                asset="XRP",
                balance=D("1000"),
                deposit_addresses=(
                    KunaDepositAddress("XRP", "rEb8TK3gBgk5auZkwc6sHnwrGVJH8DuaLh", "104728"),
                ),
            ),
        ),
    ),
    KunaWallet(id=KUNA_EMPTY_WALLET_ID, assets=()),
)


# --------------------------------------------------------------------------- BPN


@dataclass(frozen=True)
class BpnCurrencyBalance:
    currency: str
    available: Decimal
    unavailable: Decimal = ZERO
    balance_change: Decimal = ZERO


@dataclass(frozen=True)
class BpnWallet:
    id: int
    name: str
    wallet_type: str
    balances: tuple[BpnCurrencyBalance, ...]

    def balance(self, currency: str) -> BpnCurrencyBalance | None:
        return next((b for b in self.balances if b.currency == currency), None)


BPN_HUGE_AMOUNT = D("12345678901234567.123456789")
BPN_TINY_AMOUNT = D("0.000000000000000001")

# Fixed CoinMarketCap-style USD prices, so totalAvailable is deterministic.
BPN_USD_PRICES: Mapping[str, Decimal] = MappingProxyType(
    {"USDT": D("1"), "USDC": D("1"), "BTC": D("64250.5"), "ETH": D("3120.25")}
)
BPN_FULL_NAMES: Mapping[str, str] = MappingProxyType(
    {"USDT": "USD Tether", "USDC": "USD Coin", "BTC": "Bitcoin", "ETH": "Ethereum"}
)

# The wallet answered when the request names no walletId.
BPN_DEFAULT_WALLET_ID = 1
BPN_EMPTY_WALLET_ID = 41

BPN_WALLETS: tuple[BpnWallet, ...] = (
    BpnWallet(
        id=BPN_DEFAULT_WALLET_ID,
        name="Main account",
        wallet_type="main",
        balances=(
            BpnCurrencyBalance("USDT", D("250000.25"), D("1000"), D("-1500.75")),
            BpnCurrencyBalance("USDC", D("99"), D("9"), D("64")),
            BpnCurrencyBalance("BTC", D("1.5"), D("0.25"), D("0")),
        ),
    ),
    BpnWallet(
        id=40,
        name="Michele Nader MD",
        wallet_type="collection_sub",
        balances=(
            BpnCurrencyBalance("USDT", BPN_HUGE_AMOUNT, D("0"), D("0.5")),
            BpnCurrencyBalance("USDC", BPN_TINY_AMOUNT, BPN_TINY_AMOUNT, D("0")),
            BpnCurrencyBalance("BTC", D("0.00012345"), D("0.00000001"), D("0.00001")),
        ),
    ),
    BpnWallet(
        id=BPN_EMPTY_WALLET_ID, name="Empty collection", wallet_type="collection_sub", balances=()
    ),
)


def bpn_total_available(wallet: BpnWallet, currency: str | None = None) -> Decimal:
    """The exact USD valuation BPN's ``totalAvailable`` carries (available x price, unrounded)."""
    total = D("0")
    with localcontext() as context:
        # The default 28 significant digits would silently drop the 1E-18 next to 1E16.
        context.prec = 200
        for entry in wallet.balances:
            if currency is None or entry.currency == currency:
                total += entry.available * BPN_USD_PRICES[entry.currency]
    return total
