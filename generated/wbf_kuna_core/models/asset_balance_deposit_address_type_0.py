from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.deposit_address import DepositAddress


T = TypeVar("T", bound="AssetBalanceDepositAddressType0")


@_attrs_define
class AssetBalanceDepositAddressType0:
    """Deposit address per network (e.g. BTC, TRX). The page says it is returned only if an address was generated; absent
    or null otherwise (null is assumed: the page does not show the empty form).

    """

    additional_properties: dict[str, DepositAddress] = _attrs_field(
        init=False, factory=dict
    )

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.deposit_address import DepositAddress

        d = dict(src_dict)
        asset_balance_deposit_address_type_0 = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = DepositAddress.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        asset_balance_deposit_address_type_0.additional_properties = (
            additional_properties
        )
        return asset_balance_deposit_address_type_0

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> DepositAddress:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: DepositAddress) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
