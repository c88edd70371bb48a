from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CurrencyBalance")


@_attrs_define
class CurrencyBalance:
    """
    Attributes:
        currency (str): Currency code in lowercase (e.g. "usdttrc20"). Open set.
        amount (str): Balance amount, as a decimal string. Documented both as the available amount and as the total from
            which pendingAmount is subtracted.
        pending_amount (str): Amount in in-progress transactions that cannot be withdrawn.
    """

    currency: str
    amount: str
    pending_amount: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        amount = self.amount

        pending_amount = self.pending_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "amount": amount,
                "pendingAmount": pending_amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        currency = d.pop("currency")

        amount = d.pop("amount")

        pending_amount = d.pop("pendingAmount")

        currency_balance = cls(
            currency=currency,
            amount=amount,
            pending_amount=pending_amount,
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
