from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_object import ErrorObject


T = TypeVar("T", bound="ErrorBody")


@_attrs_define
class ErrorBody:
    """The documented form is {"error": {"code", "message", "details"}} (the 401 of the user balances page). The v0.9 pages
    show `error` as a string, and the balance management pages show Django REST Framework's {"detail": "..."}; both are
    accepted.

        Attributes:
            error (ErrorObject | str | Unset):
            detail (str | Unset):
    """

    error: ErrorObject | str | Unset = UNSET
    detail: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.error_object import ErrorObject

        error: dict[str, Any] | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, ErrorObject):
            error = self.error.to_dict()
        else:
            error = self.error

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if error is not UNSET:
            field_dict["error"] = error
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_object import ErrorObject

        d = dict(src_dict)
        try:

            def _parse_error(data: object) -> ErrorObject | str | Unset:
                if isinstance(data, Unset):
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    error_type_0 = ErrorObject.from_dict(data)

                    return error_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(ErrorObject | str | Unset, data)

            error = _parse_error(d.pop("error", UNSET))

        except (TypeError, ValueError, KeyError, AttributeError):
            error = UNSET

        detail = d.pop("detail", UNSET)

        error_body = cls(
            error=error,
            detail=detail,
        )

        error_body.additional_properties = d
        return error_body

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
