from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.asset_balance_deposit_address_type_0 import (
        AssetBalanceDepositAddressType0,
    )


T = TypeVar("T", bound="AssetBalance")


@_attrs_define
class AssetBalance:
    """
    Attributes:
        asset (str): Asset code, e.g. BTC or USDT. Open set.
        balance (str): Account balance.
        hold_balance (str | Unset): Balance of funds in processing.
        lock_balance (str | Unset): Balance of funds blocked according to AML policy.
        referral_balance (str | Unset): Balance from the referral system.
        deposit_address (AssetBalanceDepositAddressType0 | None | Unset): Deposit address per network (e.g. BTC, TRX).
            The page says it is returned only if an address was generated; absent or null otherwise (null is assumed: the
            page does not show the empty form).
    """

    asset: str
    balance: str
    hold_balance: str | Unset = UNSET
    lock_balance: str | Unset = UNSET
    referral_balance: str | Unset = UNSET
    deposit_address: AssetBalanceDepositAddressType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.asset_balance_deposit_address_type_0 import (
            AssetBalanceDepositAddressType0,
        )

        asset = self.asset

        balance = self.balance

        hold_balance = self.hold_balance

        lock_balance = self.lock_balance

        referral_balance = self.referral_balance

        deposit_address: dict[str, Any] | None | Unset
        if isinstance(self.deposit_address, Unset):
            deposit_address = UNSET
        elif isinstance(self.deposit_address, AssetBalanceDepositAddressType0):
            deposit_address = self.deposit_address.to_dict()
        else:
            deposit_address = self.deposit_address

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset": asset,
                "balance": balance,
            }
        )
        if hold_balance is not UNSET:
            field_dict["holdBalance"] = hold_balance
        if lock_balance is not UNSET:
            field_dict["lockBalance"] = lock_balance
        if referral_balance is not UNSET:
            field_dict["referralBalance"] = referral_balance
        if deposit_address is not UNSET:
            field_dict["depositAddress"] = deposit_address

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.asset_balance_deposit_address_type_0 import (
            AssetBalanceDepositAddressType0,
        )

        d = dict(src_dict)
        asset = d.pop("asset")

        balance = d.pop("balance")

        hold_balance = d.pop("holdBalance", UNSET)

        lock_balance = d.pop("lockBalance", UNSET)

        referral_balance = d.pop("referralBalance", UNSET)

        try:

            def _parse_deposit_address(
                data: object,
            ) -> AssetBalanceDepositAddressType0 | None | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    deposit_address_type_0 = AssetBalanceDepositAddressType0.from_dict(
                        data
                    )

                    return deposit_address_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(AssetBalanceDepositAddressType0 | None | Unset, data)

            deposit_address = _parse_deposit_address(d.pop("depositAddress", UNSET))

        except (TypeError, ValueError, KeyError, AttributeError):
            deposit_address = UNSET

        asset_balance = cls(
            asset=asset,
            balance=balance,
            hold_balance=hold_balance,
            lock_balance=lock_balance,
            referral_balance=referral_balance,
            deposit_address=deposit_address,
        )

        asset_balance.additional_properties = d
        return asset_balance

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
