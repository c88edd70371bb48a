from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.vault_asset import VaultAsset


T = TypeVar("T", bound="VaultAccount")


@_attrs_define
class VaultAccount:
    """
    Attributes:
        id (str | Unset):
        name (str | Unset):
        assets (list[VaultAsset] | Unset):
        hidden_on_ui (bool | Unset):
        customer_ref_id (str | Unset):
        auto_fuel (bool | Unset):
    """

    id: str | Unset = UNSET
    name: str | Unset = UNSET
    assets: list[VaultAsset] | Unset = UNSET
    hidden_on_ui: bool | Unset = UNSET
    customer_ref_id: str | Unset = UNSET
    auto_fuel: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        assets: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.assets, Unset):
            assets = []
            for assets_item_data in self.assets:
                assets_item = assets_item_data.to_dict()
                assets.append(assets_item)

        hidden_on_ui = self.hidden_on_ui

        customer_ref_id = self.customer_ref_id

        auto_fuel = self.auto_fuel

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if assets is not UNSET:
            field_dict["assets"] = assets
        if hidden_on_ui is not UNSET:
            field_dict["hiddenOnUI"] = hidden_on_ui
        if customer_ref_id is not UNSET:
            field_dict["customerRefId"] = customer_ref_id
        if auto_fuel is not UNSET:
            field_dict["autoFuel"] = auto_fuel

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.vault_asset import VaultAsset

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

        _assets = d.pop("assets", UNSET)
        assets: list[VaultAsset] | Unset = UNSET
        if _assets is not UNSET:
            assets = []
            for assets_item_data in _assets:
                assets_item = VaultAsset.from_dict(assets_item_data)

                assets.append(assets_item)

        hidden_on_ui = d.pop("hiddenOnUI", UNSET)

        customer_ref_id = d.pop("customerRefId", UNSET)

        auto_fuel = d.pop("autoFuel", UNSET)

        vault_account = cls(
            id=id,
            name=name,
            assets=assets,
            hidden_on_ui=hidden_on_ui,
            customer_ref_id=customer_ref_id,
            auto_fuel=auto_fuel,
        )

        vault_account.additional_properties = d
        return vault_account

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
