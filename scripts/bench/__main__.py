"""``python -m scripts.bench``: see scripts/bench/__init__.py."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
