"""Developer workflow. `nox` with no arguments runs the full gate (what CI runs).

nox -s generate   regenerate generated/ from specs/
nox -s drift      fail if generated/ or the manifest hashes disagree with specs/
nox -s lint       ruff
nox -s typecheck  mypy --strict over facade/ and scripts/
nox -s tests      pytest (unit, static per-provider, conformance over real HTTP)
nox -s demo       the main job: sweep every registered provider on the built-in sandbox
nox -s bench      benchmarks (not part of the gate)
"""

from __future__ import annotations

import nox

# uv builds environments in seconds; plain venv is the fallback on machines without it.
nox.options.default_venv_backend = "uv|venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["drift", "lint", "typecheck", "tests"]

PYTHON = "3.11"
GENERATE_REQUIREMENTS = "scripts/requirements-generate.txt"
LINT_REQUIREMENTS = ["ruff==0.17.5"]
TYPECHECK_REQUIREMENTS = ["mypy==2.4.1", "types-python-dateutil", "types-PyYAML"]


def _install_project(session: nox.Session, extras: str = "dev") -> None:
    session.install("-e", f".[{extras}]")


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate every package in generated/ from specs/ (targets are cleared first)."""
    session.install("-r", GENERATE_REQUIREMENTS)
    session.run("python", "-m", "scripts.spectools.generate", *session.posargs)


@nox.session(python=PYTHON)
def drift(session: nox.Session) -> None:
    """Fail when generated/ is not byte-identical to what specs/ produce now."""
    session.install("-r", GENERATE_REQUIREMENTS)
    session.install("-e", ".")  # the breaking-change report reads the adapters' usage
    session.run("python", "-m", "scripts.spectools.generate", "--check")
    # Breaking-change report of specs/ against the merge base with origin/main (or main),
    # one line when there is no such base. It shows a pull request's spec changes; whether
    # the adapters still fit is the conformance suite's verdict, so it does not fail here.
    session.run("python", "-m", "scripts.spectools.diff", "--merge-base", success_codes=[0, 1])


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    session.install(*LINT_REQUIREMENTS)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    session.install(*TYPECHECK_REQUIREMENTS)
    _install_project(session)
    session.run("mypy")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite. Generator tools and mypy are installed too: drift tests regenerate,
    and the typed-boundary test type-checks the adapters against a regenerated client."""
    session.install("-r", GENERATE_REQUIREMENTS)
    session.install(*TYPECHECK_REQUIREMENTS)
    _install_project(session)
    # Worker processes (pytest-xdist): much of the suite waits on real servers, back-offs and
    # subprocesses. `nox -s tests -- -n 0` runs it in one process.
    session.run("pytest", "-n", "auto", "--maxprocesses", "4", *session.posargs)


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """The main job: start the sandbox, sweep every registered provider, print the table."""
    _install_project(session, extras="sandbox,cli")
    session.run("python", "scripts/demo.py", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against the sandbox, side by side with raw httpx and the official SDK."""
    session.install("-r", GENERATE_REQUIREMENTS)  # the manifest reader; the generate section
    _install_project(session)
    session.install("fireblocks", "matplotlib", "pyinstrument")
    session.run("python", "-m", "scripts.bench", *session.posargs)


@nox.session(python=PYTHON)
def spec_diff(session: nox.Session) -> None:
    """Report spec changes against a git revision: nox -s spec_diff -- REV [--json]."""
    session.install("-r", GENERATE_REQUIREMENTS)
    session.install("-e", ".")
    args = list(session.posargs)
    rev = args.pop(0) if args and not args[0].startswith("-") else "HEAD"
    session.run("python", "-m", "scripts.spectools.diff", "--rev", rev, *args)


@nox.session(python=PYTHON)
def update_specs(session: nox.Session) -> None:
    """Fetch upstream specs, regenerate, report: nox -s update_specs -- [NAME...] [--subset]."""
    session.install("-r", GENERATE_REQUIREMENTS)
    session.install("-e", ".")
    session.run("python", "-m", "scripts.spectools.update", *session.posargs)
