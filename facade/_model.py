"""The canonical model: types generated from specs/wallet-balances.yaml, plus JSON output."""

from __future__ import annotations

from typing import Any

from wbf_model import Balance, FiatValuation, WalletBalances

from ._decimal import to_plain

__all__ = ["Balance", "FiatValuation", "WalletBalances", "to_json_dict"]


def to_json_dict(wallet: WalletBalances) -> dict[str, Any]:
    """A JSON-ready dict that validates against the unified schema (amounts as strings)."""
    return {
        "provider": wallet.provider,
        "wallet_id": wallet.wallet_id,
        "account_id": wallet.account_id,
        "balances": [
            {
                "provider": b.provider,
                "wallet_id": b.wallet_id,
                "account_id": b.account_id,
                "asset": b.asset,
                "symbol": b.symbol,
                "network": b.network,
                "total": to_plain(b.total),
                "available": to_plain(b.available),
                "pending": to_plain(b.pending),
                "locked": to_plain(b.locked),
                "extras": to_plain(b.extras),
                "block_height": b.block_height,
                "block_hash": b.block_hash,
                "raw": to_plain(b.raw),
            }
            for b in wallet.balances
        ],
        "fiat_valuation": None
        if wallet.fiat_valuation is None
        else {
            "amount": to_plain(wallet.fiat_valuation.amount),
            "currency": wallet.fiat_valuation.currency,
        },
        "request_id": wallet.request_id,
        "fetched_at": wallet.fetched_at.isoformat(),
    }
