from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
from ...models.error_schema import ErrorSchema
from ...models.vault_asset import VaultAsset
from ...types import Response

OPERATION_ID: Final = "getVaultAccountAsset"
"""The operationId of this endpoint in the OpenAPI document."""


def build_request_kwargs(
    vault_account_id: str,
    asset_id: str,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation."""

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/vault/accounts/{vault_account_id}/{asset_id}".format(
            vault_account_id=quote(str(vault_account_id), safe=""),
            asset_id=quote(str(asset_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorSchema | VaultAsset:
    if response.status_code == 200:
        response_200 = VaultAsset.from_dict(response.json())

        return response_200

    response_default = ErrorSchema.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorSchema | VaultAsset]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    vault_account_id: str,
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorSchema | VaultAsset]:
    """Get the asset balance for a vault account

     Returns a specific vault wallet balance information for a specific asset.

    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor,
      Viewer.

    Args:
        vault_account_id (str):
        asset_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorSchema | VaultAsset]
    """

    kwargs = build_request_kwargs(
        vault_account_id=vault_account_id,
        asset_id=asset_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    vault_account_id: str,
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorSchema | VaultAsset | None:
    """Get the asset balance for a vault account

     Returns a specific vault wallet balance information for a specific asset.

    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor,
      Viewer.

    Args:
        vault_account_id (str):
        asset_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorSchema | VaultAsset
    """

    return sync_detailed(
        vault_account_id=vault_account_id,
        asset_id=asset_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    vault_account_id: str,
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorSchema | VaultAsset]:
    """Get the asset balance for a vault account

     Returns a specific vault wallet balance information for a specific asset.

    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor,
      Viewer.

    Args:
        vault_account_id (str):
        asset_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorSchema | VaultAsset]
    """

    kwargs = build_request_kwargs(
        vault_account_id=vault_account_id,
        asset_id=asset_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vault_account_id: str,
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorSchema | VaultAsset | None:
    """Get the asset balance for a vault account

     Returns a specific vault wallet balance information for a specific asset.

    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor,
      Viewer.

    Args:
        vault_account_id (str):
        asset_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorSchema | VaultAsset
    """

    return (
        await asyncio_detailed(
            vault_account_id=vault_account_id,
            asset_id=asset_id,
            client=client,
        )
    ).parsed
