"""``python -m scripts.spectools.diff``: see scripts/spectools/diff/__init__.py."""

from __future__ import annotations

from ._cli import main

raise SystemExit(main())
