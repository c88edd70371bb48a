from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CurrencyBalance")


@_attrs_define
class CurrencyBalance:
    """
    Attributes:
        currency (str):
        available (float):
        currency_full_name (str | Unset):
        unavailable (float | Unset):
        balance_change (float | Unset):
    """

    currency: str
    available: float
    currency_full_name: str | Unset = UNSET
    unavailable: float | Unset = UNSET
    balance_change: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        available = self.available

        currency_full_name = self.currency_full_name

        unavailable = self.unavailable

        balance_change = self.balance_change

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "available": available,
            }
        )
        if currency_full_name is not UNSET:
            field_dict["currencyFullName"] = currency_full_name
        if unavailable is not UNSET:
            field_dict["unavailable"] = unavailable
        if balance_change is not UNSET:
            field_dict["balanceChange"] = balance_change

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        currency = d.pop("currency")

        available = d.pop("available")

        currency_full_name = d.pop("currencyFullName", UNSET)

        unavailable = d.pop("unavailable", UNSET)

        balance_change = d.pop("balanceChange", UNSET)

        currency_balance = cls(
            currency=currency,
            available=available,
            currency_full_name=currency_full_name,
            unavailable=unavailable,
            balance_change=balance_change,
        )

        currency_balance.additional_properties = d
        return currency_balance

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
