from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.embedded_wallet_asset_reward_info import EmbeddedWalletAssetRewardInfo


T = TypeVar("T", bound="EmbeddedWalletAssetBalance")


@_attrs_define
class EmbeddedWalletAssetBalance:
    """
    Example:
        {'blockHash': '0000000000000000000769e73a0b8f32a6c5d55e0d64f9ec20c6c3d4e5a9a3f1', 'total': '0.87500000',
            'lockedAmount': '0.01000000', 'blockHeight': '8459341', 'rewardInfo': {'pendingRewards': '5'}, 'pending':
            '0.01500000', 'available': '0.84500000', 'frozen': '0.00500000', 'id': 'BTC-mainnet-acc-01'}

    Attributes:
        total (str): Total balance amount for the asset in the account (including pending, locked, and available)
            Example: 0.87500000.
        available (str): The balance available for use or withdrawal Example: 0.84500000.
        pending (str): Amount pending confirmation from blockchain (e.g., unconfirmed deposits) Example: 0.01500000.
        frozen (str): Balance that is frozen due to policy or regulatory lock Example: 0.00500000.
        locked_amount (str): Funds locked for operations such as staking or delegation Example: 0.01000000.
        id (str | Unset): Unique identifier of the asset balance entry Example: BTC-mainnet-acc-01.
        block_height (str | Unset): Latest known blockchain height when balance was fetched Example: 8459341.
        block_hash (str | Unset): Hash of the blockchain block associated with the current balance state Example:
            0000000000000000000769e73a0b8f32a6c5d55e0d64f9ec20c6c3d4e5a9a3f1.
        reward_info (EmbeddedWalletAssetRewardInfo | Unset):  Example: {'pendingRewards': '5'}.
    """

    total: str
    available: str
    pending: str
    frozen: str
    locked_amount: str
    id: str | Unset = UNSET
    block_height: str | Unset = UNSET
    block_hash: str | Unset = UNSET
    reward_info: EmbeddedWalletAssetRewardInfo | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total = self.total

        available = self.available

        pending = self.pending

        frozen = self.frozen

        locked_amount = self.locked_amount

        id = self.id

        block_height = self.block_height

        block_hash = self.block_hash

        reward_info: dict[str, Any] | Unset = UNSET
        if not isinstance(self.reward_info, Unset):
            reward_info = self.reward_info.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total": total,
                "available": available,
                "pending": pending,
                "frozen": frozen,
                "lockedAmount": locked_amount,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if block_height is not UNSET:
            field_dict["blockHeight"] = block_height
        if block_hash is not UNSET:
            field_dict["blockHash"] = block_hash
        if reward_info is not UNSET:
            field_dict["rewardInfo"] = reward_info

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.embedded_wallet_asset_reward_info import (
            EmbeddedWalletAssetRewardInfo,
        )

        d = dict(src_dict)
        total = d.pop("total")

        available = d.pop("available")

        pending = d.pop("pending")

        frozen = d.pop("frozen")

        locked_amount = d.pop("lockedAmount")

        id = d.pop("id", UNSET)

        block_height = d.pop("blockHeight", UNSET)

        block_hash = d.pop("blockHash", UNSET)

        try:
            _reward_info = d.pop("rewardInfo", UNSET)
            reward_info: EmbeddedWalletAssetRewardInfo | Unset
            if isinstance(_reward_info, Unset):
                reward_info = UNSET
            else:
                reward_info = EmbeddedWalletAssetRewardInfo.from_dict(_reward_info)

        except (TypeError, ValueError, KeyError, AttributeError):
            reward_info = UNSET

        embedded_wallet_asset_balance = cls(
            total=total,
            available=available,
            pending=pending,
            frozen=frozen,
            locked_amount=locked_amount,
            id=id,
            block_height=block_height,
            block_hash=block_hash,
            reward_info=reward_info,
        )

        embedded_wallet_asset_balance.additional_properties = d
        return embedded_wallet_asset_balance

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
