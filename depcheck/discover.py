"""Find every manifest under the checked paths and group them into projects.

The only module besides cli/fix that touches the file system: it reads bytes,
hands text to the parsers, follows `-r`/`-c` includes, and returns `Project`s.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from depcheck.model import DependencySet, Lock, Problem, Project, SetKind, Severity, Span, frozen
from depcheck.pairing import UNPAIRED, pair_project
from depcheck.parsers import common, pyproject, requirements_txt

if TYPE_CHECKING:
    from collections.abc import Container, Iterator

    from depcheck.config import Config

SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".bzr", "node_modules", "build", "dist", "site-packages", ".tox", ".nox",
        "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", ".eggs", ".cache",
        ".venv", "venv", ".direnv", "__pypackages__", ".pixi", ".idea", ".vscode",
    }
)
PROJECT_FILES = ("pyproject.toml", "setup.cfg", "setup.py")
TOOL_FILES = ("tox.ini",)
# setup.cfg, setup.py, tox.ini and lock-file parsers are imported when such a file is read: most projects have none.
LOCK_FILES = ("uv.lock", "poetry.lock")
_PYLOCK = re.compile(r"^pylock(\.[^.]+)?\.toml$")
_REQ_DIRS = frozenset({"requirements", "reqs", "requirements.d", "deps", "dependencies", "pip-requirements"})
_REQ_NAME = re.compile(r"(^|[-_.])(requirements?|reqs?|constraints?)([-_.]|$)", re.IGNORECASE)


_PROSE_DIRS = frozenset({"doc", "docs", "documentation"})


def is_requirements_file(rel: PurePosixPath) -> bool:
    name = rel.name.lower()
    if not name.endswith((".txt", ".in")):
        return False
    stem = name.rsplit(".", 1)[0]
    if _REQ_NAME.search(stem):
        # docs/ref/contrib/postgres/constraints.txt is prose; docs/requirements.txt is not
        in_docs = any(part.lower() in _PROSE_DIRS for part in rel.parts[:-1])
        return not (in_docs and "req" not in stem)
    return len(rel.parts) > 1 and rel.parts[-2].lower() in _REQ_DIRS


@frozen
class Repository:
    """Everything read under one checked root."""

    root: Path
    projects: tuple[Project, ...]
    files: int  # manifests read


SOURCE_SUFFIXES = (".py", ".ipynb")


def walk(root: Path, exclude: tuple[str, ...] = ()) -> list[PurePosixPath]:
    """Manifest paths under root (relative, POSIX), in sorted order."""
    return walk_tree(root, exclude)[0]


def walk_tree(root: Path, exclude: tuple[str, ...] = ()) -> tuple[list[PurePosixPath], list[str]]:
    """(manifests, source files) under root, relative POSIX paths, each sorted; one pass over the tree.

    Source files come as strings: there are thousands of them, and a path object
    per file was a third of a warm run.
    """
    found: list[PurePosixPath] = []
    sources: list[str] = []
    base = os.fspath(root)
    strip = len(base.rstrip(os.sep)) + 1
    windows = os.sep != "/"
    stack = [base]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = list(it)
        except OSError:
            continue
        if directory != base and any(entry.name == "pyvenv.cfg" for entry in entries):
            continue  # a virtual environment
        for entry in entries:
            name = entry.name
            rel = entry.path[strip:]
            if windows:
                rel = rel.replace(os.sep, "/")
            if exclude and _excluded(PurePosixPath(rel), exclude):
                continue
            try:
                source = name.endswith(SOURCE_SUFFIXES)
                if source and entry.is_file():  # the common case first: one check, one append
                    sources.append(rel)
                    if name == "setup.py":  # both
                        found.append(PurePosixPath(rel))
                    continue
                if entry.is_dir(follow_symlinks=False):
                    # `{{cookiecutter.name}}` and other template folders are not projects.
                    if name not in SKIP_DIRS and not name.endswith(".egg-info") and "{{" not in name:
                        stack.append(entry.path)
                    continue
                if name.endswith(_MANIFEST_ENDINGS) and _is_manifest(PurePosixPath(rel)) and entry.is_file():
                    found.append(PurePosixPath(rel))
            except OSError:
                continue
    # the order of PurePosixPath: part by part ("a/b.py" before "a.b/c.py")
    sources.sort(key=lambda rel: rel.split("/"))
    return sorted(found), sources


_MANIFEST_ENDINGS = (".txt", ".in", ".toml", ".lock", ".cfg", ".ini")  # what `_is_manifest` can accept (setup.py: with the sources)


def _is_manifest(rel: PurePosixPath) -> bool:
    name = rel.name
    return (
        name in PROJECT_FILES
        or name in TOOL_FILES
        or name in LOCK_FILES
        or bool(_PYLOCK.match(name))
        or is_requirements_file(rel)
    )


def _excluded(rel: PurePosixPath, patterns: tuple[str, ...]) -> bool:
    text = rel.as_posix()
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatch(text, pattern) or rel.match(pattern):
            return True
        if pattern.endswith("/**") and (text == pattern[:-3] or text.startswith(pattern[:-2])):
            return True
        if "/" not in pattern and any(fnmatch.fnmatch(part, pattern) for part in rel.parts):
            return True
    return False


class _Reader:
    """Reads and parses each file once; remembers problems per file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requirements: dict[str, requirements_txt.RequirementsFile | None] = {}
        self.read_count = 0

    def text(self, rel: str) -> tuple[str | None, tuple[Problem, ...]]:
        path = self.root / rel
        try:
            data = path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            return None, (Problem(code="DC004", message=f"cannot read {rel}: {reason}", span=Span(path=rel)),)
        self.read_count += 1
        return common.decode(rel, data)

    def requirements_file(self, rel: str) -> requirements_txt.RequirementsFile | None:
        if rel not in self.requirements:
            text, problems = self.text(rel)
            parsed = None
            if text is not None:
                parsed = requirements_txt.parse(rel, text)
                if problems:
                    parsed = _with_problems(parsed, problems)
            self.requirements[rel] = parsed
        return self.requirements[rel]


def _with_problems(parsed: requirements_txt.RequirementsFile, problems: tuple[Problem, ...]) -> requirements_txt.RequirementsFile:
    return replace(parsed, problems=problems + parsed.problems)


def _local_project(root: Path, including: str, target: str) -> str:
    """Where `-e ./pkg` points: pip resolves it against the working directory, which
    is usually the file's own directory or the repository root; take the one that exists."""
    for base in (PurePosixPath(including).parent, PurePosixPath(".")):
        candidate = _normalize(str(base / target))
        if (root / candidate).is_dir():
            return "." if candidate in ("", ".") else candidate
    return _normalize(str(PurePosixPath(including).parent / target))


def _cycle(chain: tuple[str, ...], again: str) -> tuple[str, ...]:
    """The part of the include chain that loops: a.txt -> b.txt -> a.txt."""
    return (*chain[chain.index(again):], again) if again in chain else (*chain, again)


def _normalize(rel: str) -> str:
    return os.path.normpath(rel).replace(os.sep, "/")


def _expand(
    reader: _Reader, rel: str, problems: dict[tuple[str, int, int], Problem]
) -> tuple[list, list, list[str], list[tuple[str, frozenset[str]]]]:
    """A top-level requirements file with its includes: (requirements, constraints, files, local projects)."""
    requirements: list = []
    constraints: list = []
    files: list[str] = []
    installs: list[tuple[str, frozenset[str]]] = []

    def broken(include: requirements_txt.Include, message: str, severity: Severity | None = None) -> None:
        key = (include.span.path, include.span.line, include.span.column)
        problems.setdefault(
            key,
            Problem(
                code="DC003",
                message=message,
                span=include.span,
                line_text=include.line_text,
                ignores=include.ignores,
                severity=severity,
            ),
        )

    def visit(current: str, chain: tuple[str, ...], as_constraint: bool) -> None:
        parsed = reader.requirements_file(current)
        if parsed is None:
            return
        files.append(current)
        if not as_constraint:
            for local in parsed.local_projects:
                installs.append((_local_project(reader.root, current, local.target), local.extras))
        # In file order, as pip reads it: an include's requirements come at its line.
        own = iter(parsed.requirements)
        pending = next(own, None)
        for include in (*parsed.includes, None):
            while pending is not None and (include is None or pending.span.line < include.span.line):
                (constraints if as_constraint else requirements).append(pending)
                pending = next(own, None)
            if include is None:
                break
            target = include.target
            if target.startswith(("http://", "https://")):
                continue  # remote includes are not fetched: no network unless asked
            resolved = _normalize(str(PurePosixPath(current).parent / target))
            written = include.line_text.strip()
            if resolved in chain or resolved == current:
                broken(include, f"`{written}` closes an include cycle: {' -> '.join(_cycle((*chain, current), resolved))}")
            elif "${" in target:
                broken(include, f"include target `{target}` uses an unset environment variable; it was not checked", Severity.INFO)
            elif not (reader.root / resolved).is_file():
                broken(include, f"`{written}` names {resolved}, which does not exist")
            else:
                visit(resolved, (*chain, current), as_constraint or include.kind == "constraint")

    visit(rel, (), False)
    return requirements, constraints, files, installs


_RUNTIME_WORDS = frozenset(
    {"", "base", "common", "main", "prod", "production", "runtime", "default", "core", "install", "app", "deploy", "requirements", "requirement", "reqs", "req", "all"}
)


def classify(rel_to_project: PurePosixPath) -> tuple[SetKind | None, str | None]:
    """What a requirements file describes, from where it is and what it is called.

    Returns (kind, tag). kind None: not paired with any declaration (a file in
    an unrelated sub-directory, or a name we cannot place).
    """
    stem = rel_to_project.name.rsplit(".", 1)[0].lower()
    words = [w for w in re.split(r"[-_.]", stem) if w not in ("requirements", "requirement", "reqs", "req")]
    parents = [p.lower() for p in rel_to_project.parts[:-1]]
    in_place = not parents or (len(parents) == 1 and parents[0] in _REQ_DIRS)
    if not in_place:
        return None, None
    if any(w in ("constraints", "constraint") for w in words):
        return SetKind.CONSTRAINT, None
    dev = next((w for w in words if common.is_dev_name(w)), None)
    if dev is not None:
        return SetKind.DEV, dev
    if all(w in _RUNTIME_WORDS for w in words):
        return SetKind.RUNTIME, None
    return SetKind.EXTRA, "-".join(words)


def _owner(rel: str, roots: Container[str]) -> str:
    """The deepest of `roots` (project folders) that holds the file `rel`, else ".": walking up its folders."""
    folder = rel
    while "/" in folder:
        folder = folder.rpartition("/")[0]
        if folder in roots:
            return folder
    return "."


def load(root: Path, config: Config) -> Repository:
    """Read every manifest under `root` into projects."""
    manifests, sources = walk_tree(root, config.exclude)
    # Files named in `pairs` are requirements files whatever they are called.
    named = {PurePosixPath(s) for pair in (config.pairs or ()) for s in pair if ":" not in s}
    named = {rel for rel in named if (root / rel).is_file()}
    manifests = sorted(set(manifests) | named)
    reader = _Reader(root)
    roots = sorted({m.parent.as_posix() for m in manifests if m.name in PROJECT_FILES})
    if "." not in roots:
        roots.insert(0, ".")
    by_root: dict[str, list[PurePosixPath]] = {r: [] for r in roots}
    for manifest in manifests:
        by_root[_owner(manifest.as_posix(), by_root) if manifest.name not in PROJECT_FILES else manifest.parent.as_posix()].append(manifest)

    parsed_pyprojects: dict[str, pyproject.PyProject] = {}
    for project_root, files in by_root.items():
        for rel in files:
            if rel.name == "pyproject.toml":
                text, problems = reader.text(rel.as_posix())
                if text is not None:
                    parsed = pyproject.parse(rel.as_posix(), text)
                    if problems:
                        parsed = replace(parsed, problems=problems + parsed.problems)
                    parsed_pyprojects[project_root] = parsed
    workspace_of = _workspaces(root, parsed_pyprojects)

    projects: list[Project] = []
    for project_root, files in by_root.items():
        if not files:
            continue
        projects.append(_load_project(reader, project_root, files, parsed_pyprojects.get(project_root), workspace_of, named))
    code: dict[str, list[str]] = {p.root: [] for p in projects}
    for source in sources:
        code.setdefault(_owner(source, code), []).append(source)
    projects = [replace(p, sources=tuple(code.get(p.root, ()))) for p in projects]
    first_party = frozenset(p.name for p in projects if p.name)
    projects = [_finish(p, first_party, projects) for p in projects]
    return Repository(root=root, projects=tuple(projects), files=reader.read_count)


def _workspaces(root: Path, pyprojects: dict[str, pyproject.PyProject]) -> dict[str, str]:
    """Project root -> root of the uv workspace it belongs to (members and the workspace root)."""
    workspace_of: dict[str, str] = {}
    for ws_root, parsed in pyprojects.items():
        if not parsed.workspace_members:
            continue
        workspace_of[ws_root] = ws_root
        base = root / ws_root
        excluded: set[str] = set()
        for pattern in parsed.workspace_exclude:
            excluded |= {_rel(root, p) for p in base.glob(pattern)}
        for pattern in parsed.workspace_members:
            for member in sorted(base.glob(pattern)):
                rel = _rel(root, member)
                if rel not in excluded and (member / "pyproject.toml").is_file():
                    workspace_of.setdefault(rel, ws_root)
    return workspace_of


def _rel(root: Path, path: Path) -> str:
    rel = path.relative_to(root).as_posix()
    return rel or "."


def _load_project(
    reader: _Reader,
    project_root: str,
    files: list[PurePosixPath],
    parsed_pyproject: pyproject.PyProject | None,
    workspace_of: dict[str, str],
    named: set[PurePosixPath],
) -> Project:
    problems: dict[tuple[str, int, int, str, str], Problem] = {}
    sets: list[DependencySet] = []
    lock_files: list[Lock] = []
    name = requires_python = None
    dynamic: dict[str, tuple[str, ...]] = {}
    file_refs: dict[str, tuple[str, ...]] = {}
    tool_names: frozenset[str] = frozenset()

    def keep(found: tuple[Problem, ...]) -> None:
        for problem in found:
            key = (problem.span.path, problem.span.line, problem.span.column, problem.code, problem.message)
            problems.setdefault(key, problem)

    if parsed_pyproject is not None:
        keep(parsed_pyproject.problems)
        sets.extend(_qualify(s) for s in parsed_pyproject.sets)
        name = parsed_pyproject.name
        requires_python = parsed_pyproject.requires_python
        dynamic = dict(parsed_pyproject.dynamic_files)

    for rel in files:
        path = rel.as_posix()
        if rel.name in ("setup.cfg", "setup.py"):
            text, found = reader.text(path)
            keep(found)
            if text is None:
                continue
            from depcheck.parsers import setup_cfg, setup_py

            module = setup_cfg if rel.name == "setup.cfg" else setup_py
            parsed = module.parse(path, text)
            keep(parsed.problems)
            sets.extend(_qualify(s) for s in parsed.sets)
            for ref in getattr(parsed, "file_refs", ()):
                file_refs[f"{path}:{ref.set_id.split(':', 1)[-1]}"] = ref.paths
            name = name or parsed.name
            requires_python = requires_python or parsed.requires_python
        elif rel.name in TOOL_FILES:
            text, found = reader.text(path)
            if text is not None:
                from depcheck.parsers import tox_ini

                tool_names |= tox_ini.declared_names(text)
        elif rel.name in LOCK_FILES or _PYLOCK.match(rel.name):
            text, found = reader.text(path)
            keep(found)
            if text is None:
                continue
            from depcheck.parsers import locks

            parse_lock = {"uv.lock": locks.parse_uv_lock, "poetry.lock": locks.parse_poetry_lock}.get(
                rel.name, locks.parse_pylock
            )
            lock, found = parse_lock(path, text)
            keep(found)
            if lock is not None:
                lock_files.append(lock)

    include_problems: dict[tuple[str, int, int], Problem] = {}
    claimed: set[str] = set()  # files that are a manifest's declaration (dynamic / `file:`)

    def read_files(targets: tuple[str, ...]) -> tuple[list, list, list[str]]:
        requirements: list = []
        constraints: list = []
        read: list[str] = []  # local projects in a dynamic file are the project's build, not its environment
        for target in targets:
            if not (reader.root / target).is_file():
                keep((Problem(code="DC003", message=f"{target}, named as a dependency file, does not exist", span=Span(path=target)),))
                continue
            found = _expand(reader, target, include_problems)
            requirements += found[0]
            constraints += found[1]
            read += found[2]
        for rel_read in read:
            parsed_read = reader.requirements_file(rel_read)
            if parsed_read is not None:
                keep(parsed_read.problems)
        claimed.update(read)
        return requirements, constraints, read

    base = PurePosixPath(project_root)
    for field_name, targets in dynamic.items():
        paths = tuple(_normalize(str(base / t)) for t in targets)
        requirements, constraints, read = read_files(paths)
        kind, tag = _dynamic_kind(field_name)
        manifest = _pyproject_path(project_root)
        sets.append(
            DependencySet(
                id=f"{manifest}:project.{field_name}",
                label=f"{manifest} [project] {field_name.replace('.', ' ')} (from {', '.join(paths)})",
                kind=kind,
                path=paths[0] if paths else manifest,
                requirements=tuple(requirements),
                constraints=tuple(constraints),
                span=Span(path=manifest),
                group=tag,
                files=tuple(read),
            )
        )
    for index, dep_set in enumerate(sets):
        refs = file_refs.get(dep_set.id)
        if refs:
            requirements, constraints, read = read_files(refs)
            sets[index] = replace(dep_set, requirements=tuple(requirements), constraints=tuple(constraints), files=(dep_set.path, *read))

    # Requirements files: parse all, then build a set for each one no other file includes.
    # A file included by a file of its own kind is covered by the includer's set
    # (base.txt by prod.txt); included only by another kind (requirements.txt by
    # requirements-dev.txt), it still describes its own environment.
    req_files = [rel for rel in files if is_requirements_file(rel) or rel in named]
    kinds = {rel.as_posix(): classify(rel.relative_to(project_root) if project_root != "." else rel) for rel in req_files}
    covered: set[str] = set()
    for rel in req_files:
        parsed_req = reader.requirements_file(rel.as_posix())
        if parsed_req is None:
            continue
        keep(parsed_req.problems)
        for include in parsed_req.includes:
            target = _normalize(str(rel.parent / include.target))
            if include.kind == "requirement" and kinds.get(target, (None,))[0] in (None, kinds[rel.as_posix()][0]):
                covered.add(target)
    for rel in req_files:
        path = rel.as_posix()
        if path in covered or path in claimed:
            continue
        parsed_req = reader.requirements_file(path)
        if parsed_req is None:
            continue
        requirements, constraints, read, installs = _expand(reader, path, include_problems)
        for rel_read in read[1:]:
            parsed_read = reader.requirements_file(rel_read)
            if parsed_read is not None:
                keep(parsed_read.problems)
        kind, tag = kinds[path]
        sets.append(
            DependencySet(
                id=path,
                label=path,
                kind=kind or SetKind.EXTRA,
                path=path,
                requirements=tuple(requirements),
                constraints=tuple(constraints),
                span=Span(path=path),
                is_lock=parsed_req.is_lock,
                group=tag if kind is not None else UNPAIRED,
                files=tuple(read),
                is_file=True,
                installs=tuple(installs),
            )
        )
    keep(tuple(include_problems.values()))
    return Project(
        root=project_root,
        name=name,
        requires_python=common.specifier_or_none(requires_python),
        sets=tuple(sets),
        locks=tuple(lock_files),
        manifests=tuple(rel.as_posix() for rel in files),
        workspace=workspace_of.get(project_root),
        problems=tuple(problems.values()),
        tool_declared=tool_names,
        dependencies_unknown=parsed_pyproject is not None
        and "dependencies" in parsed_pyproject.dynamic
        and "dependencies" not in dynamic,
    )


def _qualify(dep_set: DependencySet) -> DependencySet:
    """Set ids are "<manifest path>:<key>", unique in the repository."""
    key = dep_set.id.split(":", 1)[1] if ":" in dep_set.id else dep_set.id
    return replace(dep_set, id=f"{dep_set.path}:{key}")


def _pyproject_path(project_root: str) -> str:
    return "pyproject.toml" if project_root == "." else f"{project_root}/pyproject.toml"


def _dynamic_kind(field_name: str) -> tuple[SetKind, str | None]:
    if field_name == "dependencies":
        return SetKind.RUNTIME, None
    extra = field_name.split(".", 1)[1] if "." in field_name else field_name
    return SetKind.EXTRA, extra


def _finish(project: Project, first_party: frozenset[str], projects: list[Project]) -> Project:
    members = [p for p in projects if p.workspace is not None and p.workspace == project.workspace]
    project = replace(project, first_party=first_party)
    return replace(project, pairs=pair_project(project, members, projects))


def iter_problems(repository: Repository) -> Iterator[Problem]:
    for project in repository.projects:
        yield from project.problems
