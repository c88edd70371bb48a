"""Authentication for each provider, as httpx.Auth flows (core plumbing, not adapters)."""
