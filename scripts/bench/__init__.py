"""Benchmarks of the facade against raw httpx and the official Fireblocks SDK, on the sandbox.

    nox -s bench                          # full run; installs the project, fireblocks,
                                          # matplotlib, pyinstrument into .nox/bench
    nox -s bench -- --quick               # smoke run with small counts (well under 2 minutes)
    python -m scripts.bench --quick       # the same in any env with the project installed
    python -m scripts.bench --only latency,fanout   # some sections only
    python -m scripts.bench.sandbox_throughput      # the sandbox servers alone (by hand)

Sections (every ratio comes from one run on one machine; repetitions give min/median/max):

1. import   cold ``import facade`` + one client per provider, each run in a fresh process,
            next to ``import fireblocks`` (the official SDK) and ``import httpx``; and a check
            that using one provider imports no other provider's generated ``wbf_*`` package.
2. latency  median/p99 of ``get_balances`` per provider, sync and async, interleaved with the
            same request made with raw httpx; Fireblocks also next to the official SDK's
            ``get_vault_account_asset``; pyinstrument profiles of both; signing CPU per request.
3. fanout   ``gather_balances`` throughput and latency at several concurrencies next to raw
            async httpx with the same bound; peak RSS of a long fan-out in a child process.
4. sandbox  the in-process sandbox transport next to the socket sandbox: p50 of one request
            (raw httpx, same auth) and of one ``get_balances`` per provider, interleaved.
5. generate wall time of ``nox -R -s generate`` (venv reused).

The sandbox runs in its own process (``python -m facade.sandbox``), so the servers never share
the GIL with the measured client. Results go to bench-results/ (results.md, results.json,
latency.png, profile_*.txt). Exit status: 0 when every target is met or missed by at most 25%,
1 when one is missed by more, 2 when a section could not run. Nothing here runs in the test
gate: machines are noisy.

Modules: common (plan, statistics, targets, report), sandbox (the child process), raw (the
requests, and the same requests as raw httpx sends them), imports, latency, profiling, fanout,
memory, transport, codegen (one per section), cli (main); sandbox_throughput is a separate
hand-run tool.
"""
