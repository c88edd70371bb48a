from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TokenResponse")


@_attrs_define
class TokenResponse:
    """
    Attributes:
        access_token (str):
        token_type (str):
        expires_in (int): Lifetime in seconds (documented as 3600 in one place, 36000 in another).
        scope (str | Unset):
        issued_at (datetime.datetime | Unset): When the token was issued (ISO 8601), per the token page's field list.
    """

    access_token: str
    token_type: str
    expires_in: int
    scope: str | Unset = UNSET
    issued_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        token_type = self.token_type

        expires_in = self.expires_in

        scope = self.scope

        issued_at: str | Unset = UNSET
        if not isinstance(self.issued_at, Unset):
            issued_at = self.issued_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_token": access_token,
                "token_type": token_type,
                "expires_in": expires_in,
            }
        )
        if scope is not UNSET:
            field_dict["scope"] = scope
        if issued_at is not UNSET:
            field_dict["issued_at"] = issued_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        access_token = d.pop("access_token")

        token_type = d.pop("token_type")

        expires_in = d.pop("expires_in")

        scope = d.pop("scope", UNSET)

        try:
            _issued_at = d.pop("issued_at", UNSET)
            issued_at: datetime.datetime | Unset
            if isinstance(_issued_at, Unset):
                issued_at = UNSET
            else:
                issued_at = datetime.datetime.fromisoformat(_issued_at)

        except (TypeError, ValueError, KeyError, AttributeError):
            issued_at = UNSET

        token_response = cls(
            access_token=access_token,
            token_type=token_type,
            expires_in=expires_in,
            scope=scope,
            issued_at=issued_at,
        )

        token_response.additional_properties = d
        return token_response

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
