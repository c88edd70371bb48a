"""Developer tooling (benchmarks, demo, spec tools); a package so tests import it by name."""
