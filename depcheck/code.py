"""What a project's code is: which files are its runtime code, which modules are its own.

First-party modules are found without importing anything: top-level packages
and modules under the project root, `src/` and configured source roots
(namespace packages included), every workspace member and project of the
repository, `known-first-party`, and — as Python itself resolves a script's
imports — modules beside the importing file or in a folder above it, up to the
project root (`tests/helpers.py` imported from `tests/test_x.py`).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from depcheck.model import frozen

if TYPE_CHECKING:
    from collections.abc import Iterable

# Tests: their imports must be declared, in any set (dev groups included).
_TEST_DIRS = frozenset({"test", "tests", "testing", "_tests", "unittests", "integration_tests", "functional_tests", "e2e"})
_TEST_FILES = re.compile(r"^(test_.*|.*_test|.*_tests|tests?|conftest|noxfile|runtests|run_tests|tasks|fabfile|dodo)\.py$")
# Code that runs in an environment of its own (docs builds, examples, maintenance
# scripts, benchmarks, test data): counted as using packages, never required to declare them.
_OWN_ENV_DIRS = frozenset(
    {
        "doc", "docs", "documentation", "example", "examples", "sample", "samples", "demo", "demos",
        "script", "scripts", "tools", "tooling", "bench", "benchmark", "benchmarks", "ci", "misc",
        "fixtures", "test-data", "test_data", "testdata", "data", "stubs", "typings", "notebooks",
    }
)  # fmt: skip


def is_dev_file(rel_to_project: str) -> bool:
    """Tests: code whose imports may come from dev sets."""
    path = PurePosixPath(rel_to_project)
    if any(part.lower() in _TEST_DIRS for part in path.parts[:-1]):
        return True
    return bool(_TEST_FILES.match(path.name.lower())) or path.suffix == ".ipynb"


def is_own_environment(rel_to_project: str) -> bool:
    """Docs, examples, scripts, benchmarks, test data, hidden folders (.github): not checked for declarations."""
    path = PurePosixPath(rel_to_project)
    return any(part.lower() in _OWN_ENV_DIRS or part.startswith(".") for part in path.parts[:-1]) or path.name in (
        "conf.py",
        "docs_conf.py",
    )


def module_name(distribution: str) -> str:
    """The import name a distribution's name suggests: `my-pkg` -> `my_pkg`."""
    return canonicalize_name(distribution).replace("-", "_")


@frozen
class FirstParty:
    """The project's own modules."""

    top_level: frozenset[str]  # importable from anywhere in the project
    beside: frozenset[tuple[str, str]]  # (folder relative to root, name) of every module/package file
    project_root: str

    def owns(self, module: str, importing_file: str, *, anywhere: bool = False) -> bool:
        """`anywhere`: any module of the project counts (tests put their helper folders on sys.path)."""
        top = module.split(".", 1)[0]
        if top in self.top_level or (anywhere and any(name == top for _, name in self.beside)):
            return True
        folder = PurePosixPath(importing_file).parent
        root = PurePosixPath(self.project_root)
        while True:
            if (folder.as_posix(), top) in self.beside:
                return True
            if folder == root or folder == folder.parent or not folder.as_posix().startswith(root.as_posix().rstrip(".")):
                return False
            folder = folder.parent


def first_party(
    project_root: str,
    sources: Iterable[str],
    *,
    names: Iterable[str] = (),
    source_roots: Iterable[str] = (),
) -> FirstParty:
    """Build the first-party view of one project from its file list (no file is read)."""
    root = PurePosixPath(project_root)
    roots = {root, root / "src", *(root / s for s in source_roots)}
    top_level = {module_name(n) for n in names if n}
    beside: set[tuple[str, str]] = set()
    for source in sources:
        path = PurePosixPath(source)
        stem = path.stem if path.suffix == ".py" else None
        # every folder on the way is a package (regular or namespace) of its parent
        parts = path.parts
        for depth in range(len(parts) - 1):
            parent = PurePosixPath(*parts[:depth]) if depth else PurePosixPath(".")
            beside.add((parent.as_posix(), parts[depth]))
            if parent in roots:
                top_level.add(parts[depth])
        if stem is not None and stem != "__init__":
            beside.add((path.parent.as_posix(), stem))
            if path.parent in roots:
                top_level.add(stem)
    return FirstParty(top_level=frozenset(top_level), beside=frozenset(beside), project_root=project_root)
