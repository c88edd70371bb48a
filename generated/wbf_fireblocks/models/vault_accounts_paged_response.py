from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.vault_account import VaultAccount
    from ..models.vault_accounts_paged_response_paging import (
        VaultAccountsPagedResponsePaging,
    )


T = TypeVar("T", bound="VaultAccountsPagedResponse")


@_attrs_define
class VaultAccountsPagedResponse:
    """
    Example:
        {'previousUrl': 'previousUrl', 'paging': {'before': 'before', 'after': 'after'}, 'accounts': [{'assets':
            [{'totalStakedCPU': 'totalStakedCPU', 'blockHash': 'blockHash', 'pendingRefundNetwork': 'pendingRefundNetwork',
            'lockedAmount': 'lockedAmount', 'pending': 'pending', 'staked': 'staked', 'rewardsInfo': {'pendingRewards':
            'pendingRewards'}, 'available': 'available', 'frozen': 'frozen', 'selfStakedCPU': 'selfStakedCPU',
            'totalStakedNetwork': 'totalStakedNetwork', 'total': 'total', 'balance': 'balance', 'blockHeight':
            'blockHeight', 'selfStakedNetwork': 'selfStakedNetwork', 'pendingRefundCPU': 'pendingRefundCPU', 'id': 'id'},
            {'totalStakedCPU': 'totalStakedCPU', 'blockHash': 'blockHash', 'pendingRefundNetwork': 'pendingRefundNetwork',
            'lockedAmount': 'lockedAmount', 'pending': 'pending', 'staked': 'staked', 'rewardsInfo': {'pendingRewards':
            'pendingRewards'}, 'available': 'available', 'frozen': 'frozen', 'selfStakedCPU': 'selfStakedCPU',
            'totalStakedNetwork': 'totalStakedNetwork', 'total': 'total', 'balance': 'balance', 'blockHeight':
            'blockHeight', 'selfStakedNetwork': 'selfStakedNetwork', 'pendingRefundCPU': 'pendingRefundCPU', 'id': 'id'}],
            'hiddenOnUI': True, 'name': 'name', 'id': 'id', 'customerRefId': 'customerRefId', 'autoFuel': True, 'tags':
            [{'isProtected': False, 'color': '#FF5733', 'description': 'Tag for VIP customers', 'id':
            'df4c0987-30da-4976-8dcf-bc2dd41ae331', 'label': 'VIP', 'type': 'WALLET_POOL', 'allowedEntityTypes':
            ['vault_account'], 'pendingApprovalRequest': {'id': '12345', 'state': 'PENDING', 'type': 'TAG_UPDATE'},
            'updatedAt': 1717084800000}, {'isProtected': False, 'color': '#FF5733', 'description': 'Tag for VIP customers',
            'id': 'df4c0987-30da-4976-8dcf-bc2dd41ae331', 'label': 'VIP', 'type': 'WALLET_POOL', 'allowedEntityTypes':
            ['vault_account'], 'pendingApprovalRequest': {'id': '12345', 'state': 'PENDING', 'type': 'TAG_UPDATE'},
            'updatedAt': 1717084800000}]}, {'assets': [{'totalStakedCPU': 'totalStakedCPU', 'blockHash': 'blockHash',
            'pendingRefundNetwork': 'pendingRefundNetwork', 'lockedAmount': 'lockedAmount', 'pending': 'pending', 'staked':
            'staked', 'rewardsInfo': {'pendingRewards': 'pendingRewards'}, 'available': 'available', 'frozen': 'frozen',
            'selfStakedCPU': 'selfStakedCPU', 'totalStakedNetwork': 'totalStakedNetwork', 'total': 'total', 'balance':
            'balance', 'blockHeight': 'blockHeight', 'selfStakedNetwork': 'selfStakedNetwork', 'pendingRefundCPU':
            'pendingRefundCPU', 'id': 'id'}, {'totalStakedCPU': 'totalStakedCPU', 'blockHash': 'blockHash',
            'pendingRefundNetwork': 'pendingRefundNetwork', 'lockedAmount': 'lockedAmount', 'pending': 'pending', 'staked':
            'staked', 'rewardsInfo': {'pendingRewards': 'pendingRewards'}, 'available': 'available', 'frozen': 'frozen',
            'selfStakedCPU': 'selfStakedCPU', 'totalStakedNetwork': 'totalStakedNetwork', 'total': 'total', 'balance':
            'balance', 'blockHeight': 'blockHeight', 'selfStakedNetwork': 'selfStakedNetwork', 'pendingRefundCPU':
            'pendingRefundCPU', 'id': 'id'}], 'hiddenOnUI': True, 'name': 'name', 'id': 'id', 'customerRefId':
            'customerRefId', 'autoFuel': True, 'tags': [{'isProtected': False, 'color': '#FF5733', 'description': 'Tag for
            VIP customers', 'id': 'df4c0987-30da-4976-8dcf-bc2dd41ae331', 'label': 'VIP', 'type': 'WALLET_POOL',
            'allowedEntityTypes': ['vault_account'], 'pendingApprovalRequest': {'id': '12345', 'state': 'PENDING', 'type':
            'TAG_UPDATE'}, 'updatedAt': 1717084800000}, {'isProtected': False, 'color': '#FF5733', 'description': 'Tag for
            VIP customers', 'id': 'df4c0987-30da-4976-8dcf-bc2dd41ae331', 'label': 'VIP', 'type': 'WALLET_POOL',
            'allowedEntityTypes': ['vault_account'], 'pendingApprovalRequest': {'id': '12345', 'state': 'PENDING', 'type':
            'TAG_UPDATE'}, 'updatedAt': 1717084800000}]}], 'nextUrl': 'nextUrl'}

    Attributes:
        accounts (list[VaultAccount] | Unset):
        paging (VaultAccountsPagedResponsePaging | Unset):  Example: {'before': 'before', 'after': 'after'}.
        previous_url (str | Unset):
        next_url (str | Unset):
    """

    accounts: list[VaultAccount] | Unset = UNSET
    paging: VaultAccountsPagedResponsePaging | Unset = UNSET
    previous_url: str | Unset = UNSET
    next_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accounts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.accounts, Unset):
            accounts = []
            for accounts_item_data in self.accounts:
                accounts_item = accounts_item_data.to_dict()
                accounts.append(accounts_item)

        paging: dict[str, Any] | Unset = UNSET
        if not isinstance(self.paging, Unset):
            paging = self.paging.to_dict()

        previous_url = self.previous_url

        next_url = self.next_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if accounts is not UNSET:
            field_dict["accounts"] = accounts
        if paging is not UNSET:
            field_dict["paging"] = paging
        if previous_url is not UNSET:
            field_dict["previousUrl"] = previous_url
        if next_url is not UNSET:
            field_dict["nextUrl"] = next_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.vault_account import VaultAccount
        from ..models.vault_accounts_paged_response_paging import (
            VaultAccountsPagedResponsePaging,
        )

        d = dict(src_dict)
        try:
            _accounts = d.pop("accounts", UNSET)
            accounts: list[VaultAccount] | Unset = UNSET
            if _accounts is not UNSET:
                accounts = []
                for accounts_item_data in _accounts:
                    accounts_item = VaultAccount.from_dict(accounts_item_data)

                    accounts.append(accounts_item)

        except (TypeError, ValueError, KeyError, AttributeError):
            accounts = UNSET

        try:
            _paging = d.pop("paging", UNSET)
            paging: VaultAccountsPagedResponsePaging | Unset
            if isinstance(_paging, Unset):
                paging = UNSET
            else:
                paging = VaultAccountsPagedResponsePaging.from_dict(_paging)

        except (TypeError, ValueError, KeyError, AttributeError):
            paging = UNSET

        previous_url = d.pop("previousUrl", UNSET)

        next_url = d.pop("nextUrl", UNSET)

        vault_accounts_paged_response = cls(
            accounts=accounts,
            paging=paging,
            previous_url=previous_url,
            next_url=next_url,
        )

        vault_accounts_paged_response.additional_properties = d
        return vault_accounts_paged_response

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
