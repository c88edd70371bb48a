"""The spec tooling: one reader of specs/sources.toml (``manifest``) and one OpenAPI walker
(``openapi``), shared by generation (scripts/generate.py), the breaking-change report
(``diff``), the upstream update (scripts/update_specs.py) and the tests.

Not part of the wheel: the runtime (facade/) never imports it.
"""
