"""Helpers of the spec evolution tooling tests (scripts/spectools/diff, update.py, upstream.py).

In process the tools are imported as the package they are (``scripts``); on a copy of the
repository they run as ``python -m scripts.<tool>`` with the copy as the working directory.
Tests that change files work on such a copy in tmp_path; the real checkout is only read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .recording_server import RecordingServer, Reply

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "spec_diff" / "corpus"
SPECS = REPO / "specs"
# The documents as generated from and served (specs/ with overlays applied): what the
# facade and the sandbox see, so what a report about the facade must compare.
SERVED = REPO / "generated" / "specs"


def generator_python() -> str | None:
    """A Python with the pinned generators next to it (generation looks for them there)."""
    for candidate in (Path(sys.executable), REPO / ".nox" / "generate" / "bin" / "python"):
        if (candidate.parent / "openapi-python-client").exists() and candidate.exists():
            return str(candidate)
    return None


def run(
    argv: list[str], cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 110
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        argv, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout, check=False
    )


def run_spec_diff(
    *args: str, cwd: Path = REPO, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The report of the checkout at cwd (`python -m` imports the scripts found there)."""
    return run([sys.executable, "-m", "scripts.spectools.diff", *args], cwd=cwd, env=env)


def copy_repo(dest: Path, *, with_generated: bool = True) -> Path:
    """The parts of the checkout the scripts need: specs/, scripts/, generated/."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(SPECS, dest / "specs", ignore=ignore)
    shutil.copytree(REPO / "scripts", dest / "scripts", ignore=ignore)
    if with_generated:
        shutil.copytree(REPO / "generated", dest / "generated", ignore=ignore)
    return dest


def snapshot(root: Path, *dirs: str) -> dict[str, bytes]:
    """Every file under root/<dir> (bytes), to prove nothing changed."""
    out: dict[str, bytes] = {}
    for name in dirs:
        for path in sorted((root / name).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


@contextmanager
def spec_server() -> Iterator[RecordingServer]:
    """The recording server, answering 404 to any path without a route (an upstream host)."""
    with RecordingServer() as server:
        server.default = Reply(404, b"not found")
        yield server


GIT_ENV = {
    "GIT_AUTHOR_NAME": "spec-diff tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "spec-diff tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(root: Path, *args: str) -> str:
    proc = run(["git", *args], cwd=root, env=GIT_ENV)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()
