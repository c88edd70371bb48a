"""Typed connect (issue 11): the overloads in facade/_connect.py, the settings TypedDicts in
the adapter modules and the registry's SettingSpecs say the same thing, and mypy rejects a
misspelt provider or setting."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import facade
from facade import _connect
from facade._client import _INSTRUMENTATION
from facade._connection import _OBJECTS, CONNECTION_SETTINGS
from facade._registry import adapter_class
from facade._settings import COMMON_SETTINGS

REPO = Path(__file__).resolve().parents[2]


def _overloads(function: str) -> dict[str, tuple[str, bool]]:
    """provider name -> (settings TypedDict name, takes signer) for each overload."""
    tree = ast.parse(inspect.getsource(_connect))
    found: dict[str, tuple[str, bool]] = {}
    for node in tree.body:
        if not (isinstance(node, ast.FunctionDef) and node.name == function):
            continue
        if not any(isinstance(d, ast.Name) and d.id == "overload" for d in node.decorator_list):
            continue
        provider = node.args.args[0].annotation
        assert isinstance(provider, ast.Subscript), ast.dump(provider)
        literal = provider.slice
        names = literal.elts if isinstance(literal, ast.Tuple) else [literal]
        kwargs = node.args.kwarg
        assert kwargs is not None
        assert isinstance(kwargs.annotation, ast.Subscript)
        assert ast.unparse(kwargs.annotation.value) == "Unpack"
        typed_dict = ast.unparse(kwargs.annotation.slice)
        signer = any(a.arg == "signer" for a in node.args.kwonlyargs)
        for name in names:
            assert isinstance(name, ast.Constant)
            assert name.value not in found, f"{name.value} has two overloads"
            found[name.value] = (typed_dict, signer)
    return found


def _accepted(provider: str) -> set[str]:
    specs = COMMON_SETTINGS + CONNECTION_SETTINGS + adapter_class(provider).setting_specs
    return (
        {s.name for s in specs}
        | {f"{s.name}_file" for s in specs if s.secret}
        | {"config_file"}
        | set(_OBJECTS)
        | set(_INSTRUMENTATION)
    )


@pytest.mark.parametrize("function", ["connect", "connect_async"])
def test_one_overload_per_registered_provider(function: str) -> None:
    assert sorted(_overloads(function)) == facade.provider_names()


@pytest.mark.parametrize("provider", facade.provider_names())
def test_overloads_typed_dicts_and_setting_specs_agree(provider: str) -> None:
    cls = adapter_class(provider)
    for function in ("connect", "connect_async"):
        typed_dict_name, signer = _overloads(function)[provider]
        # The TypedDict lives with the provider, in its adapter module.
        typed_dict = getattr(importlib.import_module(cls.__module__), typed_dict_name)
        keys = set(typed_dict.__required_keys__) | set(typed_dict.__optional_keys__)
        assert keys == _accepted(provider), function
        assert not typed_dict.__required_keys__  # every setting may also come from env/file
        assert signer == ("signer" in cls.options), function


@pytest.mark.parametrize("function", [facade.connect, facade.connect_async])
def test_help_lists_every_provider_and_setting(function: Any) -> None:
    doc = inspect.getdoc(function) or ""
    for provider in facade.provider_names():
        assert f'"{provider}"' in doc, provider
        for name in _accepted(provider):
            if not name.endswith("_file") or name == "config_file":
                assert f"``{name}``" in doc, (provider, name)


def test_mypy_rejects_a_misspelt_provider_or_setting(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """\
        import facade

        ok = facade.connect("fireblocks-vault", api_key="k", base_url="https://x/v1")
        ok_async = facade.connect_async("kuna-core", api_key_file="key", timeout=5.0)
        signed = facade.connect("bpn", signer=None, api_key="k")
        facade.connect("fireblock", api_key="k")  # ERROR
        facade.connect("fireblocks-vault", api_kye="k")  # ERROR
        facade.connect_async("bpn", api_secrt="s")  # ERROR
        facade.connect("cryptofuse", signer=None)  # ERROR
        facade.connect("kuna-core", max_retries=2.7)  # ERROR
        """
    )
    program = tmp_path / "app.py"
    program.write_text(source)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(program),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    errors = {
        int(m.group(1))
        for m in re.finditer(rf"^{re.escape(str(program))}:(\d+): error", result.stdout, re.M)
    }
    expected = {n for n, line in enumerate(source.splitlines(), 1) if line.endswith("# ERROR")}
    assert errors == expected, result.stdout + result.stderr
