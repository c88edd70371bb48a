"""Read back the CLI's plain-text tables: a title line, a header line, a rule of dashes."""

from __future__ import annotations

import re


def parse_table(text: str, title: str) -> list[dict[str, str]]:
    """The rows of the table titled ``title`` as {header: cell}; cells are stripped."""
    lines = text.splitlines()
    assert title in lines, f"no table {title!r} in:\n{text}"
    start = lines.index(title)
    header, rule = lines[start + 1], lines[start + 2]
    spans = [m.span() for m in re.finditer(r"-+", rule)]
    # The last column runs to the end of the line (rows are right-stripped, cells may be long).
    spans[-1] = (spans[-1][0], 10**6)
    names = [header[a:b].strip() for a, b in spans]
    rows = []
    for line in lines[start + 3 :]:
        if not line.strip():
            break
        rows.append({name: line[a:b].strip() for name, (a, b) in zip(names, spans, strict=True)})
    return rows
