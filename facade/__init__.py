"""wallet-balance-facade: one typed interface over wallet-balance APIs."""
