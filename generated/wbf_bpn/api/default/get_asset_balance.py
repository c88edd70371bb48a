from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
from ...models.asset_balance_envelope import AssetBalanceEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset

OPERATION_ID: Final = "getAssetBalance"
"""The operationId of this endpoint in the OpenAPI document."""


def build_request_kwargs(
    *,
    currency: str | Unset = UNSET,
    wallet_id: str | Unset = UNSET,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation."""

    params: dict[str, Any] = {}

    params["currency"] = currency

    params["walletId"] = wallet_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/wallet/asset-balance",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AssetBalanceEnvelope | ErrorEnvelope:
    if response.status_code == 200:
        response_200 = AssetBalanceEnvelope.from_dict(response.json())

        return response_200

    response_default = ErrorEnvelope.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AssetBalanceEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    currency: str | Unset = UNSET,
    wallet_id: str | Unset = UNSET,
) -> Response[AssetBalanceEnvelope | ErrorEnvelope]:
    """Get Asset Balance

     Mode 1 (no currency): balances for all supported currencies with their total USD equivalent. Mode 2
    (currency given): that currency only.

    Args:
        currency (str | Unset):
        wallet_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetBalanceEnvelope | ErrorEnvelope]
    """

    kwargs = build_request_kwargs(
        currency=currency,
        wallet_id=wallet_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    currency: str | Unset = UNSET,
    wallet_id: str | Unset = UNSET,
) -> AssetBalanceEnvelope | ErrorEnvelope | None:
    """Get Asset Balance

     Mode 1 (no currency): balances for all supported currencies with their total USD equivalent. Mode 2
    (currency given): that currency only.

    Args:
        currency (str | Unset):
        wallet_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetBalanceEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        currency=currency,
        wallet_id=wallet_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    currency: str | Unset = UNSET,
    wallet_id: str | Unset = UNSET,
) -> Response[AssetBalanceEnvelope | ErrorEnvelope]:
    """Get Asset Balance

     Mode 1 (no currency): balances for all supported currencies with their total USD equivalent. Mode 2
    (currency given): that currency only.

    Args:
        currency (str | Unset):
        wallet_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssetBalanceEnvelope | ErrorEnvelope]
    """

    kwargs = build_request_kwargs(
        currency=currency,
        wallet_id=wallet_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    currency: str | Unset = UNSET,
    wallet_id: str | Unset = UNSET,
) -> AssetBalanceEnvelope | ErrorEnvelope | None:
    """Get Asset Balance

     Mode 1 (no currency): balances for all supported currencies with their total USD equivalent. Mode 2
    (currency given): that currency only.

    Args:
        currency (str | Unset):
        wallet_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssetBalanceEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            currency=currency,
            wallet_id=wallet_id,
        )
    ).parsed
