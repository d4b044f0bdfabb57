"""The text report a person reads at a glance.

```
requirements.txt:3:1 DC101 error `httpx` is `==0.27.0` in requirements.txt:3 but `>=0.28` in pyproject.toml:9: ...
  3 | httpx==0.27.0
    = fix: Change `httpx==0.27.0` in requirements.txt to a version `>=0.28` admits

1 error, 0 warnings in 2 manifests
```
User text is put in `rich.text.Text`, never parsed as markup: `psycopg[binary]`
must keep its brackets.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from depcheck.engine import Result

_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(result: Result) -> str:
    counts = {"error": 0, "warning": 0, "info": 0}
    for diagnostic in result.diagnostics:
        counts[diagnostic.severity.value] += 1
    manifests = _plural(result.files, "manifest")
    if not result.diagnostics:
        return f"No problems in {manifests}."
    parts = [_plural(counts["error"], "error"), _plural(counts["warning"], "warning")]
    if counts["info"]:
        parts.append(_plural(counts["info"], "info"))
    line = f"{', '.join(parts)} in {manifests}"
    safe = sum(1 for d in result.diagnostics if d.fix and d.fix.edits and d.fix.applicability.value == "safe")
    unsafe = sum(1 for d in result.diagnostics if d.fix and d.fix.edits and d.fix.applicability.value == "unsafe")
    if safe or unsafe:
        line += f"; {safe} fixable with --fix" + (f" ({unsafe} more with --unsafe-fixes)" if unsafe else "")
    return line


def render(result: Result, *, color: bool = False, quiet: bool = False) -> str:
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        soft_wrap=True,
        emoji=False,
        markup=False,
    )
    previous_path = None
    for diagnostic in result.diagnostics:
        span = diagnostic.span
        if previous_path is not None and span.path != previous_path and not quiet:
            console.print()
        previous_path = span.path
        head = Text()
        head.append(f"{span.path}:{span.line}:{span.column}", style="bold")
        head.append(" ")
        head.append(diagnostic.code, style=_STYLE[diagnostic.severity.value])
        head.append(f" {diagnostic.severity.value} ")
        head.append(diagnostic.message)
        console.print(head)
        if quiet:
            continue
        gutter = len(str(span.line))
        if diagnostic.line_text:
            source = Text()
            source.append(f"  {span.line} | ", style="blue")
            source.append(diagnostic.line_text.rstrip("\r\n"))
            console.print(source)
            if span.end_line == span.line and span.end_column and span.end_column > span.column:
                marker = Text()
                marker.append(f"  {' ' * gutter} | ", style="blue")
                marker.append(" " * (span.column - 1) + "^" * (span.end_column - span.column), style=_STYLE[diagnostic.severity.value])
                console.print(marker)
        if diagnostic.fix is not None:
            fix = Text()
            fix.append(f"  {' ' * gutter} = ", style="blue")
            fix.append("help: ", style="bold green")
            fix.append(diagnostic.fix.description)
            if diagnostic.fix.edits and diagnostic.fix.applicability.value != "display-only":
                fix.append(f" [{diagnostic.fix.applicability.value} fix]", style="dim")
            console.print(fix)
    if not quiet:
        if result.diagnostics:
            console.print()
        console.print(Text(summary_line(result), style="bold" if result.diagnostics else ""))
    return buffer.getvalue()
