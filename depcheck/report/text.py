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
    lines = _layout(result, quiet=quiet)
    plain = None if color else _plain(lines)
    return plain if plain is not None else _rich(lines, color=color)


def _layout(result: Result, *, quiet: bool) -> list[list[tuple[str, str]]]:
    """The report as lines of (text, style) pieces."""
    lines: list[list[tuple[str, str]]] = []
    previous_path = None
    for diagnostic in result.diagnostics:
        span = diagnostic.span
        if previous_path is not None and span.path != previous_path and not quiet:
            lines.append([])
        previous_path = span.path
        style = _STYLE[diagnostic.severity.value]
        lines.append(
            [
                (f"{span.path}:{span.line}:{span.column}", "bold"),
                (" ", ""),
                (diagnostic.code, style),
                (f" {diagnostic.severity.value} ", ""),
                (diagnostic.message, ""),
            ]
        )
        if quiet:
            continue
        gutter = len(str(span.line))
        if diagnostic.line_text:
            lines.append([(f"  {span.line} | ", "blue"), (diagnostic.line_text.rstrip("\r\n"), "")])
            if span.end_line == span.line and span.end_column and span.end_column > span.column:
                marker = " " * (span.column - 1) + "^" * (span.end_column - span.column)
                lines.append([(f"  {' ' * gutter} | ", "blue"), (marker, style)])
        if diagnostic.fix is not None:
            fix = [(f"  {' ' * gutter} = ", "blue"), ("help: ", "bold green"), (diagnostic.fix.description, "")]
            if diagnostic.fix.edits and diagnostic.fix.applicability.value != "display-only":
                fix.append((f" [{diagnostic.fix.applicability.value} fix]", "dim"))
            lines.append(fix)
    if not quiet:
        if result.diagnostics:
            lines.append([])
        lines.append([(summary_line(result), "bold" if result.diagnostics else "")])
    return lines


def _plain(lines: list[list[tuple[str, str]]]) -> str | None:
    """What rich writes without colours when there is nothing for it to do: no tab to expand, no control
    character to drop. None otherwise. Importing rich costs more than the rest of a small run's report."""
    if not all(text.isprintable() for line in lines for text, _ in line):
        return None
    return "".join("".join(text for text, _ in line) + "\n" for line in lines)


def _rich(lines: list[list[tuple[str, str]]], *, color: bool) -> str:
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
    for line in lines:
        if not line:
            console.print()
            continue
        text = Text()
        for piece, style in line:
            text.append(piece, style=style)
        console.print(text)
    return buffer.getvalue()
