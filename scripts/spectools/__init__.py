"""The spec tooling: one reader of specs/sources.toml (``manifest``), one OpenAPI walker
(``openapi``) and the subset and overlay code (``subset``), shared by generation
(``generate``), the breaking-change report (``diff``), the upstream update (``update``,
fetching in ``upstream``) and the tests. The tools run as modules:
``python -m scripts.spectools.generate``, ``python -m scripts.spectools.update``.

Not part of the wheel: the runtime (facade/) never imports it.
"""
