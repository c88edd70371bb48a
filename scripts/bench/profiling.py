"""pyinstrument profiles, summarised by area (facade, httpx, signing, ...)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .common import ROOT


def _walk(frame: Any) -> Iterator[Any]:
    stack = [frame]
    while stack:
        f = stack.pop()
        yield f
        stack.extend(f.children)


def inclusive_time(root: Any, match: Callable[[Any], bool]) -> float:
    """Time in frames matching ``match``, outermost occurrences only (no double counting)."""
    total = 0.0
    stack = [root]
    while stack:
        f = stack.pop()
        if match(f):
            total += f.time
        else:
            stack.extend(f.children)
    return total


_BUILTIN_AREAS = (
    (("socket.", "select.", "epoll.", "poll."), "socket I/O (waiting for the server)"),
    (("RSAPrivateKey.", "load_pem", "Hash.", "HMAC."), "jwt/cryptography (signing)"),
    (("lock.acquire", "Lock.acquire", "Condition.wait"), "threads/futures (waiting)"),
)


def _category(path: str | None, function: str, parent: str) -> str:
    """The area a frame's self time belongs to; C functions take their caller's area."""
    p = (path or "").replace("\\", "/")
    if not p or p.startswith("<"):
        for prefixes, area in _BUILTIN_AREAS:
            if function.startswith(prefixes):
                return area
        return parent
    if "/facade/" in p:
        return "facade/"
    if "/wbf_" in p or "/generated/" in p:
        return "generated wbf_* clients"
    if "/httpcore/_backends/" in p or p.endswith(("/socket.py", "/selectors.py", "/ssl.py")):
        return "socket I/O (waiting for the server)"
    if "/asyncio/" in p:
        return "asyncio event loop"
    if any(s in p for s in ("/httpx/", "/httpcore/", "/h11/", "/anyio/", "/sniffio/")):
        return "httpx/httpcore/h11"
    if "/jwt/" in p or "/cryptography/" in p:
        return "jwt/cryptography (signing)"
    if p.endswith(("/json/decoder.py", "/json/__init__.py", "/decimal.py")):
        return "json/decimal"
    if "/fireblocks/" in p or "/urllib3/" in p or "/pydantic" in p:
        return "official SDK (fireblocks/urllib3/pydantic)"
    if "/concurrent/" in p or p.endswith("/threading.py"):
        return "threads/futures (waiting)"
    if "/scripts/bench/" in p:
        return "benchmark loop"
    return "other (stdlib)"


def profile_summary(session: Any, top: int = 12) -> dict[str, Any]:
    root = session.root_frame()
    if root is None:
        return {"total": 0.0, "categories": {}, "functions": []}
    total = root.time
    cats: Counter[str] = Counter()
    funcs: Counter[str] = Counter()
    stack: list[tuple[Any, str]] = [(root, "other (stdlib)")]
    while stack:
        f, parent = stack.pop()
        area = _category(f.file_path, f.function, parent)
        stack.extend((child, area) for child in f.children)
        if f.is_synthetic:
            continue
        self_t = f.total_self_time
        if self_t <= 0:
            continue
        cats[area] += self_t
        short = (f.file_path or "?").replace("\\", "/")
        for marker in ("site-packages/", "/lib/python3.11/", f"{ROOT}/"):
            if marker in short:
                short = short.split(marker, 1)[1]
                break
        funcs[f"{short}:{f.function}"] += self_t
    return {
        "total": total,
        "categories": dict(cats.most_common()),
        "functions": funcs.most_common(top),
        "root": root,
    }


def run_profiled(fn: Callable[[], None], n: int, out: Path) -> Any:
    from pyinstrument import Profiler  # type: ignore[import-not-found, unused-ignore]  # noqa: PLC0415

    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(n):
        fn()
    profiler.stop()
    out.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    return profiler.last_session
