from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rewards_info import RewardsInfo


T = TypeVar("T", bound="VaultAsset")


@_attrs_define
class VaultAsset:
    """
    Example:
        {'totalStakedCPU': 'totalStakedCPU', 'blockHash': 'blockHash', 'pendingRefundNetwork': 'pendingRefundNetwork',
            'lockedAmount': 'lockedAmount', 'pending': 'pending', 'staked': 'staked', 'rewardsInfo': {'pendingRewards':
            'pendingRewards'}, 'available': 'available', 'frozen': 'frozen', 'selfStakedCPU': 'selfStakedCPU',
            'totalStakedNetwork': 'totalStakedNetwork', 'total': 'total', 'balance': 'balance', 'blockHeight':
            'blockHeight', 'selfStakedNetwork': 'selfStakedNetwork', 'pendingRefundCPU': 'pendingRefundCPU', 'id': 'id'}

    Attributes:
        id (str | Unset):
        total (str | Unset): The total wallet balance. In EOS this value includes the network balance, self staking and
            pending refund. For all other coins it is the balance as it appears on the blockchain.
        balance (str | Unset): Deprecated - replaced by "total"
        available (str | Unset): Funds available for transfer. Equals the blockchain balance minus any locked amounts
        pending (str | Unset): The cumulative balance of all transactions pending to be cleared
        frozen (str | Unset): The cumulative frozen balance
        locked_amount (str | Unset): Funds in outgoing transactions that are not yet published to the network
        staked (str | Unset): Staked balance
        total_staked_cpu (str | Unset): Deprecated
        total_staked_network (str | Unset): Deprecated
        self_staked_cpu (str | Unset): Deprecated
        self_staked_network (str | Unset): Deprecated
        pending_refund_cpu (str | Unset): Deprecated
        pending_refund_network (str | Unset): Deprecated
        block_height (str | Unset):
        block_hash (str | Unset):
        rewards_info (RewardsInfo | Unset):  Example: {'pendingRewards': 'pendingRewards'}.
    """

    id: str | Unset = UNSET
    total: str | Unset = UNSET
    balance: str | Unset = UNSET
    available: str | Unset = UNSET
    pending: str | Unset = UNSET
    frozen: str | Unset = UNSET
    locked_amount: str | Unset = UNSET
    staked: str | Unset = UNSET
    total_staked_cpu: str | Unset = UNSET
    total_staked_network: str | Unset = UNSET
    self_staked_cpu: str | Unset = UNSET
    self_staked_network: str | Unset = UNSET
    pending_refund_cpu: str | Unset = UNSET
    pending_refund_network: str | Unset = UNSET
    block_height: str | Unset = UNSET
    block_hash: str | Unset = UNSET
    rewards_info: RewardsInfo | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        total = self.total

        balance = self.balance

        available = self.available

        pending = self.pending

        frozen = self.frozen

        locked_amount = self.locked_amount

        staked = self.staked

        total_staked_cpu = self.total_staked_cpu

        total_staked_network = self.total_staked_network

        self_staked_cpu = self.self_staked_cpu

        self_staked_network = self.self_staked_network

        pending_refund_cpu = self.pending_refund_cpu

        pending_refund_network = self.pending_refund_network

        block_height = self.block_height

        block_hash = self.block_hash

        rewards_info: dict[str, Any] | Unset = UNSET
        if not isinstance(self.rewards_info, Unset):
            rewards_info = self.rewards_info.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if total is not UNSET:
            field_dict["total"] = total
        if balance is not UNSET:
            field_dict["balance"] = balance
        if available is not UNSET:
            field_dict["available"] = available
        if pending is not UNSET:
            field_dict["pending"] = pending
        if frozen is not UNSET:
            field_dict["frozen"] = frozen
        if locked_amount is not UNSET:
            field_dict["lockedAmount"] = locked_amount
        if staked is not UNSET:
            field_dict["staked"] = staked
        if total_staked_cpu is not UNSET:
            field_dict["totalStakedCPU"] = total_staked_cpu
        if total_staked_network is not UNSET:
            field_dict["totalStakedNetwork"] = total_staked_network
        if self_staked_cpu is not UNSET:
            field_dict["selfStakedCPU"] = self_staked_cpu
        if self_staked_network is not UNSET:
            field_dict["selfStakedNetwork"] = self_staked_network
        if pending_refund_cpu is not UNSET:
            field_dict["pendingRefundCPU"] = pending_refund_cpu
        if pending_refund_network is not UNSET:
            field_dict["pendingRefundNetwork"] = pending_refund_network
        if block_height is not UNSET:
            field_dict["blockHeight"] = block_height
        if block_hash is not UNSET:
            field_dict["blockHash"] = block_hash
        if rewards_info is not UNSET:
            field_dict["rewardsInfo"] = rewards_info

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.rewards_info import RewardsInfo

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        total = d.pop("total", UNSET)

        balance = d.pop("balance", UNSET)

        available = d.pop("available", UNSET)

        pending = d.pop("pending", UNSET)

        frozen = d.pop("frozen", UNSET)

        locked_amount = d.pop("lockedAmount", UNSET)

        staked = d.pop("staked", UNSET)

        total_staked_cpu = d.pop("totalStakedCPU", UNSET)

        total_staked_network = d.pop("totalStakedNetwork", UNSET)

        self_staked_cpu = d.pop("selfStakedCPU", UNSET)

        self_staked_network = d.pop("selfStakedNetwork", UNSET)

        pending_refund_cpu = d.pop("pendingRefundCPU", UNSET)

        pending_refund_network = d.pop("pendingRefundNetwork", UNSET)

        block_height = d.pop("blockHeight", UNSET)

        block_hash = d.pop("blockHash", UNSET)

        try:
            _rewards_info = d.pop("rewardsInfo", UNSET)
            rewards_info: RewardsInfo | Unset
            if isinstance(_rewards_info, Unset):
                rewards_info = UNSET
            else:
                rewards_info = RewardsInfo.from_dict(_rewards_info)

        except (TypeError, ValueError, KeyError, AttributeError):
            rewards_info = UNSET

        vault_asset = cls(
            id=id,
            total=total,
            balance=balance,
            available=available,
            pending=pending,
            frozen=frozen,
            locked_amount=locked_amount,
            staked=staked,
            total_staked_cpu=total_staked_cpu,
            total_staked_network=total_staked_network,
            self_staked_cpu=self_staked_cpu,
            self_staked_network=self_staked_network,
            pending_refund_cpu=pending_refund_cpu,
            pending_refund_network=pending_refund_network,
            block_height=block_height,
            block_hash=block_hash,
            rewards_info=rewards_info,
        )

        vault_asset.additional_properties = d
        return vault_asset

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
