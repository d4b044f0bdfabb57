"""Frozen value objects shared by every stage of the pipeline.

Parsers produce `Requirement`s and `Problem`s, discovery groups manifests into
`Project`s of `DependencySet`s, checks turn those into `Diagnostic`s.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.markers import Marker
    from packaging.specifiers import SpecifierSet

# `slots` and `kw_only` arrived in Python 3.10; on 3.9 the classes are plain
# frozen dataclasses (fields are declared defaults-last so both work).
_DC = {"frozen": True, "slots": True, "kw_only": True} if sys.version_info >= (3, 10) else {"frozen": True}


def frozen(cls):  # type: ignore[no-untyped-def]
    return dataclass(**_DC)(cls)


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Applicability(str, Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


class SetKind(str, Enum):
    """What environment a dependency set describes."""

    RUNTIME = "runtime"  # what the application/library needs to run
    EXTRA = "extra"  # an optional-dependencies extra: runtime, opt-in
    DEV = "dev"  # dev/test/lint/docs groups and requirement files
    CONSTRAINT = "constraint"  # -c files, uv constraint-dependencies


@frozen
class Span:
    """A place in a file: path relative to the checked root, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None


@frozen
class Requirement:
    """One declared requirement, parsed with `packaging`, with where it was written.

    `name` is canonical (PEP 503). `specifier` is PEP 440 (Poetry constraints are
    translated on the way in; `raw_constraint` keeps the original text then).
    `line_text` is the whole physical line the requirement starts on, for display.
    `ignores` holds codes from an inline `# depcheck: ignore[...]` comment
    ("*" when the comment names no code).
    """

    name: str
    display_name: str
    specifier: SpecifierSet
    span: Span
    text: str
    extras: frozenset[str] = frozenset()
    marker: Marker | None = None
    url: str | None = None
    editable: bool = False
    raw_constraint: str | None = None
    line_text: str = ""
    ignores: frozenset[str] = frozenset()
    unverifiable: bool = False  # holds an unset ${VAR}: version facts unknown


@frozen
class Fix:
    description: str
    applicability: Applicability
    edits: tuple[Edit, ...] = ()
    intent: tuple = ()  # type: ignore[type-arg]  # what to change, planned into edits by depcheck.fix


@frozen
class Edit:
    """Replace [line:column, end_line:end_column) of `path` with `content` (1-based)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    content: str


@frozen
class Evidence:
    path: str
    line: int
    text: str


@frozen
class Problem:
    """A defect found while reading a manifest; becomes a Diagnostic unchanged."""

    code: str
    message: str
    span: Span
    package: str | None = None
    line_text: str = ""
    severity: Severity | None = None  # None: the rule's default
    fix: Fix | None = None
    ignores: frozenset[str] = frozenset()


@frozen
class DependencySet:
    """One list of requirements meant for one environment."""

    id: str  # stable, human readable: "pyproject.toml:project.dependencies"
    label: str  # shown to people: "pyproject.toml [project] dependencies"
    kind: SetKind
    path: str  # manifest that declares the set (relative to root)
    requirements: tuple[Requirement, ...] = ()
    constraints: tuple[Requirement, ...] = ()  # from -c includes
    span: Span | None = None  # where the set itself is declared (key or file start)
    is_lock: bool = False  # a pip-compile/uv export: pinned output, not a declaration
    group: str | None = None  # extra/group name, when there is one
    files: tuple[str, ...] = ()  # every file read to build the set (includes)
    # A requirements file on its own, not the project's declaration (a dynamic
    # `dependencies = {file = ...}` file *is* the declaration).
    is_file: bool = False
    # Local projects the file installs (`-e .[full]`): (project root, extras).
    installs: tuple[tuple[str, frozenset[str]], ...] = ()


@frozen
class Lock:
    """A lock file: the exact versions it resolved."""

    path: str
    kind: str  # "uv.lock" | "poetry.lock" | "pylock.toml" | "requirements"
    packages: tuple[LockedPackage, ...] = ()
    requires_python: str | None = None  # the Pythons the lock was resolved for (PEP 440)


@frozen
class LockedPackage:
    name: str  # canonical
    version: str
    span: Span
    marker: str | None = None
    line_text: str = ""
    from_index: bool = True  # False for git/path/url/editable entries: their version is the source's


@frozen
class Project:
    """A directory with its manifests, grouped for checking."""

    root: str  # relative to the checked root, "." for the root itself
    name: str | None = None  # canonical [project].name / poetry name
    requires_python: SpecifierSet | None = None
    sets: tuple[DependencySet, ...] = ()
    locks: tuple[Lock, ...] = ()
    manifests: tuple[str, ...] = ()
    workspace: str | None = None  # root of the uv workspace this project belongs to
    first_party: frozenset[str] = frozenset()  # canonical names of workspace members etc.
    problems: tuple[Problem, ...] = ()  # what its manifests' parsers found
    pairs: tuple[Pair, ...] = ()
    sources: tuple[str, ...] = ()  # .py/.ipynb files that belong to it (relative to the checked root)
    tool_declared: frozenset[str] = frozenset()  # names tox.ini installs for the tests
    dependencies_unknown: bool = False  # `dynamic = ["dependencies"]` from a source depcheck cannot read


@frozen
class Pair:
    """Two sets that describe the same environment and must agree.

    `mode`: "mirror" (every drift rule), "dev" (a dev requirements file against
    dev groups; `b_context` also counts as present), "pinned" (a hand-pinned
    file: its pins must fall in `b`'s ranges; only `b` must be complete),
    "lock" (a generated lock file: versions only), "workspace" (two uv
    workspace members: versions only), "constraint" (conflicts only).
    Findings are located on `a`'s side when both sides hold the package.
    """

    a: DependencySet
    b: DependencySet
    mode: str
    b_context: tuple[DependencySet, ...] = ()
    a_context: tuple[DependencySet, ...] = ()  # what `a` also installs (its `-e .` projects' sets)
    a_installs: frozenset[str] = frozenset()  # names of the local projects `a` installs (`-e ../lib`)


@frozen
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    package: str | None = None
    related: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    fix: Fix | None = None
    line_text: str = ""
    # Codes named by `# depcheck: ignore[...]` on any line the finding involves.
    ignores: frozenset[str] = frozenset()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.column, self.code, self.message)
