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
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from depcheck.model import frozen

if TYPE_CHECKING:
    from collections.abc import Iterable

# Tests: their imports must be declared, in any set (dev groups included).
_TEST_DIRS = frozenset({"t", "test", "tests", "testing", "_tests", "unittests", "integration_tests", "functional_tests", "e2e"})
_TEST_FILES = re.compile(r"^(test_.*|.*_test|.*_tests|tests?|conftest|noxfile|runtests|run_tests|fabfile|dodo)\.py$")
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
    folder, _, name = rel_to_project.rpartition("/")
    if _folder(folder)[1]:
        return True
    return bool(_TEST_FILES.match(name.lower())) or (name.endswith(".ipynb") and name != ".ipynb")


def is_own_environment(rel_to_project: str) -> bool:
    """Docs, examples, scripts, benchmarks, test data, hidden folders (.github): not checked for declarations.

    Inside a tests folder, only test modules, conftest and helpers directly in a
    tests folder run as tests; deeper files are fixtures (sample projects,
    modules that import missing packages on purpose).
    """
    folder, _, name = rel_to_project.rpartition("/")
    own, tests, in_tests_folder = _folder(folder)
    name = name.lower()
    if own or name in ("conf.py", "docs_conf.py"):
        return True
    if tests:
        return not _TEST_FILES.match(name) and not in_tests_folder
    return False


@lru_cache(maxsize=4096)
def _folder(folder: str) -> tuple[bool, bool, bool]:
    """(an own-environment folder on the way, a tests folder on the way, directly in a tests folder):
    worked out once per folder, not once per file."""
    parts = folder.lower().split("/") if folder else []
    own = any(part in _OWN_ENV_DIRS or part.startswith(".") for part in parts)
    return own, any(part in _TEST_DIRS for part in parts), bool(parts) and parts[-1] in _TEST_DIRS


def module_name(distribution: str) -> str:
    """The import name a distribution's name suggests: `my-pkg` -> `my_pkg`."""
    return canonicalize_name(distribution).replace("-", "_")


@frozen
class FirstParty:
    """The project's own modules.

    A folder without `__init__.py` under a source root is a namespace package
    (`src/opentelemetry/`), shared with other distributions: the project owns
    only the regular packages and modules below it (`opentelemetry.exporter.richconsole`),
    not `opentelemetry.trace`.
    """

    top_level: frozenset[str]  # regular packages/modules importable from anywhere in the project
    dotted: frozenset[str]  # regular packages/modules inside namespace packages, dotted from the root
    beside: frozenset[tuple[str, str]]  # (folder relative to root, name) of every regular module/package
    project_root: str
    packages: frozenset[str] = frozenset()  # folders with an __init__.py
    names: frozenset[str] = frozenset()  # every name in `beside`, for `anywhere` look-ups

    def owns(self, module: str, importing_file: str, *, anywhere: bool = False) -> bool:
        """`anywhere`: any module of the project counts (tests put their helper folders on sys.path)."""
        parts = module.split(".")
        top = parts[0]
        if top in self.top_level:
            return True
        if any(".".join(parts[:n]) in self.dotted for n in range(2, len(parts) + 1)):
            return True
        if anywhere and top in self.names:
            return True
        # A script's (or pytest's rootdir-inserted) folder is on sys.path, and the
        # folders above it when run from there; a package's own folder is not:
        # `import aiohttp` in integrations/aiohttp.py is the real aiohttp.
        folder = importing_file.rpartition("/")[0] or "."
        while True:
            if folder not in self.packages and (folder, top) in self.beside:
                return True
            if folder in (self.project_root, "."):
                return False
            folder = folder.rpartition("/")[0] or "."


def first_party(
    project_root: str,
    sources: Iterable[str],
    *,
    names: Iterable[str] = (),
    source_roots: Iterable[str] = (),
) -> FirstParty:
    """Build the first-party view of one project from its file list (no file is read).

    Paths are handled as strings: this runs over every file of every project.
    """
    root = PurePosixPath(project_root)
    roots = {p.as_posix() for p in (root, root / "src", *(root / s for s in source_roots))}
    paths = [s for s in sources if s.endswith(".py") and not s.endswith("/.py") and s != ".py"]
    packages = {_parent(p) for p in paths if p == "__init__.py" or p.endswith("/__init__.py")}
    top_level = {module_name(n) for n in names if n}
    dotted: set[str] = set()
    beside: set[tuple[str, str]] = set()
    for path in paths:
        parent, _, name = path.rpartition("/")
        parent = parent or "."
        stem = name[:-3]
        # the file itself, then each folder above it that is a regular package
        if stem != "__init__":
            beside.add((parent, stem))
        folder = parent
        while folder != ".":
            up, _, folder_name = folder.rpartition("/")
            up = up or "."
            if folder in packages:
                beside.add((up, folder_name))
            folder = up
        for source_root in roots:
            if source_root == ".":
                relative = path
            elif path.startswith(source_root) and path[len(source_root) : len(source_root) + 1] == "/":
                relative = path[len(source_root) + 1 :]
            else:
                continue
            parts = relative[:-3].split("/")
            if parts[-1] == "__init__":
                parts.pop()
            if not parts:
                continue
            if len(parts) == 1 or _join(source_root, parts[0]) in packages:
                top_level.add(parts[0])
            else:  # a namespace folder: own the first regular package below it
                for depth in range(2, len(parts) + 1):
                    if depth == len(parts) or _join(source_root, "/".join(parts[:depth])) in packages:
                        dotted.add(".".join(parts[:depth]))
                        break
    return FirstParty(
        top_level=frozenset(top_level),
        dotted=frozenset(dotted),
        beside=frozenset(beside),
        project_root=project_root,
        packages=frozenset(packages),
        names=frozenset(name for _, name in beside),
    )


def _parent(path: str) -> str:
    return path.rpartition("/")[0] or "."


def _join(folder: str, rel: str) -> str:
    return rel if folder == "." else f"{folder}/{rel}"
