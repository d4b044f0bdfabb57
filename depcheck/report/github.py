"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding.

GitHub turns each line into an annotation on the pull request's diff, so paths
must be relative to the repository root (the checkout, `$GITHUB_WORKSPACE`), not
to the checked folder. Nothing is printed when nothing is found: stdout holds
only commands.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from depcheck.engine import Result
    from depcheck.model import Diagnostic

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_prefix(root: Path, repository: str | os.PathLike[str] | None) -> str:
    """`packages/api/` when `root` is that folder of `repository`; "" when it is the root or outside it."""
    if not repository:
        return ""
    try:
        relative = Path(os.path.abspath(root)).relative_to(os.path.abspath(repository))
    except ValueError:
        return ""
    text = relative.as_posix()
    return "" if text in ("", ".") else f"{text}/"


def command(diagnostic: Diagnostic, *, path_prefix: str = "") -> str:
    span = diagnostic.span
    properties = ",".join(
        f"{key}={escape_property(value)}"
        for key, value in (
            ("file", path_prefix + span.path),
            ("line", str(span.line)),
            ("col", str(span.column)),
            ("title", f"{diagnostic.code} {diagnostic.name}"),
        )
    )
    return f"::{_COMMAND[diagnostic.severity.value]} {properties}::{escape_data(diagnostic.message)}"


def render(result: Result, *, workspace: str | os.PathLike[str] | None = None) -> str:
    """`workspace` is the checkout (`$GITHUB_WORKSPACE`); paths are made relative to it."""
    prefix = repository_prefix(result.root, workspace)
    return "".join(command(d, path_prefix=prefix) + "\n" for d in result.diagnostics)
