"""Local, spec-validated servers of every provider (work in progress)."""

__all__: list[str] = []
