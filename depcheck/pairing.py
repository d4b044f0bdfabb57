"""Which dependency sets describe the same environment and so must agree.

Inferred from names, as the SPEC says, or given by `pairs` in config:

* the project's primary runtime declaration (`[project].dependencies`, else
  Poetry's main dependencies, else setup.cfg, else setup.py) against every other
  runtime declaration of the project and every runtime requirements file
  (`requirements.txt`, `requirements/base.txt`, `requirements/prod.txt`, …);
* a dev requirements file (`requirements-dev.txt`, `requirements/test.txt`, …)
  against the dev group or extra of the same name (a plain "dev" file also
  against the only dev set); lists that share less than half of the smaller one
  are two toolchains, checked for versions only (see checks.drift);
* an other-named requirements file (`requirements-gpu.txt`) against the extra
  of that name;
* constraints (`constraints.txt`, uv `constraint-dependencies`) against every
  set they constrain (conflicts only);
* the runtime declarations of all members of one uv workspace (versions only).

A pyproject.toml whose `[project].dependencies` is empty declares nothing to
mirror (the application keeps its dependencies in requirements files), so it is
not paired. A generated lock (pip-compile/uv export) is compared by version only;
a hand-written fully pinned file must pin inside the declared ranges and hold
everything declared, but may hold more (transitive pins).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from depcheck.model import DependencySet, Pair, Project, SetKind

if TYPE_CHECKING:
    from collections.abc import Sequence

UNPAIRED = "\x00unpaired"  # group of a requirements file that has no counterpart by name
_RUNTIME_ORDER = ("project.dependencies", "tool.poetry.dependencies", "options.install_requires")
_SAME_TAG = {"tests": "test", "testing": "test", "doc": "docs", "linting": "lint", "develop": "dev", "development": "dev"}


def _tag(name: str | None) -> str:
    name = canonicalize_name(name or "")
    return _SAME_TAG.get(name, name)


def is_pinned(dep_set: DependencySet) -> bool:
    """Every requirement pins one version with `==`/`===` (a hand-made lock)."""
    from depcheck.version import pinned_version

    return bool(dep_set.requirements) and all(
        req.url is not None or pinned_version(req.specifier) is not None for req in dep_set.requirements
    )


def runtime_declarations(project: Project) -> list[DependencySet]:
    """The project's own non-empty runtime declarations, primary first."""
    declared = [s for s in project.sets if s.kind is SetKind.RUNTIME and not s.is_file and s.requirements]

    def order(s: DependencySet) -> int:
        key = s.id.split(":", 1)[-1]
        return _RUNTIME_ORDER.index(key) if key in _RUNTIME_ORDER else len(_RUNTIME_ORDER)

    return sorted(declared, key=order)


def installed_sets(file_set: DependencySet, projects: Sequence[Project]) -> tuple[DependencySet, ...]:
    """The declarations a requirements file installs through `-e .[extra]` lines."""
    by_root = {p.root: p for p in projects}
    found: list[DependencySet] = []
    for root, extras in file_set.installs:
        project = by_root.get(root)
        if project is None:
            continue
        wanted = {canonicalize_name(extra) for extra in extras}
        found.extend(
            s for s in project.sets
            if not s.is_file and (s.kind is SetKind.RUNTIME or (s.kind is not SetKind.CONSTRAINT and s.group in wanted))
        )
    return tuple(found)


def pair_project(
    project: Project, workspace_members: Sequence[Project] = (), projects: Sequence[Project] = ()
) -> tuple[Pair, ...]:
    pairs: list[Pair] = []
    declared_runtime = runtime_declarations(project)
    primary = declared_runtime[0] if declared_runtime else None
    declarations = [s for s in project.sets if not s.is_file]
    dev_sets = [s for s in declarations if s.kind is SetKind.DEV]
    extras = {_tag(s.group): s for s in declarations if s.kind is SetKind.EXTRA}
    files = [s for s in project.sets if s.is_file]

    if primary is not None:
        for other in declared_runtime[1:]:
            pairs.append(Pair(a=other, b=primary, mode="mirror"))
    else:
        # No manifest declares the runtime: a loose runtime file (requirements.in,
        # base_requirements.txt) is the declaration its pinned sibling must follow.
        loose = [s for s in files if s.kind is SetKind.RUNTIME and not s.is_lock and not is_pinned(s)]
        loose.sort(key=lambda s: (not s.path.endswith(".in"), s.path))
        if loose and any(s.kind is SetKind.RUNTIME and (s.is_lock or is_pinned(s)) for s in files):
            primary = loose[0]

    # pip-tools: X.txt is compiled from X.in beside it; it answers to the .in, and the
    # .in (not the compiled file) answers to the project's declarations.
    sources = {s.path[:-3]: s for s in files if s.path.endswith(".in")}
    for file_set in files:
        if file_set.group == UNPAIRED or file_set is primary:
            continue
        mode = "lock" if file_set.is_lock else ("pinned" if is_pinned(file_set) else "mirror")
        source = sources.get(file_set.path[:-4]) if file_set.path.endswith(".txt") else None
        if source is not None:
            if mode != "mirror":
                pairs.append(Pair(a=file_set, b=source, mode=mode))
            continue
        installed = installed_sets(file_set, projects or (project,))
        by_root = {p.root: p.name for p in (projects or (project,)) if p.name}
        installs = frozenset(by_root[root] for root, _ in file_set.installs if root in by_root)
        if file_set.kind is SetKind.RUNTIME and primary is not None:
            if primary.is_file and mode == "mirror":
                continue  # two loose runtime files: no declaration to hold them to
            pairs.append(Pair(a=file_set, b=primary, mode=mode, a_context=installed, a_installs=installs))
        elif file_set.kind is SetKind.DEV and dev_sets:
            # By name (requirements-test.txt with the `test` group); a plain dev file
            # also with the only dev set there is. docs-requirements.txt is not the
            # `dev` group's mirror.
            tag = _tag(file_set.group)
            named = [s for s in dev_sets if _tag(s.group) == tag]
            if named or (tag == "dev" and len(dev_sets) == 1):
                counterpart = (named or dev_sets)[0]
                # What a dev environment also holds: the runtime declarations and files
                # (dev files usually `-r requirements.txt`) and the other dev sets.
                runtime_files = [s for s in files if s.kind is SetKind.RUNTIME]
                context = (*declared_runtime, *runtime_files, *(s for s in dev_sets if s is not counterpart))
                pairs.append(
                    Pair(
                        a=file_set,
                        b=counterpart,
                        mode="lock" if mode == "lock" else "dev",
                        b_context=context,
                        a_context=installed,
                        a_installs=installs,
                    )
                )
        elif file_set.kind is SetKind.EXTRA and _tag(file_set.group) in extras:
            pairs.append(Pair(a=file_set, b=extras[_tag(file_set.group)], mode=mode, a_context=installed, a_installs=installs))

    constraint_sets = [s for s in project.sets if s.kind is SetKind.CONSTRAINT]
    # uv applies the workspace root's constraint-dependencies to every member.
    constraint_sets += [
        s for member in workspace_members
        if member.root == project.workspace and member.root != project.root
        for s in member.sets if s.kind is SetKind.CONSTRAINT and not s.is_file
    ]
    for constraint in constraint_sets:
        for other in project.sets:
            if other.kind is not SetKind.CONSTRAINT and not other.is_lock:
                pairs.append(Pair(a=constraint, b=other, mode="constraint"))

    if primary is not None:
        for member in workspace_members:
            if member.root <= project.root:
                continue
            member_runtime = runtime_declarations(member)
            if member_runtime:
                pairs.append(Pair(a=member_runtime[0], b=primary, mode="workspace"))
    return tuple(pairs)


def explicit_pairs(project: Project, ids: Sequence[tuple[str, str]]) -> tuple[Pair, ...]:
    """Pairs named in config; ids are set ids ("requirements.txt", "pyproject.toml:project.dependencies")."""
    by_id = {s.id: s for s in project.sets}
    pairs = []
    for left, right in ids:
        if left in by_id and right in by_id:
            a, b = by_id[left], by_id[right]
            mode = "lock" if a.is_lock else ("pinned" if is_pinned(a) else "mirror")
            pairs.append(Pair(a=a, b=b, mode=mode))
    kept = tuple(p for p in project.pairs if p.mode in ("constraint", "workspace"))
    return kept + tuple(pairs)
