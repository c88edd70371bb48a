from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.wallet_balance import WalletBalance


T = TypeVar("T", bound="AssetBalanceEnvelope")


@_attrs_define
class AssetBalanceEnvelope:
    """
    Attributes:
        status (int):
        data (WalletBalance):
        msg (None | str | Unset):
        code (Any | Unset): Error code; null on success. Its type is not documented.
        trace_id (None | str | Unset):
    """

    status: int
    data: WalletBalance
    msg: None | str | Unset = UNSET
    code: Any | Unset = UNSET
    trace_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        data = self.data.to_dict()

        msg: None | str | Unset
        if isinstance(self.msg, Unset):
            msg = UNSET
        else:
            msg = self.msg

        code = self.code

        trace_id: None | str | Unset
        if isinstance(self.trace_id, Unset):
            trace_id = UNSET
        else:
            trace_id = self.trace_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "data": data,
            }
        )
        if msg is not UNSET:
            field_dict["msg"] = msg
        if code is not UNSET:
            field_dict["code"] = code
        if trace_id is not UNSET:
            field_dict["traceId"] = trace_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.wallet_balance import WalletBalance

        d = dict(src_dict)
        status = d.pop("status")

        data = WalletBalance.from_dict(d.pop("data"))

        try:

            def _parse_msg(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                return cast(None | str | Unset, data)

            msg = _parse_msg(d.pop("msg", UNSET))

        except (TypeError, ValueError, KeyError, AttributeError):
            msg = UNSET

        code = d.pop("code", UNSET)

        try:

            def _parse_trace_id(data: object) -> None | str | Unset:
                if data is None:
                    return data
                if isinstance(data, Unset):
                    return data
                return cast(None | str | Unset, data)

            trace_id = _parse_trace_id(d.pop("traceId", UNSET))

        except (TypeError, ValueError, KeyError, AttributeError):
            trace_id = UNSET

        asset_balance_envelope = cls(
            status=status,
            data=data,
            msg=msg,
            code=code,
            trace_id=trace_id,
        )

        asset_balance_envelope.additional_properties = d
        return asset_balance_envelope

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
