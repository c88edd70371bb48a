from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tag import Tag
    from ..models.vault_asset import VaultAsset


T = TypeVar("T", bound="VaultAccount")


@_attrs_define
class VaultAccount:
    """
    Example:
        {'assets': [{'totalStakedCPU': 'totalStakedCPU', 'blockHash': 'blockHash', 'pendingRefundNetwork':
            'pendingRefundNetwork', 'lockedAmount': 'lockedAmount', 'pending': 'pending', 'staked': 'staked', 'rewardsInfo':
            {'pendingRewards': 'pendingRewards'}, 'available': 'available', 'frozen': 'frozen', 'selfStakedCPU':
            'selfStakedCPU', 'totalStakedNetwork': 'totalStakedNetwork', 'total': 'total', 'balance': 'balance',
            'blockHeight': 'blockHeight', 'selfStakedNetwork': 'selfStakedNetwork', 'pendingRefundCPU': 'pendingRefundCPU',
            'id': 'id'}, {'totalStakedCPU': 'totalStakedCPU', 'blockHash': 'blockHash', 'pendingRefundNetwork':
            'pendingRefundNetwork', 'lockedAmount': 'lockedAmount', 'pending': 'pending', 'staked': 'staked', 'rewardsInfo':
            {'pendingRewards': 'pendingRewards'}, 'available': 'available', 'frozen': 'frozen', 'selfStakedCPU':
            'selfStakedCPU', 'totalStakedNetwork': 'totalStakedNetwork', 'total': 'total', 'balance': 'balance',
            'blockHeight': 'blockHeight', 'selfStakedNetwork': 'selfStakedNetwork', 'pendingRefundCPU': 'pendingRefundCPU',
            'id': 'id'}], 'hiddenOnUI': True, 'name': 'name', 'id': 'id', 'customerRefId': 'customerRefId', 'autoFuel':
            True, 'tags': [{'isProtected': False, 'color': '#FF5733', 'description': 'Tag for VIP customers', 'id':
            'df4c0987-30da-4976-8dcf-bc2dd41ae331', 'label': 'VIP', 'type': 'WALLET_POOL', 'allowedEntityTypes':
            ['vault_account'], 'pendingApprovalRequest': {'id': '12345', 'state': 'PENDING', 'type': 'TAG_UPDATE'},
            'updatedAt': 1717084800000}, {'isProtected': False, 'color': '#FF5733', 'description': 'Tag for VIP customers',
            'id': 'df4c0987-30da-4976-8dcf-bc2dd41ae331', 'label': 'VIP', 'type': 'WALLET_POOL', 'allowedEntityTypes':
            ['vault_account'], 'pendingApprovalRequest': {'id': '12345', 'state': 'PENDING', 'type': 'TAG_UPDATE'},
            'updatedAt': 1717084800000}]}

    Attributes:
        id (str | Unset):
        name (str | Unset):
        assets (list[VaultAsset] | Unset):
        hidden_on_ui (bool | Unset):
        customer_ref_id (str | Unset):
        auto_fuel (bool | Unset):
        tags (list[Tag] | Unset): List of tags attached to the vault account
    """

    id: str | Unset = UNSET
    name: str | Unset = UNSET
    assets: list[VaultAsset] | Unset = UNSET
    hidden_on_ui: bool | Unset = UNSET
    customer_ref_id: str | Unset = UNSET
    auto_fuel: bool | Unset = UNSET
    tags: list[Tag] | Unset = UNSET
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

        tags: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = []
            for tags_item_data in self.tags:
                tags_item = tags_item_data.to_dict()
                tags.append(tags_item)

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
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tag import Tag
        from ..models.vault_asset import VaultAsset

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

        try:
            _assets = d.pop("assets", UNSET)
            assets: list[VaultAsset] | Unset = UNSET
            if _assets is not UNSET:
                assets = []
                for assets_item_data in _assets:
                    assets_item = VaultAsset.from_dict(assets_item_data)

                    assets.append(assets_item)

        except (TypeError, ValueError, KeyError, AttributeError):
            assets = UNSET

        hidden_on_ui = d.pop("hiddenOnUI", UNSET)

        customer_ref_id = d.pop("customerRefId", UNSET)

        auto_fuel = d.pop("autoFuel", UNSET)

        try:
            _tags = d.pop("tags", UNSET)
            tags: list[Tag] | Unset = UNSET
            if _tags is not UNSET:
                tags = []
                for tags_item_data in _tags:
                    tags_item = Tag.from_dict(tags_item_data)

                    tags.append(tags_item)

        except (TypeError, ValueError, KeyError, AttributeError):
            tags = UNSET

        vault_account = cls(
            id=id,
            name=name,
            assets=assets,
            hidden_on_ui=hidden_on_ui,
            customer_ref_id=customer_ref_id,
            auto_fuel=auto_fuel,
            tags=tags,
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
