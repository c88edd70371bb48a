from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tag_type import TagType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.approval_request import ApprovalRequest


T = TypeVar("T", bound="Tag")


@_attrs_define
class Tag:
    """
    Example:
        {'isProtected': False, 'color': '#FF5733', 'description': 'Tag for VIP customers', 'id':
            'df4c0987-30da-4976-8dcf-bc2dd41ae331', 'label': 'VIP', 'type': 'WALLET_POOL', 'allowedEntityTypes':
            ['vault_account'], 'pendingApprovalRequest': {'id': '12345', 'state': 'PENDING', 'type': 'TAG_UPDATE'},
            'updatedAt': 1717084800000}

    Attributes:
        id (UUID): The unique identifier of the tag Example: df4c0987-30da-4976-8dcf-bc2dd41ae331.
        label (str): The tag label Example: VIP.
        is_protected (bool): Indication if the tag is a protected tag Default: False.
        updated_at (float): The date and time the tag was last updated Example: 1717084800000.
        description (str | Unset): Description for the tag Example: Tag for VIP customers.
        color (str | Unset): The tag color in hex format Example: #FF5733.
        type_ (TagType | Unset): The tag type, indicating the domain that owns the tag
        allowed_entity_types (list[str] | Unset): The entity types this tag may be attached to. Tags created before this
            field was introduced read back as ['vault_account']. Known values: vault_account (default), contact. Example:
            ['vault_account'].
        pending_approval_request (ApprovalRequest | Unset): Approval request details Example: {'id': '12345', 'state':
            'PENDING', 'type': 'TAG_UPDATE'}.
    """

    id: UUID
    label: str
    updated_at: float
    is_protected: bool = False
    description: str | Unset = UNSET
    color: str | Unset = UNSET
    type_: TagType | Unset = UNSET
    allowed_entity_types: list[str] | Unset = UNSET
    pending_approval_request: ApprovalRequest | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        label = self.label

        is_protected = self.is_protected

        updated_at = self.updated_at

        description = self.description

        color = self.color

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        allowed_entity_types: list[str] | Unset = UNSET
        if not isinstance(self.allowed_entity_types, Unset):
            allowed_entity_types = self.allowed_entity_types

        pending_approval_request: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pending_approval_request, Unset):
            pending_approval_request = self.pending_approval_request.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "label": label,
                "isProtected": is_protected,
                "updatedAt": updated_at,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if color is not UNSET:
            field_dict["color"] = color
        if type_ is not UNSET:
            field_dict["type"] = type_
        if allowed_entity_types is not UNSET:
            field_dict["allowedEntityTypes"] = allowed_entity_types
        if pending_approval_request is not UNSET:
            field_dict["pendingApprovalRequest"] = pending_approval_request

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.approval_request import ApprovalRequest

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        label = d.pop("label")

        is_protected = d.pop("isProtected")

        updated_at = d.pop("updatedAt")

        description = d.pop("description", UNSET)

        color = d.pop("color", UNSET)

        try:
            _type_ = d.pop("type", UNSET)
            type_: TagType | Unset
            if isinstance(_type_, Unset):
                type_ = UNSET
            else:
                type_ = TagType(_type_)

        except (TypeError, ValueError, KeyError, AttributeError):
            type_ = UNSET

        try:
            allowed_entity_types = cast(list[str], d.pop("allowedEntityTypes", UNSET))

        except (TypeError, ValueError, KeyError, AttributeError):
            allowed_entity_types = UNSET

        try:
            _pending_approval_request = d.pop("pendingApprovalRequest", UNSET)
            pending_approval_request: ApprovalRequest | Unset
            if isinstance(_pending_approval_request, Unset):
                pending_approval_request = UNSET
            else:
                pending_approval_request = ApprovalRequest.from_dict(
                    _pending_approval_request
                )

        except (TypeError, ValueError, KeyError, AttributeError):
            pending_approval_request = UNSET

        tag = cls(
            id=id,
            label=label,
            is_protected=is_protected,
            updated_at=updated_at,
            description=description,
            color=color,
            type_=type_,
            allowed_entity_types=allowed_entity_types,
            pending_approval_request=pending_approval_request,
        )

        tag.additional_properties = d
        return tag

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
