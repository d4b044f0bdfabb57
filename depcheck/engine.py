"""Run every check over a repository and return the diagnostics a user should see."""

from __future__ import annotations

import fnmatch
import sys
import time
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from depcheck import discover
from depcheck.checks import companions, drift, hygiene, usage
from depcheck.checks.companions import call_names
from depcheck.checks.context import Code, Knowledge, runtime_sets
from depcheck.errors import DepcheckError
from depcheck.model import Problem, Severity, Span, frozen
from depcheck.pairing import explicit_pairs
from depcheck.scan import FileScan

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from depcheck.config import Config
    from depcheck.kb import Entry
    from depcheck.model import Diagnostic, Project
    from depcheck.progress import Reporter


@frozen
class Result:
    root: Path
    diagnostics: tuple[Diagnostic, ...]
    files: int
    elapsed_ms: int


def run(
    root: Path, config: Config, *, use_cache: bool = False, jobs: int | None = None, progress: Reporter | None = None
) -> Result:
    started = time.perf_counter()
    repository = discover.load(root, config)
    projects = repository.projects
    if config.pairs is not None:
        from dataclasses import replace

        projects = tuple(replace(p, pairs=explicit_pairs(p, config.pairs)) for p in projects)
    knowledge = _knowledge(root, config, use_cache=use_cache)
    from depcheck.scan.cache import scan_all

    scans = scan_all(
        root,
        [p for project in projects for p in project.sources],
        call_names(_looked_for(knowledge.entries, projects)),
        use_cache=use_cache,
        jobs=jobs,
        progress=progress.files if progress is not None else None,
    )
    found: dict[tuple[str, int, int, str, str], Diagnostic] = {}
    for checked, project in enumerate(projects):
        if progress is not None:
            progress.projects(checked, len(projects))
        code = _code(project, projects, config, scans)
        for diagnostic in (
            *hygiene.problems(
                p for scan in code.scans if scan.path not in code.unchecked_files for p in scan.problems
                if _worth_saying(p, project)
            ),
            *hygiene.check(project),
            *drift.check(project, projects),
            *companions.check(project, code, knowledge),
            *usage.check(project, code, knowledge, projects),
        ):
            key = (diagnostic.span.path, diagnostic.span.line, diagnostic.span.column, diagnostic.code, diagnostic.message)
            found.setdefault(key, diagnostic)
    if progress is not None:
        progress.projects(len(projects), len(projects))
    kept = [d for d in _superseded(found.values()) if _wanted(d, config)]
    kept.sort(key=lambda d: d.sort_key())
    from depcheck import fix

    kept = fix.plan(root, kept)
    elapsed = int((time.perf_counter() - started) * 1000)
    return Result(root=root, diagnostics=tuple(kept), files=repository.files, elapsed_ms=elapsed)


def _looked_for(entries: tuple[Entry, ...], projects: Iterable[Project]) -> tuple[Entry, ...]:
    """The entries whose calls the scan must find: a companion's evidence is read only where its
    package is declared (`companions.check`), so the others' calls would be searched for in vain
    (`read_excel`, `form`... in every file of a repository without pandas or starlette)."""
    names = {r.name for project in projects for dep_set in project.sets for r in dep_set.requirements}
    return tuple(e for e in entries if e.data.get("kind") == "driver" or canonicalize_name(e.package) in names)


def _superseded(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """An unused dependency (DC302) is not missing from the counterpart (DC103): the fix is to remove it."""
    diagnostics = list(diagnostics)
    unused = {(d.span.path, d.span.line, d.package) for d in diagnostics if d.code == "DC302"}
    return [d for d in diagnostics if not (d.code == "DC103" and (d.span.path, d.span.line, d.package) in unused)]


def _knowledge(root: Path, config: Config, *, use_cache: bool) -> Knowledge:
    from depcheck import kb, modules

    extra = tuple((root / path) for path in config.extend_knowledge)
    for path in extra:
        if not path.is_file():
            raise DepcheckError(f"extend-knowledge: {path} does not exist")
    entries, errors = kb.load(extra, use_cache=use_cache)
    if errors:
        raise DepcheckError("; ".join(f"{e.path}:{e.line}: {e.message}" for e in errors))
    module_map = modules.load(config_map=config.package_module_map, python=config.python, use_cache=use_cache)
    return Knowledge(modules=module_map, entries=entries)


def _code(project: Project, projects: Iterable[Project], config: Config, scanned: dict[str, FileScan | None]) -> Code:
    from depcheck.code import first_party, is_dev_file, is_own_environment

    scans = []
    for path in project.sources:
        found = scanned.get(path)
        scans.append(found if found is not None else FileScan(path=path, problems=(_unreadable(path),)))
    prefix = "" if project.root == "." else project.root + "/"
    if runtime_sets(project):
        dev_files = frozenset(p for p in project.sources if is_dev_file(p[len(prefix):]))
    else:  # a project that declares only dev groups (a workspace root, a tooling repo): all its code is tooling
        dev_files = frozenset(project.sources)
    unchecked = frozenset(p for p in project.sources if is_own_environment(p[len(prefix):]))
    names = [p.name for p in projects if p.name] + list(config.known_first_party)
    owned = first_party(project.root, project.sources, names=names, source_roots=config.source)
    return Code(scans=tuple(scans), first_party=owned, dev_files=dev_files, unchecked_files=unchecked)


def _worth_saying(problem: Problem, project: Project) -> bool:
    """A file in syntax newer than this Python (PEP 695 under `requires-python >= 3.12`)
    is no news when the project does not run on this Python: the fallback reader read it."""
    if "fallback reader" not in problem.message or project.requires_python is None:
        return True
    running = ".".join(str(n) for n in sys.version_info[:3])
    return project.requires_python.contains(running, prereleases=True)


def _unreadable(path: str) -> Problem:
    return Problem(
        code="DC004",
        message=f"cannot read {path}",
        span=Span(path=path),
        severity=Severity.INFO,
    )


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
