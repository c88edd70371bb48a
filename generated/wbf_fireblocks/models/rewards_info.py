from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RewardsInfo")


@_attrs_define
class RewardsInfo:
    """
    Example:
        {'pendingRewards': 'pendingRewards'}

    Attributes:
        pending_rewards (str | Unset): Amount that is pending for rewards
    """

    pending_rewards: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pending_rewards = self.pending_rewards

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if pending_rewards is not UNSET:
            field_dict["pendingRewards"] = pending_rewards

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        pending_rewards = d.pop("pendingRewards", UNSET)

        rewards_info = cls(
            pending_rewards=pending_rewards,
        )

        rewards_info.additional_properties = d
        return rewards_info

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
