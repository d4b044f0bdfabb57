"""DC1xx: sets that describe the same environment must agree (see depcheck.pairing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from depcheck import markers
from depcheck.checks.base import Rule, add_intent, evidence_of, replace_intent, spec_text, where
from depcheck.model import Applicability, Fix, Severity, Span

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from depcheck.model import DependencySet, Diagnostic, Lock, Pair, Project, Requirement


class VersionConflict(Rule):
    """
    ## What it does
    Reports two dependency sets that must agree but admit no common version of a
    package: a requirements file against pyproject.toml, a `-c` constraint or
    uv `constraint-dependencies` against a requirement, two members of one uv
    workspace. Requirements whose markers can never apply together (or only
    outside the project's `requires-python`) do not conflict.

    ## Why is this bad?
    One of the two environments can never be built as declared:
    `pip install -r requirements.txt -e .` or `uv lock` fails with
    "ResolutionImpossible" / "requirements are unsatisfiable" — or worse, each
    install succeeds on its own and production runs a version the package was
    never declared to support.

    ## Example
    ```text
    # requirements.txt
    httpx==0.27.0
    # pyproject.toml
    dependencies = ["httpx>=0.28"]
    ```

    ## Fix
    Change the side that is wrong so both admit a common version; by default
    pyproject.toml is the source of truth: `httpx==0.28.1` in requirements.txt.

    ## References
    - pip's dependency resolution: https://pip.pypa.io/en/stable/topics/dependency-resolution/
    """

    code = "DC101"
    name = "version-conflict"
    severity = Severity.ERROR
    summary = "two sets that must agree admit no common version"


class VersionDrift(Rule):
    """
    ## What it does
    Reports a package whose ranges differ between two sets that must agree,
    while a common version still exists: `fastapi` in requirements.txt but
    `fastapi>=0.110` in pyproject.toml. A pin inside the other side's range
    (`fastapi==0.115.0` against `fastapi>=0.110`) is consistent, not drift.

    ## Why is this bad?
    The two environments are free to install different versions; the day the
    ranges stop overlapping it becomes a conflict, found at deploy time.

    ## Example
    ```text
    # requirements.txt       # pyproject.toml
    django>=4.2              dependencies = ["django>=4.2,<5"]
    ```

    ## Fix
    State the same range in both places, or pin inside the declared range.

    ## References
    - PEP 440 version specifiers: https://peps.python.org/pep-0440/#version-specifiers
    """

    code = "DC102"
    name = "version-drift"
    severity = Severity.WARNING
    summary = "two sets both admit versions but state different ranges"


class MissingCounterpart(Rule):
    """
    ## What it does
    Reports a package that one set of a pair declares and its counterpart does
    not: in requirements.txt but not in `[project].dependencies`, in the `dev`
    group but not in requirements-dev.txt. A hand-pinned requirements file may
    hold more than the declaration (transitive pins), never less.

    ## Why is this bad?
    Whoever installs from the other manifest gets an environment without the
    package; the application fails with `ModuleNotFoundError` in only one of
    the ways it is deployed.

    ## Example
    ```text
    # requirements.txt          # pyproject.toml
    psycopg[binary,pool]        dependencies = ["sqlalchemy"]
    sqlalchemy
    ```

    ## Fix
    Add the package to the set that lacks it, or remove it from the other if it
    is not needed.

    ## References
    - https://packaging.python.org/en/latest/discussions/install-requires-vs-requirements/
    """

    code = "DC103"
    name = "missing-counterpart"
    severity = Severity.WARNING
    summary = "a package in one set of a pair but absent from its counterpart"


class ExtrasDrift(Rule):
    """
    ## What it does
    Reports a package required with different extras in two sets that must
    agree: `psycopg[binary,pool]` in requirements.txt but `psycopg` in
    pyproject.toml.

    ## Why is this bad?
    Extras install real packages (`psycopg-binary`, `greenlet`, `email-validator`);
    the environment built from the poorer side fails at runtime with an
    ImportError the other never shows.

    ## Example
    ```text
    # requirements.txt         # pyproject.toml
    uvicorn[standard]          dependencies = ["uvicorn"]
    ```

    ## Fix
    Use the same extras on both sides.

    ## References
    - PEP 508 extras: https://peps.python.org/pep-0508/#extras
    """

    code = "DC104"
    name = "extras-drift"
    severity = Severity.WARNING
    summary = "the same package with different extras in paired sets"


class MarkerDrift(Rule):
    """
    ## What it does
    Reports a package whose environment markers differ between two sets that
    must agree, so it is installed on different platforms or Pythons depending
    on which manifest is used. Markers are compared by meaning, within the
    project's `requires-python`: `python_version < "3.10"` and
    `python_version <= "3.9"` are the same.

    ## Why is this bad?
    The package is silently missing on some platform in one of the environments.

    ## Example
    ```text
    # requirements.txt                          # pyproject.toml
    uvloop; sys_platform != "win32"             dependencies = ["uvloop"]
    ```

    ## Fix
    Use the same marker on both sides.

    ## References
    - PEP 508 environment markers: https://peps.python.org/pep-0508/#environment-markers
    """

    code = "DC105"
    name = "marker-drift"
    severity = Severity.WARNING
    summary = "the same package with different environment markers in paired sets"


class LockDrift(Rule):
    """
    ## What it does
    Reports a lock that no longer matches the declaration: uv.lock, poetry.lock,
    pylock.toml or a pinned requirements file (pip-compile/uv export output, or
    a hand-written file that pins everything) holds a version outside the
    declared range; uv.lock and poetry.lock also must hold every unconditional
    runtime dependency.

    ## Why is this bad?
    `uv sync --locked`, `poetry install` or `pip install -r` installs a version
    the project says it does not support, or fails in CI with "the lockfile
    needs to be updated".

    ## Example
    ```text
    # pyproject.toml: dependencies = ["httpx>=0.28"]
    # uv.lock: name = "httpx" / version = "0.27.2"
    ```

    ## Fix
    Re-lock (`uv lock`, `poetry lock`, `pip-compile`), or correct the pin.

    ## References
    - https://docs.astral.sh/uv/concepts/projects/sync/#checking-if-the-lockfile-is-up-to-date
    - PEP 751: https://peps.python.org/pep-0751/
    """

    code = "DC106"
    name = "lock-drift"
    severity = Severity.ERROR
    summary = "a lock file holds a version outside the declared range"


RULES = (VersionConflict, VersionDrift, MissingCounterpart, ExtrasDrift, MarkerDrift, LockDrift)


def check(project: Project, projects: Iterable[Project] = ()) -> Iterator[Diagnostic]:
    requires_python = str(project.requires_python or "")
    for pair in project.pairs:
        yield from _check_pair(pair, requires_python, project.first_party)
    for dep_set in project.sets:
        yield from _check_constraints(dep_set, requires_python)
    workspace_locks = [
        lock for other in projects if other.workspace and other.workspace == project.workspace and other.root == other.workspace
        for lock in other.locks
    ] if project.workspace and project.workspace != project.root else []
    for lock in (*project.locks, *workspace_locks):
        yield from _check_lock(lock, project, requires_python)


def _usable(requirement: Requirement) -> bool:
    """Version facts are known: no direct URL, no unset ${VAR}."""
    return requirement.url is None and not requirement.unverifiable


def _group(requirements: Iterable[Requirement], skip: frozenset[str] = frozenset()) -> dict[str, list[Requirement]]:
    grouped: dict[str, list[Requirement]] = {}
    for requirement in requirements:
        if requirement.name not in skip:
            grouped.setdefault(requirement.name, []).append(requirement)
    return grouped


def _check_pair(pair: Pair, requires_python: str, first_party: frozenset[str]) -> Iterator[Diagnostic]:
    from depcheck.version import equivalent, pinned_version, satisfiable, subset

    a_by_name = _group(pair.a.requirements, first_party if pair.mode == "workspace" else frozenset())
    b_by_name = _group(pair.b.requirements, first_party if pair.mode == "workspace" else frozenset())
    b_also = {r.name for s in pair.b_context for r in s.requirements}
    a_also = {r.name for s in pair.a_context for r in s.requirements} | pair.a_installs
    versions_only = pair.mode in ("lock", "workspace", "constraint")

    if pair.mode == "dev" and _complementary(a_by_name.keys() - b_also, b_by_name.keys()):
        missing_modes: tuple[str, ...] = ()  # two different toolchains that happen to share a name
    else:
        missing_modes = ("mirror", "dev", "pinned")
    if pair.mode in missing_modes and pair.mode != "pinned":
        for name, reqs in a_by_name.items():
            if name not in b_by_name and name not in b_also:
                yield from _missing(reqs, pair.a, pair.b, requires_python)
    if pair.mode in missing_modes:
        for name, reqs in b_by_name.items():
            if name not in a_by_name and name not in a_also:
                yield from _missing(reqs, pair.b, pair.a, requires_python)

    for name in sorted(a_by_name.keys() & b_by_name.keys()):
        a_reqs, b_reqs = a_by_name[name], b_by_name[name]
        for a in a_reqs:
            for b in b_reqs:
                if not markers.can_coexist(a.marker, b.marker, requires_python):
                    continue
                if not (_usable(a) and _usable(b)):
                    continue
                if not satisfiable(a.specifier, b.specifier):
                    if pair.mode == "constraint":
                        yield _constraint_conflict(b, a)
                        continue
                    rule = LockDrift if pair.mode in ("lock", "pinned") else VersionConflict
                    yield rule.about(
                        a,
                        message=f"`{name}` is {spec_text(a)} in {where(a)} but {spec_text(b)} in {where(b)}: no version satisfies both",
                        fix=f"Replace `{a.text}` with `{_aligned(a, b)}` in {a.span.path}, or pin a version {spec_text(b)} admits",
                        other=b,
                        applicability=Applicability.UNSAFE,
                        intent=replace_intent(a, _aligned(a, b)),
                    )
                    continue
                if pair.mode in ("lock", "constraint", "pinned", "workspace"):
                    continue
                if equivalent(a.specifier, b.specifier):
                    continue
                if pinned_version(a.specifier) is not None and subset(a.specifier, b.specifier):
                    continue
                if pinned_version(b.specifier) is not None and subset(b.specifier, a.specifier):
                    continue
                yield VersionDrift.about(
                    a,
                    message=f"`{name}` is {spec_text(a)} in {where(a)} but {spec_text(b)} in {where(b)}",
                    fix=f"Use the same range for `{name}` in {a.span.path} as in {b.span.path} ({spec_text(b)})",
                    other=b,
                    applicability=Applicability.UNSAFE,
                    intent=replace_intent(a, _aligned(a, b)),
                )
        if versions_only or len(a_reqs) != 1 or len(b_reqs) != 1:
            continue
        a, b = a_reqs[0], b_reqs[0]
        if a.extras != b.extras and pair.mode != "lock":
            yield ExtrasDrift.about(
                a,
                message=f"`{name}` has {_extras(a)} in {where(a)} but {_extras(b)} in {where(b)}",
                fix=f"Use the same extras for `{name}` in both ({_extras_union(a, b)})",
                other=b,
                applicability=Applicability.SAFE,
                intent=replace_intent(a, _with_extras(a, a.extras | b.extras)) if a.extras <= b.extras else (),
            )
        if not markers.equivalent(a.marker, b.marker, requires_python):
            yield MarkerDrift.about(
                a,
                message=f"`{name}` has {_marker(a)} in {where(a)} but {_marker(b)} in {where(b)}",
                fix=f"Use the same marker for `{name}` in both",
                other=b,
            )


def _complementary(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> bool:
    """Dev lists sharing less than half of the smaller one are two toolchains, not mirrors
    (dev-requirements.txt for tox, a `dev` group for `uv sync`)."""
    smaller = min(len(a), len(b))
    return smaller > 0 and 2 * len(set(a) & set(b)) < smaller


def _missing(reqs: list[Requirement], present: DependencySet, absent: DependencySet, requires_python: str) -> Iterator[Diagnostic]:
    requirement = reqs[0]
    if not any(markers.applies(r.marker, requires_python) for r in reqs):
        return  # never installed on a supported Python: nothing is missing
    via = f" (via {where(requirement)})" if requirement.span.path != present.path else ""
    yield MissingCounterpart.about(
        requirement,
        message=f"`{requirement.name}` is in {present.label}{via} but not in {absent.label}",
        fix=f"Add `{requirement.text}` to {absent.label}",
        applicability=Applicability.SAFE,
        intent=add_intent(absent, requirement.text),
    )


def _with_extras(a: Requirement, extras: frozenset[str]) -> str:
    """`a` as written, with these extras (and its own range and marker)."""
    marker = f"; {a.marker}" if a.marker is not None else ""
    listed = f"[{','.join(sorted(extras))}]" if extras else ""
    return f"{a.display_name}{listed}{_written_spec(a)}{marker}"


def _written_spec(a: Requirement) -> str:
    from depcheck.checks.base import _as_written

    return _as_written(a) if str(a.specifier) else ""


def _aligned(a: Requirement, b: Requirement) -> str:
    """`a` as written, with `b`'s version range: the requirement that agrees with `b`."""
    extras = f"[{','.join(sorted(a.extras))}]" if a.extras else ""
    marker = f"; {a.marker}" if a.marker is not None else ""
    return f"{a.display_name}{extras}{b.specifier}{marker}"


def _extras(requirement: Requirement) -> str:
    return f"extras [{','.join(sorted(requirement.extras))}]" if requirement.extras else "no extras"


def _extras_union(a: Requirement, b: Requirement) -> str:
    return f"{a.display_name}[{','.join(sorted(a.extras | b.extras))}]"


def _marker(requirement: Requirement) -> str:
    return f"marker `{requirement.marker}`" if requirement.marker is not None else "no marker"


def _check_constraints(dep_set: DependencySet, requires_python: str) -> Iterator[Diagnostic]:
    """`-c` constraints against the requirements of the same requirements file."""
    from depcheck.version import satisfiable

    if not dep_set.constraints:
        return
    constraints = _group(dep_set.constraints)
    for requirement in dep_set.requirements:
        for constraint in constraints.get(requirement.name, ()):
            if not (_usable(requirement) and _usable(constraint)):
                continue
            if markers.can_coexist(requirement.marker, constraint.marker, requires_python) and not satisfiable(
                requirement.specifier, constraint.specifier
            ):
                yield _constraint_conflict(requirement, constraint)


def _constraint_conflict(requirement: Requirement, constraint: Requirement) -> Diagnostic:
    return VersionConflict.about(
        requirement,
        message=f"`{requirement.name}` is {spec_text(requirement)} in {where(requirement)} but constrained to {spec_text(constraint)} by {where(constraint)}: no version satisfies both",
        fix=f"Change `{requirement.text}` or the constraint `{constraint.text}` so they overlap",
        other=constraint,
    )


def _check_lock(lock: Lock, project: Project, requires_python: str) -> Iterator[Diagnostic]:
    from packaging.version import InvalidVersion, Version

    locked: dict[str, list] = {}
    for package in lock.packages:
        locked.setdefault(package.name, []).append(package)
    # A lock covers what its tool reads: pyproject.toml tables, not setup.py or requirements files.
    declared = [s for s in project.sets if not s.is_file and s.kind.value != "constraint" and s.path.endswith("pyproject.toml")]
    python = lock.requires_python or requires_python
    for dep_set in declared:
        for requirement in dep_set.requirements:
            if not _usable(requirement) or requirement.name in project.first_party:
                continue
            if not markers.applies(requirement.marker, python):
                continue  # never resolved into this lock
            entries = locked.get(requirement.name)
            if entries and not all(entry.from_index for entry in entries):
                continue  # a git/path/URL source: its version is whatever the source says
            if not entries:
                if (
                    lock.kind in ("uv.lock", "poetry.lock")
                    and dep_set.kind.value == "runtime"
                    and requirement.marker is None
                ):
                    yield LockDrift.about(
                        requirement,
                        message=f"`{requirement.name}` is declared in {where(requirement)} but {lock.path} has no entry for it",
                        fix=f"Re-lock: {_relock(lock)}",
                    )
                continue
            admitted = []
            for entry in entries:
                try:
                    admitted.append(requirement.specifier.contains(Version(entry.version), prereleases=True))
                except InvalidVersion:
                    admitted.append(True)
            if any(admitted):
                continue
            entry = entries[0]
            versions = ", ".join(sorted({e.version for e in entries}))
            yield LockDrift.diagnostic(
                message=f"{lock.path} locks `{requirement.name}` {versions}, outside {spec_text(requirement)} declared in {where(requirement)}",
                span=Span(path=entry.span.path, line=entry.span.line, column=entry.span.column),
                package=requirement.name,
                line_text=entry.line_text,
                involved=(requirement,),
                evidence=(evidence_of(requirement),),
                fix=Fix(description=f"Re-lock: {_relock(lock)}", applicability=Applicability.DISPLAY_ONLY),
            )


def _relock(lock: Lock) -> str:
    return {"uv.lock": "`uv lock`", "poetry.lock": "`poetry lock`"}.get(lock.kind, "regenerate the lock")
