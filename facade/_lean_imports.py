"""Import httpx without its command-line tool.

``import httpx`` also imports ``httpx._main`` (click, rich and pygments) whenever those
happen to be installed, as they are with our own ``cli`` extra: in our benchmarks that was
more than half of httpx's import time. The facade never uses httpx's CLI, so on the first
import only that one module is refused; httpx then installs its own stub ``httpx.main``
that asks for ``httpx[cli]``. The ``httpx`` console script runs in its own process and is
unaffected. Nothing happens when httpx is already imported. ``facade/__init__.py`` imports
this module before anything that imports httpx.
"""

from __future__ import annotations

import importlib
import importlib.abc
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

__all__: list[str] = []

_CLI_MODULE = "httpx._main"


class _RefuseHttpxCli(importlib.abc.MetaPathFinder):
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if fullname == _CLI_MODULE:
            raise ImportError(f"{_CLI_MODULE} is not needed by wallet-balance-facade")
        return None


def _import_httpx_without_cli() -> None:
    if "httpx" in sys.modules:
        return
    finder = _RefuseHttpxCli()
    sys.meta_path.insert(0, finder)
    try:
        importlib.import_module("httpx")
    finally:
        sys.meta_path.remove(finder)


_import_httpx_without_cli()
