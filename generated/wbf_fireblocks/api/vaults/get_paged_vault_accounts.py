from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final

import httpx

if TYPE_CHECKING:
    from ...client import AuthenticatedClient, Client
from uuid import UUID

from ...models.error_schema import ErrorSchema
from ...models.get_paged_vault_accounts_order_by import GetPagedVaultAccountsOrderBy
from ...models.vault_accounts_paged_response import VaultAccountsPagedResponse
from ...types import UNSET, Response, Unset

OPERATION_ID: Final = "getPagedVaultAccounts"
"""The operationId of this endpoint in the OpenAPI document."""


def build_request_kwargs(
    *,
    name_prefix: str | Unset = UNSET,
    name_suffix: str | Unset = UNSET,
    min_amount_threshold: float | Unset = UNSET,
    asset_id: str | Unset = UNSET,
    order_by: GetPagedVaultAccountsOrderBy | Unset = GetPagedVaultAccountsOrderBy.DESC,
    before: str | Unset = UNSET,
    after: str | Unset = UNSET,
    limit: float | Unset = 200.0,
    tag_ids: list[UUID] | Unset = UNSET,
    include_tag_ids: list[UUID] | Unset = UNSET,
    exclude_tag_ids: list[UUID] | Unset = UNSET,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.build_request`` for this operation."""

    params: dict[str, Any] = {}

    params["namePrefix"] = name_prefix

    params["nameSuffix"] = name_suffix

    params["minAmountThreshold"] = min_amount_threshold

    params["assetId"] = asset_id

    json_order_by: str | Unset = UNSET
    if not isinstance(order_by, Unset):
        json_order_by = order_by.value

    params["orderBy"] = json_order_by

    params["before"] = before

    params["after"] = after

    params["limit"] = limit

    json_tag_ids: list[str] | Unset = UNSET
    if not isinstance(tag_ids, Unset):
        json_tag_ids = []
        for tag_ids_item_data in tag_ids:
            tag_ids_item = str(tag_ids_item_data)
            json_tag_ids.append(tag_ids_item)

    params["tagIds"] = json_tag_ids

    json_include_tag_ids: list[str] | Unset = UNSET
    if not isinstance(include_tag_ids, Unset):
        json_include_tag_ids = []
        for include_tag_ids_item_data in include_tag_ids:
            include_tag_ids_item = str(include_tag_ids_item_data)
            json_include_tag_ids.append(include_tag_ids_item)

    params["includeTagIds"] = json_include_tag_ids

    json_exclude_tag_ids: list[str] | Unset = UNSET
    if not isinstance(exclude_tag_ids, Unset):
        json_exclude_tag_ids = []
        for exclude_tag_ids_item_data in exclude_tag_ids:
            exclude_tag_ids_item = str(exclude_tag_ids_item_data)
            json_exclude_tag_ids.append(exclude_tag_ids_item)

    params["excludeTagIds"] = json_exclude_tag_ids

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/vault/accounts_paged",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorSchema | VaultAccountsPagedResponse:
    if response.status_code == 200:
        response_200 = VaultAccountsPagedResponse.from_dict(response.json())

        return response_200

    response_default = ErrorSchema.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorSchema | VaultAccountsPagedResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    name_prefix: str | Unset = UNSET,
    name_suffix: str | Unset = UNSET,
    min_amount_threshold: float | Unset = UNSET,
    asset_id: str | Unset = UNSET,
    order_by: GetPagedVaultAccountsOrderBy | Unset = GetPagedVaultAccountsOrderBy.DESC,
    before: str | Unset = UNSET,
    after: str | Unset = UNSET,
    limit: float | Unset = 200.0,
    tag_ids: list[UUID] | Unset = UNSET,
    include_tag_ids: list[UUID] | Unset = UNSET,
    exclude_tag_ids: list[UUID] | Unset = UNSET,
) -> Response[ErrorSchema | VaultAccountsPagedResponse]:
    """Get vault accounts (Paginated)

     Gets all vault accounts in your workspace. This endpoint returns a limited amount of results with a
    quick response time.
    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor, Viewer.

    Args:
        name_prefix (str | Unset):
        name_suffix (str | Unset):
        min_amount_threshold (float | Unset):  Example: 10.
        asset_id (str | Unset):
        order_by (GetPagedVaultAccountsOrderBy | Unset):  Default:
            GetPagedVaultAccountsOrderBy.DESC.
        before (str | Unset):
        after (str | Unset):
        limit (float | Unset):  Default: 200.0.
        tag_ids (list[UUID] | Unset):
        include_tag_ids (list[UUID] | Unset):
        exclude_tag_ids (list[UUID] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorSchema | VaultAccountsPagedResponse]
    """

    kwargs = build_request_kwargs(
        name_prefix=name_prefix,
        name_suffix=name_suffix,
        min_amount_threshold=min_amount_threshold,
        asset_id=asset_id,
        order_by=order_by,
        before=before,
        after=after,
        limit=limit,
        tag_ids=tag_ids,
        include_tag_ids=include_tag_ids,
        exclude_tag_ids=exclude_tag_ids,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    name_prefix: str | Unset = UNSET,
    name_suffix: str | Unset = UNSET,
    min_amount_threshold: float | Unset = UNSET,
    asset_id: str | Unset = UNSET,
    order_by: GetPagedVaultAccountsOrderBy | Unset = GetPagedVaultAccountsOrderBy.DESC,
    before: str | Unset = UNSET,
    after: str | Unset = UNSET,
    limit: float | Unset = 200.0,
    tag_ids: list[UUID] | Unset = UNSET,
    include_tag_ids: list[UUID] | Unset = UNSET,
    exclude_tag_ids: list[UUID] | Unset = UNSET,
) -> ErrorSchema | VaultAccountsPagedResponse | None:
    """Get vault accounts (Paginated)

     Gets all vault accounts in your workspace. This endpoint returns a limited amount of results with a
    quick response time.
    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor, Viewer.

    Args:
        name_prefix (str | Unset):
        name_suffix (str | Unset):
        min_amount_threshold (float | Unset):  Example: 10.
        asset_id (str | Unset):
        order_by (GetPagedVaultAccountsOrderBy | Unset):  Default:
            GetPagedVaultAccountsOrderBy.DESC.
        before (str | Unset):
        after (str | Unset):
        limit (float | Unset):  Default: 200.0.
        tag_ids (list[UUID] | Unset):
        include_tag_ids (list[UUID] | Unset):
        exclude_tag_ids (list[UUID] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorSchema | VaultAccountsPagedResponse
    """

    return sync_detailed(
        client=client,
        name_prefix=name_prefix,
        name_suffix=name_suffix,
        min_amount_threshold=min_amount_threshold,
        asset_id=asset_id,
        order_by=order_by,
        before=before,
        after=after,
        limit=limit,
        tag_ids=tag_ids,
        include_tag_ids=include_tag_ids,
        exclude_tag_ids=exclude_tag_ids,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    name_prefix: str | Unset = UNSET,
    name_suffix: str | Unset = UNSET,
    min_amount_threshold: float | Unset = UNSET,
    asset_id: str | Unset = UNSET,
    order_by: GetPagedVaultAccountsOrderBy | Unset = GetPagedVaultAccountsOrderBy.DESC,
    before: str | Unset = UNSET,
    after: str | Unset = UNSET,
    limit: float | Unset = 200.0,
    tag_ids: list[UUID] | Unset = UNSET,
    include_tag_ids: list[UUID] | Unset = UNSET,
    exclude_tag_ids: list[UUID] | Unset = UNSET,
) -> Response[ErrorSchema | VaultAccountsPagedResponse]:
    """Get vault accounts (Paginated)

     Gets all vault accounts in your workspace. This endpoint returns a limited amount of results with a
    quick response time.
    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor, Viewer.

    Args:
        name_prefix (str | Unset):
        name_suffix (str | Unset):
        min_amount_threshold (float | Unset):  Example: 10.
        asset_id (str | Unset):
        order_by (GetPagedVaultAccountsOrderBy | Unset):  Default:
            GetPagedVaultAccountsOrderBy.DESC.
        before (str | Unset):
        after (str | Unset):
        limit (float | Unset):  Default: 200.0.
        tag_ids (list[UUID] | Unset):
        include_tag_ids (list[UUID] | Unset):
        exclude_tag_ids (list[UUID] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorSchema | VaultAccountsPagedResponse]
    """

    kwargs = build_request_kwargs(
        name_prefix=name_prefix,
        name_suffix=name_suffix,
        min_amount_threshold=min_amount_threshold,
        asset_id=asset_id,
        order_by=order_by,
        before=before,
        after=after,
        limit=limit,
        tag_ids=tag_ids,
        include_tag_ids=include_tag_ids,
        exclude_tag_ids=exclude_tag_ids,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    name_prefix: str | Unset = UNSET,
    name_suffix: str | Unset = UNSET,
    min_amount_threshold: float | Unset = UNSET,
    asset_id: str | Unset = UNSET,
    order_by: GetPagedVaultAccountsOrderBy | Unset = GetPagedVaultAccountsOrderBy.DESC,
    before: str | Unset = UNSET,
    after: str | Unset = UNSET,
    limit: float | Unset = 200.0,
    tag_ids: list[UUID] | Unset = UNSET,
    include_tag_ids: list[UUID] | Unset = UNSET,
    exclude_tag_ids: list[UUID] | Unset = UNSET,
) -> ErrorSchema | VaultAccountsPagedResponse | None:
    """Get vault accounts (Paginated)

     Gets all vault accounts in your workspace. This endpoint returns a limited amount of results with a
    quick response time.
    Endpoint Permission: Admin, Non-Signing Admin, Signer, Approver, Editor, Viewer.

    Args:
        name_prefix (str | Unset):
        name_suffix (str | Unset):
        min_amount_threshold (float | Unset):  Example: 10.
        asset_id (str | Unset):
        order_by (GetPagedVaultAccountsOrderBy | Unset):  Default:
            GetPagedVaultAccountsOrderBy.DESC.
        before (str | Unset):
        after (str | Unset):
        limit (float | Unset):  Default: 200.0.
        tag_ids (list[UUID] | Unset):
        include_tag_ids (list[UUID] | Unset):
        exclude_tag_ids (list[UUID] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorSchema | VaultAccountsPagedResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            name_prefix=name_prefix,
            name_suffix=name_suffix,
            min_amount_threshold=min_amount_threshold,
            asset_id=asset_id,
            order_by=order_by,
            before=before,
            after=after,
            limit=limit,
            tag_ids=tag_ids,
            include_tag_ids=include_tag_ids,
            exclude_tag_ids=exclude_tag_ids,
        )
    ).parsed
