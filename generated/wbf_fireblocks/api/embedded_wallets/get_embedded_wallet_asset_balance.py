from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
from ...models.embedded_wallet_asset_balance import EmbeddedWalletAssetBalance
from ...models.error_schema import ErrorSchema
from ...types import Response

OPERATION_ID: Final = "GetEmbeddedWalletAssetBalance"
"""The operationId of this endpoint in the OpenAPI document."""


def build_request_kwargs(
    wallet_id: str,
    account_id: str,
    asset_id: str,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation."""

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/ncw/wallets/{wallet_id}/accounts/{account_id}/assets/{asset_id}/balance".format(
            wallet_id=quote(str(wallet_id), safe=""),
            account_id=quote(str(account_id), safe=""),
            asset_id=quote(str(asset_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmbeddedWalletAssetBalance | ErrorSchema:
    if response.status_code == 200:
        response_200 = EmbeddedWalletAssetBalance.from_dict(response.json())

        return response_200

    response_default = ErrorSchema.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EmbeddedWalletAssetBalance | ErrorSchema]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    wallet_id: str,
    account_id: str,
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[EmbeddedWalletAssetBalance | ErrorSchema]:
    """Retrieve asset balance

     Get balance for specific asset, under a specific account

    Args:
        wallet_id (str):
        account_id (str):
        asset_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmbeddedWalletAssetBalance | ErrorSchema]
    """

    kwargs = build_request_kwargs(
        wallet_id=wallet_id,
        account_id=account_id,
        asset_id=asset_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    wallet_id: str,
    account_id: str,
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> EmbeddedWalletAssetBalance | ErrorSchema | None:
    """Retrieve asset balance

     Get balance for specific asset, under a specific account

    Args:
        wallet_id (str):
        account_id (str):
        asset_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmbeddedWalletAssetBalance | ErrorSchema
    """

    return sync_detailed(
        wallet_id=wallet_id,
        account_id=account_id,
        asset_id=asset_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    wallet_id: str,
    account_id: str,
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[EmbeddedWalletAssetBalance | ErrorSchema]:
    """Retrieve asset balance

     Get balance for specific asset, under a specific account

    Args:
        wallet_id (str):
        account_id (str):
        asset_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmbeddedWalletAssetBalance | ErrorSchema]
    """

    kwargs = build_request_kwargs(
        wallet_id=wallet_id,
        account_id=account_id,
        asset_id=asset_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    wallet_id: str,
    account_id: str,
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> EmbeddedWalletAssetBalance | ErrorSchema | None:
    """Retrieve asset balance

     Get balance for specific asset, under a specific account

    Args:
        wallet_id (str):
        account_id (str):
        asset_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmbeddedWalletAssetBalance | ErrorSchema
    """

    return (
        await asyncio_detailed(
            wallet_id=wallet_id,
            account_id=account_id,
            asset_id=asset_id,
            client=client,
        )
    ).parsed
