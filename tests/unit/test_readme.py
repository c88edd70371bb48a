"""The README's runnable examples run, and print what their comments promise."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="the examples use the sandbox extra")

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
RUNNABLE = re.findall(r"<!-- runnable[^>]*-->\n```python\n(.*?)```", README, re.S)
PROMISED = re.compile(r"print\(.*\)\s+# (.+)$", re.M)


def test_the_production_section_has_runnable_examples() -> None:
    assert len(RUNNABLE) >= 5


@pytest.mark.parametrize("code", RUNNABLE, ids=lambda c: c.splitlines()[0][:40])
def test_runnable_example(code: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WALLET_BALANCES_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for promise in PROMISED.findall(code):
        assert promise.strip() in result.stdout, (promise, result.stdout)
