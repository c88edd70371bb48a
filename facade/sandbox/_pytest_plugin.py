"""pytest plugin of facade.sandbox (work in progress: fixtures land in a later commit)."""
