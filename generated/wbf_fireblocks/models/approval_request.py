from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.approval_request_state import ApprovalRequestState
from ..models.approval_request_type import ApprovalRequestType

T = TypeVar("T", bound="ApprovalRequest")


@_attrs_define
class ApprovalRequest:
    """Approval request details

    Example:
        {'id': '12345', 'state': 'PENDING', 'type': 'TAG_UPDATE'}

    Attributes:
        id (str): The approval request identifier Example: 12345.
        type_ (ApprovalRequestType): The approval request type
        state (ApprovalRequestState): The approval request state
    """

    id: str
    type_: ApprovalRequestType
    state: ApprovalRequestState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        state = self.state.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        type_ = ApprovalRequestType(d.pop("type"))

        state = ApprovalRequestState(d.pop("state"))

        approval_request = cls(
            id=id,
            type_=type_,
            state=state,
        )

        approval_request.additional_properties = d
        return approval_request

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
