from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.currency_balance import CurrencyBalance


T = TypeVar("T", bound="WalletBalance")


@_attrs_define
class WalletBalance:
    """
    Attributes:
        wallets (list[CurrencyBalance]):
        total_available (float | Unset): USD equivalent of all balances (CoinMarketCap prices).
        total_available_currency (str | Unset):
        id (int | Unset):
        wallet_type (str | Unset): e.g. collection_sub. Open set.
        name (str | Unset):
    """

    wallets: list[CurrencyBalance]
    total_available: float | Unset = UNSET
    total_available_currency: str | Unset = UNSET
    id: int | Unset = UNSET
    wallet_type: str | Unset = UNSET
    name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        wallets = []
        for wallets_item_data in self.wallets:
            wallets_item = wallets_item_data.to_dict()
            wallets.append(wallets_item)

        total_available = self.total_available

        total_available_currency = self.total_available_currency

        id = self.id

        wallet_type = self.wallet_type

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "wallets": wallets,
            }
        )
        if total_available is not UNSET:
            field_dict["totalAvailable"] = total_available
        if total_available_currency is not UNSET:
            field_dict["totalAvailableCurrency"] = total_available_currency
        if id is not UNSET:
            field_dict["id"] = id
        if wallet_type is not UNSET:
            field_dict["walletType"] = wallet_type
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.currency_balance import CurrencyBalance

        d = dict(src_dict)
        wallets = []
        _wallets = d.pop("wallets")
        for wallets_item_data in _wallets:
            wallets_item = CurrencyBalance.from_dict(wallets_item_data)

            wallets.append(wallets_item)

        total_available = d.pop("totalAvailable", UNSET)

        total_available_currency = d.pop("totalAvailableCurrency", UNSET)

        id = d.pop("id", UNSET)

        wallet_type = d.pop("walletType", UNSET)

        name = d.pop("name", UNSET)

        wallet_balance = cls(
            wallets=wallets,
            total_available=total_available,
            total_available_currency=total_available_currency,
            id=id,
            wallet_type=wallet_type,
            name=name,
        )

        wallet_balance.additional_properties = d
        return wallet_balance

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
