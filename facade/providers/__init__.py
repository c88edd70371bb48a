"""Everything a provider adapter needs, as public names.

An adapter maps one provider's generated client to the canonical model: it subclasses
:class:`Adapter`, builds each request as a :class:`Call` from a generated endpoint module's
``build_request_kwargs`` and ``OPERATION_ID``, and maps each :class:`Reply` (typed by the
generated model) to :class:`facade.Balance` with the amount helpers. Retries, auth plumbing,
error translation and decimal parsing live in the core. Auth flows: :class:`HeaderAuth` (a
fixed credential header), :class:`SignerAuth` with a :class:`RequestSigner` (request
signatures), :class:`TokenAuth` (tokens fetched, cached and refreshed), or any
``httpx.Auth``. Register the adapter with :func:`facade.register_provider`.
"""

from .._assets import AssetCode
from .._auth.headers import HeaderAuth, RequestSigner, SignerAuth
from .._auth.tokens import TokenAuth
from .._decimal import AmountError, exact_difference, exact_sum, parse_amount
from .._settings import Settings, SettingSpec
from .._transport import Call, ErrorDetails, Reply, generic_error_details
from ._base import CAPABILITIES, Adapter, BalanceQuery, Mapped, Support

__all__ = [
    "CAPABILITIES",
    "Adapter",
    "AmountError",
    "AssetCode",
    "BalanceQuery",
    "Call",
    "ErrorDetails",
    "HeaderAuth",
    "Mapped",
    "Reply",
    "RequestSigner",
    "SettingSpec",
    "Settings",
    "SignerAuth",
    "Support",
    "TokenAuth",
    "exact_difference",
    "exact_sum",
    "generic_error_details",
    "parse_amount",
]

for _name in __all__:
    _obj = globals()[_name]
    if getattr(_obj, "__module__", "").startswith("facade.") and _name != "CAPABILITIES":
        _obj.__module__ = __name__
del _name, _obj
