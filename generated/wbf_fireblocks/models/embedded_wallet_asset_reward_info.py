from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EmbeddedWalletAssetRewardInfo")


@_attrs_define
class EmbeddedWalletAssetRewardInfo:
    """
    Example:
        {'pendingRewards': '5'}

    Attributes:
        pending_rewards (str): Amount that is pending for rewards Example: 5.
    """

    pending_rewards: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pending_rewards = self.pending_rewards

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pendingRewards": pending_rewards,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        pending_rewards = d.pop("pendingRewards")

        embedded_wallet_asset_reward_info = cls(
            pending_rewards=pending_rewards,
        )

        embedded_wallet_asset_reward_info.additional_properties = d
        return embedded_wallet_asset_reward_info

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
