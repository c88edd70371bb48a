from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
from ...models.error_schema import ErrorSchema
from ...models.vault_asset import VaultAsset
from ...types import UNSET, Response, Unset

OPERATION_ID: Final = "updateVaultAccountAssetBalance"
"""The operationId of this endpoint in the OpenAPI document."""


def build_request_kwargs(
    vault_account_id: str,
    asset_id: str,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation."""
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/vault/accounts/{vault_account_id}/{asset_id}/balance".format(
            vault_account_id=quote(str(vault_account_id), safe=""),
            asset_id=quote(str(asset_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
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
    idempotency_key: str | Unset = UNSET,
) -> Response[ErrorSchema | VaultAsset]:
    """Refresh asset balance data

     Updates the balance of a specific asset in a vault account.

    This API endpoint is subject to a strict rate limit.
    Should be used by clients in very specific scenarios.

    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor.

    Args:
        vault_account_id (str):
        asset_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorSchema | VaultAsset]
    """

    kwargs = build_request_kwargs(
        vault_account_id=vault_account_id,
        asset_id=asset_id,
        idempotency_key=idempotency_key,
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
    idempotency_key: str | Unset = UNSET,
) -> ErrorSchema | VaultAsset | None:
    """Refresh asset balance data

     Updates the balance of a specific asset in a vault account.

    This API endpoint is subject to a strict rate limit.
    Should be used by clients in very specific scenarios.

    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor.

    Args:
        vault_account_id (str):
        asset_id (str):
        idempotency_key (str | Unset):

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
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    vault_account_id: str,
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,
) -> Response[ErrorSchema | VaultAsset]:
    """Refresh asset balance data

     Updates the balance of a specific asset in a vault account.

    This API endpoint is subject to a strict rate limit.
    Should be used by clients in very specific scenarios.

    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor.

    Args:
        vault_account_id (str):
        asset_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorSchema | VaultAsset]
    """

    kwargs = build_request_kwargs(
        vault_account_id=vault_account_id,
        asset_id=asset_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vault_account_id: str,
    asset_id: str,
    *,
    client: AuthenticatedClient | Client,
    idempotency_key: str | Unset = UNSET,
) -> ErrorSchema | VaultAsset | None:
    """Refresh asset balance data

     Updates the balance of a specific asset in a vault account.

    This API endpoint is subject to a strict rate limit.
    Should be used by clients in very specific scenarios.

    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor.

    Args:
        vault_account_id (str):
        asset_id (str):
        idempotency_key (str | Unset):

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
            idempotency_key=idempotency_key,
        )
    ).parsed
