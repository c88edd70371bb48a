from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
from ...models.error_schema import ErrorSchema
from ...models.vault_account import VaultAccount
from ...types import Response

OPERATION_ID: Final = "getVaultAccount"
"""The operationId of this endpoint in the OpenAPI document."""


def build_request_kwargs(
    vault_account_id: str,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation."""

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/vault/accounts/{vault_account_id}".format(
            vault_account_id=quote(str(vault_account_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorSchema | VaultAccount:
    if response.status_code == 200:
        response_200 = VaultAccount.from_dict(response.json())

        return response_200

    response_default = ErrorSchema.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorSchema | VaultAccount]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    vault_account_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorSchema | VaultAccount]:
    """Get a vault account by ID

     Get a vault account by its unique ID.
    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor, Viewer.

    Args:
        vault_account_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorSchema | VaultAccount]
    """

    kwargs = build_request_kwargs(
        vault_account_id=vault_account_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    vault_account_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorSchema | VaultAccount | None:
    """Get a vault account by ID

     Get a vault account by its unique ID.
    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor, Viewer.

    Args:
        vault_account_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorSchema | VaultAccount
    """

    return sync_detailed(
        vault_account_id=vault_account_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    vault_account_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorSchema | VaultAccount]:
    """Get a vault account by ID

     Get a vault account by its unique ID.
    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor, Viewer.

    Args:
        vault_account_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorSchema | VaultAccount]
    """

    kwargs = build_request_kwargs(
        vault_account_id=vault_account_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    vault_account_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorSchema | VaultAccount | None:
    """Get a vault account by ID

     Get a vault account by its unique ID.
    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor, Viewer.

    Args:
        vault_account_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorSchema | VaultAccount
    """

    return (
        await asyncio_detailed(
            vault_account_id=vault_account_id,
            client=client,
        )
    ).parsed
