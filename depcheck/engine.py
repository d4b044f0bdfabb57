"""Run every check over a repository and return the diagnostics a user should see."""

from __future__ import annotations

import fnmatch
import time
from typing import TYPE_CHECKING

from depcheck import discover
from depcheck.checks import drift, hygiene
from depcheck.model import frozen
from depcheck.pairing import explicit_pairs

if TYPE_CHECKING:
    from pathlib import Path

    from depcheck.config import Config
    from depcheck.model import Diagnostic


@frozen
class Result:
    root: Path
    diagnostics: tuple[Diagnostic, ...]
    files: int
    elapsed_ms: int


def run(root: Path, config: Config) -> Result:
    started = time.perf_counter()
    repository = discover.load(root, config)
    projects = repository.projects
    if config.pairs is not None:
        from dataclasses import replace

        projects = tuple(replace(p, pairs=explicit_pairs(p, config.pairs)) for p in projects)
    found: dict[tuple[str, int, int, str, str], Diagnostic] = {}
    for project in projects:
        for diagnostic in (*hygiene.check(project), *drift.check(project, projects)):
            key = (diagnostic.span.path, diagnostic.span.line, diagnostic.span.column, diagnostic.code, diagnostic.message)
            found.setdefault(key, diagnostic)
    kept = [d for d in found.values() if _wanted(d, config)]
    kept.sort(key=lambda d: d.sort_key())
    elapsed = int((time.perf_counter() - started) * 1000)
    return Result(root=root, diagnostics=tuple(kept), files=repository.files, elapsed_ms=elapsed)


def _wanted(diagnostic: Diagnostic, config: Config) -> bool:
    if not config.enabled(diagnostic.code):
        return False
    if "*" in diagnostic.ignores or any(diagnostic.code.startswith(code) for code in diagnostic.ignores):
        return False
    for pattern, codes in config.per_file_ignores:
        if fnmatch.fnmatch(diagnostic.span.path, pattern) and any(
            code == "ALL" or diagnostic.code.startswith(code) for code in codes
        ):
            return False
    return True
